// Unit tests of the PLIC: register map, claim order (priority, ties, threshold), the level
// gateway (re-pend on completion while the line is high), contexts → MEIP/SEIP, and restore.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MIP_MEIP, MIP_SEIP } from '../../src/emu/cpu/csr.js';
import type { HartInterruptInput } from '../../src/emu/interrupts.js';
import { Plic } from '../../src/emu/devices/plic.js';
import { StateArena } from '../../src/emu/state.js';

const PRIORITY = (src: number): number => 4 * src;
const PENDING = 0x1000;
const ENABLE = (ctx: number): number => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number): number => 0x20_0000 + 0x1000 * ctx;
const CLAIM = (ctx: number): number => 0x20_0004 + 0x1000 * ctx;

class Hart implements HartInterruptInput {
  mip = 0;
  setPending(bit: number, level: boolean): void {
    this.mip = level ? this.mip | bit : this.mip & ~bit;
  }
}

function rig(): { plic: Plic; hart: Hart; arena: StateArena } {
  const arena = new StateArena();
  const hart = new Hart();
  return { plic: new Plic(arena, 'plic', hart), hart, arena };
}

const rd = (p: Plic, off: number): number => p.read(off, 4);
const wr = (p: Plic, off: number, v: number): void => p.write(off, 4, v);

test('priorities are WARL 0..7 for sources 1..96; source 0 and beyond 96 read 0', () => {
  const { plic } = rig();
  wr(plic, PRIORITY(0), 5);
  assert.equal(rd(plic, PRIORITY(0)), 0);
  wr(plic, PRIORITY(1), 0xffffffff);
  assert.equal(rd(plic, PRIORITY(1)), 7);
  wr(plic, PRIORITY(5), 9);
  assert.equal(rd(plic, PRIORITY(5)), 1);
  wr(plic, PRIORITY(96), 3);
  assert.equal(rd(plic, PRIORITY(96)), 3);
  wr(plic, PRIORITY(97), 3);
  assert.equal(rd(plic, PRIORITY(97)), 0);
  wr(plic, THRESHOLD(1), 9);
  assert.equal(rd(plic, THRESHOLD(1)), 1);
});

test('enables: three full words and source 96 alone in the fourth; no third context', () => {
  const { plic } = rig();
  for (let w = 0; w < 5; w++) wr(plic, ENABLE(0) + 4 * w, 0xffffffff);
  assert.deepEqual([0, 1, 2, 3, 4].map((w) => rd(plic, ENABLE(0) + 4 * w)), [0xffffffff, 0xffffffff, 0xffffffff, 1, 0]);
  wr(plic, ENABLE(1), 0x400);
  assert.equal(rd(plic, ENABLE(1)), 0x400);
  wr(plic, ENABLE(2), 0x400);
  assert.equal(rd(plic, ENABLE(2)), 0);
  assert.equal(rd(plic, THRESHOLD(2)), 0);
});

test('a raised line pends; the pending bits are read-only; sub-word accesses do nothing', () => {
  const { plic } = rig();
  plic.setIrq(10, true);
  plic.setIrq(33, true);
  assert.equal(rd(plic, PENDING), 1 << 10);
  assert.equal(rd(plic, PENDING + 4), 1 << 1);
  wr(plic, PENDING, 0);
  assert.equal(rd(plic, PENDING), 1 << 10);
  assert.equal(plic.read(PENDING, 1), 0);
  plic.write(PRIORITY(1), 1, 3);
  assert.equal(rd(plic, PRIORITY(1)), 0);
});

test('claim: highest priority first, ties to the lowest id, only above threshold', () => {
  const { plic, hart } = rig();
  for (const [src, prio] of [[3, 2], [7, 5], [9, 5], [12, 1]]) {
    wr(plic, PRIORITY(src), prio);
    plic.setIrq(src, true);
  }
  assert.equal(hart.mip, 0, 'nothing enabled');
  wr(plic, ENABLE(0), (1 << 3) | (1 << 7) | (1 << 9) | (1 << 12));
  assert.equal(hart.mip, MIP_MEIP);
  wr(plic, THRESHOLD(0), 1);
  assert.equal(rd(plic, CLAIM(0)), 7);
  assert.equal(rd(plic, CLAIM(0)), 9);
  assert.equal(rd(plic, CLAIM(0)), 3);
  assert.equal(hart.mip, 0, 'source 12 has priority 1, not above threshold 1');
  assert.equal(rd(plic, CLAIM(0)), 0);
  wr(plic, THRESHOLD(0), 0);
  assert.equal(hart.mip, MIP_MEIP);
  assert.equal(rd(plic, CLAIM(0)), 12);
  assert.equal(rd(plic, PENDING), 0, 'claims cleared the pending bits');
});

test('priority 0 never interrupts', () => {
  const { plic, hart } = rig();
  wr(plic, ENABLE(0), 1 << 4);
  plic.setIrq(4, true);
  assert.equal(hart.mip, 0);
  assert.equal(rd(plic, CLAIM(0)), 0);
  assert.equal(rd(plic, PENDING), 1 << 4, 'a claim that returns 0 clears nothing');
});

test('context 1 drives SEIP with its own enables and threshold', () => {
  const { plic, hart } = rig();
  wr(plic, PRIORITY(10), 1);
  wr(plic, ENABLE(1), 1 << 10);
  plic.setIrq(10, true);
  assert.equal(hart.mip, MIP_SEIP);
  wr(plic, THRESHOLD(1), 1);
  assert.equal(hart.mip, 0);
  wr(plic, THRESHOLD(1), 0);
  assert.equal(rd(plic, CLAIM(0)), 0, 'not enabled for context 0');
  assert.equal(rd(plic, CLAIM(1)), 10);
  assert.equal(hart.mip, 0);
});

test('gateway: completion re-pends a line that is still high, not one that fell', () => {
  const { plic, hart } = rig();
  wr(plic, PRIORITY(10), 1);
  wr(plic, ENABLE(0), 1 << 10);
  plic.setIrq(10, true);
  assert.equal(rd(plic, CLAIM(0)), 10);
  plic.setIrq(10, true); // a device re-driving its level
  assert.equal(rd(plic, PENDING), 0, 'in flight: nothing new is forwarded');
  assert.equal(hart.mip, 0);
  wr(plic, CLAIM(0), 10);
  assert.equal(rd(plic, PENDING), 1 << 10, 'still high at completion: pends again');
  assert.equal(hart.mip, MIP_MEIP);
  assert.equal(rd(plic, CLAIM(0)), 10);
  plic.setIrq(10, false);
  wr(plic, CLAIM(0), 10);
  assert.equal(rd(plic, PENDING), 0);
  assert.equal(hart.mip, 0);
  plic.setIrq(10, true);
  assert.equal(hart.mip, MIP_MEIP, 'a new rising edge pends');
});

test('gateway: a line that rises again while in flight is delivered after completion', () => {
  const { plic } = rig();
  wr(plic, PRIORITY(5), 1);
  wr(plic, ENABLE(0), 1 << 5);
  plic.setIrq(5, true);
  assert.equal(rd(plic, CLAIM(0)), 5);
  plic.setIrq(5, false);
  plic.setIrq(5, true);
  assert.equal(rd(plic, CLAIM(0)), 0);
  wr(plic, CLAIM(0), 5);
  assert.equal(rd(plic, CLAIM(0)), 5);
});

test('a request withdrawn before the claim stays pending (QEMU and the spec)', () => {
  const { plic } = rig();
  wr(plic, PRIORITY(2), 1);
  wr(plic, ENABLE(0), 1 << 2);
  plic.setIrq(2, true);
  plic.setIrq(2, false);
  assert.equal(rd(plic, CLAIM(0)), 2);
});

test('completing a source that is not in flight changes nothing', () => {
  const { plic } = rig();
  wr(plic, PRIORITY(2), 1);
  wr(plic, ENABLE(0), 1 << 2);
  wr(plic, CLAIM(0), 2);
  wr(plic, CLAIM(0), 0);
  wr(plic, CLAIM(0), 500);
  assert.equal(rd(plic, PENDING), 0);
  assert.equal(rd(plic, CLAIM(0)), 0);
});

test('afterRestore re-drives MEIP, and devices re-driving their levels do not re-pend a claimed source', () => {
  const a = rig();
  wr(a.plic, PRIORITY(10), 1);
  wr(a.plic, PRIORITY(11), 1);
  wr(a.plic, ENABLE(0), (1 << 10) | (1 << 11));
  a.plic.setIrq(10, true);
  a.plic.setIrq(11, true);
  assert.equal(rd(a.plic, CLAIM(0)), 10);

  const b = rig();
  new Uint8Array(b.arena.buffer).set(new Uint8Array(a.arena.buffer));
  b.plic.afterRestore();
  assert.equal(b.hart.mip, MIP_MEIP, 'source 11 is still pending');
  b.plic.setIrq(10, true);
  b.plic.setIrq(11, true);
  assert.equal(rd(b.plic, CLAIM(0)), 11);
  assert.equal(rd(b.plic, CLAIM(0)), 0, 'source 10 stays in flight');
  wr(b.plic, CLAIM(0), 10);
  assert.equal(rd(b.plic, CLAIM(0)), 10, 'its line was restored high');
});
