// Deterministic 32-bit digests of machine state, for divergence detection: a replay compares its
// digests with the recorded ones and names the first region (or RAM) that differs. The mix is in
// the style of xxHash32 (four independent lanes over 32-bit words, so the CPU can overlap them,
// then an avalanche), written for word arrays because RAM pages are hashed often. Not
// cryptographic: it detects accidents, not adversaries.

import type { Ram } from './memory/ram.js';
import { PAGE_SHIFT, PAGE_SIZE } from './memory/ram.js';
import type { StateArena } from './state.js';

const PRIME1 = 0x9e3779b1 | 0;
const PRIME2 = 0x85ebca77 | 0;
const PRIME3 = 0xc2b2ae3d | 0;
const PRIME4 = 0x27d4eb2f | 0;
const PRIME5 = 0x165667b1 | 0;

const WORDS_PER_PAGE = PAGE_SIZE >>> 2;
/** Seed of RAM digests, apart from 0 so an empty RAM digest is not an empty-array hash. */
const RAM_SEED = 0x52414d21; // 'RAM!'

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

/**
 * The hash of `count` words of `w` from `start`, then `tail` (0–3 bytes), as if they were one
 * byte string of 4·count + tail.length bytes; for whole RAM pages, hashPageAt computes the same.
 * On Int32Array alone, so V8 compiles it for one element kind.
 */
function hashRange(w: Int32Array, start: number, count: number, tail: Uint8Array | undefined, seed: number): number {
  const whole = count & ~3; // the words the four lanes take
  let h = whole > 0 ? lanes(w, start, whole, seed) : (seed + PRIME5) | 0;
  // The length goes in so that inputs differing only by trailing zeros hash apart.
  h = (h + count * 4 + (tail === undefined ? 0 : tail.length)) | 0;
  for (let i = start + whole; i < start + count; i++) h = Math.imul(rotl((h + Math.imul(w[i], PRIME3)) | 0, 17), PRIME4);
  if (tail !== undefined) {
    for (let j = 0; j < tail.length; j++) h = Math.imul(rotl((h + Math.imul(tail[j], PRIME5)) | 0, 11), PRIME1);
  }
  return avalanche(h);
}

/** hashRange of one whole RAM page: the lanes alone, with none of the code for odd lengths. */
function hashPageAt(w: Int32Array, start: number): number {
  return avalanche((lanes(w, start, WORDS_PER_PAGE, 0) + PAGE_SIZE) | 0);
}

/**
 * The four lanes over `count` words (a positive multiple of 4) from `start`, combined: the bulk
 * of every hash, in a function of its own. V8 compiles the loop of a long hash mid-call, with
 * feedback for the loop alone; when the loop shared a function with the code for odd lengths,
 * reaching that code left the optimized code, 18 times in a paging recording, and the pages
 * after it were hashed by V8's interpreter (its digests took 38 ms instead of 27).
 */
function lanes(w: Int32Array, start: number, count: number, seed: number): number {
  let v1 = (seed + PRIME1 + PRIME2) | 0;
  let v2 = (seed + PRIME2) | 0;
  let v3 = seed | 0;
  let v4 = (seed - PRIME1) | 0;
  const end = start + count;
  for (let i = start; i < end; i += 4) {
    v1 = Math.imul(rotl((v1 + Math.imul(w[i], PRIME2)) | 0, 13), PRIME1);
    v2 = Math.imul(rotl((v2 + Math.imul(w[i + 1], PRIME2)) | 0, 13), PRIME1);
    v3 = Math.imul(rotl((v3 + Math.imul(w[i + 2], PRIME2)) | 0, 13), PRIME1);
    v4 = Math.imul(rotl((v4 + Math.imul(w[i + 3], PRIME2)) | 0, 13), PRIME1);
  }
  return (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
}

function avalanche(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, PRIME2);
  h ^= h >>> 13;
  h = Math.imul(h, PRIME3);
  h ^= h >>> 16;
  return h >>> 0;
}

function asInt32(words: Int32Array | Uint32Array): Int32Array {
  return words instanceof Int32Array ? words : new Int32Array(words.buffer, words.byteOffset, words.length);
}

/** The hash of 32-bit words (unsigned result). Equal to hashBytes of the same little-endian bytes. */
export function hashWords(words: Int32Array | Uint32Array): number {
  return hashRange(asInt32(words), 0, words.length, undefined, 0);
}

/** The hash of a byte string of any length and alignment. */
export function hashBytes(bytes: Uint8Array): number {
  const count = bytes.length >>> 2;
  const tail = bytes.length & 3 ? bytes.subarray(count * 4) : undefined;
  // An unaligned view cannot be read as words in place; copying keeps the result independent of
  // where the bytes sit, which is what callers compare.
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice(0, count * 4);
  const words = new Int32Array(aligned.buffer, aligned.byteOffset, count);
  return hashRange(words, 0, count, tail, 0);
}

/** One hash per state arena region, in `arena.regions` order. */
export function digestRegions(arena: StateArena): number[] {
  return arena.regions.map((r) => hashBytes(new Uint8Array(arena.buffer, r.offset, r.bytes)));
}

/** The hash of one 4 KiB RAM page (page 0 starts at the RAM base). */
export function hashRamPage(ram: Ram, page: number): number {
  const pages = ram.size >>> PAGE_SHIFT;
  if (!Number.isInteger(page) || page < 0 || page >= pages) {
    throw new RangeError(`RAM page ${page} does not exist (RAM has ${pages} pages)`);
  }
  return hashPageAt(ram.i32, page * WORDS_PER_PAGE);
}

/** The digest of all of RAM: the page hashes combined in page order, so a moved page shows. */
export function digestRam(ram: Ram): number {
  const pages = ram.size >>> PAGE_SHIFT;
  const w = ram.i32;
  let h = RAM_SEED;
  for (let p = 0; p < pages; p++) {
    const ph = hashPageAt(w, p * WORDS_PER_PAGE);
    h = Math.imul(rotl((h + Math.imul(ph, PRIME2)) | 0, 13), PRIME1);
  }
  return avalanche((h + pages) | 0);
}

/** What well-known regions hold, by exact name, for messages a user can read. */
const REGION_NAMES: Readonly<Record<string, string>> = {
  'hart0.x': 'registers',
  'hart0.csr': 'CSRs',
  'hart0.counters': 'instruction counter',
  'machine.time': 'virtual time',
};

/** What a device's regions belong to, by the name's first part without its unit number. */
const REGION_OWNERS: Readonly<Record<string, string>> = {
  hart: 'hart',
  clint: 'CLINT',
  plic: 'PLIC',
  uart: 'UART',
  rtc: 'RTC',
  virtio: 'virtio',
  htif: 'HTIF',
};

/** "uart0.regs (UART)": a region name with what it belongs to, when that is known. */
export function describeRegion(name: string): string {
  const owner = name.split('.')[0].replace(/[0-9]+$/, '');
  const kind = Object.hasOwn(REGION_NAMES, name) ? REGION_NAMES[name] : Object.hasOwn(REGION_OWNERS, owner) ? REGION_OWNERS[owner] : undefined;
  return kind === undefined ? name : `${name} (${kind})`;
}

/**
 * One line naming the first region whose digests differ, e.g.
 * "hart0.x (registers) differs: expected 0x1234abcd, got 0x0badf00d".
 */
export function describeRegionMismatch(names: readonly string[], expected: readonly number[], actual: readonly number[]): string {
  if (expected.length !== actual.length || expected.length !== names.length) {
    return `state layouts differ: ${expected.length} regions expected, ${actual.length} present (${names.length} named)`;
  }
  const i = expected.findIndex((h, k) => h >>> 0 !== actual[k] >>> 0);
  if (i < 0) return 'no region differs';
  const hex = (h: number): string => `0x${(h >>> 0).toString(16).padStart(8, '0')}`;
  return `${describeRegion(names[i])} differs: expected ${hex(expected[i])}, got ${hex(actual[i])}`;
}
