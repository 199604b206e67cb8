// The CLINT of QEMU's virt board for one hart: msip (→ MSIP), mtimecmp (→ MTIP) and mtime.
// mtime counts at 10 MHz of virtual time, plus an offset the guest sets by writing mtime.
// MTIP is a level, mtime ≥ mtimecmp; when mtimecmp lies ahead, a VirtualTimer is armed at the exact
// virtual nanosecond mtime reaches it, so the machine stops there and the level rises on time.
// 64-bit registers are kept as u32 halves in the arena; BigInt appears only on the slow paths
// (register writes, timer updates, mtime()); mtimeLow()/mtimeHigh() read without it.
import type { AccessSize, MmioDevice } from '../bus.js';
import { MIP_MSIP, MIP_MTIP } from '../cpu/csr.js';
import type { HartInterruptInput } from '../interrupts.js';
import type { StateArena } from '../state.js';
import type { TimerQueue, VirtualClock, VirtualTimer } from '../timers.js';
import { VIRT_TIMEBASE_FREQ } from '../virt-map.js';

const CLINT_MSIP = 0x0;
const CLINT_MTIMECMP = 0x4000;
const CLINT_MTIME = 0xbff8;

/** Virtual nanoseconds per mtime tick (100 at 10 MHz). */
const NS_PER_TICK = 1_000_000_000 / VIRT_TIMEBASE_FREQ;
const TWO_32 = 2 ** 32;
const MASK_64 = (1n << 64n) - 1n;

const R_MSIP = 0;
const R_MTIMECMP_LO = 1;
const R_MTIMECMP_HI = 2;
/** mtime − ticks of virtual time, modulo 2^64. */
const R_OFFSET_LO = 3;
const R_OFFSET_HI = 4;
const R_COUNT = 5;

export class Clint implements MmioDevice {
  private readonly r: Uint32Array;
  private readonly timer: VirtualTimer;

  constructor(
    arena: StateArena,
    name: string,
    private readonly clock: VirtualClock,
    timers: TimerQueue,
    private readonly hart: HartInterruptInput,
  ) {
    this.r = arena.u32(`${name}.regs`, R_COUNT);
    this.timer = timers.create(`${name}.mtimecmp`, () => this.updateTimer());
    // As on QEMU at boot, mtimecmp = 0 ≤ mtime, so MTIP starts high.
    this.afterRestore();
  }

  /** Re-arms the mtimecmp timer and re-drives MSIP/MTIP from the registers. */
  afterRestore(): void {
    this.hart.setPending(MIP_MSIP, this.r[R_MSIP] !== 0);
    this.updateTimer();
  }

  /** mtime now (the `time`/`timeh` CSRs); mtimeLow/mtimeHigh give the halves without BigInt. */
  mtime(): bigint {
    return (this.ticksBig() + this.offsetBig()) & MASK_64;
  }

  /** Low half of mtime now (the `time` CSR). */
  mtimeLow(): number {
    const ticks = Math.floor(this.clock.nowNs() / NS_PER_TICK);
    return ((ticks % TWO_32) + this.r[R_OFFSET_LO]) >>> 0;
  }

  /** High half of mtime now (the `timeh` CSR). */
  mtimeHigh(): number {
    const ticks = Math.floor(this.clock.nowNs() / NS_PER_TICK);
    const lo = ticks % TWO_32;
    const carry = lo + this.r[R_OFFSET_LO] >= TWO_32 ? 1 : 0;
    return (Math.floor(ticks / TWO_32) + this.r[R_OFFSET_HI] + carry) >>> 0;
  }

  read(offset: number, size: AccessSize): number {
    if (size !== 4) return 0;
    switch (offset) {
      case CLINT_MSIP:
        return this.r[R_MSIP];
      case CLINT_MTIMECMP:
        return this.r[R_MTIMECMP_LO];
      case CLINT_MTIMECMP + 4:
        return this.r[R_MTIMECMP_HI];
      case CLINT_MTIME:
        return this.mtimeLow();
      case CLINT_MTIME + 4:
        return this.mtimeHigh();
      default:
        return 0;
    }
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (size !== 4) return;
    const r = this.r;
    switch (offset) {
      case CLINT_MSIP:
        r[R_MSIP] = value & 1;
        this.hart.setPending(MIP_MSIP, r[R_MSIP] !== 0);
        return;
      case CLINT_MTIMECMP:
        r[R_MTIMECMP_LO] = value;
        this.updateTimer();
        return;
      case CLINT_MTIMECMP + 4:
        r[R_MTIMECMP_HI] = value;
        this.updateTimer();
        return;
      case CLINT_MTIME:
        this.setMtime((this.mtime() & ~0xffff_ffffn) | BigInt(value >>> 0));
        return;
      case CLINT_MTIME + 4:
        this.setMtime((BigInt(value >>> 0) << 32n) | (this.mtime() & 0xffff_ffffn));
        return;
    }
  }

  private ticksBig(): bigint {
    return BigInt(Math.floor(this.clock.nowNs() / NS_PER_TICK));
  }

  private offsetBig(): bigint {
    return (BigInt(this.r[R_OFFSET_HI]) << 32n) | BigInt(this.r[R_OFFSET_LO]);
  }

  private setMtime(mtime: bigint): void {
    const offset = (mtime - this.ticksBig()) & MASK_64;
    this.r[R_OFFSET_LO] = Number(offset & 0xffff_ffffn);
    this.r[R_OFFSET_HI] = Number(offset >> 32n);
    this.updateTimer();
  }

  /** Drives MTIP from mtime ≥ mtimecmp and, while it is low, arms the timer for the crossing. */
  private updateTimer(): void {
    const ticks = this.ticksBig();
    const mtime = (ticks + this.offsetBig()) & MASK_64;
    const mtimecmp = (BigInt(this.r[R_MTIMECMP_HI]) << 32n) | BigInt(this.r[R_MTIMECMP_LO]);
    const reached = mtime >= mtimecmp;
    this.hart.setPending(MIP_MTIP, reached);
    if (reached) {
      this.timer.deadlineNs = Infinity;
      return;
    }
    // mtime reaches mtimecmp at the first tick ≥ ticks + (mtimecmp − mtime), which begins exactly
    // at that tick's first nanosecond.
    const deadline = (ticks + (mtimecmp - mtime)) * BigInt(NS_PER_TICK);
    this.timer.deadlineNs = deadline > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(deadline);
  }
}
