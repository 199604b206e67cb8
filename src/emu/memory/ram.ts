// Guest RAM: one ArrayBuffer with byte, halfword and word views (little-endian host assumed, as
// every platform Node runs on is), a per-page watch byte, and a per-page write stamp.
//
// The stamp is how dirty pages are tracked: every store (the hart's, a device's) writes the
// current epoch into its page's stamp, and each tracker (pages written since the last state
// digest; since the last keyframe) remembers the epoch it started at. The hart stamps on its
// fast path, unconditionally. Tracking by watching every page until its first store, as before,
// sent the first store to each page after a digest down a path compiled code had never run,
// where V8 dropped the optimized code of the guest functions making them (five on the paging
// benchmark, its hottest among them) and compiled them again. A stamp of 0 also says the page
// was never written, so it is zero, and a search for nonzero pages (the first keyframe, a
// snapshot) skips it unread: reading memory the guest never touched is not free, the host maps
// each such page on its first read (a page fault apiece, 380 ms for 128 MiB here).
//
// The watch byte sends a store to the store listener (HTIF's tohost page) and to the hart's
// check for overwritten code (pages it has compiled code from: a write to one, whoever makes
// it, is shown to the hart, which drops the code if the write reached it).

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/** Watch bits: stores to the page go to the store listener (HTIF). */
export const WATCH_LISTENER = 1;
/** Watch bits: the hart has compiled code from the page; writes to it are shown to codeWritten. */
export const WATCH_CODE = 8;

/** The stamp of a page written outside tracking (loaded, restored): below every tracker's epoch. */
const WRITTEN_UNTRACKED = 1;

/** Pages written since a tracker started: those stamped at or after its epoch, and those it was told of. */
interface Tracker {
  since: number;
  extra: Set<number>;
}

export type RamStoreHook = (pa: number, size: number) => void;

export class Ram {
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** For unaligned reads (instruction fetch); the buffer has 4 bytes of padding past the end. */
  readonly view: DataView;
  /** WATCH_* bits per page, indexed by (pa − base) >> PAGE_SHIFT. */
  readonly watch: Uint8Array;
  /** Per page, the epoch of its last write (0: never written, so all zeros); indexed as watch. */
  readonly written: Int32Array;
  private epochNow = WRITTEN_UNTRACKED;
  /** Receives stores to pages with WATCH_LISTENER set. */
  storeListener: RamStoreHook = () => {};
  /**
   * Told of a write to a page with WATCH_CODE set (`size` bytes at `offset` in the page); returns
   * true when the page holds no compiled code any more, and the bit is then cleared.
   */
  codeWritten: (page: number, offset: number, size: number) => boolean = () => true;
  /** Pages written since startDirtyTracking() (none before it is called). */
  private digestTracker: Tracker = { since: Infinity, extra: new Set() };
  /** Pages written since startKeyframeTracking(), likewise. */
  private keyframeTracker: Tracker = { since: Infinity, extra: new Set() };

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
    this.written = new Int32Array(size >>> PAGE_SHIFT);
  }

  /**
   * What writes are stamped with now. It moves on when a tracker starts, which happens between
   * runs of the hart, never during one: compiled code reads it once per call.
   */
  get epoch(): number {
    return this.epochNow;
  }

  /** Called after a store to a watched page, by the hart (which stamps every store itself). */
  onStore(pa: number, size: number): void {
    const page = (pa - this.base) >>> PAGE_SHIFT;
    const w = this.watch[page];
    if (w & WATCH_CODE) this.codeWrite(page, (pa - this.base) & (PAGE_SIZE - 1), size);
    if (w & WATCH_LISTENER) this.storeListener(pa, size);
  }

  /** Notes a write that did not come through the hart's stores (A/D updates, devices). */
  noteWrite(pa: number): void {
    const page = (pa - this.base) >>> PAGE_SHIFT;
    this.written[page] = this.epochNow;
    // Devices note a write once per page they touch: all of the page may have changed.
    if (this.watch[page] & WATCH_CODE) this.codeWrite(page, 0, PAGE_SIZE);
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
    this.writtenUntracked(page);
  }

  /** True when the page holds only zeros; a page never written is known to, unread. */
  pageIsZero(page: number): boolean {
    if (this.written[page] === 0) return true;
    const w = this.i32;
    const end = (page + 1) * (PAGE_SIZE >>> 2);
    for (let i = page * (PAGE_SIZE >>> 2); i < end; i++) if (w[i] !== 0) return false;
    return true;
  }

  /** Indices of the pages holding a nonzero byte, in increasing order (the first keyframe's, a snapshot's). */
  nonzeroPages(): number[] {
    const pages: number[] = [];
    for (let p = 0; p < this.written.length; p++) if (!this.pageIsZero(p)) pages.push(p);
    return pages;
  }

  /** Marks a page the hart has compiled code from. */
  watchCode(page: number): void {
    this.watch[page] |= WATCH_CODE;
  }

  /** Forgets the pages written so far: dirtyPages() starts empty. */
  startDirtyTracking(): void {
    this.digestTracker = this.startTracker([]);
  }

  /** Resumes digest tracking as if exactly `pages` had been written since it started (a keyframe restore). */
  restoreDirtyTracking(pages: readonly number[]): void {
    this.digestTracker = this.startTracker(pages);
  }

  /** The pages written since startDirtyTracking(), in ascending order. */
  dirtyPages(): number[] {
    return this.pagesOf(this.digestTracker);
  }

  /** Like startDirtyTracking(), for the keyframe tracker. */
  startKeyframeTracking(): void {
    this.keyframeTracker = this.startTracker([]);
  }

  /** Counts `pages` as written since startKeyframeTracking() (a keyframe taken since was dropped). */
  addKeyframeDirty(pages: readonly number[]): void {
    for (const p of pages) this.keyframeTracker.extra.add(p);
  }

  /** The pages written since startKeyframeTracking(), in ascending order. */
  keyframeDirtyPages(): number[] {
    return this.pagesOf(this.keyframeTracker);
  }

  /** A page was written outside tracking: no longer known to be zero, and no tracker's business. */
  private writtenUntracked(page: number): void {
    if (this.written[page] === 0) this.written[page] = WRITTEN_UNTRACKED;
  }

  /** A tracker starting now, with `written` counted as written since. */
  private startTracker(written: readonly number[]): Tracker {
    return { since: ++this.epochNow, extra: new Set(written) };
  }

  /** One pass over the stamps (tens of microseconds for 128 MiB, once a digest or a keyframe). */
  private pagesOf(t: Tracker): number[] {
    const pages: number[] = [];
    const stamps = this.written;
    const since = t.since;
    for (let p = 0; p < stamps.length; p++) if (stamps[p] >= since) pages.push(p);
    if (t.extra.size === 0) return pages;
    for (const p of t.extra) if (stamps[p] < since) pages.push(p);
    return pages.sort((a, b) => a - b);
  }

  /** True when [pa, pa + len) lies inside RAM. */
  contains(pa: number, len = 1): boolean {
    return pa >= this.base && pa + len <= this.base + this.size;
  }

  /**
   * Zeroes [pa, pa + len) as a loader zeroes a guest's .bss; not a guest store. Pages never
   * written are zero already and are left untouched: filling them would make the host commit
   * memory the guest may never use (a 96 MiB .bss cost 0.3 s and 96 MiB of RSS at start).
   */
  zero(pa: number, len: number): void {
    if (len <= 0) return;
    if (!this.contains(pa, len)) throw new RangeError(`RAM zeroing outside RAM at 0x${pa.toString(16)}`);
    const start = pa - this.base;
    const end = start + len;
    for (let page = start >>> PAGE_SHIFT; page <= (end - 1) >>> PAGE_SHIFT; page++) {
      if (this.written[page] === 0) continue;
      this.u8.fill(0, Math.max(start, page * PAGE_SIZE), Math.min(end, (page + 1) * PAGE_SIZE));
      if (this.watch[page] & WATCH_CODE) this.codeWrite(page, 0, PAGE_SIZE);
    }
  }

  /** Copies bytes in at a physical address (loading, debugger writes); not a guest store. */
  write(pa: number, bytes: Uint8Array): void {
    if (!this.contains(pa, bytes.length)) throw new RangeError(`RAM write outside RAM at 0x${pa.toString(16)}`);
    this.u8.set(bytes, pa - this.base);
    for (let page = (pa - this.base) >>> PAGE_SHIFT; page <= (pa - this.base + bytes.length - 1) >>> PAGE_SHIFT; page++) {
      this.writtenUntracked(page);
      if (this.watch[page] & WATCH_CODE) this.codeWrite(page, 0, PAGE_SIZE);
    }
  }

  read(pa: number, len: number): Uint8Array {
    if (!this.contains(pa, len)) throw new RangeError(`RAM read outside RAM at 0x${pa.toString(16)}`);
    return this.u8.slice(pa - this.base, pa - this.base + len);
  }
}
