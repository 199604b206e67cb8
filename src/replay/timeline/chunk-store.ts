// The chunks of a log as the timeline reads them: each chunk is decoded at most once for its
// summary (kept for the life of the store) and again only when the details of a dense lane are
// needed (a few decoded chunks are kept, least recently used first out). A chunk that fails to
// decode ends the readable log there, as it does for the log reader.

import { LogError } from '../log/log-error.js';
import { decodeChunk, readChunkHeader } from '../log/log-chunk.js';
import type { LogChunk, LogReader } from '../log/log-reader.js';
import type { LogEvent } from '../../shared/log-events.js';
import type { LaneId } from '../../shared/timeline-protocol.js';
import { summarizeChunk, type ChunkSummary } from './chunk-summary.js';
import { laneOfEvent } from './lane-of-event.js';

/** Decoded chunks kept for details: a window at fine zoom overlaps one or two. */
const DECODED_KEPT = 4;

export class ChunkStore {
  /** Chunk payloads decoded so far (tests check that a window decodes only what it overlaps). */
  chunksDecoded = 0;
  private readonly summaries: (ChunkSummary | undefined)[];
  private readonly decodedCache = new Map<number, LogEvent[]>();
  /** The decoded chunks' events grouped by lane, for those still in decodedCache. */
  private readonly byLaneCache = new Map<number, Map<LaneId, LogEvent[]>>();
  /** Chunks from this index on are unreadable (a damaged chunk was found here). */
  private readableEnd: number;
  private damageNote: string | undefined;

  constructor(
    readonly reader: LogReader,
    private readonly bytes: Uint8Array,
    /** Summaries from a previous store over the same log (before it grew), by chunk index. */
    reuse: readonly (ChunkSummary | undefined)[] = [],
  ) {
    this.summaries = reader.chunks.map((_, i) => reuse[i]);
    this.readableEnd = reader.chunks.length;
  }

  /** The chunks that can be read, in icount order. */
  get chunks(): readonly LogChunk[] {
    return this.readableEnd === this.reader.chunks.length ? this.reader.chunks : this.reader.chunks.slice(0, this.readableEnd);
  }

  /** Damage found while decoding (the reader's own report covers damage found at open). */
  get damage(): string | undefined {
    return this.damageNote;
  }

  /** The summaries built so far, by chunk index (for a store over the grown log to reuse). */
  get builtSummaries(): readonly (ChunkSummary | undefined)[] {
    return this.summaries;
  }

  /** The summary of chunk i, decoding it the first time; undefined when it cannot be read. */
  summary(i: number): ChunkSummary | undefined {
    if (i >= this.readableEnd) return undefined;
    let s = this.summaries[i];
    if (s === undefined) {
      const events = this.decoded(i);
      if (events === undefined) return undefined;
      s = this.summaries[i] = summarizeChunk(events);
    }
    return s;
  }

  /** Summarizes every chunk (what the lane list and lane counts need). */
  summarizeAll(): void {
    for (let i = 0; i < this.readableEnd; i++) this.summary(i);
  }

  /** The decoded events of chunk i, framing stamp first; undefined when it cannot be read. */
  decoded(i: number): LogEvent[] | undefined {
    if (i >= this.readableEnd) return undefined;
    const kept = this.decodedCache.get(i);
    if (kept !== undefined) {
      this.decodedCache.delete(i);
      this.decodedCache.set(i, kept);
      return kept;
    }
    this.chunksDecoded++;
    let events: LogEvent[];
    try {
      events = decodeChunk(this.bytes, readChunkHeader(this.bytes, this.reader.chunks[i].offset));
    } catch (e) {
      if (!(e instanceof LogError)) throw e;
      this.readableEnd = i;
      this.damageNote = `chunk ${i} cannot be read (${e.message}); the timeline ends before it`;
      return undefined;
    }
    this.decodedCache.set(i, events);
    if (this.decodedCache.size > DECODED_KEPT) {
      const oldest = this.decodedCache.keys().next().value!;
      this.decodedCache.delete(oldest);
      this.byLaneCache.delete(oldest);
    }
    return events;
  }

  /** The events of one lane in chunk i, in order (a dense lane's summary keeps only icounts). */
  laneEvents(i: number, lane: LaneId): LogEvent[] {
    const events = this.decoded(i);
    if (events === undefined) return [];
    let byLane = this.byLaneCache.get(i);
    if (byLane === undefined) {
      byLane = new Map();
      for (let k = 1; k < events.length; k++) {
        const id = laneOfEvent(events[k]);
        if (id === undefined) continue;
        const list = byLane.get(id);
        if (list === undefined) byLane.set(id, [events[k]]);
        else list.push(events[k]);
      }
      this.byLaneCache.set(i, byLane);
    }
    return byLane.get(lane) ?? [];
  }

  /** The first chunk whose last icount is at or after `icount` (the first that can hold it). */
  firstChunkEndingAtOrAfter(icount: number): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (chunks[mid].lastIcount < icount) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
