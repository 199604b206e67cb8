// Unit tests of the CLINT: msip, mtime from virtual time and its guest-set offset, MTIP as the
// level mtime ≥ mtimecmp, the timer armed at the exact crossing, and restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIP_MSIP, MIP_MTIP } from '../../src/emu/cpu/csr.js';
import { Clint } from '../../src/emu/devices/clint.js';
import type { HartInterruptInput } from '../../src/emu/interrupts.js';
import { StateArena } from '../../src/emu/state.js';
import { TimerQueue } from '../../src/emu/timers.js';

const MSIP = 0x0;
const MTIMECMP = 0x4000;
const MTIME = 0xbff8;

class Rig implements HartInterruptInput {
  now = 0;
  mip = 0;
  readonly arena = new StateArena();
  readonly timers = new TimerQueue();
  readonly clint: Clint;

  constructor() {
    this.clint = new Clint(this.arena, 'clint', { nowNs: () => this.now }, this.timers, this);
  }

  setPending(bit: number, level: boolean): void {
    this.mip = level ? this.mip | bit : this.mip & ~bit;
  }

  rd(off: number): number {
    return this.clint.read(off, 4);
  }

  wr(off: number, v: number): void {
    this.clint.write(off, 4, v);
  }

  setCmp(value: number): void {
    this.wr(MTIMECMP + 4, 0xffffffff); // no spurious crossing while the halves change
    this.wr(MTIMECMP, value % 2 ** 32);
    this.wr(MTIMECMP + 4, Math.floor(value / 2 ** 32));
  }

  advance(toNs: number): void {
    this.now = toNs;
    this.timers.fireDue(toNs);
  }
}

test('at reset mtimecmp is 0, so MTIP is high, as on QEMU', () => {
  const r = new Rig();
  assert.equal(r.rd(MTIMECMP), 0);
  assert.equal(r.rd(MTIMECMP + 4), 0);
  assert.equal(r.mip, MIP_MTIP);
});

test('msip keeps bit 0 only and drives MSIP', () => {
  const r = new Rig();
  r.wr(MSIP, 0xffffffff);
  assert.equal(r.rd(MSIP), 1);
  assert.equal(r.mip & MIP_MSIP, MIP_MSIP);
  r.wr(MSIP, 2);
  assert.equal(r.rd(MSIP), 0);
  assert.equal(r.mip & MIP_MSIP, 0);
});

test('mtime counts 10 MHz of virtual time, in two halves', () => {
  const r = new Rig();
  r.now = 1299;
  assert.equal(r.rd(MTIME), 12);
  assert.equal(r.rd(MTIME + 4), 0);
  r.now = 100 * 2 ** 32 + 550;
  assert.equal(r.rd(MTIME), 5);
  assert.equal(r.rd(MTIME + 4), 1);
  assert.equal(r.clint.mtime(), 2n ** 32n + 5n);
  assert.equal(r.clint.mtimeLow(), 5);
  assert.equal(r.clint.mtimeHigh(), 1);
});

test('MTIP rises at the exact nanosecond mtime reaches mtimecmp', () => {
  const r = new Rig();
  r.now = 1234; // mtime 12, mid-tick
  r.setCmp(20);
  assert.equal(r.mip & MIP_MTIP, 0);
  assert.equal(r.timers.nextDeadlineNs(), 2000, 'tick 20 begins at 2000 ns');
  r.advance(1999);
  assert.equal(r.mip & MIP_MTIP, 0);
  assert.equal(r.rd(MTIME), 19);
  r.advance(2000);
  assert.equal(r.rd(MTIME), 20);
  assert.equal(r.mip & MIP_MTIP, MIP_MTIP);
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
});

test('a later mtimecmp clears MTIP and re-arms; one in the past raises it at once', () => {
  const r = new Rig();
  r.now = 5000;
  r.setCmp(10);
  assert.equal(r.mip & MIP_MTIP, MIP_MTIP);
  r.setCmp(80);
  assert.equal(r.mip & MIP_MTIP, 0);
  assert.equal(r.timers.nextDeadlineNs(), 8000);
  r.setCmp(50);
  assert.equal(r.mip & MIP_MTIP, MIP_MTIP, 'mtime 50 ≥ 50');
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
});

test('mtimecmp beyond 2^53 ns of virtual time never arms the timer', () => {
  const r = new Rig();
  r.setCmp(2 ** 52);
  assert.equal(r.mip & MIP_MTIP, 0);
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
  r.setCmp(2 ** 44); // 2^44 ticks · 100 ns < 2^53
  assert.equal(r.timers.nextDeadlineNs(), 2 ** 44 * 100);
});

test('writing mtime sets an offset, keeps the other half, and moves the deadline', () => {
  const r = new Rig();
  r.now = 1000; // mtime 10
  r.setCmp(100);
  assert.equal(r.timers.nextDeadlineNs(), 10_000);
  r.wr(MTIME, 60);
  assert.equal(r.rd(MTIME), 60);
  assert.equal(r.rd(MTIME + 4), 0);
  assert.equal(r.timers.nextDeadlineNs(), 5_000, 'mtime 60 at 1000 ns reaches 100 at 5000 ns');
  r.now = 1250;
  assert.equal(r.rd(MTIME), 62);
  r.wr(MTIME + 4, 5);
  assert.equal(r.rd(MTIME + 4), 5);
  assert.equal(r.rd(MTIME), 62, 'the low half is kept');
  assert.equal(r.mip & MIP_MTIP, MIP_MTIP, 'mtime jumped past mtimecmp');
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
  r.wr(MTIME + 4, 0);
  r.wr(MTIME, 0xffffffff); // offset so large the low half wraps within a few ticks
  r.now = 1450;
  assert.equal(r.rd(MTIME), 1);
  assert.equal(r.rd(MTIME + 4), 1);
  assert.equal(r.clint.mtimeLow(), 1);
  assert.equal(r.clint.mtimeHigh(), 1);
});

test('only word accesses to the registers act; holes read 0', () => {
  const r = new Rig();
  r.clint.write(MSIP, 1, 1);
  assert.equal(r.rd(MSIP), 0);
  assert.equal(r.clint.read(MTIME, 2), 0);
  assert.equal(r.rd(4), 0, 'msip of a hart that does not exist');
  assert.equal(r.rd(MTIMECMP + 8), 0);
});

test('afterRestore re-arms the timer and re-drives MSIP/MTIP in a fresh device', () => {
  const a = new Rig();
  a.now = 700;
  a.wr(MSIP, 1);
  a.wr(MTIME, 1000);
  a.setCmp(1500);

  const b = new Rig();
  new Uint8Array(b.arena.buffer).set(new Uint8Array(a.arena.buffer));
  b.mip = MIP_MTIP; // stale: the reset state's level
  b.now = 700;
  b.clint.afterRestore();
  assert.equal(b.mip, MIP_MSIP);
  assert.equal(b.rd(MTIME), 1000);
  assert.equal(b.timers.nextDeadlineNs(), 700 + 500 * 100);
  b.advance(700 + 500 * 100);
  assert.equal(b.mip, MIP_MSIP | MIP_MTIP);
});
