// Guest RAM: one ArrayBuffer with byte, halfword and word views (little-endian host assumed, as
// every platform Node runs on is), and a per-page watch byte. The hart's store fast path tests
// that byte and calls onStore() when it is nonzero: HTIF's tohost page uses it, and so does
// dirty-page tracking (a page's dirty-watch bit is cleared at its first store, so later stores
// to it stay on the fast path). Two trackers run apart: the pages written since the last state
// digest, and those written since the last keyframe. Pages the hart has compiled code from are
// watched too: a write to one (a store, a device's DMA, a debugger's or loader's copy) is shown
// to the hart, which drops the code if the write reached it. And every page is watched until its
// first write of any kind: a page never written is zero, so a search for nonzero pages (the first
// keyframe, a snapshot) skips it unread. Reading memory the guest never touched is not free: the
// host maps each such page on its first read (a page fault apiece, 380 ms for 128 MiB here).

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Watch bits: stores to the page go to the store listener (HTIF). */
export const WATCH_LISTENER = 1;
/** Watch bits: dirty tracking for state digests waits for the page's first store. */
export const WATCH_DIRTY = 2;
/** Watch bits: dirty tracking for keyframes waits for the page's first store. */
export const WATCH_KEYFRAME = 4;
/** Watch bits: the hart has compiled code from the page; writes to it are shown to codeWritten. */
export const WATCH_CODE = 8;
/** Watch bits: nothing has written the page yet (it is all zeros). */
export const WATCH_FRESH = 16;

export type RamStoreHook = (pa: number, size: number) => void;

export class Ram {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** For unaligned reads (instruction fetch); the buffer has 4 bytes of padding past the end. */
  readonly view: DataView;
  /** WATCH_* bits per page, indexed by (pa − base) >> PAGE_SHIFT. */
  readonly watch: Uint8Array;
  /** Receives stores to pages with WATCH_LISTENER set. */
  storeListener: RamStoreHook = () => {};
  /**
   * Told of a write to a page with WATCH_CODE set (`size` bytes at `offset` in the page); returns
   * true when the page holds no compiled code any more, and the bit is then cleared.
   */
  codeWritten: (page: number, offset: number, size: number) => boolean = () => true;
  /** Pages written since startDirtyTracking(), in the order of their first write. */
  private dirty: number[] = [];
  /** Pages written since startKeyframeTracking(), likewise. */
  private keyframeDirty: number[] = [];
  private tracking = false;

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
    this.watch = new Uint8Array(size >>> PAGE_SHIFT).fill(WATCH_FRESH);
  }

  /** Called after a store to a watched page (by the hart, or by anything else writing RAM). */
  onStore(pa: number, size: number): void {
    const page = (pa - this.base) >>> PAGE_SHIFT;
    const w = this.watch[page];
    if (w & WATCH_DIRTY) this.dirty.push(page);
    if (w & WATCH_KEYFRAME) this.keyframeDirty.push(page);
    this.watch[page] = w & ~(WATCH_DIRTY | WATCH_KEYFRAME | WATCH_FRESH);
    if (w & WATCH_CODE) this.codeWrite(page, (pa - this.base) & (PAGE_SIZE - 1), size);
    if (w & WATCH_LISTENER) this.storeListener(pa, size);
  }

  /** Notes a write that did not come through the hart's stores (A/D updates, devices). */
  noteWrite(pa: number): void {
    const page = (pa - this.base) >>> PAGE_SHIFT;
    const w = this.watch[page];
    this.watch[page] = w & ~WATCH_FRESH;
    // Devices note a write once per page they touch: all of the page may have changed.
    if (w & WATCH_CODE) this.codeWrite(page, 0, PAGE_SIZE);
    if (this.tracking && w & (WATCH_DIRTY | WATCH_KEYFRAME)) this.onStore(pa, 1);
  }

  private codeWrite(page: number, offset: number, size: number): void {
    if (this.codeWritten(page, offset, size)) this.watch[page] &= ~WATCH_CODE;
  }

  /**
   * Puts `bytes` (a whole page's) in page `page` as a restore does, outside any tracking; compiled
   * code from the bytes that change is dropped, so a restore that leaves code as it was keeps it.
   */
  restorePage(page: number, bytes: Uint8Array): void {
    const at = page * PAGE_SIZE;
    if (this.watch[page] & WATCH_CODE) {
      const old = this.u8.subarray(at, at + PAGE_SIZE);
      let first = 0;
      while (first < PAGE_SIZE && old[first] === bytes[first]) first++;
      if (first < PAGE_SIZE) {
        let last = PAGE_SIZE - 1;
        while (old[last] === bytes[last]) last--;
        this.codeWrite(page, first, last - first + 1);
      }
    }
    this.u8.set(bytes, at);
    this.watch[page] &= ~WATCH_FRESH;
  }

  /** True when the page holds only zeros; a page never written is known to, unread. */
  pageIsZero(page: number): boolean {
    if (this.watch[page] & WATCH_FRESH) return true;
    const w = this.i32;
    const end = (page + 1) * (PAGE_SIZE >>> 2);
    for (let i = page * (PAGE_SIZE >>> 2); i < end; i++) if (w[i] !== 0) return false;
    return true;
  }

  /** Indices of the pages holding a nonzero byte, in increasing order (the first keyframe's, a snapshot's). */
  nonzeroPages(): number[] {
    const pages: number[] = [];
    for (let p = 0; p < this.watch.length; p++) if (!this.pageIsZero(p)) pages.push(p);
    return pages;
  }

  /** Marks a page the hart has compiled code from. */
  watchCode(page: number): void {
    this.watch[page] |= WATCH_CODE;
  }

  /** Forgets the pages written so far and watches every page for its next first write. */
  startDirtyTracking(): void {
    this.dirty = this.restartTracking(WATCH_DIRTY, []);
  }

  /** Resumes digest tracking as if exactly `pages` had been written since it started (a keyframe restore). */
  restoreDirtyTracking(pages: readonly number[]): void {
    this.dirty = this.restartTracking(WATCH_DIRTY, pages);
  }

  /** The pages written since startDirtyTracking(), in ascending order. */
  dirtyPages(): number[] {
    return [...this.dirty].sort((a, b) => a - b);
  }

  /** Like startDirtyTracking(), for the keyframe tracker. */
  startKeyframeTracking(): void {
    this.keyframeDirty = this.restartTracking(WATCH_KEYFRAME, []);
  }

  /** Counts `pages` as written since startKeyframeTracking() (a keyframe taken since was dropped). */
  addKeyframeDirty(pages: readonly number[]): void {
    for (const p of pages) {
      if (this.watch[p] & WATCH_KEYFRAME) {
        this.watch[p] &= ~WATCH_KEYFRAME;
        this.keyframeDirty.push(p);
      }
    }
  }

  /** The pages written since startKeyframeTracking(), in the order of their first write. */
  keyframeDirtyPages(): readonly number[] {
    return this.keyframeDirty;
  }

  /** Sets `bit` on every page but `written`, which becomes the tracker's list. */
  private restartTracking(bit: number, written: readonly number[]): number[] {
    this.tracking = true;
    const w = this.watch;
    for (let i = 0; i < w.length; i++) w[i] |= bit;
    for (const p of written) w[p] &= ~bit;
    return [...written];
  }

  /** True when [pa, pa + len) lies inside RAM. */
  contains(pa: number, len = 1): boolean {
    return pa >= this.base && pa + len <= this.base + this.size;
  }

  /** Copies bytes in at a physical address (loading, debugger writes); not a guest store. */
  write(pa: number, bytes: Uint8Array): void {
    if (!this.contains(pa, bytes.length)) throw new RangeError(`RAM write outside RAM at 0x${pa.toString(16)}`);
    this.u8.set(bytes, pa - this.base);
    for (let page = (pa - this.base) >>> PAGE_SHIFT; page <= (pa - this.base + bytes.length - 1) >>> PAGE_SHIFT; page++) {
      this.watch[page] &= ~WATCH_FRESH;
      if (this.watch[page] & WATCH_CODE) this.codeWrite(page, 0, PAGE_SIZE);
    }
  }

  read(pa: number, len: number): Uint8Array {
    if (!this.contains(pa, len)) throw new RangeError(`RAM read outside RAM at 0x${pa.toString(16)}`);
    return this.u8.slice(pa - this.base, pa - this.base + len);
  }
}
