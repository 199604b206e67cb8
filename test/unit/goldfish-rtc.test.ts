// Unit tests of the Goldfish RTC: the TIME_LOW latch, setting the time, the alarm as a
// virtual-time deadline, the interrupt gating, how often the wall clock is read, and restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoldfishRtc } from '../../src/emu/devices/goldfish-rtc.js';
import { IrqLine, type IrqSink } from '../../src/emu/interrupts.js';
import { StateArena } from '../../src/emu/state.js';
import { TimerQueue } from '../../src/emu/timers.js';

const TIME_LOW = 0x00;
const TIME_HIGH = 0x04;
const ALARM_LOW = 0x08;
const ALARM_HIGH = 0x0c;
const IRQ_ENABLED = 0x10;
const CLEAR_ALARM = 0x14;
const ALARM_STATUS = 0x18;
const CLEAR_INTERRUPT = 0x1c;

class Rig implements IrqSink {
  now = 0;
  wallNs = 0x1234_5678_9abc_def0n;
  wallReads = 0;
  level = false;
  readonly arena = new StateArena();
  readonly timers = new TimerQueue();
  readonly rtc: GoldfishRtc;

  constructor() {
    const wall = { nowNs: (): bigint => (this.wallReads++, this.wallNs) };
    this.rtc = new GoldfishRtc(this.arena, 'rtc', { nowNs: () => this.now }, this.timers, wall, new IrqLine(this, 11));
  }

  setIrq(line: number, level: boolean): void {
    assert.equal(line, 11);
    this.level = level;
  }

  rd(off: number): number {
    return this.rtc.read(off, 4);
  }

  wr(off: number, v: number): void {
    this.rtc.write(off, 4, v);
  }

  readTime(): bigint {
    const lo = this.rd(TIME_LOW);
    return (BigInt(this.rd(TIME_HIGH)) << 32n) | BigInt(lo);
  }

  setAlarm(t: bigint): void {
    this.wr(ALARM_HIGH, Number(t >> 32n));
    this.wr(ALARM_LOW, Number(t & 0xffff_ffffn));
  }

  advance(toNs: number): void {
    this.now = toNs;
    this.timers.fireDue(toNs);
  }
}

test('TIME_LOW reads the wall clock once and latches the high half for TIME_HIGH', () => {
  const r = new Rig();
  assert.equal(r.wallReads, 0, 'building the device reads nothing');
  assert.equal(r.rd(TIME_LOW), 0x9abc_def0);
  assert.equal(r.wallReads, 1);
  r.wallNs = 0x9999_0000_0000_0000n;
  assert.equal(r.rd(TIME_HIGH), 0x1234_5678, 'latched, not re-read');
  assert.equal(r.wallReads, 1);
  assert.equal(r.readTime(), 0x9999_0000_0000_0000n);
});

test('writing the time sets an offset from the wall clock', () => {
  const r = new Rig();
  r.wallNs = 1_000_000n;
  r.wr(TIME_HIGH, 2);
  r.wr(TIME_LOW, 500);
  assert.equal(r.wallReads, 2, 'each write needs the current time once');
  r.wallNs += 7000n;
  assert.equal(r.readTime(), (2n << 32n) + 500n + 7000n);
});

test('an alarm ahead fires at the matching virtual time and raises the interrupt when enabled', () => {
  const r = new Rig();
  r.now = 10_000;
  r.wr(IRQ_ENABLED, 1);
  const before = r.wallReads;
  r.setAlarm(r.wallNs + 5000n);
  assert.equal(r.wallReads - before, 1, 'arming reads the wall clock once');
  assert.equal(r.rd(ALARM_STATUS), 1);
  assert.equal(r.rd(ALARM_LOW), Number((r.wallNs + 5000n) & 0xffff_ffffn));
  assert.equal(r.rd(ALARM_HIGH), Number((r.wallNs + 5000n) >> 32n));
  assert.equal(r.timers.nextDeadlineNs(), 15_000);
  r.advance(14_999);
  assert.equal(r.level, false);
  r.advance(15_000);
  assert.equal(r.level, true);
  assert.equal(r.rd(ALARM_STATUS), 0);
  r.wr(CLEAR_INTERRUPT, 1);
  assert.equal(r.level, false);
  assert.equal(r.wallReads - before, 1, 'firing reads nothing');
});

test('an alarm not ahead fires at once; the interrupt waits for IRQ_ENABLED', () => {
  const r = new Rig();
  r.setAlarm(r.wallNs);
  assert.equal(r.rd(ALARM_STATUS), 0);
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
  assert.equal(r.level, false, 'not enabled');
  r.wr(IRQ_ENABLED, 3);
  assert.equal(r.rd(IRQ_ENABLED), 1);
  assert.equal(r.level, true, 'the pending interrupt shows once enabled');
  r.wr(IRQ_ENABLED, 0);
  assert.equal(r.level, false);
});

test('CLEAR_ALARM stops a running alarm', () => {
  const r = new Rig();
  r.wr(IRQ_ENABLED, 1);
  r.setAlarm(r.wallNs + 100n);
  r.wr(CLEAR_ALARM, 1);
  assert.equal(r.rd(ALARM_STATUS), 0);
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
  r.advance(1000);
  assert.equal(r.level, false);
});

test('unknown offsets and sub-word accesses read 0 and do nothing', () => {
  const r = new Rig();
  assert.equal(r.rd(0x20), 0);
  assert.equal(r.rtc.read(TIME_LOW, 1), 0);
  r.rtc.write(IRQ_ENABLED, 2, 1);
  assert.equal(r.rd(IRQ_ENABLED), 0);
  assert.equal(r.wallReads, 0);
});

test('afterRestore re-arms the alarm and re-drives the line without reading the wall clock', () => {
  const a = new Rig();
  a.now = 2000;
  a.wr(IRQ_ENABLED, 1);
  a.setAlarm(a.wallNs + 3000n);

  const b = new Rig();
  new Uint8Array(b.arena.buffer).set(new Uint8Array(a.arena.buffer));
  b.now = 2500;
  b.rtc.afterRestore();
  assert.equal(b.wallReads, 0);
  assert.equal(b.timers.nextDeadlineNs(), 5000);
  assert.equal(b.rd(ALARM_STATUS), 1);
  b.advance(5000);
  assert.equal(b.level, true);

  const c = new Rig();
  new Uint8Array(c.arena.buffer).set(new Uint8Array(b.arena.buffer));
  c.rtc.afterRestore();
  assert.equal(c.level, true, 'a pending, enabled interrupt is driven again');
  assert.equal(c.timers.nextDeadlineNs(), Infinity);
});
