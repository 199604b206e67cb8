// What the timeline keeps of one decoded chunk: for each lane, the sorted icounts of its events
// (so counting a range is two binary searches), the byte counts of serial events (for the console's
// byte offsets), and the events themselves when the lane has few of them in the chunk (so a sparse
// lane's details over a wide window need no decoding). Eight bytes per event, plus the few kept.

import { EventKind, type LogEvent } from '../../shared/log-events.js';
import type { LaneId } from '../../shared/timeline-protocol.js';
import { laneOfEvent } from './lane-of-event.js';

/** A lane keeps its events in the summary when a chunk holds at most this many of them. */
export const SPARSE_EVENTS = 256;

export interface LaneColumn {
  /** Icounts of the lane's events in this chunk, in order. */
  icounts: Float64Array;
  /** Serial lanes: the bytes of each event (a SerialWrite's count, a SerialInput's length). */
  sizes?: Float64Array;
  /** Serial lanes: each event's position in the chunk, so output and input that share an icount
   * interleave in log order (either can come first). */
  order?: Uint32Array;
  /** The events, when there are at most SPARSE_EVENTS. */
  events?: LogEvent[];
}

export interface ChunkSummary {
  lanes: Map<LaneId, LaneColumn>;
}

/** Summarizes a decoded chunk (its leading IcountStamp, framing, is skipped). Two passes, with
 * one map lookup per event and no allocation per event: number the lanes and count, then fill. */
export function summarizeChunk(events: readonly LogEvent[]): ChunkSummary {
  const ids: LaneId[] = [];
  const index = new Map<LaneId, number>();
  const laneOf = new Int32Array(events.length).fill(-1);
  const counts: number[] = [];
  for (let i = 1; i < events.length; i++) {
    const lane = laneOfEvent(events[i]);
    if (lane === undefined) continue;
    let k = index.get(lane);
    if (k === undefined) {
      index.set(lane, (k = ids.length));
      ids.push(lane);
      counts.push(0);
    }
    laneOf[i] = k;
    counts[k]++;
  }
  const columns: LaneColumn[] = counts.map((n) => ({ icounts: new Float64Array(n), events: n <= SPARSE_EVENTS ? [] : undefined }));
  const filled = new Array<number>(ids.length).fill(0);
  for (let i = 1; i < events.length; i++) {
    const k = laneOf[i];
    if (k < 0) continue;
    const column = columns[k];
    const at = filled[k]++;
    const e = events[i];
    column.icounts[at] = e.icount;
    column.events?.push(e);
    if (e.kind === EventKind.SerialWrite || e.kind === EventKind.SerialInput) {
      column.sizes ??= new Float64Array(column.icounts.length);
      column.order ??= new Uint32Array(column.icounts.length);
      column.sizes[at] = serialBytes(e);
      column.order[at] = i;
    }
  }
  return { lanes: new Map(ids.map((id, k) => [id, columns[k]])) };
}

/** The bytes a serial event stands for; 0 for any other event. */
export function serialBytes(e: LogEvent): number {
  if (e.kind === EventKind.SerialWrite) return e.count;
  if (e.kind === EventKind.SerialInput) return e.bytes.length;
  return 0;
}
