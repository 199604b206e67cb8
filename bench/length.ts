// Case "length/<guest>": one guest at two lengths (the same code, more rounds), run plain on both
// emulators. A straight line through the two wall times splits each emulator's run into
// a cost per process (start-up, and for us V8 compiling the emulator and the guest's code) and a
// cost per instruction once warm. Their crossing is the length from which rvreplay is the faster:
// a ratio on a short guest says as much about start-up as about emulation.
import { existsSync } from 'node:fs';
import type { BenchCase, BenchContext, CaseResult } from './case.js';
import { fixed, grouped, median, seconds } from './figures.js';
import type { LengthPair } from './guests.js';
import { runQemu } from './qemu.js';
import { checkRuns, expectedOutput } from './run-checks.js';
import { runRvreplay, type RvreplayRun } from './rvreplay.js';
import type { TimedRun } from './timed-run.js';

const TABLE = [
  'length: each guest at two lengths, plain runs; fixed s = a run\'s time apart from its instructions and',
  '  MIPS = speed after it, from the line through the two wall times of each repetition (medians); from',
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
  const notes: string[] = [];
  if (!existsSync(ctx.cliPath)) problems.push(`${pair.short.name}: rvreplay CLI not found at ${ctx.cliPath} (npm run build)`);
  if (ctx.qemuPath === undefined) notes.push('QEMU (qemu-system-riscv32) was not found: its columns are empty.');
  // Each repetition runs both lengths on both emulators within seconds, and fits its own lines:
  // this machine's speed drifts over minutes, and a line through a short run made in a slow
  // phase and a long one made in a fast phase says nothing.
  const guests = [pair.short, pair.long] as const;
  const ourRuns: RvreplayRun[][] = [[], []];
  const theirRuns: TimedRun[][] = [[], []];
  const ourLines: Line[] = [];
  const theirLines: Line[] = [];
  for (let rep = 0; rep < ctx.reps; rep++) {
    for (const [k, guest] of guests.entries()) {
      if (existsSync(ctx.cliPath)) ourRuns[k].push(await runRvreplay(ctx, ['run', guest.elf, '--stats']));
      if (ctx.qemuPath !== undefined) theirRuns[k].push(await runQemu(ctx, ctx.qemuPath, guest.elf));
    }
    const [ourShort, ourLong] = [ourRuns[0][rep], ourRuns[1][rep]];
    const [theirShort, theirLong] = [theirRuns[0][rep], theirRuns[1][rep]];
    ctx.log(`length ${pair.short.name} ${rep + 1}/${ctx.reps}: rvreplay ${secondsText([ourShort?.run, ourLong?.run])}, qemu ${secondsText([theirShort, theirLong])}`);
    // Instruction counts are ours; QEMU runs the same ones.
    const shortIcount = ourShort?.stats?.icount;
    const longIcount = ourLong?.stats?.icount;
    if (shortIcount === undefined || longIcount === undefined) continue;
    const ours = passed(ourShort.run) && passed(ourLong.run) ? lineThrough(shortIcount, ourShort.run.wallMs, longIcount, ourLong.run.wallMs) : undefined;
    if (ours !== undefined) ourLines.push(ours);
    const theirs = passed(theirShort) && passed(theirLong) ? lineThrough(shortIcount, theirShort.wallMs, longIcount, theirLong.wallMs) : undefined;
    if (theirs !== undefined) theirLines.push(theirs);
  }
  for (const [k, guest] of guests.entries()) {
    const expected = expectedOutput(guest);
    checkRuns(`${guest.name}: rvreplay`, ourRuns[k].map((r) => ({ ...r.run, stderr: r.otherStderr })), expected, problems);
    checkRuns(`${guest.name}: qemu`, theirRuns[k], expected, problems);
    const icounts = new Set(ourRuns[k].map((r) => r.stats?.icount));
    if (icounts.has(undefined)) problems.push(`${guest.name}: rvreplay printed no --stats line`);
    else if (icounts.size > 1) problems.push(`${guest.name}: instruction count differs between runs: ${[...icounts].join(', ')}`);
  }
  const ours = medianLine(ourLines);
  const theirs = medianLine(theirLines);
  const crossing = ours !== undefined && theirs !== undefined ? fasterFrom(ours, theirs) : undefined;
  return {
    table: TABLE,
    cells: [
      { header: 'guests', value: `${pair.short.name}, ${pair.long.name}`, align: 'left' },
      { header: 'instructions', value: guests.map((_, k) => grouped(ourRuns[k].find((r) => r.stats !== undefined)?.stats?.icount)).join(', ') },
      { header: 'rvreplay fixed s', value: fixed(seconds(ours?.fixedMs), 2) },
      { header: 'rvreplay MIPS', value: fixed(ours?.mips, 0) },
      { header: 'QEMU fixed s', value: fixed(seconds(theirs?.fixedMs), 2) },
      { header: 'QEMU MIPS', value: fixed(theirs?.mips, 0) },
      { header: 'faster from', value: ours === undefined || theirs === undefined ? '-' : crossing === undefined ? 'never' : grouped(crossing) },
    ],
    problems,
    notes,
  };
}

/** The median fixed cost and the median speed of the repetitions' lines. */
function medianLine(lines: readonly Line[]): Line | undefined {
  return lines.length === 0 ? undefined : { fixedMs: median(lines.map((l) => l.fixedMs)), mips: median(lines.map((l) => l.mips)) };
}

/** True when the run exited 0 (a run that failed has no time worth fitting). */
function passed(run: TimedRun | undefined): run is TimedRun {
  return run !== undefined && run.exitCode === 0;
}

function secondsText(runs: readonly (TimedRun | undefined)[]): string {
  return runs.map((r) => (r === undefined ? '-' : `${(r.wallMs / 1000).toFixed(2)} s`)).join(' / ');
}
