// Case "run/<guest>": the guest on `rvreplay run --stats` and on QEMU, alternating, `reps` times
// each (plain-runs.ts measures them, once, for this case and rr/<guest>). Checks that every run passed (exit 0), printed the same bytes as every other and as the
// guest's .expected file, and that our instruction count did not vary; reports medians.
import { existsSync } from 'node:fs';
import type { BenchCase, BenchContext, CaseResult, Cell } from './case.js';
import { fixed, grouped, median, mips, pairedRatio, seconds, times } from './figures.js';
import type { BenchGuest } from './guests.js';
import { plainRuns } from './plain-runs.js';
import { checkRuns, expectedOutput, quote } from './run-checks.js';

const TABLE = [
  'run: `rvreplay run` vs `qemu-system-riscv32 -icount shift=0`, median wall time of whole processes',
  '  MIPS = instructions / wall time; core MIPS = the CLI\'s own figure for emulation alone;',
  '  QEMU s / ours = the median of each repetition\'s ratio (ours, then QEMU\'s); > 1 means rvreplay is faster',
].join('\n');

export function runVsQemuCase(guest: BenchGuest): BenchCase {
  return { name: `run/${guest.name}`, run: (ctx) => measure(ctx, guest) };
}

async function measure(ctx: BenchContext, guest: BenchGuest): Promise<CaseResult> {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!existsSync(ctx.cliPath)) problems.push(`${guest.name}: rvreplay CLI not found at ${ctx.cliPath} (npm run build)`);
  if (ctx.qemuPath === undefined) notes.push('QEMU (qemu-system-riscv32) was not found: its columns are empty.');
  const { ours, theirs } = await plainRuns(ctx, guest);

  const expected = expectedOutput(guest);
  if (expected === undefined) notes.push(`${guest.name}: no ${guest.expected}; output checked against QEMU only.`);
  // The stats line is not worth quoting in a failure; whatever else the CLI said is.
  checkRuns(`${guest.name}: rvreplay`, ours.map((r) => ({ ...r.run, stderr: r.otherStderr })), expected, problems);
  checkRuns(`${guest.name}: qemu`, theirs, expected, problems);
  if (ours.length > 0 && theirs.length > 0 && ours[0].run.stdout !== theirs[0].stdout) {
    problems.push(`${guest.name}: rvreplay printed ${quote(ours[0].run.stdout)} but QEMU printed ${quote(theirs[0].stdout)}`);
  }

  const icounts = new Set(ours.map((r) => r.stats?.icount));
  if (ours.some((r) => r.stats === undefined)) {
    problems.push(`${guest.name}: rvreplay printed no --stats line (stderr: ${quote(ours.find((r) => r.stats === undefined)?.run.stderr ?? '')})`);
  } else if (icounts.size > 1) {
    problems.push(`${guest.name}: instruction count differs between runs: ${[...icounts].join(', ')}`);
  }

  const icount = ours.find((r) => r.stats !== undefined)?.stats?.icount;
  const ourMs = ours.length > 0 ? median(ours.map((r) => r.run.wallMs)) : undefined;
  const qemuMs = theirs.length > 0 ? median(theirs.map((r) => r.wallMs)) : undefined;
  const coreMips = ours.length > 0 && ours.every((r) => r.stats) ? median(ours.map((r) => r.stats?.coreMips ?? NaN)) : undefined;
  const ourRss = ours.length > 0 && ours.every((r) => r.peakRssMib !== undefined) ? median(ours.map((r) => r.peakRssMib ?? NaN)) : undefined;
  const qemuRss = theirs.every((r) => r.sampledPeakRssKib !== undefined) && theirs.length > 0
    ? median(theirs.map((r) => (r.sampledPeakRssKib ?? NaN) / 1024)) : undefined;
  const cells: Cell[] = [
    { header: 'guest', value: guest.name, align: 'left' },
    { header: 'instructions', value: grouped(icount) },
    { header: 'rvreplay s', value: fixed(seconds(ourMs), 2) },
    { header: 'MIPS', value: fixed(mips(icount, ourMs), 1) },
    { header: 'core MIPS', value: fixed(coreMips, 1) },
    { header: 'RSS MiB', value: fixed(ourRss, 0) },
    { header: 'QEMU s', value: fixed(seconds(qemuMs), 2) },
    { header: 'QEMU MIPS', value: fixed(mips(icount, qemuMs), 1) },
    { header: 'QEMU RSS MiB', value: fixed(qemuRss, 0) },
    { header: 'QEMU s / ours', value: times(pairedRatio(ours.map((r, i) => [theirs[i]?.wallMs, r.run.wallMs]))) },
  ];
  return { table: TABLE, cells, problems, notes };
}
