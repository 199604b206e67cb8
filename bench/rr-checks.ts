// What must hold of our record and replay runs (problems: the bench fails), and what is worth
// saying about QEMU's (notes only: QEMU is the reference, and its rr has known rough edges).
import { median } from './figures.js';
import { checkRuns, quote } from './run-checks.js';
import type { PlainRuns } from './plain-runs.js';
import type { RrRuns } from './rr-runs.js';
import { describeEnd, type TimedRun } from './timed-run.js';

/** A QEMU replay this many times slower than its recording is worth a note. */
const SLOW_REPLAY_RATIO = 1.5;

/**
 * Ours: every plain run beside a recording, record and replay exited 0 with the expected output;
 * each replay counted the instructions its recording did, and recording did not change the count
 * of a plain run.
 */
export function checkOurRr(name: string, runs: RrRuns, plain: PlainRuns, expected: string | undefined, problems: string[]): void {
  const withoutStats = (r: { run: TimedRun; otherStderr: string }): TimedRun => ({ ...r.run, stderr: r.otherStderr });
  checkRuns(`${name}: rvreplay run (beside the recordings)`, runs.ours.map((r) => withoutStats(r.plain)), expected, problems);
  checkRuns(`${name}: rvreplay record`, runs.ours.map((r) => withoutStats(r.record)), expected, problems);
  checkRuns(`${name}: rvreplay replay`, runs.ours.map((r) => withoutStats(r.replay)), expected, problems);
  const plainIcount = plain.ours.find((r) => r.stats !== undefined)?.stats?.icount;
  for (const [i, rep] of runs.ours.entries()) {
    const which = `${name}: rvreplay rep ${i + 1}`;
    if (rep.logBytes === undefined) problems.push(`${which}: record wrote no log`);
    if (expected === undefined && rep.replay.run.stdout !== rep.record.run.stdout) {
      problems.push(`${which}: replay printed ${quote(rep.replay.run.stdout)}, record ${quote(rep.record.run.stdout)}`);
    }
    const recorded = rep.record.stats?.icount;
    const replayed = rep.replay.stats?.icount;
    if (recorded === undefined || replayed === undefined) {
      problems.push(`${which}: no --stats line from ${recorded === undefined ? 'record' : 'replay'}`);
    } else if (replayed !== recorded) {
      problems.push(`${which}: replay ran ${replayed} instructions, the recording ${recorded}`);
    } else if (plainIcount !== undefined && recorded !== plainIcount) {
      problems.push(`${which}: recording ran ${recorded} instructions, a plain run ${plainIcount}`);
    }
  }
}

/** QEMU: failures, wrong output, missing or unstable logs, and replays far slower than records. */
export function noteQemuRr(name: string, runs: RrRuns, expected: string | undefined, notes: string[]): void {
  const who = `QEMU rr, ${name}`;
  for (const [i, rep] of runs.theirs.entries()) {
    for (const [mode, run] of [['record', rep.record], ['replay', rep.replay]] as const) {
      if (run === undefined) {
        notes.push(`${who}: replay ${i + 1} skipped, the recording failed`);
      } else if (run.timedOut) {
        notes.push(`${who}: ${mode} ${i + 1} did not finish in ${(rep.timeoutMs / 1000).toFixed(0)} s and was killed${run.stdout ? ` after printing ${run.stdout.length} bytes` : ''}; its times are left out`);
      } else if (run.exitCode !== 0) {
        notes.push(`${who}: ${mode} ${i + 1} failed, ${describeEnd(run)}${run.stderr.trim() ? ` (stderr: ${quote(run.stderr.trim())})` : ''}; its times are left out`);
      } else if (expected !== undefined && run.stdout !== expected) {
        notes.push(`${who}: ${mode} ${i + 1} printed ${quote(run.stdout)}, expected ${quote(expected)}`);
      } else if (run.stderr.trim() !== '') {
        notes.push(`${who}: ${mode} ${i + 1} said ${quote(run.stderr.trim())}`);
      }
    }
    if (rep.record.exitCode === 0 && rep.logBytes === undefined) notes.push(`${who}: record ${i + 1} wrote no log`);
  }
  const sizes = runs.theirs.flatMap((r) => (r.logBytes === undefined ? [] : [r.logBytes]));
  if (new Set(sizes).size > 1) {
    notes.push(`${who}: the log size varied between recordings of the same guest (${Math.min(...sizes)} to ${Math.max(...sizes)} bytes)`);
  }
  const passed = runs.theirs.flatMap((r) => (r.record.exitCode === 0 && r.replay?.exitCode === 0 ? [{ record: r.record, replay: r.replay }] : []));
  if (passed.length > 0) {
    const ratio = median(passed.map((r) => r.replay.wallMs / r.record.wallMs));
    if (ratio >= SLOW_REPLAY_RATIO) notes.push(`${who}: replay took ${ratio.toFixed(1)}x as long as the recording (median)`);
  }
}
