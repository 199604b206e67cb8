// The machine's architectural state lives in one ArrayBuffer (the state arena). Every component
// (CPU, each device) declares its words here when it is built, under a name, and keeps no other
// mutable architectural state: snapshots copy the arena and cannot forget a field, and a digest
// mismatch can be named by the region it falls in. RAM is apart (large, tracked by page).

export interface StateRegion {
  readonly name: string;
  /** Byte offset of the region in the arena. */
  readonly offset: number;
  readonly bytes: number;
}

export class StateArena {
  readonly buffer: ArrayBuffer;
  private used = 0;
  private readonly regionList: StateRegion[] = [];

  constructor(capacityBytes = 256 * 1024) {
    this.buffer = new ArrayBuffer(capacityBytes);
  }

  get regions(): readonly StateRegion[] {
    return this.regionList;
  }

  /** Bytes in use: the part of the buffer a snapshot must copy. */
  get usedBytes(): number {
    return this.used;
  }

  u32(name: string, words: number): Uint32Array {
    return new Uint32Array(this.buffer, this.claim(name, words * 4, 4), words);
  }

  i32(name: string, words: number): Int32Array {
    return new Int32Array(this.buffer, this.claim(name, words * 4, 4), words);
  }

  u8(name: string, bytes: number): Uint8Array {
    return new Uint8Array(this.buffer, this.claim(name, bytes, 1), bytes);
  }

  /** Float64 slots hold counters beyond 32 bits (icount, virtual time): exact up to 2^53. */
  f64(name: string, count: number): Float64Array {
    return new Float64Array(this.buffer, this.claim(name, count * 8, 8), count);
  }

  private claim(name: string, bytes: number, align: number): number {
    const offset = Math.ceil(this.used / align) * align;
    if (offset + bytes > this.buffer.byteLength) {
      throw new Error(`state arena full: ${name} needs ${bytes} bytes`);
    }
    this.used = offset + bytes;
    this.regionList.push({ name, offset, bytes });
    return offset;
  }
}
