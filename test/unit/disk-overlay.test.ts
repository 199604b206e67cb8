// The disk overlay: reads see the base image until written, writes never reach the base, partial
// block writes keep the rest of the block, the running write hash in the arena changes with
// content and position, and a snapshot's blocks restore the same disk.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DISK_BLOCK_SIZE, DiskOverlay } from '../../src/emu/devices/disk-overlay.js';
import type { DiskImage } from '../../src/emu/host/ports.js';
import { StateArena } from '../../src/emu/state.js';

function image(bytes: number): DiskImage & { data: Uint8Array } {
  const data = Uint8Array.from({ length: bytes }, (_, i) => (i * 7 + (i >> 9)) & 0xff);
  return {
    data, bytes, digest: 'test',
    read(offset, into) {
      into.fill(0);
      into.set(data.subarray(offset, Math.min(bytes, offset + into.length)));
    },
  };
}

function readAll(d: DiskOverlay): Uint8Array {
  const out = new Uint8Array(d.bytes);
  d.read(0, out);
  return out;
}

test('reads come from the base until written; writes stay in the overlay', () => {
  const base = image(5 * DISK_BLOCK_SIZE + 512);
  const before = base.data.slice();
  const d = new DiskOverlay(new StateArena(), 'd', base);
  assert.deepEqual(readAll(d), before);
  const patch = new Uint8Array(1000).fill(0xab);
  d.write(DISK_BLOCK_SIZE - 300, patch); // straddles blocks 0 and 1
  const expected = before.slice();
  expected.set(patch, DISK_BLOCK_SIZE - 300);
  assert.deepEqual(readAll(d), expected);
  assert.deepEqual(base.data, before, 'the base image is untouched');
  assert.equal(d.snapshotBlocks().length, 2);
});

test('the running hash differs for other content and another position, and a restore gives the same disk', () => {
  const hashAfter = (offset: number, value: number): [number, DiskOverlay, StateArena] => {
    const arena = new StateArena();
    const d = new DiskOverlay(arena, 'd', image(4 * DISK_BLOCK_SIZE));
    d.write(offset, new Uint8Array(512).fill(value));
    return [new Uint32Array(arena.buffer, 0, 2)[0], d, arena];
  };
  const [a, da] = hashAfter(512, 1);
  assert.notEqual(a, hashAfter(1024, 1)[0], 'position counts');
  assert.notEqual(a, hashAfter(512, 2)[0], 'content counts');
  assert.equal(a, hashAfter(512, 1)[0], 'the same write, the same hash');
  const fresh = new DiskOverlay(new StateArena(), 'd', image(4 * DISK_BLOCK_SIZE));
  fresh.restoreBlocks(da.snapshotBlocks());
  assert.deepEqual(readAll(fresh), readAll(da));
});
