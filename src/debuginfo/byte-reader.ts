// A little-endian cursor over a debug section's bytes: fixed-size integers, LEB128, strings,
// and the DWARF-specific fields whose size depends on the unit (addresses, 32/64-bit offsets).
// Errors are DwarfError with the section named, so a damaged file gives a message, not a crash.

export class DwarfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DwarfError';
  }
}

const utf8 = new TextDecoder('utf-8');

export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    /** The section's name, for messages. */
    readonly what: string,
    public pos = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get atEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  private need(n: number): number {
    const at = this.pos;
    if (at + n > this.bytes.length || at < 0) {
      throw new DwarfError(`${this.what}: read of ${n} bytes at offset 0x${at.toString(16)} runs past the end (0x${this.bytes.length.toString(16)})`);
    }
    this.pos = at + n;
    return at;
  }

  u8(): number {
    return this.view.getUint8(this.need(1));
  }

  i8(): number {
    return this.view.getInt8(this.need(1));
  }

  u16(): number {
    return this.view.getUint16(this.need(2), true);
  }

  i16(): number {
    return this.view.getInt16(this.need(2), true);
  }

  u24(): number {
    const at = this.need(3);
    return this.bytes[at] | (this.bytes[at + 1] << 8) | (this.bytes[at + 2] << 16);
  }

  u32(): number {
    return this.view.getUint32(this.need(4), true);
  }

  i32(): number {
    return this.view.getInt32(this.need(4), true);
  }

  /** A 64-bit field as a number when exact, else as a bigint. */
  u64(): number | bigint {
    const v = this.view.getBigUint64(this.need(8), true);
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }

  /** A 64-bit field that must fit a number (offsets, lengths, addresses). */
  u64Number(): number {
    const v = this.u64();
    if (typeof v === 'bigint') throw new DwarfError(`${this.what}: 64-bit value 0x${v.toString(16)} at 0x${(this.pos - 8).toString(16)} is beyond 2^53`);
    return v;
  }

  i64(): bigint {
    return this.view.getBigInt64(this.need(8), true);
  }

  /** Unsigned LEB128. Values past 2^53 lose precision; DWARF for RV32 never has them where it matters. */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return result;
    }
  }

  /** Signed LEB128. */
  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      scale *= 128;
      if ((b & 0x80) === 0) return (b & 0x40) !== 0 ? result - scale : result;
    }
  }

  /** A NUL-terminated UTF-8 string. */
  cstring(): string {
    const end = this.bytes.indexOf(0, this.pos);
    if (end < 0) throw new DwarfError(`${this.what}: unterminated string at offset 0x${this.pos.toString(16)}`);
    const s = utf8.decode(this.bytes.subarray(this.pos, end));
    this.pos = end + 1;
    return s;
  }

  /** An unsigned integer of 1, 2, 4 or 8 bytes (addresses, DW_FORM_data*). */
  unsigned(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64Number();
      default: throw new DwarfError(`${this.what}: unsupported field size ${size}`);
    }
  }

  /** A section offset: 4 bytes in 32-bit DWARF, 8 in 64-bit DWARF. */
  offset(dwarf64: boolean): number {
    return dwarf64 ? this.u64Number() : this.u32();
  }

  /** A unit's initial length; says whether the unit uses the 64-bit DWARF format. */
  initialLength(): { length: number; dwarf64: boolean } {
    const first = this.u32();
    if (first === 0xffffffff) return { length: this.u64Number(), dwarf64: true };
    if (first >= 0xfffffff0) throw new DwarfError(`${this.what}: reserved initial length 0x${first.toString(16)} at 0x${(this.pos - 4).toString(16)}`);
    return { length: first, dwarf64: false };
  }

  /** The next n bytes as a view (no copy). */
  bytesOf(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }

  skip(n: number): void {
    this.need(n);
  }
}

/** Reads a NUL-terminated string at an offset of a string section (.debug_str, .debug_line_str). */
export function stringAt(section: Uint8Array | undefined, offset: number, what: string): string {
  if (section === undefined) throw new DwarfError(`${what} is referenced but the file has no such section`);
  if (offset >= section.length) throw new DwarfError(`${what}: string offset 0x${offset.toString(16)} is past the end (0x${section.length.toString(16)})`);
  let end = section.indexOf(0, offset);
  if (end < 0) end = section.length;
  return utf8.decode(section.subarray(offset, end));
}
