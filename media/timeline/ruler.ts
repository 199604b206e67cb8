// Where the ruler's ticks go: a 1-2-5 step in icounts that leaves room for a label between ticks.

/** The smallest step of 1, 2 or 5 × 10^k icounts whose ticks are at least minPx apart. */
export function niceStep(span: number, width: number, minPx: number): number {
  const raw = (span / Math.max(width, 1)) * minPx;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return Math.max(1, m * power);
  return Math.max(1, 10 * power);
}

/** Multiples of step in [from, to). */
export function ticks(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t < to && out.length < 1000; t += step) out.push(t);
  return out;
}
