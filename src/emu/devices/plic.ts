// The SiFive PLIC of QEMU's virt board with one hart: sources 1..96, priorities 0..7, context 0 =
// hart 0 M-mode (drives MEIP) and context 1 = hart 0 S-mode (drives SEIP). Each source has a
// level-triggered gateway: a rising line sets pending; a claim clears pending and holds the source
// in flight; completion releases it and, if the line is still high, pends it again. All of it
// (including the input levels) lives in the state arena; the MEIP/SEIP levels are derived.
import type { AccessSize, MmioDevice } from '../bus.js';
import { MIP_MEIP, MIP_SEIP } from '../cpu/csr.js';
import type { HartInterruptInput, IrqSink } from '../interrupts.js';
import type { StateArena } from '../state.js';
import { VIRT_PLIC_NUM_PRIORITIES, VIRT_PLIC_NUM_SOURCES } from '../virt-map.js';

const PLIC_PRIORITY_BASE = 0x0;
const PLIC_PENDING_BASE = 0x1000;
const PLIC_ENABLE_BASE = 0x2000;
const PLIC_ENABLE_STRIDE = 0x80;
const PLIC_CONTEXT_BASE = 0x20_0000;
const PLIC_CONTEXT_STRIDE = 0x1000;
const PLIC_CONTEXT_THRESHOLD = 0x0;
const PLIC_CONTEXT_CLAIM = 0x4;

/** Source ids run 1..VIRT_PLIC_NUM_SOURCES; id 0 means "none". */
const MAX_SOURCE = VIRT_PLIC_NUM_SOURCES;
const WORDS = (MAX_SOURCE >>> 5) + 1;
/** Enable bits that exist in the last word (sources up to MAX_SOURCE). */
const LAST_WORD_MASK = 2 ** ((MAX_SOURCE & 31) + 1) - 1;
/** Context → the mip bit it drives. */
const CONTEXT_MIP = [MIP_MEIP, MIP_SEIP];
const CONTEXTS = CONTEXT_MIP.length;

export class Plic implements MmioDevice, IrqSink {
  private readonly priority: Uint32Array;
  private readonly pending: Uint32Array;
  /** Sources claimed and not yet completed: their gateway forwards nothing new. */
  private readonly inFlight: Uint32Array;
  /** The level each source line is driven at (the gateways' inputs). */
  private readonly level: Uint32Array;
  private readonly enable: Uint32Array;
  private readonly threshold: Uint32Array;

  constructor(
    arena: StateArena,
    name: string,
    private readonly hart: HartInterruptInput,
  ) {
    this.priority = arena.u32(`${name}.priority`, MAX_SOURCE + 1);
    this.pending = arena.u32(`${name}.pending`, WORDS);
    this.inFlight = arena.u32(`${name}.claimed`, WORDS);
    this.level = arena.u32(`${name}.level`, WORDS);
    this.enable = arena.u32(`${name}.enable`, WORDS * CONTEXTS);
    this.threshold = arena.u32(`${name}.threshold`, CONTEXTS);
  }

  /** Re-drives MEIP/SEIP from the registers. */
  afterRestore(): void {
    this.update();
  }

  setIrq(line: number, level: boolean): void {
    if (line < 1 || line > MAX_SOURCE) return;
    const w = line >>> 5;
    const bit = 1 << (line & 31);
    // Only changes matter: a device re-driving the level it already drives (as every device does
    // after a restore) must not re-pend a source the guest has claimed.
    if (((this.level[w] & bit) !== 0) === level) return;
    if (level) {
      this.level[w] |= bit;
      if ((this.inFlight[w] & bit) === 0) this.pending[w] |= bit;
    } else {
      // A level request withdrawn before the claim stays pending, as in QEMU and the spec.
      this.level[w] &= ~bit;
    }
    this.update();
  }

  read(offset: number, size: AccessSize): number {
    if (size !== 4 || (offset & 3) !== 0) return 0;
    if (offset < PLIC_PRIORITY_BASE + 4 * (MAX_SOURCE + 1)) {
      return this.priority[(offset - PLIC_PRIORITY_BASE) >>> 2];
    }
    if (offset >= PLIC_PENDING_BASE && offset < PLIC_PENDING_BASE + 4 * WORDS) {
      return this.pending[(offset - PLIC_PENDING_BASE) >>> 2];
    }
    const en = this.enableIndex(offset);
    if (en >= 0) return this.enable[en];
    const ctx = this.contextOf(offset);
    if (ctx >= 0) {
      switch (offset & (PLIC_CONTEXT_STRIDE - 1)) {
        case PLIC_CONTEXT_THRESHOLD:
          return this.threshold[ctx];
        case PLIC_CONTEXT_CLAIM:
          return this.claim(ctx);
      }
    }
    return 0;
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (size !== 4 || (offset & 3) !== 0) return;
    if (offset < PLIC_PRIORITY_BASE + 4 * (MAX_SOURCE + 1)) {
      const source = (offset - PLIC_PRIORITY_BASE) >>> 2;
      // Source 0 does not exist; its priority reads 0 (as QEMU's does).
      if (source === 0) return;
      // 0..7 is a power of two wide, so the register is WARL and keeps the low bits (QEMU).
      this.priority[source] = (value >>> 0) % (VIRT_PLIC_NUM_PRIORITIES + 1);
      this.update();
      return;
    }
    const en = this.enableIndex(offset);
    if (en >= 0) {
      this.enable[en] = en % WORDS === WORDS - 1 ? value & LAST_WORD_MASK : value >>> 0;
      this.update();
      return;
    }
    const ctx = this.contextOf(offset);
    if (ctx >= 0) {
      switch (offset & (PLIC_CONTEXT_STRIDE - 1)) {
        case PLIC_CONTEXT_THRESHOLD:
          this.threshold[ctx] = (value >>> 0) % (VIRT_PLIC_NUM_PRIORITIES + 1);
          this.update();
          return;
        case PLIC_CONTEXT_CLAIM:
          this.complete(value >>> 0);
          return;
      }
    }
    // The pending bits are read-only; everything else is write-ignored.
  }

  /** Index into `enable` for an enable-word offset, or -1. */
  private enableIndex(offset: number): number {
    if (offset < PLIC_ENABLE_BASE || offset >= PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * CONTEXTS) return -1;
    const ctx = Math.floor((offset - PLIC_ENABLE_BASE) / PLIC_ENABLE_STRIDE);
    const word = ((offset - PLIC_ENABLE_BASE) % PLIC_ENABLE_STRIDE) >>> 2;
    return word < WORDS ? ctx * WORDS + word : -1;
  }

  private contextOf(offset: number): number {
    if (offset < PLIC_CONTEXT_BASE || offset >= PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * CONTEXTS) return -1;
    return Math.floor((offset - PLIC_CONTEXT_BASE) / PLIC_CONTEXT_STRIDE);
  }

  /** The source a claim by `ctx` would return: highest priority above threshold, ties to the lowest id. */
  private best(ctx: number): number {
    let bestId = 0;
    let bestPriority = this.threshold[ctx];
    for (let w = 0; w < WORDS; w++) {
      let bits = this.pending[w] & ~this.inFlight[w] & this.enable[ctx * WORDS + w];
      while (bits !== 0) {
        const b = 31 - Math.clz32(bits & -bits);
        bits &= bits - 1;
        const id = (w << 5) | b;
        if (this.priority[id] > bestPriority) {
          bestPriority = this.priority[id];
          bestId = id;
        }
      }
    }
    return bestId;
  }

  private claim(ctx: number): number {
    const id = this.best(ctx);
    if (id !== 0) {
      const w = id >>> 5;
      const bit = 1 << (id & 31);
      this.pending[w] &= ~bit;
      this.inFlight[w] |= bit;
    }
    this.update();
    return id;
  }

  private complete(id: number): void {
    // Like QEMU, completion is not checked against the context's enables.
    if (id < 1 || id > MAX_SOURCE) return;
    const w = id >>> 5;
    const bit = 1 << (id & 31);
    this.inFlight[w] &= ~bit;
    // The gateway forwards a level that is still high as a new request.
    if (this.level[w] & bit) this.pending[w] |= bit;
    this.update();
  }

  private update(): void {
    for (let ctx = 0; ctx < CONTEXTS; ctx++) this.hart.setPending(CONTEXT_MIP[ctx], this.best(ctx) !== 0);
  }
}
