// Unit tests of the 16550 UART: registers at reset, THRE interrupt rules, FIFO trigger levels,
// the character timeout, IIR priority, loopback, wide accesses, and restore into a fresh device.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Uart16550 } from '../../src/emu/devices/uart16550.js';
import { IrqLine, type IrqSink } from '../../src/emu/interrupts.js';
import { StateArena } from '../../src/emu/state.js';
import { TimerQueue } from '../../src/emu/timers.js';

const RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

class Rig implements IrqSink {
  now = 0;
  level = false;
  raises = 0;
  sent: number[] = [];
  readonly arena = new StateArena();
  readonly timers = new TimerQueue();
  readonly uart: Uart16550;

  constructor() {
    this.uart = new Uart16550(this.arena, 'uart0', new IrqLine(this, 10), { write: (b) => this.sent.push(b) },
      { nowNs: () => this.now }, this.timers);
  }

  setIrq(line: number, level: boolean): void {
    assert.equal(line, 10);
    if (level && !this.level) this.raises++;
    this.level = level;
  }

  rd(offset: number): number {
    return this.uart.read(offset, 1);
  }

  wr(offset: number, value: number): void {
    this.uart.write(offset, 1, value);
  }

  advance(toNs: number): void {
    this.now = toNs;
    this.timers.fireDue(toNs);
  }

  /** 115200-ish: divisor 1 on QEMU's 399193 base, 8N1 → 2505 ns/bit · 10 bits. */
  fastLine(): void {
    this.wr(LCR, 0x80);
    this.wr(DLL, 1);
    this.wr(DLM, 0);
    this.wr(LCR, 0x03);
  }
}

const CHAR_NS_FAST = 25050;

test('registers after reset are those QEMU shows', () => {
  const r = new Rig();
  assert.equal(r.rd(IER), 0);
  assert.equal(r.rd(IIR), 0x01);
  assert.equal(r.rd(LCR), 0);
  assert.equal(r.rd(MCR), 0x08);
  assert.equal(r.rd(LSR), 0x60);
  assert.equal(r.rd(MSR), 0xb0);
  assert.equal(r.rd(SCR), 0);
  r.wr(LCR, 0x80);
  assert.equal(r.rd(DLL), 0x0c);
  assert.equal(r.rd(DLM), 0);
  assert.equal(r.level, false);
});

test('THR goes to the sink at once and leaves THRE/TEMT set', () => {
  const r = new Rig();
  r.wr(THR, 0x41);
  r.wr(THR, 0x142); // only the low byte counts
  assert.deepEqual(r.sent, [0x41, 0x42]);
  assert.equal(r.rd(LSR) & 0x60, 0x60);
});

test('divisor latch and scratch registers hold their values', () => {
  const r = new Rig();
  r.wr(LCR, 0x83);
  r.wr(DLL, 0x34);
  r.wr(DLM, 0x12);
  assert.equal(r.rd(DLL), 0x34);
  assert.equal(r.rd(DLM), 0x12);
  r.wr(LCR, 0x03);
  assert.equal(r.rd(IER), 0, 'DLM writes must not reach IER');
  r.wr(SCR, 0x5a);
  assert.equal(r.rd(SCR), 0x5a);
  r.wr(IER, 0xff);
  assert.equal(r.rd(IER), 0x0f);
  r.wr(MCR, 0xff);
  assert.equal(r.rd(MCR), 0x1f);
  r.wr(LSR, 0);
  assert.equal(r.rd(LSR), 0x60, 'LSR is read-only');
});

test('THRE interrupt: raised by enabling ETBEI, cleared by reading IIR, re-raised by THR and by toggling ETBEI', () => {
  const r = new Rig();
  r.wr(IER, 0x02);
  assert.equal(r.level, true);
  assert.equal(r.rd(IIR), 0x02);
  assert.equal(r.level, false, 'reading IIR with THRE as the source clears it');
  assert.equal(r.rd(IIR), 0x01);
  r.wr(IER, 0x03); // ETBEI unchanged: no re-trigger
  assert.equal(r.level, false);
  r.wr(THR, 0x30);
  assert.equal(r.level, true, 'the byte left at once, so THR is empty again');
  assert.equal(r.rd(IIR), 0x02);
  r.wr(IER, 0x01);
  r.wr(IER, 0x03);
  assert.equal(r.level, true, 'turning ETBEI on while THR is empty raises THRE');
  r.wr(IER, 0x01);
  assert.equal(r.level, false, 'turning ETBEI off lowers it');
});

test('FIFO trigger level 4: RDA only from the fourth byte, IIR shows FIFOs enabled', () => {
  const r = new Rig();
  r.wr(FCR, 0x47);
  assert.equal(r.rd(IIR), 0xc1);
  r.wr(IER, 0x01);
  for (const b of [1, 2, 3]) assert.equal(r.uart.receive(b), true);
  assert.equal(r.level, false);
  assert.equal(r.rd(IIR), 0xc1);
  r.uart.receive(4);
  assert.equal(r.level, true);
  assert.equal(r.rd(IIR), 0xc4);
  assert.equal(r.rd(RBR), 1);
  assert.equal(r.level, false, 'below the trigger again');
  assert.equal(r.rd(LSR) & 0x01, 0x01, 'data still ready');
  assert.deepEqual([r.rd(RBR), r.rd(RBR), r.rd(RBR)], [2, 3, 4]);
  assert.equal(r.rd(LSR) & 0x01, 0, 'DR clears with the FIFO empty');
  assert.equal(r.rd(RBR), 0, 'an empty FIFO reads 0');
});

test('trigger levels 1, 8 and 14', () => {
  for (const [fcr, level] of [[0x07, 1], [0x87, 8], [0xc7, 14]]) {
    const r = new Rig();
    r.wr(FCR, fcr);
    r.wr(IER, 0x01);
    for (let i = 1; i < level; i++) r.uart.receive(i);
    assert.equal(r.level, false, `below trigger ${level}`);
    r.uart.receive(0xff);
    assert.equal(r.level, true, `at trigger ${level}`);
  }
});

test('character timeout fires after four idle character times and is cleared by reading RBR', () => {
  const r = new Rig();
  r.fastLine();
  r.wr(FCR, 0xc7); // trigger 14: two bytes never reach it
  r.wr(IER, 0x01);
  r.now = 1000;
  r.uart.receive(0x61);
  r.uart.receive(0x62);
  assert.equal(r.level, false);
  const deadline = 1000 + 4 * CHAR_NS_FAST;
  assert.equal(r.timers.nextDeadlineNs(), deadline);
  r.advance(deadline - 1);
  assert.equal(r.level, false);
  r.advance(deadline);
  assert.equal(r.level, true);
  assert.equal(r.rd(IIR), 0xcc);
  r.now = deadline + 10;
  assert.equal(r.rd(RBR), 0x61);
  assert.equal(r.level, false, 'reading RBR clears the timeout');
  assert.equal(r.timers.nextDeadlineNs(), deadline + 10 + 4 * CHAR_NS_FAST, 'a byte remains: re-armed');
  r.advance(deadline + 10 + 4 * CHAR_NS_FAST);
  assert.equal(r.rd(IIR), 0xcc);
  assert.equal(r.rd(RBR), 0x62);
  assert.equal(r.timers.nextDeadlineNs(), Infinity, 'empty: not re-armed');
  assert.equal(r.rd(IIR), 0xc1);
});

test('character timeout is masked by ERBFI and uses the reset line speed before programming', () => {
  const r = new Rig();
  r.wr(FCR, 0x01);
  r.uart.receive(0x61);
  // 9600 baud, 10-bit frames: floor(1e9 / 9600) · 10 ns per character.
  assert.equal(r.timers.nextDeadlineNs(), 4 * 1041660);
  r.advance(4 * 1041660);
  assert.equal(r.level, false, 'ERBFI off');
  assert.equal(r.rd(IIR), 0xc1);
  r.wr(IER, 0x01);
  assert.equal(r.rd(IIR), 0xcc, 'the latched timeout shows once ERBFI is on');
});

test('FCR receiver reset empties the FIFO and stops the timeout', () => {
  const r = new Rig();
  r.wr(FCR, 0x01);
  r.uart.receive(1);
  r.wr(FCR, 0x03);
  assert.equal(r.rd(LSR) & 0x01, 0);
  assert.equal(r.timers.nextDeadlineNs(), Infinity);
  assert.equal(r.uart.rxSpace(), 16);
});

test('IIR priority: line status over received data over THRE; reading LSR clears OE', () => {
  const r = new Rig();
  r.wr(MCR, 0x18); // loopback to make an overrun
  r.wr(IER, 0x07);
  r.wr(THR, 0x31);
  r.wr(THR, 0x32); // holding register full: overrun
  assert.equal(r.rd(IIR), 0x06);
  assert.equal(r.rd(LSR), 0x63);
  assert.equal(r.rd(IIR), 0x04, 'OE cleared: received data is next');
  assert.equal(r.rd(RBR), 0x32, 'without FIFOs the newest byte wins');
  assert.equal(r.rd(IIR), 0x02, 'then THRE');
  assert.equal(r.rd(IIR), 0x01);
  assert.deepEqual(r.sent, [], 'loopback sends nothing out');
});

test('FIFO overrun keeps the first sixteen bytes', () => {
  const r = new Rig();
  r.wr(FCR, 0x07);
  r.wr(MCR, 0x18);
  for (let i = 0; i < 18; i++) r.wr(THR, 0x61 + i);
  assert.equal(r.rd(LSR), 0x63);
  assert.equal(r.rd(LSR), 0x61);
  const got: number[] = [];
  for (let i = 0; i < 16; i++) got.push(r.rd(RBR));
  assert.deepEqual(got, Array.from({ length: 16 }, (_, i) => 0x61 + i));
  assert.equal(r.rd(LSR), 0x60);
});

test('loopback: MSR mirrors MCR and the host line is disconnected', () => {
  const r = new Rig();
  r.wr(MCR, 0x1f);
  assert.equal(r.rd(MSR), 0xf0);
  r.wr(MCR, 0x11);
  assert.equal(r.rd(MSR), 0x20);
  assert.equal(r.uart.rxSpace(), 0);
  assert.equal(r.uart.receive(0x41), false);
  r.wr(MCR, 0x08);
  assert.equal(r.rd(MSR), 0xb0);
  assert.equal(r.uart.rxSpace(), 1);
});

test('host receive without FIFOs takes one byte until it is read', () => {
  const r = new Rig();
  assert.equal(r.uart.receive(0x41), true);
  assert.equal(r.uart.rxSpace(), 0);
  assert.equal(r.uart.receive(0x42), false);
  assert.equal(r.rd(LSR) & 0x03, 0x01, 'no overrun from refused input');
  assert.equal(r.rd(RBR), 0x41);
  assert.equal(r.uart.receive(0x42), true);
});

test('wider accesses touch only the register at their offset, as QEMU 7.2 does', () => {
  const r = new Rig();
  r.wr(SCR, 0x5a);
  assert.equal(r.uart.read(4, 4), 0x08, 'a word read at MCR returns MCR alone');
  assert.equal(r.uart.read(6, 2), 0xb0);
  r.uart.write(4, 4, 0x11223344);
  assert.equal(r.rd(MCR), 0x04, 'low byte to MCR');
  assert.equal(r.rd(SCR), 0x5a, 'SCR untouched');
  r.uart.write(0, 4, 0x4443_4241);
  assert.deepEqual(r.sent, [0x41]);
  assert.equal(r.uart.read(8, 1), 0, 'beyond the eight registers');
});

test('afterRestore re-arms the timeout and re-drives the line in a fresh device', () => {
  const a = new Rig();
  a.fastLine();
  a.wr(FCR, 0x07);
  a.wr(IER, 0x03);
  a.now = 500;
  a.uart.receive(0x61);
  a.uart.receive(0x62);
  assert.equal(a.level, true);
  const deadline = 500 + 4 * CHAR_NS_FAST;

  const b = new Rig();
  new Uint8Array(b.arena.buffer).set(new Uint8Array(a.arena.buffer));
  b.level = false;
  b.now = 600;
  b.uart.afterRestore();
  assert.equal(b.level, true);
  assert.equal(b.timers.nextDeadlineNs(), deadline);
  assert.equal(b.rd(RBR), 0x61);
  b.advance(deadline + 100);
  assert.equal(b.rd(RBR), 0x62);
  // Restoring the reset state lowers the line and disarms the timer.
  const c = new Rig();
  new Uint8Array(b.arena.buffer).set(new Uint8Array(c.arena.buffer));
  b.uart.afterRestore();
  assert.equal(b.level, false);
  assert.equal(b.timers.nextDeadlineNs(), Infinity);
});
