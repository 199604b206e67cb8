// Case "length/<guest>": one guest at two lengths (the same code, more rounds), from the plain runs
// run/<guest> makes. A straight line through the two wall times splits each emulator's run into
// a cost per process (start-up, and for us V8 compiling the emulator and the guest's code) and a
// cost per instruction once warm. Their crossing is the length from which rvreplay is the faster:
// a ratio on a short guest says as much about start-up as about emulation.
import type { BenchCase, BenchContext, CaseResult } from './case.js';
import { fixed, grouped, median, seconds } from './figures.js';
import type { LengthPair } from './guests.js';
import { plainRuns } from './plain-runs.js';
import type { TimedRun } from './timed-run.js';

const TABLE = [
  'length: each guest at two lengths (plain runs, medians); fixed s = a run\'s time apart from its',
  '  instructions and MIPS = speed after it, both from the line through the two wall times; from',
  '  "faster from" instructions on, rvreplay takes less time than QEMU',
].join('\n');

export function lengthCase(pair: LengthPair): BenchCase {
  return { name: `length/${pair.short.name}`, run: (ctx) => measure(ctx, pair) };
}

/** Wall time as `fixedMs + icount / (mips * 1000)`. */
export interface Line {
  fixedMs: number;
  mips: number;
}

/** The line through (shortIcount, shortMs) and (longIcount, longMs); undefined when it says nothing. */
export function lineThrough(shortIcount: number, shortMs: number, longIcount: number, longMs: number): Line | undefined {
  if (!(longIcount > shortIcount) || !(longMs > shortMs)) return undefined;
  const msPerInsn = (longMs - shortMs) / (longIcount - shortIcount);
  return { fixedMs: shortMs - msPerInsn * shortIcount, mips: 1 / msPerInsn / 1000 };
}

/** The instruction count from which `ours` takes less time than `theirs`: 0 if always, undefined if never. */
export function fasterFrom(ours: Line, theirs: Line): number | undefined {
  const ourMsPerInsn = 1 / ours.mips / 1000;
  const theirMsPerInsn = 1 / theirs.mips / 1000;
  if (ours.fixedMs <= theirs.fixedMs) return ourMsPerInsn <= theirMsPerInsn ? 0 : undefined;
  if (ourMsPerInsn >= theirMsPerInsn) return undefined;
  return Math.ceil((ours.fixedMs - theirs.fixedMs) / (theirMsPerInsn - ourMsPerInsn));
}

async function measure(ctx: BenchContext, pair: LengthPair): Promise<CaseResult> {
  const problems: string[] = [];
  const short = await plainRuns(ctx, pair.short);
  const long = await plainRuns(ctx, pair.long);
  // Instruction counts are ours (run/<guest> checks they do not vary); QEMU runs the same ones.
  const shortIcount = short.ours.find((r) => r.stats !== undefined)?.stats?.icount;
  const longIcount = long.ours.find((r) => r.stats !== undefined)?.stats?.icount;
  const line = (shortRuns: readonly TimedRun[], longRuns: readonly TimedRun[]): Line | undefined => {
    const s = passedMedian(shortRuns);
    const l = passedMedian(longRuns);
    return shortIcount === undefined || longIcount === undefined || s === undefined || l === undefined
      ? undefined : lineThrough(shortIcount, s, longIcount, l);
  };
  const ours = line(short.ours.map((r) => r.run), long.ours.map((r) => r.run));
  const theirs = line(short.theirs, long.theirs);
  if (ours === undefined && short.ours.length > 0 && long.ours.length > 0) {
    problems.push(`${pair.short.name}: rvreplay's runs of ${pair.short.name} and ${pair.long.name} give no line (a run failed, or the longer guest was not slower)`);
  }
  const crossing = ours !== undefined && theirs !== undefined ? fasterFrom(ours, theirs) : undefined;
  return {
    table: TABLE,
    cells: [
      { header: 'guests', value: `${pair.short.name}, ${pair.long.name}`, align: 'left' },
      { header: 'instructions', value: `${grouped(shortIcount)}, ${grouped(longIcount)}` },
      { header: 'rvreplay fixed s', value: fixed(seconds(ours?.fixedMs), 2) },
      { header: 'rvreplay MIPS', value: fixed(ours?.mips, 0) },
      { header: 'QEMU fixed s', value: fixed(seconds(theirs?.fixedMs), 2) },
      { header: 'QEMU MIPS', value: fixed(theirs?.mips, 0) },
      { header: 'faster from', value: ours === undefined || theirs === undefined ? '-' : crossing === undefined ? 'never' : grouped(crossing) },
    ],
    problems,
    notes: [],
  };
}

/** Median wall time of the runs that exited 0. */
function passedMedian(runs: readonly TimedRun[]): number | undefined {
  const ok = runs.filter((r) => r.exitCode === 0).map((r) => r.wallMs);
  return ok.length === 0 ? undefined : median(ok);
}
