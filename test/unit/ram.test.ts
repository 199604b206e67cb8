// Guest RAM's loader-side operations: zeroing a range (a guest's .bss) clears what was written
// there and nothing around it, and tells compiled code from those bytes that it is stale.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ram } from '../../src/emu/memory/ram.js';

const BASE = 0x8000_0000;

test('zero() clears the written bytes of the range, across pages, and leaves the bytes around it', () => {
  const ram = new Ram(BASE, 64 * 1024);
  const pattern = new Uint8Array(3 * 4096).fill(0xa5);
  ram.write(BASE + 4096, pattern); // pages 1-3
  ram.zero(BASE + 4096 + 100, 2 * 4096); // from page 1 + 100 to page 3 + 100
  const after = ram.read(BASE + 4096, 3 * 4096);
  assert.ok(after.subarray(0, 100).every((b) => b === 0xa5), 'bytes before the range are kept');
  assert.ok(after.subarray(100, 100 + 2 * 4096).every((b) => b === 0), 'the range is zero');
  assert.ok(after.subarray(100 + 2 * 4096).every((b) => b === 0xa5), 'bytes after the range are kept');
  // Pages never written are zero already: zeroing them leaves them as they were.
  ram.zero(BASE + 8 * 4096, 4 * 4096);
  assert.deepEqual(ram.nonzeroPages(), [1, 3]);
  assert.throws(() => ram.zero(BASE + 60 * 1024, 8192), /RAM zeroing outside RAM/);
});

test('zeroing bytes compiled code came from tells the code that it is stale', () => {
  const ram = new Ram(BASE, 64 * 1024);
  ram.write(BASE + 2 * 4096, Uint8Array.of(0x13, 0, 0, 0));
  ram.watchCode(2);
  const told: number[] = [];
  ram.codeWritten = (page) => {
    told.push(page);
    return true;
  };
  ram.zero(BASE + 5 * 4096, 4096); // a page without code
  ram.zero(BASE + 2 * 4096, 16);
  assert.deepEqual(told, [2]);
});
