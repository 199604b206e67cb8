// State digests: the word hash mixes every bit, agrees across views of the same bytes, and
// separates lengths; region digests and RAM digests change exactly where the state changed; and a
// mismatch is named by region.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ram } from '../../src/emu/memory/ram.js';
import { StateArena } from '../../src/emu/state.js';
import {
  describeRegion,
  describeRegionMismatch,
  digestRam,
  digestRegions,
  hashBytes,
  hashRamPage,
  hashWords,
} from '../../src/emu/state-digest.js';

/** Deterministic pseudo-random words (xorshift32), so the inputs are varied but fixed. */
function words(n: number, seed: number): Uint32Array {
  const w = new Uint32Array(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    w[i] = x >>> 0;
  }
  return w;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

test('hashWords is deterministic and the same through Int32 and Uint32 views', () => {
  const w = words(37, 1);
  const h = hashWords(w);
  assert.equal(hashWords(w), h);
  assert.equal(hashWords(new Int32Array(w.buffer)), h);
  assert.equal(hashWords(Uint32Array.from(w)), h);
  assert.ok(h >= 0 && h <= 0xffff_ffff && Number.isInteger(h));
});

test('flipping any one bit changes the hash, and about half of its bits (avalanche)', () => {
  for (const n of [1, 3, 4, 9, 64]) {
    const w = words(n, 7 + n);
    const base = hashWords(w);
    let flipped = 0;
    let changedBits = 0;
    for (let i = 0; i < n; i++) {
      for (let b = 0; b < 32; b++) {
        w[i] ^= 1 << b;
        const h = hashWords(w);
        w[i] ^= 1 << b;
        assert.notEqual(h, base, `bit ${b} of word ${i} of ${n} did not change the hash`);
        changedBits += popcount(h ^ base);
        flipped++;
      }
    }
    const mean = changedBits / flipped;
    assert.ok(mean > 14 && mean < 18, `mean output bits changed ${mean.toFixed(2)} for ${n} words`);
  }
});

test('hashBytes agrees with hashWords on whole words and does not depend on alignment', () => {
  const w = words(20, 3);
  const bytes = new Uint8Array(w.buffer);
  assert.equal(hashBytes(bytes), hashWords(w));
  for (const len of [0, 1, 2, 3, 5, 17, 80]) {
    const src = bytes.subarray(0, len);
    for (let shift = 0; shift < 4; shift++) {
      const other = new Uint8Array(len + 4);
      other.set(src, shift);
      assert.equal(hashBytes(other.subarray(shift, shift + len)), hashBytes(src), `length ${len}, offset ${shift}`);
    }
  }
});

test('inputs that differ only in length (trailing zeros) hash apart', () => {
  const seen = new Map<number, number>();
  for (let len = 0; len <= 64; len++) {
    const h = hashBytes(new Uint8Array(len));
    assert.equal(seen.get(h), undefined, `zero strings of ${seen.get(h)} and ${len} bytes collide`);
    seen.set(h, len);
  }
  assert.notEqual(hashWords(new Uint32Array(4)), hashWords(new Uint32Array(5)));
});

test('no collisions among many small distinct inputs', () => {
  const seen = new Set<number>();
  const w = new Uint32Array(2);
  for (let i = 0; i < 20_000; i++) {
    w[0] = i;
    w[1] = i % 7;
    seen.add(hashWords(w));
  }
  assert.equal(seen.size, 20_000);
});

test('digestRegions has one hash per region, and a change shows only in its region', () => {
  const arena = new StateArena(1024);
  const a = arena.u32('uart0.regs', 16);
  const b = arena.u8('uart0.rxfifo', 5); // not a word multiple: hashed as bytes
  const c = arena.f64('machine.time', 1);
  const names = arena.regions.map((r) => r.name);
  const before = digestRegions(arena);
  assert.equal(before.length, 3);
  assert.deepEqual(digestRegions(arena), before);

  b[4] = 1;
  const after = digestRegions(arena);
  assert.equal(after[0], before[0]);
  assert.notEqual(after[1], before[1]);
  assert.equal(after[2], before[2]);
  assert.match(describeRegionMismatch(names, before, after), /^uart0\.rxfifo \(UART\) differs: expected 0x[0-9a-f]{8}, got 0x[0-9a-f]{8}$/);

  a[15] = 2;
  c[0] = 1e9;
  const later = digestRegions(arena);
  assert.match(describeRegionMismatch(names, before, later), /^uart0\.regs \(UART\) differs/, 'the first differing region is named');
  assert.equal(describeRegionMismatch(names, later, later), 'no region differs');
  assert.match(describeRegionMismatch(names, before, later.slice(0, 2)), /^state layouts differ: 3 regions expected, 2 present/);
});

test('well-known regions are described by what they hold', () => {
  assert.equal(describeRegion('hart0.x'), 'hart0.x (registers)');
  assert.equal(describeRegion('hart0.csr'), 'hart0.csr (CSRs)');
  assert.equal(describeRegion('hart0.counters'), 'hart0.counters (instruction counter)');
  assert.equal(describeRegion('machine.time'), 'machine.time (virtual time)');
  assert.equal(describeRegion('plic.pending'), 'plic.pending (PLIC)');
  assert.equal(describeRegion('clint.regs'), 'clint.regs (CLINT)');
  assert.equal(describeRegion('rtc.alarm'), 'rtc.alarm (RTC)');
  assert.equal(describeRegion('uart1.regs'), 'uart1.regs (UART)');
  assert.equal(describeRegion('mystery.thing'), 'mystery.thing');
  assert.equal(describeRegion('hart0.xtra'), 'hart0.xtra (hart)');
});

test('RAM digests: a store changes its page hash and the RAM digest; page order matters', () => {
  const ram = new Ram(0x8000_0000, 16 * 4096);
  const pages = Array.from({ length: 16 }, (_, p) => hashRamPage(ram, p));
  assert.ok(pages.every((h) => h === pages[0]), 'zero pages hash alike');
  const empty = digestRam(ram);

  ram.u8[5 * 4096 + 4095] = 0x80;
  assert.notEqual(digestRam(ram), empty);
  for (let p = 0; p < 16; p++) {
    if (p === 5) assert.notEqual(hashRamPage(ram, p), pages[p]);
    else assert.equal(hashRamPage(ram, p), pages[p]);
  }
  assert.equal(hashRamPage(ram, 5), hashBytes(ram.u8.subarray(5 * 4096, 6 * 4096)));

  // The same page content one page further on is another RAM.
  const moved = digestRam(ram);
  ram.u8[5 * 4096 + 4095] = 0;
  ram.u8[6 * 4096 + 4095] = 0x80;
  assert.notEqual(digestRam(ram), moved);

  // A RAM of another size with the same (zero) contents digests differently.
  assert.notEqual(digestRam(new Ram(0x8000_0000, 17 * 4096)), empty);
  assert.throws(() => hashRamPage(ram, 16), /RAM page 16 does not exist \(RAM has 16 pages\)/);
});
