// The Goldfish RTC of QEMU's virt board (hw/rtc/goldfish_rtc.c): nanoseconds since the epoch from
// the host's WallClock, plus an offset the guest sets by writing the time, and one alarm.
// The wall clock is a recorded input, so it is read only when the guest needs it: a TIME_LOW read
// (which latches the high half for TIME_HIGH), a time write (to turn the new time into an offset)
// and arming the alarm. A pending alarm becomes a virtual-time deadline at arming time, kept in the
// arena, so firing and restoring it never read the host clock.
import type { AccessSize, MmioDevice } from '../bus.js';
import type { WallClock } from '../host/ports.js';
import type { IrqLine } from '../interrupts.js';
import type { StateArena } from '../state.js';
import type { TimerQueue, VirtualClock, VirtualTimer } from '../timers.js';

const RTC_TIME_LOW = 0x00;
const RTC_TIME_HIGH = 0x04;
const RTC_ALARM_LOW = 0x08;
const RTC_ALARM_HIGH = 0x0c;
const RTC_IRQ_ENABLED = 0x10;
const RTC_CLEAR_ALARM = 0x14;
const RTC_ALARM_STATUS = 0x18;
const RTC_CLEAR_INTERRUPT = 0x1c;

const MASK_32 = 0xffff_ffffn;
const MASK_64 = (1n << 64n) - 1n;

const R_TIME_HIGH = 0; // latched by the last TIME_LOW read
const R_ALARM_LOW = 1;
const R_ALARM_HIGH = 2;
const R_ALARM_RUNNING = 3;
const R_IRQ_PENDING = 4;
const R_IRQ_ENABLED = 5;
/** RTC time − wall clock, modulo 2^64. */
const R_OFFSET_LO = 6;
const R_OFFSET_HI = 7;
const R_COUNT = 8;

export class GoldfishRtc implements MmioDevice {
  private readonly r: Uint32Array;
  /** Virtual-time deadline of the running alarm (meaningful while ALARM_RUNNING). */
  private readonly alarmAt: Float64Array;
  private readonly timer: VirtualTimer;

  constructor(
    arena: StateArena,
    name: string,
    private readonly clock: VirtualClock,
    timers: TimerQueue,
    private readonly wall: WallClock,
    private readonly irq: IrqLine,
  ) {
    this.r = arena.u32(`${name}.regs`, R_COUNT);
    this.alarmAt = arena.f64(`${name}.alarm`, 1);
    this.alarmAt[0] = Infinity;
    this.timer = timers.create(`${name}.alarm`, () => this.fire());
  }

  /** Re-arms the alarm and re-drives the interrupt line from the registers. */
  afterRestore(): void {
    this.timer.deadlineNs = this.r[R_ALARM_RUNNING] ? this.alarmAt[0] : Infinity;
    this.updateIrq();
  }

  read(offset: number, size: AccessSize): number {
    if (size !== 4) return 0;
    const r = this.r;
    switch (offset) {
      case RTC_TIME_LOW: {
        const now = this.rtcNow();
        r[R_TIME_HIGH] = Number(now >> 32n);
        return Number(now & MASK_32);
      }
      case RTC_TIME_HIGH:
        return r[R_TIME_HIGH];
      case RTC_ALARM_LOW:
        return r[R_ALARM_LOW];
      case RTC_ALARM_HIGH:
        return r[R_ALARM_HIGH];
      case RTC_IRQ_ENABLED:
        return r[R_IRQ_ENABLED];
      case RTC_ALARM_STATUS:
        return r[R_ALARM_RUNNING];
      default:
        return 0;
    }
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (size !== 4) return;
    const r = this.r;
    const v = BigInt(value >>> 0);
    switch (offset) {
      case RTC_TIME_LOW:
        this.setTimeHalf(0n, v);
        return;
      case RTC_TIME_HIGH:
        this.setTimeHalf(32n, v);
        return;
      case RTC_ALARM_LOW:
        r[R_ALARM_LOW] = value;
        this.armAlarm();
        return;
      case RTC_ALARM_HIGH:
        r[R_ALARM_HIGH] = value;
        return;
      case RTC_IRQ_ENABLED:
        r[R_IRQ_ENABLED] = value & 1;
        this.updateIrq();
        return;
      case RTC_CLEAR_ALARM:
        this.stopAlarm();
        return;
      case RTC_CLEAR_INTERRUPT:
        r[R_IRQ_PENDING] = 0;
        this.updateIrq();
        return;
    }
  }

  private offset(): bigint {
    return (BigInt(this.r[R_OFFSET_HI]) << 32n) | BigInt(this.r[R_OFFSET_LO]);
  }

  /** RTC time in ns: one read of the wall clock. */
  private rtcNow(): bigint {
    return (this.wall.nowNs() + this.offset()) & MASK_64;
  }

  /** Replaces one 32-bit half of the RTC time. The offset is relative to the wall clock, so this
   * needs the current time: one read. */
  private setTimeHalf(shift: bigint, value: bigint): void {
    const wall = this.wall.nowNs();
    const now = (wall + this.offset()) & MASK_64;
    const time = (now & ~(MASK_32 << shift)) | (value << shift);
    const offset = (time - wall) & MASK_64;
    this.r[R_OFFSET_LO] = Number(offset & MASK_32);
    this.r[R_OFFSET_HI] = Number(offset >> 32n);
  }

  private armAlarm(): void {
    const alarm = (BigInt(this.r[R_ALARM_HIGH]) << 32n) | BigInt(this.r[R_ALARM_LOW]);
    const now = this.rtcNow();
    if (alarm <= now) {
      this.stopAlarm();
      this.fire();
      return;
    }
    // RTC time and virtual time both count nanoseconds, so the alarm is that far into virtual time.
    const deadline = BigInt(this.clock.nowNs()) + (alarm - now);
    this.alarmAt[0] = deadline > BigInt(Number.MAX_SAFE_INTEGER) ? Infinity : Number(deadline);
    this.r[R_ALARM_RUNNING] = 1;
    this.timer.deadlineNs = this.alarmAt[0];
  }

  private stopAlarm(): void {
    this.r[R_ALARM_RUNNING] = 0;
    this.alarmAt[0] = Infinity;
    this.timer.deadlineNs = Infinity;
  }

  private fire(): void {
    this.r[R_ALARM_RUNNING] = 0;
    this.alarmAt[0] = Infinity;
    this.r[R_IRQ_PENDING] = 1;
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.set((this.r[R_IRQ_PENDING] & this.r[R_IRQ_ENABLED]) !== 0);
  }
}
