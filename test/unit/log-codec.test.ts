// The primitive encodings of the log format and the event codec: exact values at the edges of
// every field type, refusals of values the format cannot hold, and every event kind through
// encode and decode, and through the skim that steps over events without building them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteReader } from '../../src/replay/log/byte-reader.js';
import { ByteWriter } from '../../src/replay/log/byte-writer.js';
import { decodeEvent, decodeEventAt, encodeEvent, skimEvent, type SkimmedEvent } from '../../src/replay/log/event-codec.js';
import { LogError } from '../../src/replay/log/log-error.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { randomEvent, SeededRandom } from './log-sample-events.js';

test('varints are LEB128: 7 bits a byte, low first, up to 2^53 - 1', () => {
  const cases: [number, number[]][] = [
    [0, [0x00]], [1, [0x01]], [127, [0x7f]], [128, [0x80, 0x01]], [300, [0xac, 0x02]],
    [2 ** 32, [0x80, 0x80, 0x80, 0x80, 0x10]],
    [Number.MAX_SAFE_INTEGER, [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  for (const [value, bytes] of cases) {
    const w = new ByteWriter(1);
    w.varint(value);
    assert.deepEqual([...w.copy()], bytes, `encoding of ${value}`);
    assert.equal(new ByteReader(w.copy()).varint(), value);
  }
});

test('zigzag maps small magnitudes of either sign to short codes', () => {
  for (const [value, code] of [[0, 0], [-1, 1], [1, 2], [-2, 3], [2 ** 51, 2 ** 52], [-(2 ** 51), 2 ** 52 - 1]]) {
    const w = new ByteWriter();
    w.zigzag(value);
    assert.equal(new ByteReader(w.copy()).varint(), code, `zigzag(${value})`);
    assert.equal(new ByteReader(w.copy()).zigzag(), value);
  }
});

test('fixed-width fields are little-endian; u64 holds numbers to 2^53 and i64 the full range', () => {
  const w = new ByteWriter(2);
  w.u32(0x12345678);
  w.u64(2 ** 52 + 5);
  w.i64(-(1n << 63n));
  w.i64((1n << 63n) - 1n);
  const b = w.copy();
  assert.deepEqual([...b.subarray(0, 4)], [0x78, 0x56, 0x34, 0x12]);
  const r = new ByteReader(b);
  assert.equal(r.u32(), 0x12345678);
  assert.equal(r.u64(), 2 ** 52 + 5);
  assert.equal(r.i64(), -(1n << 63n));
  assert.equal(r.i64(), (1n << 63n) - 1n);
  assert.equal(r.remaining, 0);
});

test('values the format cannot hold are refused when written', () => {
  const w = new ByteWriter();
  assert.throws(() => w.varint(-1), RangeError);
  assert.throws(() => w.varint(1.5), RangeError);
  assert.throws(() => w.varint(2 ** 53), RangeError);
  assert.throws(() => w.u32(2 ** 32), RangeError);
  assert.throws(() => w.u64(-1), RangeError);
  assert.throws(() => w.zigzag(2 ** 52), RangeError);
  assert.throws(() => w.i64(1n << 63n), RangeError);
});

test('damaged values are refused when read, with a LogError, not a wrong number', () => {
  // Nine continuation bytes: more than 2^53 can need.
  assert.throws(() => new ByteReader(new Uint8Array(9).fill(0x80)).varint(), LogError);
  // Eight bytes whose value is 2^53 or more.
  assert.throws(() => new ByteReader(new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x10])).varint(), /exceeds 2\^53/);
  assert.throws(() => new ByteReader(new Uint8Array([0, 0, 0, 0, 0, 0, 0x20, 0])).u64(), /exceeds 2\^53/);
  assert.throws(() => new ByteReader(new Uint8Array([0x80])).varint(), /byte needed/);
  assert.throws(() => new ByteReader(new Uint8Array([5, 1, 2])).lengthPrefixed(), /5 bytes needed at offset 0x1, only 2 left/);
  // The reader's window, not the array, bounds what it reads.
  assert.throws(() => new ByteReader(new Uint8Array(8), 2, 4).u32(), LogError);
});

/** 2,000 events of every kind (End first), each with the icount its delta is taken from; returns the kinds seen. */
function eachRandomEvent(seed: number, visit: (e: LogEvent, previous: number) => void): Set<number> {
  const rng = new SeededRandom(seed);
  const seen = new Set<number>();
  let previous = 0;
  for (let i = 0; i < 2000; i++) {
    const icount = previous + rng.pick([0, 1, 1000, 2 ** 40]);
    const e = i === 0 ? { kind: EventKind.End, icount } as const : randomEvent(rng, icount);
    seen.add(e.kind);
    visit(e, previous);
    previous = icount;
  }
  return seen;
}

test('every event kind survives encode and decode, field for field', () => {
  const seen = eachRandomEvent(7, (e, previous) => {
    const w = new ByteWriter();
    encodeEvent(w, e, previous);
    const r = new ByteReader(w.copy());
    assert.deepEqual(decodeEvent(r, previous), e);
    assert.equal(r.remaining, 0, `all bytes of ${JSON.stringify(e, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))} consumed`);
  });
  assert.deepEqual([...seen].sort((a, b) => a - b), Object.values(EventKind).sort((a, b) => a - b));
});

test('the skim steps over every kind exactly as decoding does, keeping the cause or byte count; one event decodes alone at its offset', () => {
  const seen = eachRandomEvent(8, (e, previous) => {
    const w = new ByteWriter();
    w.u8(0xee); // something before the event, as in a payload
    encodeEvent(w, e, previous);
    const bytes = w.copy();
    const r = new ByteReader(bytes, 1);
    const skimmed: SkimmedEvent = { kind: -1, icount: -1, value: -1 };
    skimEvent(r, previous, skimmed);
    assert.equal(r.remaining, 0, `the skim of kind ${e.kind} consumed every byte`);
    const value = 'cause' in e ? e.cause : e.kind === EventKind.SerialWrite ? e.count : e.kind === EventKind.SerialInput ? e.bytes.length : 0;
    assert.deepEqual(skimmed, { kind: e.kind, icount: e.icount, value });
    assert.deepEqual(decodeEventAt(new ByteReader(bytes, 1), e.icount), e);
  });
  assert.equal(seen.size, Object.values(EventKind).length);
});

test('an event is kind, icount delta, fields: a serial input of "ls" is 7 bytes', () => {
  const w = new ByteWriter();
  encodeEvent(w, { kind: EventKind.SerialInput, icount: 1300, device: 0, bytes: new TextEncoder().encode('ls') }, 1000);
  assert.deepEqual([...w.copy()], [EventKind.SerialInput, 0xac, 0x02, 0, 2, 0x6c, 0x73]);
});

test('decoding refuses unknown kinds, stamps that disagree, and counts that cannot fit', () => {
  assert.throws(() => decodeEvent(new ByteReader(new Uint8Array([99, 0])), 0), /unknown event kind 99 at offset 0x0/);
  assert.throws(() => decodeEvent(new ByteReader(new Uint8Array([EventKind.IcountStamp, 0, 5])), 4), /stamp .* says 5 where the deltas say 4/);
  // A digest claiming 1000 regions in 3 bytes.
  assert.throws(() => decodeEvent(new ByteReader(new Uint8Array([EventKind.Digest, 0, 0xe8, 0x07, 0, 0, 0])), 0), /runs past the end/);
  assert.throws(() => decodeEvent(new ByteReader(new Uint8Array([EventKind.Snapshot, 0, 1, 0xff])), 0), /not UTF-8/);
  const skim = (bytes: number[]): void => skimEvent(new ByteReader(new Uint8Array(bytes)), 4, { kind: 0, icount: 0, value: 0 });
  assert.throws(() => skim([99, 0]), /unknown event kind 99/);
  assert.throws(() => skim([EventKind.IcountStamp, 0, 5]), /says 5 where the deltas say 4/);
  assert.throws(() => skim([EventKind.SerialInput, 0, 0, 9, 1]), /9 bytes needed/);
  assert.throws(() => skim([EventKind.Snapshot, 0, 1, 0xff]), /not UTF-8/);
});
