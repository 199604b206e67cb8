// The constants of the log container's byte layout, named once for the writer, the reader and
// docs/LOG-FORMAT.md (which describes the same layout byte by byte; keep the two in step).

/** First 8 bytes of every log: 0x89 "RVRLOG" LF. The high byte catches 7-bit channels, the LF
 * newline translation, the way PNG's signature does. */
export const LOG_MAGIC = new Uint8Array([0x89, 0x52, 0x56, 0x52, 0x4c, 0x4f, 0x47, 0x0a]);

/** The only layout this code reads and writes. Bump it for any change a version-1 reader would
 * misread. */
export const LOG_FORMAT_VERSION = 3;

/** Magic, u32 version, u32 header JSON length; the JSON and its u32 CRC follow. */
export const FILE_HEADER_FIXED_BYTES = 16;
export const CRC_BYTES = 4;

export const CHUNK_TAG = 'CHNK';
/** Tag, u32 payload length, u32 payload CRC, u64 first icount, u64 last icount, u32 event count. */
export const CHUNK_HEADER_BYTES = 32;

export const INDEX_TAG = 'INDX';
/** Tag and u32 entry count; the entries, then a u32 CRC, follow. */
export const INDEX_FIXED_BYTES = 8;
/** u64 chunk offset, u64 first icount, u64 last icount, u32 event count. */
export const INDEX_ENTRY_BYTES = 28;

export const FOOTER_TAG = 'FOOT';
/** Tag and u64 offset of the index block; always the file's last bytes on a clean close. */
export const FOOTER_BYTES = 12;

/** A chunk is closed once its payload reaches this many bytes, unless the writer is told
 * otherwise: small enough that a killed recorder loses little and a range query decodes little,
 * large enough that the 32-byte chunk header and the stamp cost nothing worth counting. */
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

/** Tags are 4 ASCII bytes; compared as little-endian u32 so a read is one DataView access. */
export function tagValue(tag: string): number {
  return (tag.charCodeAt(0) | (tag.charCodeAt(1) << 8) | (tag.charCodeAt(2) << 16) | (tag.charCodeAt(3) << 24)) >>> 0;
}
