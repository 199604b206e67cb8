// One chunk of a log: its 32-byte header (tag, payload length, payload CRC, first and last
// icount, event count) and its payload of encoded events, which begins with an IcountStamp so
// the chunk decodes without anything before it. Writing, reading the header, and decoding (or
// skimming) the payload with every consistency check, in one place.

import { EventKind, type LogEvent } from '../../shared/log-events.js';
import { crc32 } from '../../emu/crc32.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { decodeEvent, skimEvent, type SkimmedEvent } from './event-codec.js';
import { LogError } from './log-error.js';
import { CHUNK_HEADER_BYTES, CHUNK_TAG, tagValue } from './log-format.js';

export interface ChunkHeader {
  /** File offset of the chunk's tag. */
  offset: number;
  payloadBytes: number;
  crc: number;
  firstIcount: number;
  lastIcount: number;
  /** Events in the payload, the leading IcountStamp included. */
  count: number;
}

const CHUNK_TAG_VALUE = tagValue(CHUNK_TAG);

/** The chunk's bytes, header and payload, as one fresh array. */
export function encodeChunk(payload: Uint8Array, firstIcount: number, lastIcount: number, count: number): Uint8Array {
  const w = new ByteWriter(CHUNK_HEADER_BYTES + payload.length);
  w.u32(CHUNK_TAG_VALUE);
  w.u32(payload.length);
  w.u32(crc32(payload));
  w.u64(firstIcount);
  w.u64(lastIcount);
  w.u32(count);
  w.raw(payload);
  return w.copy();
}

/**
 * Reads the header of the chunk at `offset` (which the caller has checked is inside the file)
 * and checks what can be checked without the payload: the tag, the icounts, the count. Throws
 * LogError saying what is wrong. Whether the payload fits in the file is the caller's check.
 */
export function readChunkHeader(bytes: Uint8Array, offset: number): ChunkHeader {
  const r = new ByteReader(bytes, offset, offset + CHUNK_HEADER_BYTES);
  if (r.u32() !== CHUNK_TAG_VALUE) throw new LogError('no chunk tag where a chunk should begin');
  const payloadBytes = r.u32();
  const crc = r.u32();
  const firstIcount = r.u64();
  const lastIcount = r.u64();
  const count = r.u32();
  if (lastIcount < firstIcount) throw new LogError(`its last icount ${lastIcount} is below its first ${firstIcount}`);
  if (count === 0) throw new LogError('it claims to hold no events');
  // Every event takes at least 2 bytes (kind and delta): a larger count is damage, and must not
  // size an allocation.
  if (count * 2 > payloadBytes) throw new LogError(`its ${count} events cannot fit in ${payloadBytes} bytes`);
  return { offset, payloadBytes, crc, firstIcount, lastIcount, count };
}

/** The end of the chunk in the file (where the next block begins). */
export function chunkEnd(h: ChunkHeader): number {
  return h.offset + CHUNK_HEADER_BYTES + h.payloadBytes;
}

/**
 * Checks the payload's CRC and decodes its events, the leading IcountStamp included. Throws
 * LogError naming the first inconsistency: the CRC, an undecodable event, or a payload that
 * disagrees with its header (count, first or last icount, bytes left over).
 */
export function decodeChunk(bytes: Uint8Array, h: ChunkHeader): LogEvent[] {
  const events: LogEvent[] = new Array<LogEvent>(h.count);
  walkChunk(bytes, h, decodeEvent, (e, _offset, i) => {
    events[i] = e;
  });
  return events;
}

/**
 * Checks the chunk as decodeChunk does, stepping over its events without building them: `visit`
 * sees each (the leading IcountStamp included) with its offset in the payload, where
 * decodeEventAt can read it whole later. The object passed to `visit` is reused.
 */
export function skimChunk(bytes: Uint8Array, h: ChunkHeader, visit: (e: SkimmedEvent, offset: number, index: number) => void): void {
  const skimmed: SkimmedEvent = { kind: 0, icount: 0, value: 0 };
  walkChunk(bytes, h, (r, previous) => {
    skimEvent(r, previous, skimmed);
    return skimmed;
  }, visit);
}

/** A reader positioned on the event at `offset` of the chunk's payload. */
export function payloadReader(bytes: Uint8Array, h: ChunkHeader, offset: number): ByteReader {
  const start = h.offset + CHUNK_HEADER_BYTES;
  return new ByteReader(bytes, start + offset, start + h.payloadBytes);
}

/** The checks of a chunk, around a reader of its events (a decoder or a skimmer). */
function walkChunk<E extends { kind: number; icount: number }>(
  bytes: Uint8Array,
  h: ChunkHeader,
  read: (r: ByteReader, previousIcount: number) => E,
  visit: (e: E, offset: number, index: number) => void,
): void {
  checkChunkChecksum(bytes, h);
  const start = h.offset + CHUNK_HEADER_BYTES;
  const r = new ByteReader(bytes, start, start + h.payloadBytes);
  let icount = h.firstIcount;
  for (let i = 0; i < h.count; i++) {
    const offset = r.pos - start;
    let e: E;
    try {
      e = read(r, icount);
    } catch (err) {
      if (err instanceof LogError) throw new LogError(`event ${i}: ${err.message}`);
      throw err;
    }
    if (i === 0 && (e.kind !== EventKind.IcountStamp || e.icount !== h.firstIcount)) {
      throw new LogError('the payload does not begin with an icount stamp of the chunk\'s first icount');
    }
    if (e.kind === EventKind.End && i !== h.count - 1) throw new LogError('events follow the End event');
    icount = e.icount;
    visit(e, offset, i);
  }
  if (r.remaining !== 0) throw new LogError(`${r.remaining} bytes are left after its ${h.count} events`);
  if (icount !== h.lastIcount) throw new LogError(`its events end at icount ${icount}, its header says ${h.lastIcount}`);
}

/** Throws LogError when the payload's CRC-32 is not the one in the header. */
export function checkChunkChecksum(bytes: Uint8Array, h: ChunkHeader): void {
  const start = h.offset + CHUNK_HEADER_BYTES;
  if (crc32(bytes.subarray(start, start + h.payloadBytes)) !== h.crc) throw new LogError('checksum mismatch');
}
