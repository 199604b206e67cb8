// The virtio-input configuration space (virtio 1.2 §5.8.4) of both personalities as a driver
// queries it through the machine's bus: select/subsel, the size byte, the name with its NUL as
// QEMU counts it, the device ids, and the event bitmaps (a keyboard's keys and LEDs, a mouse's
// buttons and relative axes); an unknown selection reads size 0.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_CONFIG, VirtMachine } from '../../src/emu/machine.js';
import { VIRT_VIRTIO_BASE, VIRT_VIRTIO_SIZE } from '../../src/emu/virt-map.js';

const SLOT = 7;
const CONFIG = VIRT_VIRTIO_BASE + SLOT * VIRT_VIRTIO_SIZE + 0x100;
const EV_KEY = 0x01, EV_REL = 0x02, EV_LED = 0x11;

function machine(kind: 'keyboard' | 'mouse'): VirtMachine {
  return new VirtMachine({ ...DEFAULT_CONFIG, devices: [{ slot: SLOT, kind }] }, { console: { write() {} }, wallClock: { nowNs: () => 0n } });
}

/** Selects (select, subsel) and returns the data the device shows there. */
function query(m: VirtMachine, select: number, subsel: number): Uint8Array {
  m.bus.store(CONFIG, 1, select);
  m.bus.store(CONFIG + 1, 1, subsel);
  const size = m.bus.load(CONFIG + 2, 1);
  return Uint8Array.from({ length: size }, (_, i) => m.bus.load(CONFIG + 8 + i, 1));
}

const hasBit = (bitmap: Uint8Array, code: number): boolean => ((bitmap[code >> 3] ?? 0) >> (code & 7) & 1) === 1;

test('a keyboard names itself as QEMU does and reports keys and LEDs, not relative axes', () => {
  const m = machine('keyboard');
  assert.equal(m.bus.load(VIRT_VIRTIO_BASE + SLOT * VIRT_VIRTIO_SIZE + 8, 4), 18, 'device id 18');
  assert.equal(new TextDecoder().decode(query(m, 0x01, 0)), 'QEMU Virtio Keyboard\0');
  const ids = new DataView(query(m, 0x03, 0).buffer);
  assert.deepEqual([ids.getUint16(0, true), ids.getUint16(2, true), ids.getUint16(4, true)], [0x06, 0x0627, 0x0001]);
  const keys = query(m, 0x11, EV_KEY);
  assert.ok(hasBit(keys, 30) && hasBit(keys, 16) && !hasBit(keys, 0), 'KEY_A and KEY_Q, not KEY_RESERVED');
  assert.ok(hasBit(query(m, 0x11, EV_LED), 1), 'LED_CAPSL');
  assert.equal(query(m, 0x11, EV_REL).length, 0);
  assert.equal(query(m, 0x7f, 0).length, 0, 'an unknown selection is empty');
});

test('a mouse reports its buttons and relative axes, and no keyboard keys', () => {
  const m = machine('mouse');
  assert.equal(new TextDecoder().decode(query(m, 0x01, 0)), 'QEMU Virtio Mouse\0');
  const rel = query(m, 0x11, EV_REL);
  assert.ok(hasBit(rel, 0) && hasBit(rel, 1) && hasBit(rel, 8), 'REL_X, REL_Y, REL_WHEEL');
  const buttons = query(m, 0x11, EV_KEY);
  assert.ok(hasBit(buttons, 0x110) && hasBit(buttons, 0x111) && !hasBit(buttons, 30), 'BTN_LEFT and BTN_RIGHT, not KEY_A');
});
