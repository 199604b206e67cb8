// The chunks of a log as the timeline reads them: each chunk is skimmed at most once for its
// summary (kept for the life of the store), and single events are read whole from it only when a
// window lists them or a tooltip describes one. A chunk that fails its checks ends the readable
// log there, as it does for the log reader.

import { LogError } from '../log/log-error.js';
import { decodeEventAt } from '../log/event-codec.js';
import { payloadReader, readChunkHeader, type ChunkHeader } from '../log/log-chunk.js';
import type { LogChunk, LogReader } from '../log/log-reader.js';
import type { LogEvent } from '../../shared/log-events.js';
import { summarizeChunk, type ChunkSummary, type LaneColumn } from './chunk-summary.js';

export class ChunkStore {
  /** Chunk payloads read so far (tests check that a window reads only what it overlaps). */
  chunksDecoded = 0;
  private readonly summaries: (ChunkSummary | undefined)[];
  private readonly headers: (ChunkHeader | undefined)[] = [];
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

  /** Damage found while reading (the reader's own report covers damage found at open). */
  get damage(): string | undefined {
    return this.damageNote;
  }

  /** The summaries built so far, by chunk index (for a store over the grown log to reuse). */
  get builtSummaries(): readonly (ChunkSummary | undefined)[] {
    return this.summaries;
  }

  /** The summary of chunk i, reading it the first time; undefined when it cannot be read. */
  summary(i: number): ChunkSummary | undefined {
    if (i >= this.readableEnd) return undefined;
    let s = this.summaries[i];
    if (s === undefined) {
      this.chunksDecoded++;
      try {
        s = this.summaries[i] = summarizeChunk(this.bytes, this.header(i));
      } catch (e) {
        if (!(e instanceof LogError)) throw e;
        this.readableEnd = i;
        this.damageNote = `chunk ${i} cannot be read (${e.message}); the timeline ends before it`;
        return undefined;
      }
    }
    return s;
  }

  /** Summarizes every chunk (what the lane list and lane counts need). */
  summarizeAll(): void {
    for (let i = 0; i < this.readableEnd; i++) this.summary(i);
  }

  /** The k-th event of a lane's column in chunk i (whose summary was built, so it reads cleanly). */
  laneEvent(i: number, column: LaneColumn, k: number): LogEvent {
    return decodeEventAt(payloadReader(this.bytes, this.header(i), column.offsets[k]), column.icounts[k]);
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

  private header(i: number): ChunkHeader {
    return (this.headers[i] ??= readChunkHeader(this.bytes, this.reader.chunks[i].offset));
  }
}
