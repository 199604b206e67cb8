// Keyframes: in-memory snapshots of the machine at icounts along history, from which a seek
// restores and replays forward. They are incremental: the first holds every nonzero RAM page,
// each later one only the pages written since the keyframe before it (RAM's keyframe tracker),
// and a page's versions are shared by every keyframe up to the next one that wrote it. The
// arena (a few KiB) and the disk overlays are copied whole.
//
// One invariant makes this work: the store's base is the latest keyframe at or before the
// machine's position, and the keyframe tracker holds the pages written since the machine was
// at it. A restore sets the base; a forward run must call passed() at each keyframe it reaches,
// and take() keyframes only where none is ahead before the next one (the engine does both).
// With it, the pages that differ between now and any keyframe K are among the pages written since
// the base and those written by the keyframes between the base and K, and a restore writes only
// those.
//
// When the pages held exceed the memory budget, keyframes are thinned: those whose removal leaves
// the smallest gap for their age go first, so history far back gets sparser and recent history
// stays dense. The first, the last, the base and pinned ones (named snapshots) are kept.

import type { VirtMachine } from '../emu/machine.js';
import { PAGE_SIZE } from '../emu/memory/ram.js';

export interface Keyframe<T> {
  readonly icount: number;
  /** The state arena's used bytes. */
  readonly arena: Uint8Array;
  /** RAM pages written since the last state digest (the digest tracker's list). */
  readonly digestDirty: readonly number[];
  /** The pages whose versions this keyframe holds (written since the keyframe before it). */
  pages: number[];
  /** Each disk overlay's blocks, in machine.disks order. */
  readonly disks: [number, Uint8Array][][];
  /** What the engine keeps beside the machine (the replay cursor). */
  readonly extra: T;
  /** Kept through thinning (a named snapshot). */
  pinned: boolean;
}

/** A page's contents at the keyframes that wrote it, in icount order. */
interface PageVersions {
  icounts: number[];
  data: Uint8Array[];
}

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

export class KeyframeStore<T> {
  private readonly frames: Keyframe<T>[] = [];
  private readonly versions = new Map<number, PageVersions>();
  private base: Keyframe<T> | undefined;
  private pageCount = 0;
  private fixedBytes = 0;

  constructor(
    private readonly machine: VirtMachine,
    /** Bytes of pages, arenas and overlay blocks to stay under by thinning. */
    readonly budgetBytes: number,
  ) {}

  get count(): number {
    return this.frames.length;
  }

  /** Memory held: page versions, arena copies and overlay copies. */
  get bytes(): number {
    return this.pageCount * PAGE_SIZE + this.fixedBytes;
  }

  get icounts(): number[] {
    return this.frames.map((k) => k.icount);
  }

  /** The latest keyframe at or before `icount`. */
  atOrBefore(icount: number): Keyframe<T> | undefined {
    const i = this.indexAfter(icount) - 1;
    return i >= 0 ? this.frames[i] : undefined;
  }

  /** The first keyframe after `icount`. */
  after(icount: number): Keyframe<T> | undefined {
    return this.frames[this.indexAfter(icount)];
  }

  get last(): Keyframe<T> | undefined {
    return this.frames[this.frames.length - 1];
  }

  /**
   * Keeps the machine's state now as a keyframe (or returns the one already here). The machine
   * must be where the invariant allows: past the base, with no keyframe between.
   */
  take(extra: T, pinned = false): Keyframe<T> {
    const m = this.machine;
    const icount = m.icount;
    const here = this.atOrBefore(icount);
    if (here !== undefined && here.icount === icount) {
      if (pinned) here.pinned = true;
      return here;
    }
    if (here !== this.base) throw new Error(`keyframe at ${icount}: the machine did not pass the keyframe at ${here?.icount}`);
    const first = this.frames.length === 0;
    const pages = first ? m.ram.nonzeroPages() : m.ram.keyframeDirtyPages();
    for (const p of pages) this.addVersion(p, icount, m.ram.u8.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE));
    const frame: Keyframe<T> = {
      icount,
      arena: new Uint8Array(m.arena.buffer, 0, m.arena.usedBytes).slice(),
      digestDirty: m.ram.dirtyPages(),
      pages,
      disks: m.disks.map((d) => d.overlay.snapshotBlocks().map(([i, b]): [number, Uint8Array] => [i, b.slice()])),
      extra,
      pinned,
    };
    this.fixedBytes += frameFixedBytes(frame);
    this.frames.splice(this.indexAfter(icount), 0, frame);
    this.base = frame;
    m.ram.startKeyframeTracking();
    this.thin();
    return frame;
  }

  /** The machine, running forward, has reached `frame`'s icount: its state is the keyframe's. */
  passed(frame: Keyframe<T>): void {
    this.base = frame;
    this.machine.ram.startKeyframeTracking();
  }

  /** Puts the machine in `frame`'s state and returns what the engine kept with it. */
  restore(frame: Keyframe<T>): T {
    const m = this.machine;
    const ram = m.ram;
    const from = this.base;
    const touched = new Set(ram.keyframeDirtyPages());
    if (from === undefined) throw new Error('no keyframe to restore from');
    const lo = Math.min(from.icount, frame.icount);
    const hi = Math.max(from.icount, frame.icount);
    for (let i = this.indexAfter(lo); i < this.frames.length && this.frames[i].icount <= hi; i++) {
      for (const p of this.frames[i].pages) touched.add(p);
    }
    for (const p of touched) ram.restorePage(p, this.versionAt(p, frame.icount));
    new Uint8Array(m.arena.buffer, 0, frame.arena.length).set(frame.arena);
    m.disks.forEach((d, k) => d.overlay.restoreBlocks(frame.disks[k]));
    ram.restoreDirtyTracking(frame.digestDirty);
    ram.startKeyframeTracking();
    this.base = frame;
    m.afterRestore();
    return frame.extra;
  }

  /**
   * Forgets the newest keyframe, taken at the machine's position, which turned out not to be
   * final: the recording did not move on from its icount, so more input may still land there.
   */
  dropLast(): void {
    const gone = this.frames[this.frames.length - 1];
    if (gone === undefined || gone !== this.base || this.frames.length === 1) throw new Error('only a keyframe taken at the position, after the first, can be dropped');
    for (const p of gone.pages) {
      const v = this.versions.get(p)!;
      const k = v.icounts.lastIndexOf(gone.icount);
      v.icounts.splice(k, 1);
      v.data.splice(k, 1);
      this.pageCount--;
    }
    this.fixedBytes -= frameFixedBytes(gone);
    this.frames.pop();
    this.base = this.frames[this.frames.length - 1];
    // Its pages were written since the keyframe that is the base again.
    this.machine.ram.addKeyframeDirty(gone.pages);
  }

  /** Unpins a keyframe (a named snapshot deleted); it may then be thinned. */
  unpin(frame: Keyframe<T>): void {
    frame.pinned = false;
    this.thin();
  }

  /** The contents of page `p` at `icount`: the latest version at or before it, else zero. */
  private versionAt(p: number, icount: number): Uint8Array {
    const v = this.versions.get(p);
    if (v === undefined) return ZERO_PAGE;
    const i = upperBound(v.icounts, icount) - 1;
    return i >= 0 ? v.data[i] : ZERO_PAGE;
  }

  private addVersion(p: number, icount: number, data: Uint8Array): void {
    let v = this.versions.get(p);
    if (v === undefined) this.versions.set(p, (v = { icounts: [], data: [] }));
    const i = upperBound(v.icounts, icount);
    v.icounts.splice(i, 0, icount);
    v.data.splice(i, 0, data);
    this.pageCount++;
  }

  /** Index of the first keyframe after `icount`. */
  private indexAfter(icount: number): number {
    let lo = 0;
    let hi = this.frames.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.frames[mid].icount <= icount) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private thin(): void {
    while (this.bytes > this.budgetBytes) {
      const victim = this.leastUseful();
      if (victim < 0) return;
      this.remove(victim);
    }
  }

  /**
   * The interior keyframe whose removal leaves the smallest gap for its age (distance from the
   * newest keyframe), or −1 when none may go.
   */
  private leastUseful(): number {
    const f = this.frames;
    const newest = f[f.length - 1]?.icount ?? 0;
    let best = -1;
    let bestScore = Infinity;
    for (let i = 1; i < f.length - 1; i++) {
      if (f[i].pinned || f[i] === this.base) continue;
      const score = (f[i + 1].icount - f[i - 1].icount) / (newest - f[i].icount + 1);
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }

  /**
   * Removes interior keyframe i. Its page versions that the next keyframe does not supersede
   * become the next keyframe's: the page did not change between them.
   */
  private remove(i: number): void {
    const gone = this.frames[i];
    const next = this.frames[i + 1];
    const nextPages = new Set(next.pages);
    for (const p of gone.pages) {
      const v = this.versions.get(p)!;
      const k = v.icounts.indexOf(gone.icount);
      if (nextPages.has(p)) {
        v.icounts.splice(k, 1);
        v.data.splice(k, 1);
        this.pageCount--;
      } else {
        v.icounts[k] = next.icount;
        next.pages.push(p);
      }
    }
    next.pages.sort((a, b) => a - b);
    this.fixedBytes -= frameFixedBytes(gone);
    this.frames.splice(i, 1);
  }
}

function frameFixedBytes(frame: Keyframe<unknown>): number {
  return frame.arena.length + frame.disks.reduce((n, blocks) => n + blocks.reduce((m, [, b]) => m + b.length, 0), 0);
}

/** The index of the first element greater than `x` in ascending `a`. */
function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
