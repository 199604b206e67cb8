// Case "rr/<guest>": record and replay against a plain run, ours and QEMU's, on the same guest
// in the same bench. Two rows: wall times with record overhead and replay speed (table "rr"),
// and the size of the log per million instructions (table "rr log"). Our failures fail the
// bench; QEMU's only become notes, and its missing figures stay empty while ours are kept.
import { existsSync } from 'node:fs';
import type { BenchCase, BenchContext, CaseResult } from './case.js';
import { fixed, grouped, median, pairedRatio, percent, seconds, times } from './figures.js';
import type { BenchGuest } from './guests.js';
import { plainRuns } from './plain-runs.js';
import { checkOurRr, noteQemuRr } from './rr-checks.js';
import { measureRr } from './rr-runs.js';
import { expectedOutput } from './run-checks.js';
import type { TimedRun } from './timed-run.js';

const TIME_TABLE = [
  'rr: `rvreplay record|replay` vs `qemu-system-riscv32 -icount shift=0,rr=record|replay`, median wall time',
  '  of whole processes; plain = a plain run made just before each recording. The ratios are medians of',
  '  each repetition\'s ratio, of runs made beside each other: overhead = record / plain - 1 (target',
  '  <= 10 %); replay speed = plain / replay (target >= 1.00x); QEMU record / ours = QEMU\'s recording',
  '  time over ours (target >= 1.00x)',
].join('\n');

const LOG_TABLE = [
  'rr log: size of one recording (median); B/M = bytes per million instructions, our count for both;',
  '  events = ours, from `rvreplay info`; QEMU\'s own reference: ~15 KB for 700 M instructions and',
  '  700 timer interrupts (~21 B/M)',
].join('\n');

export function rrVsQemuCase(guest: BenchGuest): BenchCase {
  return { name: `rr/${guest.name}`, run: (ctx) => measure(ctx, guest) };
}

async function measure(ctx: BenchContext, guest: BenchGuest): Promise<CaseResult[]> {
  const problems: string[] = [];
  const notes: string[] = [];
  if (!existsSync(ctx.cliPath)) problems.push(`${guest.name}: rvreplay CLI not found at ${ctx.cliPath} (npm run build)`);
  if (ctx.qemuPath === undefined) notes.push('QEMU (qemu-system-riscv32) was not found: its columns are empty.');
  const plain = await plainRuns(ctx, guest);
  const rr = await measureRr(ctx, guest, medianMs(plain.theirs));
  const expected = expectedOutput(guest);
  checkOurRr(guest.name, rr, plain, expected, problems);
  noteQemuRr(guest.name, rr, expected, notes);

  const icount = rr.ours.find((r) => r.record.stats !== undefined)?.record.stats?.icount;
  const ours = {
    plain: medianMs(rr.ours.map((r) => r.plain.run)),
    record: medianMs(rr.ours.map((r) => r.record.run)),
    replay: medianMs(rr.ours.map((r) => r.replay.run)),
  };
  // QEMU's medians count only the runs that passed, so one failed replay leaves its column empty.
  const theirs = {
    plain: medianMs(rr.theirs.map((r) => r.plain)),
    record: medianMs(rr.theirs.map((r) => r.record)),
    replay: medianMs(rr.theirs.flatMap((r) => (r.replay === undefined ? [] : [r.replay]))),
  };
  const timeRow: CaseResult = {
    table: TIME_TABLE,
    cells: [
      { header: 'guest', value: guest.name, align: 'left' },
      { header: 'instructions', value: grouped(icount) },
      { header: 'plain s', value: fixed(seconds(ours.plain), 2) },
      { header: 'record s', value: fixed(seconds(ours.record), 2) },
      { header: 'replay s', value: fixed(seconds(ours.replay), 2) },
      { header: 'overhead', value: percent(pairedRatio(rr.ours.map((r) => [passed(r.record.run), passed(r.plain.run)])) - 1) },
      { header: 'replay speed', value: times(pairedRatio(rr.ours.map((r) => [passed(r.plain.run), passed(r.replay.run)]))) },
      { header: 'QEMU plain s', value: fixed(seconds(theirs.plain), 2) },
      { header: 'QEMU record s', value: fixed(seconds(theirs.record), 2) },
      { header: 'QEMU replay s', value: fixed(seconds(theirs.replay), 2) },
      { header: 'QEMU overhead', value: percent(pairedRatio(rr.theirs.map((r) => [passed(r.record), passed(r.plain)])) - 1) },
      { header: 'QEMU replay speed', value: times(pairedRatio(rr.theirs.map((r) => [passed(r.plain), passed(r.replay)]))) },
      { header: 'QEMU record / ours', value: times(pairedRatio(rr.ours.map((r, i) => [passed(rr.theirs[i]?.record), passed(r.record.run)]))) },
    ],
    problems,
    notes,
  };

  // Sizes may differ by a few bytes between recordings (chunks are flushed by wall time).
  const ourBytes = roundOff(medianOf(rr.ours.map((r) => r.logBytes)));
  const qemuBytes = roundOff(medianOf(rr.theirs.map((r) => r.logBytes)));
  const logRow: CaseResult = {
    table: LOG_TABLE,
    cells: [
      { header: 'guest', value: guest.name, align: 'left' },
      { header: 'instructions', value: grouped(icount) },
      { header: 'events', value: grouped(rr.events?.total) },
      { header: 'interrupts', value: grouped(rr.events === undefined ? undefined : rr.events.byKind.get('interrupt') ?? 0) },
      { header: 'log bytes', value: grouped(ourBytes) },
      { header: 'B/M', value: rate(perMillion(ourBytes, icount)) },
      { header: 'QEMU log bytes', value: grouped(qemuBytes) },
      { header: 'QEMU B/M', value: rate(perMillion(qemuBytes, icount)) },
      { header: 'QEMU / ours', value: times(ratio(qemuBytes, ourBytes)) },
    ],
    problems: [],
    notes: [],
  };
  return [timeRow, logRow];
}

/** A run's wall time if it exited 0. */
function passed(run: TimedRun | undefined): number | undefined {
  return run !== undefined && run.exitCode === 0 ? run.wallMs : undefined;
}

/** Median wall time of the runs that exited 0; undefined when none did. */
function medianMs(runs: readonly TimedRun[]): number | undefined {
  return medianOf(runs.filter((r) => r.exitCode === 0).map((r) => r.wallMs));
}

function medianOf(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined);
  return known.length === 0 ? undefined : median(known);
}

function roundOff(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.round(value);
}

/** a / b, NaN (printed as "-") when either is missing. */
function ratio(a: number | undefined, b: number | undefined): number {
  return a === undefined || b === undefined || b === 0 ? NaN : a / b;
}

/** Bytes per million instructions: a decimal where it is small, whole and grouped where not. */
function rate(value: number | undefined): string {
  return value !== undefined && value >= 100 ? grouped(Math.round(value)) : fixed(value, 1);
}

function perMillion(bytes: number | undefined, icount: number | undefined): number | undefined {
  return bytes === undefined || icount === undefined || icount === 0 ? undefined : bytes / (icount / 1e6);
}
