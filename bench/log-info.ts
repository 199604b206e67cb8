// Reads what `rvreplay info <log>` says about a log's events, for the log-size table: the total
// and the count per kind ("interrupt", "serial-out", "digest", ...). Its text is made for
// people, so this parses only the two labelled fields it needs and tolerates their absence.
import type { BenchContext } from './case.js';
import { runRvreplay } from './rvreplay.js';

export interface LogEvents {
  total: number;
  byKind: Map<string, number>;
}

export async function logEvents(ctx: BenchContext, rrfile: string): Promise<LogEvents | undefined> {
  const { run } = await runRvreplay(ctx, ['info', rrfile]);
  return run.exitCode === 0 ? parseInfo(run.stdout) : undefined;
}

/** `events     5107, from icount ...` and the `kinds` block: one `kind  count` per line. */
export function parseInfo(text: string): LogEvents | undefined {
  const total = /^events\s+(\d+)/m.exec(text);
  if (!total) return undefined;
  const byKind = new Map<string, number>();
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('kinds'));
  for (let i = start; start >= 0 && i < lines.length; i++) {
    const m = /^(?:kinds)?\s+([a-z][a-z-]*)\s+(\d+)\s*$/.exec(lines[i]);
    if (!m) break;
    byKind.set(m[1], Number(m[2]));
  }
  return { total: Number(total[1]), byKind };
}
