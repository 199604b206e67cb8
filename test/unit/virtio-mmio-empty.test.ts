// Unit tests of an empty virtio-mmio slot, against what a guest read from QEMU 7.2's virt board
// (qemu-system-riscv32 -M virt -bios none, Debian 1:7.2+dfsg-7).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtioMmioEmpty, VIRTIO_MMIO_REGION_SIZE } from '../../src/emu/devices/virtio-mmio-empty.js';

test('magic, legacy version, device id 0 and the QEMU vendor id; everything else 0', () => {
  const dev = new VirtioMmioEmpty();
  assert.equal(dev.read(0x000, 4), 0x74726976);
  assert.equal(dev.read(0x004, 4), 1);
  assert.equal(dev.read(0x008, 4), 0);
  assert.equal(dev.read(0x00c, 4), 0x554d4551);
  for (let off = 0x10; off < VIRTIO_MMIO_REGION_SIZE; off += 4) assert.equal(dev.read(off, 4), 0, `offset 0x${off.toString(16)}`);
});

test('narrow reads see low bytes at the exact register offset and 0 inside it', () => {
  const dev = new VirtioMmioEmpty();
  assert.equal(dev.read(0x0, 1), 0x76);
  assert.equal(dev.read(0x1, 1), 0);
  assert.equal(dev.read(0x2, 1), 0);
  assert.equal(dev.read(0x4, 1), 1);
  assert.equal(dev.read(0xc, 1), 0x51);
  assert.equal(dev.read(0x0, 2), 0x6976);
  assert.equal(dev.read(0x2, 2), 0);
  assert.equal(dev.read(0xc, 2), 0x4551);
  assert.equal(dev.read(0xe, 2), 0);
});

test('writes are ignored (status stays 0)', () => {
  const dev = new VirtioMmioEmpty();
  dev.write(0x70, 4, 0xf);
  dev.write(0x14, 4, 1);
  dev.write(0x0, 4, 0);
  assert.equal(dev.read(0x70, 4), 0);
  assert.equal(dev.read(0x14, 4), 0);
  assert.equal(dev.read(0x0, 4), 0x74726976);
  assert.equal(VIRTIO_MMIO_REGION_SIZE, 0x200);
});
