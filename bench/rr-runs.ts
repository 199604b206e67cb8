// Measures record and replay of one guest, ours and QEMU's, alternating `reps` times: each
// repetition makes a plain run (the baseline of record overhead and replay speed, taken beside
// the runs it is compared with: this machine's speed drifts by 20-30 % within minutes), records
// a fresh log, notes its size, replays it, and deletes it. Logs live in a temporary directory
// that is removed afterwards, whatever happened.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchContext } from './case.js';
import type { BenchGuest } from './guests.js';
import { logEvents, type LogEvents } from './log-info.js';
import { runQemu, runQemuRr } from './qemu.js';
import { runRvreplay, type RvreplayRun } from './rvreplay.js';
import type { TimedRun } from './timed-run.js';

export interface OurRrRep {
  plain: RvreplayRun;
  record: RvreplayRun;
  replay: RvreplayRun;
  /** Undefined when the recorder left no log. */
  logBytes: number | undefined;
}

export interface QemuRrRep {
  plain: TimedRun;
  record: TimedRun;
  /** Undefined when the recording failed, so there was nothing to replay. */
  replay: TimedRun | undefined;
  logBytes: number | undefined;
  /** What each run was allowed before it was killed. */
  timeoutMs: number;
}

export interface RrRuns {
  ours: OurRrRep[];
  theirs: QemuRrRep[];
  /** Events in our first log, per `rvreplay info`. */
  events: LogEvents | undefined;
}

/**
 * A QEMU record or replay that stalls (its rr has such failure modes) should cost the bench a
 * bounded time, not the full --timeout: allow it many times a plain run, and at least a minute.
 */
const QEMU_RR_SLACK = 20;
const QEMU_RR_MIN_MS = 60_000;

/** `qemuPlainMs`: QEMU's plain run of the guest, which bounds its record and replay runs. */
export async function measureRr(ctx: BenchContext, guest: BenchGuest, qemuPlainMs: number | undefined): Promise<RrRuns> {
  const qemuTimeoutMs = Math.min(ctx.timeoutMs, Math.max(QEMU_RR_MIN_MS, QEMU_RR_SLACK * (qemuPlainMs ?? Infinity)));
  const dir = mkdtempSync(join(tmpdir(), 'rvreplay-bench-'));
  const runs: RrRuns = { ours: [], theirs: [], events: undefined };
  try {
    for (let rep = 1; rep <= ctx.reps; rep++) {
      if (existsSync(ctx.cliPath)) {
        const rrfile = join(dir, `${guest.name}-${rep}.rr`);
        const r = await recordAndReplayOurs(ctx, guest, rrfile);
        if (rep === 1 && r.logBytes !== undefined) runs.events = await logEvents(ctx, rrfile);
        rmSync(rrfile, { force: true });
        ctx.log(`${guest.name}: rvreplay run ${rep}/${ctx.reps} ${secs(r.plain.run)}, record ${secs(r.record.run)}, replay ${secs(r.replay.run)}`);
        runs.ours.push(r);
      }
      if (ctx.qemuPath !== undefined) {
        const rrfile = join(dir, `${guest.name}-${rep}.qemu-rr`);
        const q = await recordAndReplayQemu(ctx, ctx.qemuPath, guest, rrfile, qemuTimeoutMs);
        rmSync(rrfile, { force: true });
        ctx.log(`${guest.name}: qemu run ${rep}/${ctx.reps} ${secs(q.plain)}, record ${secs(q.record)}, replay ${q.replay ? secs(q.replay) : 'skipped'}`);
        runs.theirs.push(q);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return runs;
}

async function recordAndReplayOurs(ctx: BenchContext, guest: BenchGuest, rrfile: string): Promise<OurRrRep> {
  const plain = await runRvreplay(ctx, ['run', guest.elf, '--stats']);
  const record = await runRvreplay(ctx, ['record', guest.elf, '--rrfile', rrfile, '--stats']);
  const logBytes = sizeOf(rrfile);
  const replay = await runRvreplay(ctx, ['replay', guest.elf, '--rrfile', rrfile, '--stats']);
  return { plain, record, replay, logBytes };
}

async function recordAndReplayQemu(ctx: BenchContext, qemuPath: string, guest: BenchGuest, rrfile: string, timeoutMs: number): Promise<QemuRrRep> {
  const plain = await runQemu(ctx, qemuPath, guest.elf);
  const record = await runQemuRr(qemuPath, guest.elf, 'record', rrfile, timeoutMs);
  // A killed recorder leaves a log QEMU cannot read ("invalid input log file version").
  const logBytes = record.exitCode === 0 ? sizeOf(rrfile) : undefined;
  const replay = record.exitCode === 0 ? await runQemuRr(qemuPath, guest.elf, 'replay', rrfile, timeoutMs) : undefined;
  return { plain, record, replay, logBytes, timeoutMs };
}

function sizeOf(path: string): number | undefined {
  return existsSync(path) ? statSync(path).size : undefined;
}

function secs(run: TimedRun): string {
  return `${(run.wallMs / 1000).toFixed(2)} s`;
}
