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
import { quote } from './run-checks.js';
import { runRvreplay } from './rvreplay.js';
import { describeEnd } from './timed-run.js';

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
  const ourLines: Line[] = [];
  const theirLines: Line[] = [];
  const icounts = { short: new Set<number>(), long: new Set<number>() };
  let oursBroken = !existsSync(ctx.cliPath); // a failed run is reported once, not run again
  for (let rep = 1; rep <= ctx.reps; rep++) {
    const ms = { ours: [0, 0], theirs: [0, 0] };
    let failed = false;
    for (const [k, guest] of [pair.short, pair.long].entries()) {
      if (!oursBroken) {
        const r = await runRvreplay(ctx, ['run', guest.elf, '--stats']);
        if (r.run.exitCode !== 0 || r.stats === undefined) {
          oursBroken = true;
          problems.push(`${guest.name}: rvreplay ${describeEnd(r.run)}${r.otherStderr === '' ? '' : ` (stderr: ${quote(r.otherStderr)})`}`);
        } else {
          (k === 0 ? icounts.short : icounts.long).add(r.stats.icount);
          ms.ours[k] = r.run.wallMs;
        }
      }
      if (ctx.qemuPath !== undefined) {
        const q = await runQemu(ctx, ctx.qemuPath, guest.elf);
        if (q.exitCode !== 0) {
          problems.push(`${guest.name}: qemu ${describeEnd(q)}`);
          failed = true;
        }
        ms.theirs[k] = q.wallMs;
      }
    }
    ctx.log(`length ${pair.short.name} ${rep}/${ctx.reps}: rvreplay ${secondsText(ms.ours)}, qemu ${secondsText(ms.theirs)}`);
    const shortIcount = [...icounts.short][0];
    const longIcount = [...icounts.long][0];
    if (shortIcount === undefined || longIcount === undefined) continue;
    const ours = oursBroken ? undefined : lineThrough(shortIcount, ms.ours[0], longIcount, ms.ours[1]);
    if (ours !== undefined) ourLines.push(ours);
    const theirs = failed || ctx.qemuPath === undefined ? undefined : lineThrough(shortIcount, ms.theirs[0], longIcount, ms.theirs[1]);
    if (theirs !== undefined) theirLines.push(theirs);
  }
  for (const [name, set] of [[pair.short.name, icounts.short], [pair.long.name, icounts.long]] as const) {
    if (set.size > 1) problems.push(`${name}: instruction count differs between runs: ${[...set].join(', ')}`);
  }
  const ours = medianLine(ourLines);
  const theirs = medianLine(theirLines);
  const crossing = ours !== undefined && theirs !== undefined ? fasterFrom(ours, theirs) : undefined;
  return {
    table: TABLE,
    cells: [
      { header: 'guests', value: `${pair.short.name}, ${pair.long.name}`, align: 'left' },
      { header: 'instructions', value: `${grouped([...icounts.short][0])}, ${grouped([...icounts.long][0])}` },
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

function secondsText(ms: readonly number[]): string {
  return ms.map((m) => (m === 0 ? '-' : `${(m / 1000).toFixed(2)} s`)).join(' / ');
}
