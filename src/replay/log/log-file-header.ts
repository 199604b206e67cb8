// The file header of a log: magic, format version, and the LogHeader as checksummed JSON. Both
// directions live here; reading it is where "this is not a log", "another format version" and
// "the header is corrupt" are told apart, each in one line.

import { crc32 } from '../../emu/crc32.js';
import type { LogHeader } from '../log-header.js';
import { ByteWriter } from './byte-writer.js';
import { LogError } from './log-error.js';
import { CRC_BYTES, FILE_HEADER_FIXED_BYTES, LOG_FORMAT_VERSION, LOG_MAGIC } from './log-format.js';

export function encodeFileHeader(header: LogHeader): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const w = new ByteWriter(FILE_HEADER_FIXED_BYTES + json.length + CRC_BYTES);
  w.raw(LOG_MAGIC);
  w.u32(LOG_FORMAT_VERSION);
  w.u32(json.length);
  w.raw(json);
  w.u32(crc32(json));
  return w.copy();
}

/** Reads the file header at the start of `bytes`; `end` is the offset of the first chunk. */
export function readFileHeader(bytes: Uint8Array): { header: LogHeader; version: number; end: number } {
  if (bytes.length === 0) throw new LogError('not an rvreplay log: the file is empty');
  const magicSeen = Math.min(bytes.length, LOG_MAGIC.length);
  for (let i = 0; i < magicSeen; i++) {
    if (bytes[i] !== LOG_MAGIC[i]) throw new LogError('not an rvreplay log (it does not begin with the log signature)');
  }
  if (bytes.length < FILE_HEADER_FIXED_BYTES) throw truncated(bytes.length);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  // Versions 2 and 3 added event kinds: older logs read as they are.
  if (version < 1 || version > LOG_FORMAT_VERSION) {
    throw new LogError(`written by format version ${version}; this rvreplay reads versions 1 to ${LOG_FORMAT_VERSION}`);
  }
  const jsonBytes = view.getUint32(12, true);
  const end = FILE_HEADER_FIXED_BYTES + jsonBytes + CRC_BYTES;
  if (end > bytes.length) {
    throw new LogError(`truncated inside the log header (it declares ${jsonBytes} bytes of JSON; the file has only ${bytes.length} bytes)`);
  }
  const json = bytes.subarray(FILE_HEADER_FIXED_BYTES, FILE_HEADER_FIXED_BYTES + jsonBytes);
  if (crc32(json) !== view.getUint32(FILE_HEADER_FIXED_BYTES + jsonBytes, true)) {
    throw new LogError('corrupt log header: checksum mismatch');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new LogError('corrupt log header: not valid UTF-8 JSON');
  }
  return { header: checkHeader(parsed), version, end };
}

function truncated(length: number): LogError {
  return new LogError(`truncated inside the log header (the file has only ${length} bytes)`);
}

/** The fields readers rely on, checked so a foreign or hand-made header fails here, in one line,
 * and not later as an undefined property. */
function checkHeader(h: unknown): LogHeader {
  const fields: [string, string][] = [
    ['writer', 'string'], ['created', 'string'], ['machine', 'object'], ['machine.board', 'string'],
    ['machine.isa', 'string'], ['machine.ramMiB', 'number'], ['machine.icountShift', 'number'],
    ['guest', 'object'], ['guest.path', 'string'], ['guest.sha256', 'string'], ['guest.bytes', 'number'],
    ['disks', 'array'], ['stateLayout', 'array'], ['digestInterval', 'number'],
  ];
  for (const [path, type] of fields) {
    const value = path.split('.').reduce<unknown>((o, k) => (typeof o === 'object' && o !== null ? (o as Record<string, unknown>)[k] : undefined), h);
    const actual = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
    if (actual !== type) throw new LogError(`corrupt log header: ${path} should be ${type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, not ${actual}`);
  }
  return h as LogHeader;
}
