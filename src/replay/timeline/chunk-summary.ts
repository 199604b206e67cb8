// What the timeline keeps of one chunk: for each lane, the sorted icounts of its events (so
// counting a range is two binary searches), each event's offset in the chunk's payload (where one
// event is read whole when a window lists it, and its place in log order), and the byte counts of
// serial events (for the console's byte offsets). Built by skimming the payload, which checks it
// as decoding does but builds no event: twelve bytes per event, and no objects.

import type { ChunkHeader } from '../log/log-chunk.js';
import { skimChunk } from '../log/log-chunk.js';
import { EventKind } from '../../shared/log-events.js';
import { LaneKind, type LaneId } from '../../shared/timeline-protocol.js';
import { laneOfKind } from './lane-of-event.js';

export interface LaneColumn {
  /** Icounts of the lane's events in this chunk, in order. */
  icounts: Float64Array;
  /** Each event's offset in the chunk's payload, so also its place in log order: output and
   * input that share an icount interleave by it (either can come first). */
  offsets: Uint32Array;
  /** Serial lanes: the bytes of each event (a SerialWrite's count, a SerialInput's length). */
  sizes?: Float64Array;
}

export interface ChunkSummary {
  lanes: Map<LaneId, LaneColumn>;
}

/** Summarizes the chunk `h` of `bytes` (its leading IcountStamp, framing, is skipped). Throws
 * LogError as decodeChunk does for a damaged chunk. */
export function summarizeChunk(bytes: Uint8Array, h: ChunkHeader): ChunkSummary {
  const ids: LaneId[] = [];
  const counts: number[] = [];
  // Lane numbers by event kind, and by cause for interrupts (one lane each): numeric lookups, as
  // this runs once per event of the whole log.
  const byKind = new Int32Array(256).fill(-2);
  const byCause = new Map<number, number>();
  const { laneOf, icounts, offsets, values } = scratchFor(h.count);
  laneOf.fill(-1, 0, h.count);
  const index = new Map<LaneId, number>();
  // Several kinds share a lane (clock reads, entropy and timer callbacks).
  const number = (lane: LaneId): number => {
    let k = index.get(lane);
    if (k === undefined) {
      index.set(lane, (k = ids.length));
      ids.push(lane);
      counts.push(0);
    }
    return k;
  };
  skimChunk(bytes, h, (e, offset, i) => {
    let k: number;
    if (e.kind === EventKind.Interrupt) {
      k = byCause.get(e.value) ?? -2;
      if (k === -2) byCause.set(e.value, (k = number(laneOfKind(e.kind, e.value)!)));
    } else {
      k = byKind[e.kind];
      if (k === -2) {
        const lane = laneOfKind(e.kind, e.value);
        byKind[e.kind] = k = lane === undefined ? -1 : number(lane);
      }
      if (k < 0) return;
    }
    laneOf[i] = k;
    counts[k]++;
    icounts[i] = e.icount;
    offsets[i] = offset;
    values[i] = e.value;
  });
  const columns: LaneColumn[] = counts.map((n, k) => {
    // The serial lanes hold SerialWrite and SerialInput events, whose skimmed value is their size.
    const serial = ids[k] === LaneKind.SerialOut || ids[k] === LaneKind.SerialIn;
    return { icounts: new Float64Array(n), offsets: new Uint32Array(n), sizes: serial ? new Float64Array(n) : undefined };
  });
  const filled = new Array<number>(ids.length).fill(0);
  for (let i = 0; i < h.count; i++) {
    const k = laneOf[i];
    if (k < 0) continue;
    const column = columns[k];
    const at = filled[k]++;
    column.icounts[at] = icounts[i];
    column.offsets[at] = offsets[i];
    if (column.sizes !== undefined) column.sizes[at] = values[i];
  }
  return { lanes: new Map(ids.map((id, k) => [id, columns[k]])) };
}

/** Per-event working arrays, kept between chunks: summarizing a whole log would otherwise make
 * tens of megabytes of garbage. */
let scratch = { laneOf: new Int32Array(0), icounts: new Float64Array(0), offsets: new Uint32Array(0), values: new Float64Array(0) };

function scratchFor(events: number): typeof scratch {
  if (scratch.laneOf.length < events) {
    const n = Math.max(events, scratch.laneOf.length * 2);
    scratch = { laneOf: new Int32Array(n), icounts: new Float64Array(n), offsets: new Uint32Array(n), values: new Float64Array(n) };
  }
  return scratch;
}
