// Main-thread work, measured with the User Timing API (performance.measure), named
// `rvreplay:<what>` so the benchmark can add them up in the browser. Old entries are cleared so
// a long session does not pile them up.

const KEEP = 2000;
let recorded = 0;

export function measured<T>(what: string, work: () => T): T {
  const start = performance.now();
  try {
    return work();
  } finally {
    performance.measure(`rvreplay:${what}`, { start, end: performance.now() });
    if (++recorded % KEEP === 0) performance.clearMeasures();
  }
}
