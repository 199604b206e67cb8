// The index block and footer written on a clean close: one entry per chunk (offset, icount
// range, event count) under a CRC, and a fixed-size footer at the very end pointing at the
// index, so a reader finds every chunk from the last 12 bytes without reading the chunks.

import { crc32 } from '../../emu/crc32.js';
import { ByteReader } from './byte-reader.js';
import { ByteWriter } from './byte-writer.js';
import { LogError } from './log-error.js';
import { CRC_BYTES, FOOTER_BYTES, FOOTER_TAG, INDEX_ENTRY_BYTES, INDEX_FIXED_BYTES, INDEX_TAG, tagValue } from './log-format.js';

export interface IndexEntry {
  offset: number;
  firstIcount: number;
  lastIcount: number;
  /** Events in the chunk's payload, its leading IcountStamp included. */
  count: number;
}

const INDEX_TAG_VALUE = tagValue(INDEX_TAG);
const FOOTER_TAG_VALUE = tagValue(FOOTER_TAG);

/** The index block for `entries` at file offset `indexOffset`, followed by the footer. */
export function encodeIndex(entries: readonly IndexEntry[], indexOffset: number): Uint8Array {
  const w = new ByteWriter(INDEX_FIXED_BYTES + entries.length * INDEX_ENTRY_BYTES + CRC_BYTES + FOOTER_BYTES);
  w.u32(INDEX_TAG_VALUE);
  w.u32(entries.length);
  for (const e of entries) {
    w.u64(e.offset);
    w.u64(e.firstIcount);
    w.u64(e.lastIcount);
    w.u32(e.count);
  }
  w.u32(crc32(w.contents().subarray(4)));
  w.u32(FOOTER_TAG_VALUE);
  w.u64(indexOffset);
  return w.copy();
}

/** Whether the file ends with a footer; a file cut anywhere else almost never does. */
export function hasFooter(bytes: Uint8Array, chunksStart: number): boolean {
  if (bytes.length - chunksStart < FOOTER_BYTES) return false;
  return new ByteReader(bytes, bytes.length - FOOTER_BYTES).u32() === FOOTER_TAG_VALUE;
}

/**
 * Reads the index the footer points at. Throws LogError saying why it cannot be used: an offset
 * outside the file, a missing tag, a size that does not end at the footer, a CRC mismatch.
 * Whether the entries agree with the chunks is the reader's check.
 */
export function readIndex(bytes: Uint8Array, chunksStart: number): { offset: number; entries: IndexEntry[] } {
  const footer = bytes.length - FOOTER_BYTES;
  const r = new ByteReader(bytes, footer + 4);
  const offset = r.u64();
  if (offset < chunksStart || offset + INDEX_FIXED_BYTES + CRC_BYTES > footer) {
    throw new LogError(`the footer points at offset 0x${offset.toString(16)}, outside the file's chunks`);
  }
  const ir = new ByteReader(bytes, offset, footer);
  if (ir.u32() !== INDEX_TAG_VALUE) throw new LogError(`the footer points at offset 0x${offset.toString(16)}, where no index begins`);
  const n = ir.u32();
  if (offset + INDEX_FIXED_BYTES + n * INDEX_ENTRY_BYTES + CRC_BYTES !== footer) {
    throw new LogError(`its ${n} entries do not end at the footer`);
  }
  const covered = bytes.subarray(offset + 4, footer - CRC_BYTES);
  if (crc32(covered) !== new ByteReader(bytes, footer - CRC_BYTES).u32()) {
    throw new LogError('checksum mismatch');
  }
  const entries: IndexEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push({ offset: ir.u64(), firstIcount: ir.u64(), lastIcount: ir.u64(), count: ir.u32() });
  }
  return { offset, entries };
}
