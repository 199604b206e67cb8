// What `rvreplay info` (and later the timeline's overview) needs from a whole log in one pass:
// the icount span, how many events of each kind, the snapshots named, where it ended. Reading
// every chunk also finds any damage that an index let the reader skip at open.

import { EventKind } from '../../shared/log-events.js';
import type { LogDamage, LogReader } from './log-reader.js';

export interface LogSummary {
  /** Icount of the first and last readable event; undefined when none is readable. */
  firstIcount?: number;
  lastIcount?: number;
  /** Readable events, framing stamps not counted. */
  events: number;
  /** Events per EventKind code, in code order, only kinds that occur. */
  counts: Map<number, number>;
  snapshots: { name: string; icount: number }[];
  /** Icount of the End event, when the log has one. */
  endIcount?: number;
  damage?: LogDamage;
}

export function summarizeLog(reader: LogReader): LogSummary {
  const counts = new Map<number, number>();
  const snapshots: { name: string; icount: number }[] = [];
  let events = 0;
  let firstIcount: number | undefined;
  let lastIcount: number | undefined;
  for (const e of reader.events()) {
    events++;
    firstIcount ??= e.icount;
    lastIcount = e.icount;
    counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    if (e.kind === EventKind.Snapshot) snapshots.push({ name: e.name, icount: e.icount });
  }
  // The pass decoded every chunk up to the first damaged one (where it stopped), so the damage
  // the reader reports now is the first in the file.
  return {
    firstIcount, lastIcount, events,
    counts: new Map([...counts].sort((a, b) => a[0] - b[0])),
    snapshots, endIcount: reader.endIcount, damage: reader.damage,
  };
}
