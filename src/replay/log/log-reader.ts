// Reads a log from the bytes of the whole file. Finds the chunks through the index when the log
// was closed cleanly, or by walking them from the start when it was not, and reports the first
// damage (a cut, a checksum mismatch) without losing anything before it. Pure: the caller reads
// the file.

import { EventKind, type LogEvent } from '../../shared/log-events.js';
import type { LogHeader } from '../log-header.js';
import { checkChunkChecksum, chunkEnd, decodeChunk, readChunkHeader, type ChunkHeader } from './log-chunk.js';
import { LogError } from './log-error.js';
import { readFileHeader } from './log-file-header.js';
import { CHUNK_HEADER_BYTES, INDEX_TAG } from './log-format.js';
import { hasFooter, readIndex } from './log-index.js';

export interface LogChunk {
  /** Position in the file, from 0. */
  index: number;
  /** File offset of the chunk's header. */
  offset: number;
  firstIcount: number;
  lastIcount: number;
  /** Events the chunk yields (its leading IcountStamp is framing and is not yielded). */
  events: number;
}

export interface LogDamage {
  /** The bad chunk, or undefined when every chunk is intact and the damage is after them. */
  chunk?: number;
  /** File offset where the damage begins. */
  offset: number;
  /** What is wrong, e.g. "checksum mismatch". */
  reason: string;
  /** The last icount of the intact chunks before the damage; undefined when none is intact. */
  lastGoodIcount?: number;
  /** The whole story in one line, for the user. */
  message: string;
}

export interface EventRange {
  /** First icount wanted (inclusive). */
  from?: number;
  /** End of the range (exclusive): events at this icount or later are not yielded. */
  to?: number;
  /** Only these kinds (EventKind codes). */
  kinds?: ReadonlySet<number>;
}

/** The reason given when the file ends inside a chunk. */
const TRUNCATED = 'truncated';

export class LogReader {
  readonly chunks: readonly LogChunk[];
  /** How many chunk payloads have been decoded so far (shows what a range query touched). */
  chunksDecoded = 0;
  private damageFound: LogDamage | undefined;
  private endIcountFound: number | undefined;

  private constructor(
    private readonly bytes: Uint8Array,
    readonly header: LogHeader,
    /** The format version the log was written in (older ones lack the newer event kinds). */
    readonly version: number,
    private readonly table: ChunkHeader[],
    /** Whether the chunk table came from a valid index (the log was closed cleanly). */
    readonly indexed: boolean,
  ) {
    this.chunks = table.map((h, index) => ({ index, offset: h.offset, firstIcount: h.firstIcount, lastIcount: h.lastIcount, events: h.count - 1 }));
  }

  /**
   * Reads the header and finds the chunks. Throws LogError when the bytes are not a log, are of
   * another format version, or have a corrupt or truncated file header; any later damage is
   * reported in `damage`, not thrown.
   */
  static open(bytes: Uint8Array): LogReader {
    const { header, version, end } = readFileHeader(bytes);
    let indexProblem: string | undefined;
    if (hasFooter(bytes, end)) {
      try {
        const table = indexedChunks(bytes, end);
        const reader = new LogReader(bytes, header, version, table, true);
        reader.checkEnd();
        return reader;
      } catch (e) {
        if (!(e instanceof LogError)) throw e;
        indexProblem = e.message;
      }
    }
    const scan = scanChunks(bytes, end, indexProblem);
    const reader = new LogReader(bytes, header, version, scan.table, false);
    if (scan.damage !== undefined) reader.noteDamage(scan.damage.chunk, scan.damage.offset, scan.damage.reason);
    reader.checkEnd();
    if (reader.damageFound === undefined) {
      // Every chunk is intact, yet there was no usable index: the writer never closed the log.
      const after = scan.table.length === 0 ? end : chunkEnd(scan.table[scan.table.length - 1]);
      const why = reader.endIcountFound === undefined
        ? 'the log ends without an End event (the recorder did not close it)'
        : 'the End event is not followed by an index (the log was not closed)';
      reader.noteDamage(undefined, after, why);
    }
    return reader;
  }

  /** The first damage found, if any. Reading events can find more (a chunk whose checksum was
   * not checked when an index was used): call verify() to check every chunk up front. */
  get damage(): LogDamage | undefined {
    return this.damageFound;
  }

  /** Closed cleanly: a valid index and footer, an End event, and no damage. */
  get complete(): boolean {
    return this.indexed && this.endIcountFound !== undefined && this.damageFound === undefined;
  }

  /** The icount of the End event, when it was read. */
  get endIcount(): number | undefined {
    return this.endIcountFound;
  }

  get firstIcount(): number | undefined {
    return this.chunks[0]?.firstIcount;
  }

  get lastIcount(): number | undefined {
    return this.chunks[this.chunks.length - 1]?.lastIcount;
  }

  /**
   * The events in icount order, limited to a range and to some kinds. Chunks that end before
   * `from` or begin at or after `to` are not decoded. A damaged chunk ends the sequence and is
   * reported in `damage`.
   */
  *events(range: EventRange = {}): Generator<LogEvent, void, undefined> {
    const from = range.from ?? 0;
    const to = range.to ?? Infinity;
    const kinds = range.kinds;
    for (let i = this.firstChunkEndingAtOrAfter(from); i < this.table.length && this.table[i].firstIcount < to; i++) {
      const events = this.decode(i);
      if (events === undefined) return;
      // Index 0 is the chunk's framing IcountStamp.
      for (let k = 1; k < events.length; k++) {
        const e = events[k];
        if (e.icount < from) continue;
        if (e.icount >= to) return;
        if (kinds === undefined || kinds.has(e.kind)) yield e;
      }
    }
  }

  /** Decodes every chunk (checksums and all), so `damage` tells the whole truth. */
  verify(): LogDamage | undefined {
    for (let i = 0; i < this.table.length; i++) this.decode(i);
    return this.damageFound;
  }

  private decode(i: number): LogEvent[] | undefined {
    this.chunksDecoded++;
    try {
      return decodeChunk(this.bytes, this.table[i]);
    } catch (e) {
      if (!(e instanceof LogError)) throw e;
      this.noteDamage(i, this.table[i].offset, e.message);
      return undefined;
    }
  }

  /** Looks for the End event, which can only be the last event of the last chunk. */
  private checkEnd(): void {
    const last = this.table.length - 1;
    if (last < 0) return;
    const events = this.decode(last);
    const final = events?.[events.length - 1];
    if (final?.kind === EventKind.End) this.endIcountFound = final.icount;
    else if (events !== undefined && this.indexed) this.noteDamage(undefined, chunkEnd(this.table[last]), 'the log has an index but no End event');
  }

  /** Records damage unless damage earlier in the file is already known. */
  private noteDamage(chunk: number | undefined, offset: number, reason: string): void {
    if (this.damageFound !== undefined && this.damageFound.offset <= offset) return;
    const before = chunk === undefined ? this.table.length : chunk;
    const lastGoodIcount = before > 0 ? this.table[before - 1].lastIcount : undefined;
    const at = `offset 0x${offset.toString(16)}`;
    const head = chunk === undefined ? `${at}: ${reason}` : reason === TRUNCATED ? `truncated inside chunk ${chunk} at ${at}` : `chunk ${chunk} at ${at}: ${reason}`;
    const intact = lastGoodIcount === undefined ? 'no event is intact' : `events up to icount ${lastGoodIcount} are intact`;
    this.damageFound = { chunk, offset, reason, lastGoodIcount, message: `${head}; ${intact}` };
  }

  private firstChunkEndingAtOrAfter(icount: number): number {
    let lo = 0;
    let hi = this.table.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.table[mid].lastIcount < icount) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * The chunk table from the index, checked against every chunk header it names (cheap: 32 bytes
 * each, no payload read). Throws LogError when the index cannot be trusted.
 */
function indexedChunks(bytes: Uint8Array, chunksStart: number): ChunkHeader[] {
  const { offset: indexOffset, entries } = readIndex(bytes, chunksStart);
  if (entries.length === 0) throw new LogError('the index lists no chunk');
  const table: ChunkHeader[] = [];
  let expected = chunksStart;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i];
    if (e.offset !== expected || e.offset + CHUNK_HEADER_BYTES > indexOffset) throw new LogError(`index entry ${i} does not point where chunk ${i} begins`);
    const h = readChunkHeader(bytes, e.offset);
    if (h.firstIcount !== e.firstIcount || h.lastIcount !== e.lastIcount || h.count !== e.count) {
      throw new LogError(`index entry ${i} disagrees with the header of chunk ${i}`);
    }
    if (i > 0 && h.firstIcount < table[i - 1].lastIcount) throw new LogError(`chunk ${i} goes back in icount`);
    table.push(h);
    expected = chunkEnd(h);
  }
  if (expected !== indexOffset) throw new LogError('the last chunk does not end where the index begins');
  return table;
}

/**
 * Walks the chunks from the start, checking each one's header and checksum, and stops at the
 * first that is bad, cut short, or is the start of an index (which could not be used).
 */
function scanChunks(bytes: Uint8Array, chunksStart: number, indexProblem: string | undefined): {
  table: ChunkHeader[];
  damage?: { chunk: number | undefined; offset: number; reason: string };
} {
  const table: ChunkHeader[] = [];
  let pos = chunksStart;
  while (pos < bytes.length) {
    const chunk = table.length;
    if (startsWithTag(bytes, pos, INDEX_TAG)) {
      return { table, damage: { chunk: undefined, offset: pos, reason: `the index cannot be used: ${indexProblem ?? 'it is cut short or has no footer'}` } };
    }
    if (bytes.length - pos < CHUNK_HEADER_BYTES) return { table, damage: { chunk, offset: pos, reason: TRUNCATED } };
    let h: ChunkHeader;
    try {
      h = readChunkHeader(bytes, pos);
    } catch (e) {
      if (!(e instanceof LogError)) throw e;
      return { table, damage: { chunk, offset: pos, reason: e.message } };
    }
    if (chunkEnd(h) > bytes.length) return { table, damage: { chunk, offset: pos, reason: TRUNCATED } };
    if (chunk > 0 && h.firstIcount < table[chunk - 1].lastIcount) {
      return { table, damage: { chunk, offset: pos, reason: `it begins at icount ${h.firstIcount}, before the previous chunk ends` } };
    }
    // The checksum is checked here, not left to decoding, so that the table holds only intact
    // chunks and the damage is known at open.
    try {
      checkChunkChecksum(bytes, h);
    } catch (e) {
      if (!(e instanceof LogError)) throw e;
      return { table, damage: { chunk, offset: pos, reason: e.message } };
    }
    table.push(h);
    pos = chunkEnd(h);
  }
  return { table };
}

/** Whether the bytes at `pos` are `tag`, or as much of it as the file still holds. */
function startsWithTag(bytes: Uint8Array, pos: number, tag: string): boolean {
  const n = Math.min(tag.length, bytes.length - pos);
  for (let i = 0; i < n; i++) if (bytes[pos + i] !== tag.charCodeAt(i)) return false;
  return n > 0;
}
