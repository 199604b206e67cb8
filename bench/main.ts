// `npm run bench`: runs the selected benchmark cases one after another and prints their tables.
// Speed is measured here and only here, always beside QEMU on the same guest in the same run, so
// the figures are ratios that survive a change of machine. Exits 1 if any check failed.
import { resolve } from 'node:path';
import type { BenchCase, BenchContext, CaseResult } from './case.js';
import { GUESTS, LENGTH_PAIRS } from './guests.js';
import { lengthCase } from './length.js';
import { dapCase } from './dap.js';
import { caseSelected, parseOptions, USAGE, type BenchOptions } from './options.js';
import { DEFAULT_CLI } from './paths.js';
import { findQemu } from './qemu.js';
import { rrVsQemuCase } from './rr-vs-qemu.js';
import { runVsQemuCase } from './run-vs-qemu.js';
import { formatResults } from './table.js';
import { timelineCase } from './timeline.js';
import { timeTravelCase } from './time-travel.js';

/** Every case, in the order they run. */
function allCases(): BenchCase[] {
  return [...GUESTS.map(runVsQemuCase), ...LENGTH_PAIRS.map(lengthCase), ...GUESTS.map(rrVsQemuCase), timelineCase(), timeTravelCase(), dapCase()];
}

async function main(argv: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseOptions(argv);
  } catch (err) {
    console.error(`bench: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const cases = allCases().filter((c) => caseSelected(c.name, options.only));
  if (options.list) {
    for (const c of allCases()) console.log(c.name);
    return 0;
  }
  if (cases.length === 0) {
    console.error(`bench: no case matches ${options.only.join(', ')} (--list shows them)`);
    return 2;
  }

  const ctx: BenchContext = {
    reps: options.reps,
    cliPath: resolve(options.cliPath ?? DEFAULT_CLI),
    qemuPath: findQemu(options.qemuPath),
    timeoutMs: options.timeoutMs,
    log: (line) => process.stderr.write(`bench: ${line}\n`),
  };
  ctx.log(`${cases.length} case(s), ${ctx.reps} rep(s) each; cli ${ctx.cliPath}; qemu ${ctx.qemuPath ?? 'not found'}`);
  if (process.env.NODE_EXTRA_CA_CERTS !== undefined) ctx.log('NODE_EXTRA_CA_CERTS is set: rvreplay runs without it (Node would read a CA bundle at start, for TLS rvreplay never uses)');
  const results: CaseResult[] = [];
  for (const c of cases) results.push(...[await c.run(ctx)].flat());
  process.stdout.write(formatResults(results));
  return results.some((r) => r.problems.length > 0) ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error('bench:', err);
    process.exitCode = 1;
  },
);
