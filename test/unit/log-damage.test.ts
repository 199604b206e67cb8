// Damaged logs: cut at every byte of the tail, a flipped byte in a chunk or in the index, and
// files that are not logs of this format. The reader must never hang or throw an unclear error:
// either damage is named (with everything before it intact) or, for a file header it cannot
// read, one LogError line.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from '../../src/emu/crc32.js';
import { ByteWriter } from '../../src/replay/log/byte-writer.js';
import { encodeEvent } from '../../src/replay/log/event-codec.js';
import { decodeChunk, encodeChunk, readChunkHeader, skimChunk } from '../../src/replay/log/log-chunk.js';
import { LogError } from '../../src/replay/log/log-error.js';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { summarizeLog } from '../../src/replay/log/log-summary.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { SeededRandom, sampleEvents, writeLog } from './log-sample-events.js';

const EVENTS = sampleEvents(31, 300);
const BYTES = writeLog(EVENTS, { chunkBytes: 256 });
const HEADER_END = 16 + new DataView(BYTES.buffer).getUint32(12, true) + 4;

function eventsOf(reader: LogReader): LogEvent[] {
  return [...reader.events()];
}

test('a log cut at every byte of its last two chunks, its index or its footer names the damage and keeps the rest', () => {
  const full = LogReader.open(BYTES);
  const n = full.chunks.length;
  const start = full.chunks[n - 2].offset;
  for (let cut = start; cut < BYTES.length; cut++) {
    const reader = LogReader.open(BYTES.subarray(0, cut));
    const d = reader.damage;
    assert.ok(d !== undefined, `cut at ${cut}: damage reported`);
    assert.equal(reader.complete, false);
    assert.doesNotMatch(d.message, /\n/);
    // Everything the reader yields is a prefix of what was written, and covers every chunk
    // that ends before the cut.
    const got = eventsOf(reader);
    assert.deepEqual(got, EVENTS.slice(0, got.length), `cut at ${cut}: a prefix`);
    const intactChunks = full.chunks.filter((_c, i) => (i + 1 < n ? full.chunks[i + 1].offset : Infinity) <= cut);
    assert.ok(got.length >= intactChunks.reduce((k, c) => k + c.events, 0), `cut at ${cut}: intact chunks readable`);
    const last = full.chunks[n - 1].offset;
    if (cut === start || cut === last) {
      // Cut between chunks: what a recorder killed after a flush leaves.
      assert.equal(d.chunk, undefined);
      assert.equal(d.message, `offset 0x${cut.toString(16)}: the log ends without an End event (the recorder did not close it); ` +
        `events up to icount ${full.chunks[cut === start ? n - 3 : n - 2].lastIcount} are intact`);
    } else if (cut < last) {
      assert.equal(d.chunk, n - 2);
      assert.equal(d.message, `truncated inside chunk ${n - 2} at offset 0x${start.toString(16)}; events up to icount ${full.chunks[n - 3].lastIcount} are intact`);
    } else if (got.length < EVENTS.length) {
      assert.equal(d.chunk, n - 1);
      assert.equal(d.message, `truncated inside chunk ${n - 1} at offset 0x${last.toString(16)}; events up to icount ${full.chunks[n - 2].lastIcount} are intact`);
    } else {
      // Every chunk is there: the index or the footer is what is missing.
      assert.equal(reader.endIcount, EVENTS[EVENTS.length - 1].icount);
      assert.match(d.message, /(not followed by an index|index cannot be used).*; events up to icount \d+ are intact$/);
    }
  }
});

test('a log cut inside its file header is a LogError, not damage', () => {
  for (let cut = 0; cut < HEADER_END; cut++) {
    assert.throws(() => LogReader.open(BYTES.subarray(0, cut)), (e: unknown) => {
      assert.ok(e instanceof LogError, `cut at ${cut}`);
      assert.match(e.message, cut === 0 ? /the file is empty/ : /^truncated inside the log header/);
      return true;
    });
  }
  // Cut right after the header: a log with no events yet.
  const empty = LogReader.open(BYTES.subarray(0, HEADER_END));
  assert.equal(empty.chunks.length, 0);
  assert.match(empty.damage!.message, /ends without an End event.*; no event is intact/);
});

test('a flipped byte in a chunk is a checksum mismatch naming the chunk and its offset', () => {
  const full = LogReader.open(BYTES);
  const victim = full.chunks[3];
  const damaged = BYTES.slice();
  damaged[victim.offset + 40] ^= 0x10;
  // With the index the chunk is only read when events reach it.
  const reader = LogReader.open(damaged);
  const got = eventsOf(reader);
  const before = full.chunks.slice(0, 3).reduce((k, c) => k + c.events, 0);
  assert.deepEqual(got, EVENTS.slice(0, before));
  assert.equal(reader.damage!.message, `chunk 3 at offset 0x${victim.offset.toString(16)}: checksum mismatch; events up to icount ${full.chunks[2].lastIcount} are intact`);
  assert.equal(reader.damage!.lastGoodIcount, full.chunks[2].lastIcount);
  // Chunks after it can still be reached by range.
  const later = full.chunks[5];
  assert.ok([...reader.events({ from: later.firstIcount })].length > 0);
  // verify() finds it up front, and so does the summary `info` prints.
  assert.equal(LogReader.open(damaged).verify()?.chunk, 3);
  assert.equal(summarizeLog(LogReader.open(damaged)).damage?.chunk, 3);
  // Without the index (footer gone), the scan stops there.
  const unindexed = LogReader.open(damaged.subarray(0, damaged.length - 1));
  assert.equal(unindexed.chunks.length, 3);
  assert.equal(unindexed.damage!.message, reader.damage!.message);
  assert.deepEqual(eventsOf(unindexed), EVENTS.slice(0, before));
});

test('a flipped byte in a chunk header, the index or the footer is found, and the events stay readable', () => {
  const full = LogReader.open(BYTES);
  const indexOffset = Number(new DataView(BYTES.buffer).getBigUint64(BYTES.length - 8, true));
  const cases: [string, number, RegExp][] = [
    ['chunk 2 length', full.chunks[2].offset + 4, /^chunk 2 at offset 0x[0-9a-f]+: /],
    ['chunk 2 last icount', full.chunks[2].offset + 20, /^chunk 2 at offset 0x[0-9a-f]+: /],
    ['chunk 2 tag', full.chunks[2].offset, /^chunk 2 at offset 0x[0-9a-f]+: no chunk tag/],
    ['an index entry', indexOffset + 8 + 28 + 9, /index cannot be used: checksum mismatch/],
    ['the footer tag', BYTES.length - 12, /index cannot be used: it is cut short or has no footer/],
    ['the footer offset', BYTES.length - 8, /index cannot be used/],
  ];
  for (const [what, at, message] of cases) {
    const damaged = BYTES.slice();
    damaged[at] ^= 0x01;
    const reader = LogReader.open(damaged);
    const got = eventsOf(reader);
    assert.match(reader.damage?.message ?? 'no damage', message, what);
    assert.deepEqual(got, EVENTS.slice(0, got.length), `${what}: a prefix`);
    if (/index|footer/.test(what)) assert.equal(got.length, EVENTS.length, `${what}: every event readable`);
  }
});

test('not a log, another format version, and a corrupt header are one-line LogErrors', () => {
  const cases: [string, Uint8Array, RegExp][] = [];
  const elf = new Uint8Array(64);
  elf.set([0x7f, 0x45, 0x4c, 0x46]);
  cases.push(['an ELF file', elf, /^not an rvreplay log \(it does not begin with the log signature\)$/]);
  cases.push(['text', new TextEncoder().encode('hello world\n'), /^not an rvreplay log/]);
  const v4 = BYTES.slice();
  new DataView(v4.buffer).setUint32(8, 4, true);
  cases.push(['version 4', v4, /^written by format version 4; this rvreplay reads versions 1 to 3$/]);
  const flipped = BYTES.slice();
  flipped[20] ^= 0x01;
  cases.push(['a flipped header byte', flipped, /^corrupt log header: checksum mismatch$/]);
  const long = BYTES.slice();
  new DataView(long.buffer).setUint32(12, 0xffff_fff0, true);
  cases.push(['a header length past the end', long, /^truncated inside the log header/]);
  // Valid CRC over JSON that lacks fields: a foreign header is named, not used.
  const json = new TextEncoder().encode('{"writer":"x"}');
  const foreign = new Uint8Array(16 + json.length + 4);
  foreign.set(BYTES.subarray(0, 12));
  const fv = new DataView(foreign.buffer);
  fv.setUint32(12, json.length, true);
  foreign.set(json, 16);
  fv.setUint32(16 + json.length, crc32(json), true);
  cases.push(['a header without its fields', foreign, /^corrupt log header: created should be a string, not undefined$/]);
  for (const [what, bytes, message] of cases) {
    assert.throws(() => LogReader.open(bytes), (e: unknown) => e instanceof LogError && message.test(e.message), what);
  }
});

test('bytes after a complete log, or garbage in place of a chunk, are damage, not a crash', () => {
  const withTail = new Uint8Array(BYTES.length + 5);
  withTail.set(BYTES);
  const a = LogReader.open(withTail);
  assert.equal(a.complete, false);
  assert.ok(a.damage !== undefined);
  assert.equal(eventsOf(a).length, EVENTS.length);
  const full = LogReader.open(BYTES);
  const garbage = BYTES.slice(0, full.chunks[1].offset + 40);
  garbage.fill(0xff, full.chunks[1].offset);
  const b = LogReader.open(garbage);
  assert.match(b.damage!.message, /^chunk 1 at offset 0x[0-9a-f]+: no chunk tag where a chunk should begin; events up to icount \d+ are intact$/);
  assert.deepEqual(eventsOf(b), EVENTS.slice(0, full.chunks[0].events));
});

test('any single flipped bit is caught: a LogError at open, or damage with a prefix of the events', () => {
  const rng = new SeededRandom(77);
  for (let i = 0; i < 600; i++) {
    const at = i < 100 ? rng.below(HEADER_END + 200) : rng.below(BYTES.length);
    const damaged = BYTES.slice();
    damaged[at] ^= 1 << rng.below(8);
    let reader: LogReader;
    try {
      reader = LogReader.open(damaged);
    } catch (e) {
      assert.ok(e instanceof LogError, `flip at ${at}: ${String(e)}`);
      assert.ok(at < HEADER_END, `flip at ${at}: only the file header makes open fail`);
      continue;
    }
    const got = eventsOf(reader);
    assert.deepEqual(got, EVENTS.slice(0, got.length), `flip at ${at}: a prefix`);
    assert.ok(reader.verify() !== undefined, `flip at ${at}: damage found`);
    assert.equal(reader.complete, false);
  }
});

test('a cut anywhere leaves a readable prefix', () => {
  const rng = new SeededRandom(78);
  for (let i = 0; i < 300; i++) {
    const cut = HEADER_END + rng.below(BYTES.length - HEADER_END);
    const reader = LogReader.open(BYTES.subarray(0, cut));
    const got = eventsOf(reader);
    assert.deepEqual(got, EVENTS.slice(0, got.length), `cut at ${cut}`);
    assert.ok(reader.damage !== undefined);
  }
});

test('version-1 and version-2 logs (no DebugWrite, BlockRequest or NetTransmit events) are read as they are', () => {
  const v3Kinds = [EventKind.BlockRequest, EventKind.NetTransmit];
  for (const [version, newer] of [[1, [EventKind.DebugWrite, ...v3Kinds]], [2, v3Kinds]] as const) {
    const older = EVENTS.filter((e) => !(newer as readonly number[]).includes(e.kind));
    const bytes = writeLog(older, { chunkBytes: 256 });
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(8, version, true);
    const reader = LogReader.open(bytes);
    assert.equal(reader.damage, undefined);
    assert.deepEqual(eventsOf(reader), older);
  }
});

test('a chunk whose checksum holds but whose events disagree with it is refused alike by decoding and by the skim', () => {
  const payload = (events: LogEvent[]): Uint8Array => {
    const w = new ByteWriter();
    let previous = events[0].icount;
    for (const e of events) {
      encodeEvent(w, e, previous);
      previous = e.icount;
    }
    return w.copy();
  };
  const stamp = { kind: EventKind.IcountStamp, icount: 100 } as const;
  const cases: [string, Uint8Array, number, number, RegExp][] = [
    ['no leading stamp', payload([{ kind: EventKind.Checkpoint, icount: 100 }]), 100, 1, /does not begin with an icount stamp/],
    ['events after End', payload([stamp, { kind: EventKind.End, icount: 100 }, { kind: EventKind.Checkpoint, icount: 100 }]), 100, 3, /events follow the End event/],
    ['fewer events than counted', payload([stamp, { kind: EventKind.Interrupt, icount: 150, cause: 7 }]), 150, 3, /event 2: .*needed/],
    ['more events than counted', payload([stamp, { kind: EventKind.Checkpoint, icount: 150 }]), 150, 1, /bytes are left after its 1 events/],
    ['the last icount is not the header\'s', payload([stamp, { kind: EventKind.Interrupt, icount: 150, cause: 7 }]), 160, 2, /end at icount 150, its header says 160/],
  ];
  for (const [what, body, last, count, message] of cases) {
    const chunk = encodeChunk(body, 100, last, count);
    const header = readChunkHeader(chunk, 0);
    assert.throws(() => decodeChunk(chunk, header), message, `decode: ${what}`);
    assert.throws(() => skimChunk(chunk, header, () => {}), message, `skim: ${what}`);
  }
});
