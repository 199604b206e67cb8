// Checks shared by the cases: a set of runs of one program all passed and printed the same
// bytes, and those bytes are the guest's expected output. Problems are sentences for the table.
import { existsSync, readFileSync } from 'node:fs';
import type { BenchGuest } from './guests.js';
import { describeEnd, type TimedRun } from './timed-run.js';

/** The guest's .expected output, or undefined when the file is missing. */
export function expectedOutput(guest: BenchGuest): string | undefined {
  return existsSync(guest.expected) ? readFileSync(guest.expected, 'latin1') : undefined;
}

/** Every run exited 0 and printed the same bytes as the first, and as `expected` if given. */
export function checkRuns(who: string, runs: readonly TimedRun[], expected: string | undefined, problems: string[]): void {
  for (const [i, run] of runs.entries()) {
    if (run.exitCode !== 0) {
      problems.push(`${who} run ${i + 1}: ${describeEnd(run)}${run.stderr.trim() ? ` (stderr: ${quote(run.stderr)})` : ''}`);
    }
    if (i > 0 && run.stdout !== runs[0].stdout) problems.push(`${who} run ${i + 1} printed ${quote(run.stdout)}, run 1 ${quote(runs[0].stdout)}`);
  }
  if (runs.length > 0 && expected !== undefined && runs[0].stdout !== expected) {
    problems.push(`${who} printed ${quote(runs[0].stdout)}, expected ${quote(expected)}`);
  }
}

/** Output quoted for a problem report; long outputs (the serial guest's) are clipped. */
export function quote(text: string): string {
  const clipped = text.length > 200 ? `${text.slice(0, 200)}…` : text;
  return JSON.stringify(clipped);
}
