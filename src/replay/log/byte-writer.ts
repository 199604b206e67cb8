// A growable little-endian byte buffer with the primitive encodings of the log format: fixed
// u8/u32/u64/i64, LEB128 varints, zigzag varints and length-prefixed bytes. Integers are JS
// numbers below 2^53; anything else is a caller's bug and throws a RangeError.

const TWO_32 = 0x1_0000_0000;
/** Zigzag doubles its input, so the input must stay below 2^52 for the result to be exact. */
const ZIGZAG_LIMIT = 2 ** 52;

export class ByteWriter {
  private buf: Uint8Array;
  private view: DataView;
  /** Bytes written so far. */
  length = 0;

  constructor(initialBytes = 256) {
    this.buf = new Uint8Array(Math.max(16, initialBytes));
    this.view = new DataView(this.buf.buffer);
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    if (!Number.isInteger(v) || v < 0 || v >= TWO_32) throw new RangeError(`${v} does not fit in a u32`);
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }

  u64(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${v} is not an unsigned integer below 2^53`);
    this.reserve(8);
    this.view.setUint32(this.length, v % TWO_32, true);
    this.view.setUint32(this.length + 4, Math.floor(v / TWO_32), true);
    this.length += 8;
  }

  i64(v: bigint): void {
    if (v < -(1n << 63n) || v >= 1n << 63n) throw new RangeError(`${v} does not fit in an i64`);
    this.reserve(8);
    this.view.setBigInt64(this.length, v, true);
    this.length += 8;
  }

  /** Unsigned LEB128: 7 bits a byte, low bits first, high bit set on every byte but the last. */
  varint(v: number): void {
    if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${v} is not an unsigned integer below 2^53`);
    this.reserve(8);
    // Division, not shifts: shifts would truncate to 32 bits.
    while (v >= 0x80) {
      this.buf[this.length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.length++] = v;
  }

  /** Signed values as zigzag varints (0, -1, 1, -2, ... → 0, 1, 2, 3, ...), so small magnitudes
   * of either sign stay short. */
  zigzag(v: number): void {
    if (!Number.isInteger(v) || Math.abs(v) >= ZIGZAG_LIMIT) throw new RangeError(`${v} is not an integer of magnitude below 2^52`);
    this.varint(v >= 0 ? 2 * v : -2 * v - 1);
  }

  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A varint length, then the bytes. */
  lengthPrefixed(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.raw(bytes);
  }

  /** A copy of the bytes written so far (the caller may keep it: the buffer is reused). */
  copy(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  /** The bytes written so far, without copying; valid until the next write or reset. */
  contents(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }

  reset(): void {
    this.length = 0;
  }

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }
}
