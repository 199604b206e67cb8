// The compiled regions of guest RAM, one per 4 KiB physical page, keyed by the page and the
// virtual page it was compiled for (pc values are virtual). A page is compiled once the
// interpreter has run enough instructions from it, with the code it has seen run; a region
// grows (a return address, an interrupted pc, a path not taken before) when execution keeps
// arriving at pcs it has no block for: their blocks are compiled into one more function, and
// the functions compiled before keep the code V8 has optimized for them. A write to the compiled
// bytes of a page drops its region (RAM's WATCH_CODE bit shows the hart writes to such pages),
// whoever makes it: a store, a device, a debugger, a snapshot or keyframe restore. Code a
// restore leaves as it was stays compiled, so seeking in time does not start cold.

import type { Ram } from '../../memory/ram.js';
import { compileRegion, GRANULE_SHIFT, MAX_BLOCK, type JitHart, type RegionExit, type RegionFunction } from './region-compiler.js';

/** log2 of the granules per 4 KiB page. */
const GRANULES_PER_PAGE_SHIFT = 12 - GRANULE_SHIFT;

/** Instructions interpreted from a page before it is compiled. */
const HOT_INSTRUCTIONS = 20000;
/**
 * Instructions interpreted in a compiled page (arrivals where it has no block) before more of it
 * is compiled; the count grows with each compilation, so a page whose code keeps changing course
 * costs a bounded share of the time.
 */
const HOT_MISSES = 1024;

export interface Region {
  /** The virtual page base (int32) the region's pcs belong to. */
  readonly pageVa: number;
  /** False once the page has been written: the interpreter then stops using it. */
  valid: boolean;
  /**
   * The function that runs from each block entry, by the entry's halfword in the page
   * (`(pc & 0xfff) >>> 1`): an array, as the hart looks here before every run of compiled code.
   */
  readonly entries: (RegionFunction | undefined)[];
  /** The same, leaving before instructions at breakpoints (compiled when first asked for). */
  readonly checkedEntries: Map<number, () => RegionFunction>;
  /**
   * The page's bytes compiled, by granule: a write elsewhere in the page (data beside code) keeps
   * the region. The page's part of RegionCache's map of all RAM, which compiled stores test.
   */
  readonly covered: Uint8Array;
  readonly misses: Map<number, number>;
  /** Arrivals without a block since the region last grew. */
  missCount: number;
  /** Entries the compiler could not start a block at (SYSTEM, AMO…): arriving there is no miss. */
  readonly rejected: Set<number>;
  compiles: number;
}

export class RegionCache {
  /** Where the last region run ended (written by the generated code). */
  readonly exit: RegionExit = { off: 0, done: 0, accessOffset: 0 };
  private readonly regions: (Region | undefined)[];
  private readonly heat: Int32Array;
  /**
   * Every granule of RAM some region was compiled from. Compiled code tests it on a store to a page
   * RAM watches for code, so data beside code (a small program's buffers in its code's page) stays
   * on the fast path: calling out for each such store cost the compute benchmark ~10 %.
   */
  private readonly codeMap: Uint8Array;
  /**
   * The pcs the interpreter has run from each page (while heating, and where a region has no
   * block): a byte per halfword, as it is marked for every instruction interpreted there.
   */
  private readonly executed: (Uint8Array | undefined)[];

  constructor(
    private readonly ram: Ram,
    private readonly hart: JitHart,
    private readonly mulDiv: (f3: number, a: number, b: number) => number,
    /** The breakpoint map of a virtual page (HartDebug.stopsOf), tested by its compiled code. */
    private readonly stopsOf: (vpn: number) => Uint8Array,
    /** The longest block (1: one compiled instruction per block, to locate a difference). */
    private readonly maxBlock = MAX_BLOCK,
  ) {
    const pages = ram.size >>> 12;
    this.regions = new Array<Region | undefined>(pages).fill(undefined);
    this.executed = new Array<Uint8Array | undefined>(pages).fill(undefined);
    this.heat = new Int32Array(pages);
    this.codeMap = new Uint8Array(ram.size >>> GRANULE_SHIFT);
  }

  /** The valid region of RAM page `page` compiled for virtual page `pageVa`, if any. */
  lookup(page: number, pageVa: number): Region | undefined {
    const r = this.regions[page];
    return r !== undefined && r.valid && r.pageVa === pageVa ? r : undefined;
  }

  /** One instruction at `pc` was interpreted from the page; returns its region once it is hot and compiled. */
  interpreted(page: number, pageVa: number, pc: number): Region | undefined {
    this.ran(page, pc);
    if (++this.heat[page] < HOT_INSTRUCTIONS) return undefined;
    this.heat[page] = 0;
    return this.compile(page, pageVa, [pc], 0);
  }

  /**
   * Execution is at `pc` in the region's page where it has no block; returns the region to use
   * now. Only `arrived` pcs (reached by a jump, a return, a trap or the end of a compiled run,
   * not by the interpreter running on) count towards growing the region: they are where blocks
   * start.
   */
  missed(region: Region, page: number, pc: number, arrived: boolean): Region {
    if (region.rejected.has(pc)) return region;
    this.ran(page, pc);
    if (!arrived) return region;
    region.misses.set(pc, (region.misses.get(pc) ?? 0) + 1);
    if (++region.missCount < HOT_MISSES * Math.min(region.compiles, 64)) return region;
    // The pcs arrived at more than once become entries (a loop's are arrived at every turn).
    const more = [...region.misses].filter(([, count]) => count > 1).map(([missedPc]) => missedPc);
    this.grow(region, page, more);
    return region;
  }

  /**
   * `size` bytes at `offset` in the page were written: a region compiled from them is stale.
   * Returns true when the page has no region any more (RAM stops showing it writes).
   */
  written(page: number, offset: number, size: number): boolean {
    const r = this.regions[page];
    if (r === undefined) return true;
    const last = Math.min(offset + size, 0x1000) - 1;
    let hit = false;
    for (let g = offset >>> GRANULE_SHIFT; g <= last >>> GRANULE_SHIFT && !hit; g++) hit = r.covered[g] !== 0;
    if (!hit) return false;
    r.valid = false;
    r.covered.fill(0);
    this.regions[page] = undefined;
    this.heat[page] = 0;
    this.executed[page] = undefined;
    return true;
  }

  /** Drops every region (compilation is being turned off). */
  flush(): void {
    for (let page = 0; page < this.regions.length; page++) {
      const r = this.regions[page];
      if (r === undefined) continue;
      r.valid = false;
      r.covered.fill(0);
      this.regions[page] = undefined;
    }
    this.heat.fill(0);
    this.executed.fill(undefined);
  }

  private ran(page: number, pc: number): void {
    (this.executed[page] ??= new Uint8Array(0x800))[(pc & 0xfff) >>> 1] = 1;
  }

  private compile(page: number, pageVa: number, seeds: number[], compiles: number): Region {
    const old = this.regions[page];
    if (old !== undefined) old.valid = false;
    const region: Region = {
      pageVa, valid: true, entries: new Array<RegionFunction | undefined>(0x800).fill(undefined), checkedEntries: new Map(),
      covered: this.codeMap.subarray(page << GRANULES_PER_PAGE_SHIFT, (page + 1) << GRANULES_PER_PAGE_SHIFT).fill(0),
      misses: new Map(), missCount: 0, rejected: new Set(), compiles,
    };
    this.regions[page] = region;
    this.grow(region, page, seeds);
    this.ram.watchCode(page);
    return region;
  }

  /** Compiles the blocks the seeds reach that the region lacks into one more function. */
  private grow(region: Region, page: number, seeds: number[]): void {
    const executed = this.executed[page] ?? new Uint8Array(0x800);
    const compiled = new Set(region.checkedEntries.keys()); // the same pcs as entries
    const more = compileRegion(region.pageVa, this.ram.view, page << 12, seeds, executed, compiled, this.hart, this.exit, this.mulDiv,
      this.stopsOf(region.pageVa >>> 12), this.codeMap, this.maxBlock);
    for (const [pc, run] of more.entries) region.entries[(pc & 0xfff) >>> 1] = run;
    for (const [pc, run] of more.checkedEntries) region.checkedEntries.set(pc, run);
    for (const pc of more.rejected) region.rejected.add(pc);
    for (let g = 0; g < more.covered.length; g++) region.covered[g] |= more.covered[g];
    region.misses.clear();
    region.missCount = 0;
    region.compiles++;
  }
}
