// Reads the primitive encodings of the log format (see byte-writer.ts) from a window of a byte
// array. Running past the window or meeting a value that cannot be a JS number throws LogError:
// the bytes are damaged or not a log, never a reason to return a guess.

import { LogError } from './log-error.js';

const TWO_32 = 0x1_0000_0000;
/** A u64 whose high word reaches 2^21 is at least 2^53: not an exact JS number. */
const U64_HIGH_LIMIT = 0x20_0000;
/** 8 varint bytes carry 56 bits, enough for 2^53; a ninth means a damaged or foreign value. */
const VARINT_MAX_BYTES = 8;

export class ByteReader {
  private readonly view: DataView;
  pos: number;

  /** Reads `bytes[start, end)`. */
  constructor(
    private readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.length,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  u8(): number {
    this.need(1);
    return this.bytes[this.pos++];
  }

  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }

  u64(): number {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    if (hi >= U64_HIGH_LIMIT) throw new LogError(`a 64-bit value at offset 0x${this.pos.toString(16)} exceeds 2^53`);
    this.pos += 8;
    return hi * TWO_32 + lo;
  }

  i64(): bigint {
    this.need(8);
    const v = this.view.getBigInt64(this.pos, true);
    this.pos += 8;
    return v;
  }

  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < VARINT_MAX_BYTES; i++) {
      const b = this.u8();
      value += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        if (!Number.isSafeInteger(value)) break;
        return value;
      }
      scale *= 0x80;
    }
    throw new LogError(`a varint ending at offset 0x${this.pos.toString(16)} exceeds 2^53`);
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  /** A copy of the next `n` bytes, so decoded events never alias the file's buffer. */
  raw(n: number): Uint8Array {
    this.need(n);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Steps over the next `n` bytes; returns n. */
  skip(n: number): number {
    this.need(n);
    this.pos += n;
    return n;
  }

  lengthPrefixed(): Uint8Array {
    return this.raw(this.varint());
  }

  private need(n: number): void {
    if (n > this.end - this.pos) throw new LogError(`${n} byte${n === 1 ? '' : 's'} needed at offset 0x${this.pos.toString(16)}, only ${this.end - this.pos} left`);
  }
}
