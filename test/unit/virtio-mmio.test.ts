// Unit tests of the virtio-mmio transport and the split virtqueue, with virtio-rng behind them:
// identity and feature words as QEMU 7.2 shows them (legacy and modern), feature negotiation,
// queue placement in both layouts, descriptor chains (direct, indirect, across buffers),
// malformed rings breaking the device instead of throwing, InterruptStatus/InterruptACK and
// interrupt suppression, reset, DMA seen by dirty tracking, a restore into a fresh transport, and
// the machine's placement of devices in slots.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BUS_ERROR } from '../../src/emu/bus.js';
import { VirtioMmio } from '../../src/emu/devices/virtio-mmio.js';
import { VirtioMmioEmpty } from '../../src/emu/devices/virtio-mmio-empty.js';
import { VirtioRng } from '../../src/emu/devices/virtio-rng.js';
import { VIRTQ_AVAIL_F_NO_INTERRUPT, VIRTQ_DESC_F_INDIRECT, VIRTQ_DESC_F_NEXT, VIRTQ_DESC_F_WRITE } from '../../src/emu/devices/virtqueue.js';
import type { EntropySource } from '../../src/emu/host/ports.js';
import { IrqLine, type IrqSink } from '../../src/emu/interrupts.js';
import { DEFAULT_CONFIG, VirtMachine, type MachineHost } from '../../src/emu/machine.js';
import { Ram } from '../../src/emu/memory/ram.js';
import { StateArena } from '../../src/emu/state.js';

// Registers (virtio 1.2 §4.2.2).
const MAGIC = 0x000, VERSION = 0x004, DEVICE_ID = 0x008, VENDOR_ID = 0x00c;
const DEVICE_FEATURES = 0x010, DEVICE_FEATURES_SEL = 0x014, DRIVER_FEATURES = 0x020, DRIVER_FEATURES_SEL = 0x024;
const GUEST_PAGE_SIZE = 0x028, QUEUE_SEL = 0x030, QUEUE_NUM_MAX = 0x034, QUEUE_NUM = 0x038, QUEUE_ALIGN = 0x03c;
const QUEUE_PFN = 0x040, QUEUE_READY = 0x044, QUEUE_NOTIFY = 0x050, INTERRUPT_STATUS = 0x060, INTERRUPT_ACK = 0x064;
const STATUS = 0x070, QUEUE_DESC_LOW = 0x080, QUEUE_DESC_HIGH = 0x084, QUEUE_AVAIL_LOW = 0x090, QUEUE_USED_LOW = 0x0a0;
const SHM_LEN_LOW = 0x0b0, CONFIG_GENERATION = 0x0fc, CONFIG = 0x100;

const ACKNOWLEDGE = 1, DRIVER = 2, DRIVER_OK = 4, FEATURES_OK = 8, NEEDS_RESET = 0x40;
const F_INDIRECT_DESC = 1 << 28, F_EVENT_IDX = 1 << 29, F_NOTIFY_ON_EMPTY = 1 << 24;
const F_VERSION_1_HI = 1; // bit 32

const RAM_BASE = 0x8000_0000;
const QUEUE = RAM_BASE + 0x1_0000; // descriptor table; legacy rings follow it
const MODERN_AVAIL = RAM_BASE + 0x2_0000;
const MODERN_USED = RAM_BASE + 0x3_0000;
const BUFFERS = RAM_BASE + 0x4_0000;
const SLOT = 7;

/** Entropy that says how much was asked for: byte i of call k is (k * 16 + i + 1) & 0xff. */
class CountingEntropy implements EntropySource {
  readonly calls: { length: number; device: number }[] = [];
  fill(bytes: Uint8Array, device: number): void {
    const k = this.calls.length;
    this.calls.push({ length: bytes.length, device });
    for (let i = 0; i < bytes.length; i++) bytes[i] = (k * 16 + i + 1) & 0xff;
  }
}

class Rig implements IrqSink {
  level = false;
  readonly arena = new StateArena();
  readonly ram = new Ram(RAM_BASE, 1 << 20);
  readonly entropy = new CountingEntropy();
  readonly t: VirtioMmio;
  private availIdx = 0;

  constructor(readonly legacy: boolean, readonly num = 8) {
    this.t = this.transport(this.arena);
  }

  /** Another transport over `arena` (for restores), sharing this rig's RAM and interrupt line. */
  transport(arena: StateArena): VirtioMmio {
    return new VirtioMmio(arena, `virtio${SLOT}`, this.ram, new IrqLine(this, 1 + SLOT), new VirtioRng(this.entropy, SLOT), this.legacy);
  }

  setIrq(line: number, level: boolean): void {
    assert.equal(line, 1 + SLOT);
    this.level = level;
  }

  rd(off: number): number {
    return this.t.read(off, 4);
  }

  wr(off: number, v: number): void {
    this.t.write(off, 4, v);
  }

  get avail(): number {
    return this.legacy ? QUEUE + 16 * this.num : MODERN_AVAIL;
  }

  get used(): number {
    return this.legacy ? QUEUE + 4096 : MODERN_USED;
  }

  /** Status 0, ACKNOWLEDGE | DRIVER, the features, the queue, DRIVER_OK (unless told not to). */
  init(features: [number, number] = [0, this.legacy ? 0 : F_VERSION_1_HI], driverOk = true): void {
    this.wr(STATUS, 0);
    this.ram.u8.fill(0, QUEUE - RAM_BASE, MODERN_USED + 4096 - RAM_BASE); // fresh rings, as a driver allocates them
    this.wr(STATUS, ACKNOWLEDGE | DRIVER);
    this.wr(DRIVER_FEATURES_SEL, 0);
    this.wr(DRIVER_FEATURES, features[0]);
    this.wr(DRIVER_FEATURES_SEL, 1);
    this.wr(DRIVER_FEATURES, features[1]);
    if (!this.legacy) this.wr(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
    this.wr(QUEUE_SEL, 0);
    this.wr(QUEUE_NUM, this.num);
    if (this.legacy) {
      this.wr(GUEST_PAGE_SIZE, 4096);
      this.wr(QUEUE_PFN, QUEUE / 4096);
    } else {
      this.wr(QUEUE_DESC_LOW, QUEUE);
      this.wr(QUEUE_DESC_HIGH, 0);
      this.wr(QUEUE_AVAIL_LOW, MODERN_AVAIL);
      this.wr(QUEUE_USED_LOW, MODERN_USED);
      this.wr(QUEUE_READY, 1);
    }
    this.availIdx = 0;
    if (driverOk) this.wr(STATUS, this.rd(STATUS) | DRIVER_OK);
  }

  /** Writes descriptor `i` of the table at `table`. */
  desc(i: number, addr: number, len: number, flags: number, next = 0, table = QUEUE): void {
    const v = this.ram.view;
    const at = table - RAM_BASE + 16 * i;
    v.setUint32(at, addr % 2 ** 32, true);
    v.setUint32(at + 4, Math.floor(addr / 2 ** 32), true);
    v.setUint32(at + 8, len, true);
    v.setUint16(at + 12, flags, true);
    v.setUint16(at + 14, next, true);
  }

  /** Makes `head` available (without notifying). */
  offer(head: number): void {
    const v = this.ram.view;
    v.setUint16(this.avail - RAM_BASE + 4 + 2 * (this.availIdx % this.num), head, true);
    this.availIdx = (this.availIdx + 1) & 0xffff;
    v.setUint16(this.avail - RAM_BASE + 2, this.availIdx, true);
  }

  post(head: number): void {
    this.offer(head);
    this.wr(QUEUE_NOTIFY, 0);
  }

  set availFlags(flags: number) {
    this.ram.view.setUint16(this.avail - RAM_BASE, flags, true);
  }

  set usedEvent(idx: number) {
    this.ram.view.setUint16(this.avail - RAM_BASE + 4 + 2 * this.num, idx, true);
  }

  get usedIdx(): number {
    return this.ram.view.getUint16(this.used - RAM_BASE + 2, true);
  }

  get availEvent(): number {
    return this.ram.view.getUint16(this.used - RAM_BASE + 4 + 8 * this.num, true);
  }

  usedElem(i: number): { id: number; len: number } {
    const at = this.used - RAM_BASE + 4 + 8 * (i % this.num);
    return { id: this.ram.view.getUint32(at, true), len: this.ram.view.getUint32(at + 4, true) };
  }

  bytes(pa: number, n: number): number[] {
    return [...this.ram.read(pa, n)];
  }
}

const BOTH: [string, boolean][] = [['legacy', true], ['modern', false]];

test('identity and feature words are those QEMU 7.2 shows for virtio-rng-device', () => {
  for (const [mode, legacy] of BOTH) {
    const r = new Rig(legacy);
    assert.equal(r.rd(MAGIC), 0x74726976, mode);
    assert.equal(r.rd(VERSION), legacy ? 1 : 2, mode);
    assert.equal(r.rd(DEVICE_ID), 4, mode);
    assert.equal(r.rd(VENDOR_ID), 0x554d4551, mode);
    const words = [0, 1, 2].map((sel) => {
      r.wr(DEVICE_FEATURES_SEL, sel);
      return r.rd(DEVICE_FEATURES);
    });
    // Read from QEMU 7.2: legacy offers NOTIFY_ON_EMPTY, ANY_LAYOUT, INDIRECT_DESC, EVENT_IDX in
    // word 0 only; modern hides the legacy bits and adds VERSION_1 and RING_RESET in word 1
    // (selector 2 reads word 1 again: QEMU keeps the selector to one bit).
    assert.deepEqual(words, legacy ? [0x39000000, 0, 0] : [0x30000000, 0x101, 0x101], mode);
    r.wr(QUEUE_SEL, 0);
    assert.equal(r.rd(QUEUE_NUM_MAX), 1024, mode);
    r.wr(QUEUE_SEL, 1);
    assert.equal(r.rd(QUEUE_NUM_MAX), 0, `${mode}: the rng has one queue`);
    assert.equal(r.rd(SHM_LEN_LOW), 0xffffffff, mode);
    assert.equal(r.rd(CONFIG_GENERATION), 0, mode);
    // No configuration space: all ones at every width, writes ignored.
    assert.deepEqual([r.t.read(CONFIG, 4), r.t.read(CONFIG + 1, 1), r.t.read(CONFIG + 2, 2), r.t.read(0x1fc, 4)], [0xffffffff, 0xff, 0xffff, 0xffffffff]);
    r.t.write(CONFIG, 4, 0);
    assert.equal(r.t.read(CONFIG, 4), 0xffffffff);
    // Registers answer whole-word accesses only; write-only registers read 0.
    assert.equal(r.t.read(MAGIC, 2), 0, mode);
    assert.equal(r.t.read(VERSION, 1), 0, mode);
    for (const wo of [DEVICE_FEATURES_SEL, DRIVER_FEATURES, QUEUE_SEL, QUEUE_NUM, QUEUE_NOTIFY, INTERRUPT_ACK]) assert.equal(r.rd(wo), 0);
    r.t.write(STATUS, 1, 7);
    assert.equal(r.rd(STATUS), 0, `${mode}: a byte write to Status is ignored`);
  }
});

test('feature negotiation: only offered bits stick; legacy takes word 0 at once, modern both words at FEATURES_OK', () => {
  const legacy = new Rig(true);
  legacy.wr(DRIVER_FEATURES_SEL, 1);
  legacy.wr(DRIVER_FEATURES, 0xffffffff); // legacy has no second word
  assert.equal(legacy.t.hasFeature(32), false);
  legacy.wr(DRIVER_FEATURES_SEL, 0);
  legacy.wr(DRIVER_FEATURES, 0xffffffff);
  assert.equal(legacy.t.hasFeature(28), true);
  assert.equal(legacy.t.hasFeature(24), true);
  assert.equal(legacy.t.hasFeature(0), false, 'not offered');
  legacy.wr(DRIVER_FEATURES, F_INDIRECT_DESC);
  assert.equal(legacy.t.hasFeature(29), false, 'a later write replaces the set');

  const modern = new Rig(false);
  modern.wr(DRIVER_FEATURES_SEL, 0);
  modern.wr(DRIVER_FEATURES, F_EVENT_IDX | 1);
  modern.wr(DRIVER_FEATURES_SEL, 1);
  modern.wr(DRIVER_FEATURES, F_VERSION_1_HI | 0x80000000);
  assert.equal(modern.t.hasFeature(29), false, 'staged until FEATURES_OK');
  modern.wr(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
  assert.equal(modern.rd(STATUS), ACKNOWLEDGE | DRIVER | FEATURES_OK);
  assert.deepEqual([29, 32, 0, 63].map((b) => modern.t.hasFeature(b)), [true, true, false, false]);
  modern.wr(DRIVER_FEATURES_SEL, 0);
  modern.wr(DRIVER_FEATURES, 0);
  modern.wr(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
  assert.equal(modern.t.hasFeature(29), true, 'fixed once FEATURES_OK is set');
});

test('legacy queue placement: page size, PFN, alignment, and what QEMU ignores', () => {
  const r = new Rig(true);
  const q = r.t.queue(0);
  assert.equal(q.size, 8, 'QEMU sizes the rng queue 8 until the driver says otherwise');
  r.wr(QUEUE_NUM, 0);
  r.wr(QUEUE_NUM, 2048);
  assert.equal(q.size, 8, 'a size of 0 or above 1024 is ignored');
  r.wr(QUEUE_NUM, 16);
  r.wr(GUEST_PAGE_SIZE, 4096);
  r.wr(QUEUE_PFN, QUEUE / 4096);
  assert.deepEqual([q.descAddr, q.availAddr, q.usedAddr], [QUEUE, QUEUE + 256, QUEUE + 4096]);
  assert.equal(r.rd(QUEUE_PFN), QUEUE / 4096);
  r.wr(QUEUE_ALIGN, 64);
  assert.equal(q.usedAddr, QUEUE + 256 + 64, 'the used ring follows the available ring at the new alignment');
  r.wr(QUEUE_NUM, 8);
  assert.deepEqual([q.availAddr, q.usedAddr], [QUEUE + 128, QUEUE + 192]);
  r.wr(GUEST_PAGE_SIZE, 0x2000);
  assert.equal(r.rd(QUEUE_PFN), QUEUE / 0x2000, 'QueuePFN reads in the current page size');
  // Modern registers do nothing on a legacy transport.
  r.wr(QUEUE_READY, 1);
  r.wr(QUEUE_DESC_LOW, 0x1234);
  assert.equal(r.rd(QUEUE_READY), 0);
  assert.equal(q.descAddr, QUEUE);
  // A PFN of 0 resets the device (its page size stays: it belongs to the transport).
  r.wr(QUEUE_PFN, 0);
  assert.deepEqual([q.descAddr, q.availAddr, q.usedAddr, q.size], [0, 0, 0, 8]);
  r.wr(QUEUE_PFN, QUEUE / 0x2000);
  assert.equal(q.descAddr, QUEUE, 'the page size survived the reset');
  assert.equal(q.usedAddr, QUEUE + 192, 'and so did the alignment, as in QEMU');
});

test('modern queue placement: the ring registers take effect at QueueReady; legacy registers do nothing', () => {
  const r = new Rig(false);
  const q = r.t.queue(0);
  r.wr(QUEUE_SEL, 0);
  r.wr(QUEUE_NUM, 4);
  r.wr(QUEUE_DESC_LOW, QUEUE);
  r.wr(QUEUE_AVAIL_LOW, MODERN_AVAIL);
  r.wr(QUEUE_USED_LOW, MODERN_USED);
  assert.equal(r.rd(QUEUE_READY), 0);
  assert.equal(q.ready, false, 'nothing is placed before QueueReady');
  r.wr(QUEUE_READY, 1);
  assert.equal(r.rd(QUEUE_READY), 1);
  assert.deepEqual([q.size, q.descAddr, q.availAddr, q.usedAddr], [4, QUEUE, MODERN_AVAIL, MODERN_USED]);
  r.wr(GUEST_PAGE_SIZE, 4096);
  r.wr(QUEUE_PFN, 0); // would reset a legacy device
  r.wr(QUEUE_ALIGN, 16);
  assert.deepEqual([q.descAddr, q.usedAddr, r.rd(QUEUE_PFN)], [QUEUE, MODERN_USED, 0]);
  // Another queue does not exist: its registers read 0 and ignore writes.
  r.wr(QUEUE_SEL, 1);
  r.wr(QUEUE_READY, 1);
  assert.deepEqual([r.rd(QUEUE_READY), r.rd(QUEUE_NUM_MAX)], [0, 0]);
  r.wr(QUEUE_SEL, 0);
  // Status 0 resets the device and takes the queue out of service.
  r.wr(STATUS, 0);
  assert.deepEqual([r.rd(QUEUE_READY), q.descAddr, q.size], [0, 0, 8]);
});

test('a request: buffers filled from the entropy source, the used ring written, the interrupt raised and acknowledged', () => {
  for (const [mode, legacy] of BOTH) {
    const r = new Rig(legacy);
    r.init();
    r.desc(0, BUFFERS, 10, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 3);
    r.desc(3, BUFFERS + 0x100, 6, VIRTQ_DESC_F_WRITE);
    r.ram.startDirtyTracking();
    r.post(0);
    assert.deepEqual(r.entropy.calls, [{ length: 16, device: SLOT }], mode);
    assert.equal(r.usedIdx, 1, mode);
    assert.deepEqual(r.usedElem(0), { id: 0, len: 16 }, mode);
    assert.deepEqual(r.bytes(BUFFERS, 10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(r.bytes(BUFFERS + 0x100, 6), [11, 12, 13, 14, 15, 16]);
    assert.deepEqual(r.bytes(BUFFERS + 10, 2), [0, 0], 'nothing past the buffer');
    const pages = r.ram.dirtyPages();
    for (const pa of [BUFFERS, r.used]) assert.ok(pages.includes((pa - RAM_BASE) / 4096), `${mode}: DMA to 0x${pa.toString(16)} is seen as a write`);
    assert.equal(r.rd(INTERRUPT_STATUS), 1, mode);
    assert.equal(r.level, true, mode);
    r.wr(INTERRUPT_ACK, 2); // the other bit: nothing changes
    assert.equal(r.level, true, mode);
    r.wr(INTERRUPT_ACK, 1);
    assert.equal(r.rd(INTERRUPT_STATUS), 0, mode);
    assert.equal(r.level, false, mode);
  }
});

test('all chains available at a notification are served by one read of the source; none before DRIVER_OK', () => {
  const r = new Rig(true);
  r.init(undefined, false);
  for (let i = 0; i < 3; i++) r.desc(i, BUFFERS + 0x100 * i, 4 + i, VIRTQ_DESC_F_WRITE);
  r.post(0);
  r.post(1);
  assert.equal(r.entropy.calls.length, 0, 'not before DRIVER_OK');
  assert.equal(r.usedIdx, 0);
  r.offer(2);
  r.wr(STATUS, r.rd(STATUS) | DRIVER_OK); // setting DRIVER_OK serves what is waiting
  assert.deepEqual(r.entropy.calls, [{ length: 15, device: SLOT }]);
  assert.equal(r.usedIdx, 3);
  assert.deepEqual([0, 1, 2].map((i) => r.usedElem(i)), [{ id: 0, len: 4 }, { id: 1, len: 5 }, { id: 2, len: 6 }]);
  assert.deepEqual(r.bytes(BUFFERS + 0x200, 6), [10, 11, 12, 13, 14, 15]);
  r.wr(QUEUE_NOTIFY, 0);
  assert.equal(r.entropy.calls.length, 1, 'a notification with nothing available reads nothing');
  // A chain with no device-writable buffer comes back empty without reading the source.
  r.desc(3, BUFFERS, 8, 0);
  r.post(3);
  assert.equal(r.entropy.calls.length, 1);
  assert.deepEqual(r.usedElem(3), { id: 3, len: 0 });
});

test('an indirect table is one request; readable buffers come first and are read across buffers', () => {
  const r = new Rig(false);
  r.init([F_INDIRECT_DESC, F_VERSION_1_HI]);
  const table = BUFFERS + 0x800;
  r.desc(0, BUFFERS, 3, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1, table);
  r.desc(1, BUFFERS + 0x10, 5, VIRTQ_DESC_F_WRITE, 0, table);
  r.desc(5, table, 32, VIRTQ_DESC_F_INDIRECT);
  r.post(5);
  assert.deepEqual(r.usedElem(0), { id: 5, len: 8 });
  assert.deepEqual(r.bytes(BUFFERS + 0x10, 5), [4, 5, 6, 7, 8]);

  // The queue's own view of a chain with device-readable buffers (a blk request's header).
  const q = r.t.queue(0);
  r.desc(0, BUFFERS + 0x20, 3, VIRTQ_DESC_F_NEXT, 1);
  r.desc(1, BUFFERS + 0x30, 4, VIRTQ_DESC_F_NEXT, 2);
  r.desc(2, BUFFERS + 0x40, 2, VIRTQ_DESC_F_WRITE);
  r.ram.write(BUFFERS + 0x20, Uint8Array.of(1, 2, 3));
  r.ram.write(BUFFERS + 0x30, Uint8Array.of(4, 5, 6, 7));
  const chain = q.chainAt(0);
  assert.deepEqual([chain.readableBytes, chain.writableBytes, chain.readable.length, chain.writable.length], [7, 2, 2, 1]);
  assert.deepEqual([...q.read(chain, 2, 3)], [3, 4, 5]);
  assert.deepEqual([...q.read(chain, 5, 10)], [6, 7], 'a read stops at the end of the readable buffers');
  assert.equal(q.write(chain, 1, Uint8Array.of(9, 9, 9)), 1, 'a write stops at the end of the writable buffers');
  assert.deepEqual(r.bytes(BUFFERS + 0x40, 2), [0, 9]);
});

/** Malformed rings: each breaks the device with a reason, and the hart never sees an exception. */
const MALFORMED: [string, (r: Rig) => void, RegExp][] = [
  ['a head beyond the queue', (r) => r.post(8), /descriptor 8 available in a queue of 8/],
  ['a chain leading beyond the queue', (r) => {
    r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 9);
    r.post(0);
  }, /continues at descriptor 9 of 8/],
  ['a looping chain', (r) => {
    r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    r.desc(1, BUFFERS, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 0);
    r.post(0);
  }, /loops/],
  ['a zero-length buffer', (r) => {
    r.desc(0, BUFFERS, 0, VIRTQ_DESC_F_WRITE);
    r.post(0);
  }, /zero-length/],
  ['a buffer outside RAM', (r) => {
    r.desc(0, RAM_BASE + (1 << 20) - 4, 8, VIRTQ_DESC_F_WRITE);
    r.post(0);
  }, /buffer at 0x800ffffc \(8 bytes\) is not in RAM/],
  ['a buffer above 4 GiB', (r) => {
    r.desc(0, 2 ** 32 + BUFFERS, 8, VIRTQ_DESC_F_WRITE);
    r.post(0);
  }, /not in RAM/],
  ['a readable buffer after a writable one', (r) => {
    r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
    r.desc(1, BUFFERS + 8, 4, 0);
    r.post(0);
  }, /device-readable buffer after a device-writable one/],
  ['an indirect table of a size that is not whole descriptors', (r) => {
    r.desc(0, BUFFERS, 20, VIRTQ_DESC_F_INDIRECT);
    r.post(0);
  }, /indirect descriptor table of 20 bytes/],
  ['an indirect table inside an indirect table', (r) => {
    r.desc(0, BUFFERS + 0x100, 16, VIRTQ_DESC_F_INDIRECT, 0, BUFFERS);
    r.desc(0, BUFFERS, 16, VIRTQ_DESC_F_INDIRECT);
    r.post(0);
  }, /indirect descriptor inside an indirect table/],
  ['an available index moved by more than the queue holds', (r) => {
    r.ram.view.setUint16(r.avail - RAM_BASE + 2, 9, true);
    r.wr(QUEUE_NOTIFY, 0);
  }, /available index from 0 to 9/],
];

test('malformed rings break the device (legacy: silently; modern: DEVICE_NEEDS_RESET and a configuration interrupt)', () => {
  for (const [mode, legacy] of BOTH) {
    for (const [what, act, reason] of MALFORMED) {
      const r = new Rig(legacy);
      r.init();
      const status = r.rd(STATUS);
      assert.doesNotThrow(() => act(r), `${mode}, ${what}`);
      assert.equal(r.t.broken, true, `${mode}, ${what}: broken`);
      assert.match(r.t.lastError ?? '', reason, `${mode}, ${what}`);
      assert.equal(r.entropy.calls.length, 0, `${mode}, ${what}: nothing was read from the source`);
      assert.equal(r.usedIdx, 0, `${mode}, ${what}: nothing was returned`);
      if (legacy) {
        assert.deepEqual([r.rd(STATUS), r.rd(INTERRUPT_STATUS), r.level], [status, 0, false], `${mode}, ${what}`);
      } else {
        assert.deepEqual([r.rd(STATUS), r.rd(INTERRUPT_STATUS), r.level, r.rd(CONFIG_GENERATION)], [status | NEEDS_RESET, 3, true, 1], `${mode}, ${what}`);
      }
      // A broken device ignores notifications until it is reset, then works again.
      r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE);
      r.wr(QUEUE_NOTIFY, 0);
      assert.equal(r.entropy.calls.length, 0, `${mode}, ${what}: ignored while broken`);
      r.init();
      assert.deepEqual([r.t.broken, r.rd(INTERRUPT_STATUS), r.level, r.t.lastError], [false, 0, false, undefined], `${mode}, ${what}: after reset`);
      r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE);
      r.post(0);
      assert.deepEqual(r.usedElem(0), { id: 0, len: 4 }, `${mode}, ${what}: works after reset`);
    }
  }
});

test('rings placed outside RAM break the device when they are placed', () => {
  const legacy = new Rig(true);
  legacy.wr(GUEST_PAGE_SIZE, 4096);
  legacy.wr(QUEUE_PFN, (RAM_BASE + (1 << 20) - 4096) / 4096); // the used ring would be past the end
  assert.equal(legacy.t.broken, true);
  assert.match(legacy.t.lastError ?? '', /the used ring at 0x80100000/);
  const modern = new Rig(false);
  modern.wr(QUEUE_DESC_LOW, 0x1000);
  modern.wr(QUEUE_AVAIL_LOW, MODERN_AVAIL);
  modern.wr(QUEUE_USED_LOW, MODERN_USED);
  modern.wr(QUEUE_READY, 1);
  assert.match(modern.t.lastError ?? '', /the descriptor table at 0x1000/);
});

test('interrupt suppression: VIRTQ_AVAIL_F_NO_INTERRUPT, used_event with EVENT_IDX, NOTIFY_ON_EMPTY', () => {
  const serve = (r: Rig, head: number): number => {
    r.desc(head, BUFFERS, 4, VIRTQ_DESC_F_WRITE);
    r.post(head);
    const isr = r.rd(INTERRUPT_STATUS);
    r.wr(INTERRUPT_ACK, isr);
    return isr;
  };
  const flags = new Rig(true);
  flags.init();
  flags.availFlags = VIRTQ_AVAIL_F_NO_INTERRUPT;
  assert.equal(serve(flags, 0), 0, 'the driver asked for no interrupt');
  flags.availFlags = 0;
  assert.equal(serve(flags, 1), 1);

  const empty = new Rig(true);
  empty.init([F_NOTIFY_ON_EMPTY, 0]);
  empty.availFlags = VIRTQ_AVAIL_F_NO_INTERRUPT;
  assert.equal(serve(empty, 0), 1, 'NOTIFY_ON_EMPTY interrupts once the queue is drained, whatever the flags');

  const events = new Rig(false);
  events.init([F_EVENT_IDX, F_VERSION_1_HI]);
  events.usedEvent = 5;
  assert.equal(serve(events, 0), 1, 'the first used buffer after a reset always interrupts (as in QEMU)');
  assert.equal(events.availEvent, 1, 'avail_event asks for a notification at the next entry');
  assert.equal(serve(events, 1), 0, 'used index 2 has not passed used_event 5');
  events.usedEvent = 2;
  assert.equal(serve(events, 2), 1, 'used index 3 passed used_event 2');
  assert.equal(serve(events, 3), 0, 'and not again until used_event moves');
  events.usedEvent = 4;
  assert.equal(serve(events, 4), 1);
  assert.equal(events.availEvent, 5);
});

test('reset clears the device but not the transport selectors, lowers the line, and the queue starts over', () => {
  const r = new Rig(true);
  r.init([F_INDIRECT_DESC, 0]);
  r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE);
  r.post(0);
  assert.equal(r.level, true);
  r.wr(DEVICE_FEATURES_SEL, 1);
  r.wr(STATUS, 0);
  assert.deepEqual([r.rd(STATUS), r.rd(INTERRUPT_STATUS), r.level, r.rd(QUEUE_PFN), r.t.hasFeature(28)], [0, 0, false, 0, false]);
  assert.equal(r.rd(DEVICE_FEATURES), 0, 'the device-features selector is the transport\'s: it stays 1');
  // The driver starts over from fresh rings; the device from index 0.
  r.init();
  r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE);
  r.post(0);
  assert.deepEqual([r.usedIdx, r.usedElem(0).len], [1, 4]);
});

test('the transport keeps everything in the arena: a fresh transport over a copy carries on identically', () => {
  for (const [mode, legacy] of BOTH) {
    const r = new Rig(legacy);
    r.init([F_EVENT_IDX, legacy ? 0 : F_VERSION_1_HI]);
    r.desc(0, BUFFERS, 4, VIRTQ_DESC_F_WRITE);
    r.post(0); // interrupt pending, used index 1, last interrupt decision at 1
    const copy = new StateArena();
    const t2 = r.transport(copy); // claims the same layout
    new Uint8Array(copy.buffer).set(new Uint8Array(r.arena.buffer, 0, r.arena.usedBytes));
    r.level = false;
    t2.afterRestore();
    assert.equal(r.level, true, `${mode}: the restored transport re-drives its line`);
    for (const off of [STATUS, INTERRUPT_STATUS, QUEUE_PFN, QUEUE_READY, CONFIG_GENERATION]) {
      assert.equal(t2.read(off, 4), r.rd(off), `${mode}: register 0x${off.toString(16)}`);
    }
    // Both see the next request the same way (the used index and the event state came along).
    r.usedEvent = 3;
    r.desc(1, BUFFERS + 0x40, 4, VIRTQ_DESC_F_WRITE);
    r.offer(1);
    t2.write(INTERRUPT_ACK, 4, 1);
    t2.write(QUEUE_NOTIFY, 4, 0);
    assert.deepEqual([r.usedIdx, r.usedElem(1).id, t2.read(INTERRUPT_STATUS, 4)], [2, 1, 0], `${mode}: used index 2 has not passed used_event 3`);
  }
});

test('the machine puts the transport in its slot among empty slots of the same version, and checks its device list', () => {
  const host = (entropy = true): MachineHost => ({
    console: { write: () => {} },
    wallClock: { nowNs: () => 0n },
    entropy: entropy ? new CountingEntropy() : undefined,
  });
  for (const legacy of [true, false]) {
    const m = new VirtMachine({ ...DEFAULT_CONFIG, devices: [{ slot: 7, kind: 'rng' }], virtioLegacy: legacy }, host());
    assert.equal(m.bus.load(0x1000_8008, 4), 4, 'the rng answers at 0x10008000');
    assert.equal(m.bus.load(0x1000_8004, 4), legacy ? 1 : 2);
    assert.equal(m.bus.load(0x1000_7008, 4), 0, 'slot 6 is empty');
    assert.equal(m.bus.load(0x1000_1004, 4), legacy ? 1 : 2, 'empty slots answer with the same transport version');
    assert.equal(m.bus.load(0x1000_8200, 4), BUS_ERROR, 'QEMU decodes 0x200 bytes per slot');
    assert.deepEqual(m.virtio.map((t) => t.legacy), [legacy]);
    assert.ok(m.arena.regions.some((r) => r.name === 'virtio7.regs') && m.arena.regions.some((r) => r.name === 'virtio7.queue0'));
  }
  assert.equal(new VirtioMmioEmpty(false).read(0x004, 4), 2);
  assert.ok(!new VirtMachine(DEFAULT_CONFIG, host(false)).arena.regions.some((r) => r.name.startsWith('virtio')), 'no device, no virtio state');
  const bad: [unknown, RegExp][] = [
    [[{ slot: 8, kind: 'rng' }], /virtio slot must be 0–7, not 8/],
    [[{ slot: 1, kind: 'rng' }, { slot: 1, kind: 'rng' }], /virtio slot 1 is given two devices/],
    [[{ slot: 2, kind: 'gpu' as 'rng' }], /virtio slot 2: unknown device kind 'gpu'/],
    [[{ slot: 2, kind: 'blk' }], /virtio slot 2: a blk device needs a disk index/],
  ];
  for (const [devices, message] of bad) {
    assert.throws(() => new VirtMachine({ ...DEFAULT_CONFIG, devices: devices as [] }, host()), message);
  }
  assert.throws(() => new VirtMachine({ ...DEFAULT_CONFIG, devices: [{ slot: 7, kind: 'rng' }] }, host(false)), /virtio-rng in slot 7 needs an entropy source/);
});
