// Guest RAM: one ArrayBuffer with byte, halfword and word views (little-endian host assumed, as
// every platform Node runs on is), and a per-page watch byte. A watched page sends every store to
// a hook after it lands: HTIF's tohost uses it now; dirty-page tracking and watchpoints later.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

export type RamStoreHook = (pa: number, size: number) => void;

export class Ram {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** For unaligned reads (instruction fetch); the buffer has 4 bytes of padding past the end. */
  readonly view: DataView;
  /** Nonzero for pages whose stores go to the store hook. Indexed by (pa − base) >> PAGE_SHIFT. */
  readonly watch: Uint8Array;
  storeHook: RamStoreHook = () => {};

  constructor(
    /** Physical address of the first byte. */
    readonly base: number,
    /** Size in bytes, a multiple of the page size. */
    readonly size: number,
  ) {
    if (size <= 0 || size % PAGE_SIZE !== 0) throw new Error(`RAM size must be a positive multiple of ${PAGE_SIZE} bytes`);
    const buffer = new ArrayBuffer(size + 4);
    this.u8 = new Uint8Array(buffer, 0, size);
    this.u16 = new Uint16Array(buffer, 0, size >>> 1);
    this.i32 = new Int32Array(buffer, 0, size >>> 2);
    this.view = new DataView(buffer);
    this.watch = new Uint8Array(size >>> PAGE_SHIFT);
  }

  /** True when [pa, pa + len) lies inside RAM. */
  contains(pa: number, len = 1): boolean {
    return pa >= this.base && pa + len <= this.base + this.size;
  }

  /** Copies bytes in at a physical address (loading, debugger writes); not a guest store. */
  write(pa: number, bytes: Uint8Array): void {
    if (!this.contains(pa, bytes.length)) throw new RangeError(`RAM write outside RAM at 0x${pa.toString(16)}`);
    this.u8.set(bytes, pa - this.base);
  }

  read(pa: number, len: number): Uint8Array {
    if (!this.contains(pa, len)) throw new RangeError(`RAM read outside RAM at 0x${pa.toString(16)}`);
    return this.u8.slice(pa - this.base, pa - this.base + len);
  }
}
