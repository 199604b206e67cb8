// LogWriter and LogReader together: every kind of event comes back as it went in, with large and
// tiny chunks; the file is laid out as docs/LOG-FORMAT.md says; and the writer refuses what a
// recorder must never do (events out of order, anything after End, closing without End).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { LogWriter } from '../../src/replay/log/log-writer.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { concat, SAMPLE_HEADER, sampleEvents, writeLog } from './log-sample-events.js';

function readAll(bytes: Uint8Array): { reader: LogReader; events: LogEvent[] } {
  const reader = LogReader.open(bytes);
  return { reader, events: [...reader.events()] };
}

test('every event kind round-trips through the writer and the reader', () => {
  for (const seed of [1, 2, 3]) {
    const events = sampleEvents(seed, 3000);
    const kinds = new Set(events.map((e) => e.kind));
    assert.equal(kinds.size, Object.keys(EventKind).length, 'the sample holds every kind');
    const { reader, events: back } = readAll(writeLog(events));
    assert.deepEqual(back, events);
    assert.deepEqual(reader.header, SAMPLE_HEADER);
    assert.equal(reader.complete, true);
    assert.equal(reader.indexed, true);
    assert.equal(reader.damage, undefined);
    assert.equal(reader.endIcount, events[events.length - 1].icount);
  }
});

test('many small chunks: each closes at chunkBytes and decodes on its own', () => {
  const events = sampleEvents(11, 500);
  for (const chunkBytes of [1, 7, 64, 1000]) {
    const { reader, events: back } = readAll(writeLog(events, { chunkBytes }));
    assert.deepEqual(back, events, `chunkBytes ${chunkBytes}`);
    if (chunkBytes === 1) assert.equal(reader.chunks.length, events.length, 'one event per chunk');
    assert.equal(reader.chunks.reduce((n, c) => n + c.events, 0), events.length);
    for (const [i, c] of reader.chunks.entries()) {
      assert.equal(c.index, i);
      if (i > 0) assert.ok(c.firstIcount >= reader.chunks[i - 1].lastIcount);
      // A chunk read alone starts at its own first icount.
      const alone = [...reader.events({ from: c.firstIcount, to: c.lastIcount + 1 })];
      assert.ok(alone.length >= c.events);
    }
  }
});

test('icount stamps the recorder appends itself round-trip too (the framing stamps do not show)', () => {
  const events: LogEvent[] = [
    { kind: EventKind.IcountStamp, icount: 10 },
    { kind: EventKind.Checkpoint, icount: 10 },
    { kind: EventKind.IcountStamp, icount: 20 },
    { kind: EventKind.End, icount: 20 },
  ];
  for (const chunkBytes of [1, 3, 65536]) assert.deepEqual(readAll(writeLog(events, { chunkBytes })).events, events);
});

test('the file is header, chunks, index, footer, as LOG-FORMAT.md lays them out', () => {
  const parts: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => parts.push(b) }, SAMPLE_HEADER, { chunkBytes: 1 });
  const json = new TextEncoder().encode(JSON.stringify(SAMPLE_HEADER));
  assert.equal(parts.length, 1, 'the header is written at once');
  assert.equal(writer.bytesWritten, 8 + 4 + 4 + json.length + 4);
  writer.append({ kind: EventKind.Interrupt, icount: 300, cause: 7 });
  writer.append({ kind: EventKind.End, icount: 301 });
  writer.close();
  const bytes = concat(parts);
  assert.equal(writer.bytesWritten, bytes.length);
  const view = new DataView(bytes.buffer);
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x52, 0x56, 0x52, 0x4c, 0x4f, 0x47, 0x0a]);
  assert.equal(view.getUint32(8, true), 3, 'format version');
  assert.equal(view.getUint32(12, true), json.length);
  assert.deepEqual(bytes.subarray(16, 16 + json.length), json);
  let at = 16 + json.length + 4;
  // Chunk 0: the stamp at 300 and the interrupt.
  assert.equal(new TextDecoder().decode(bytes.subarray(at, at + 4)), 'CHNK');
  assert.equal(view.getUint32(at + 4, true), 4 + 3, 'payload: stamp (kind, delta 0, 300 in 2 bytes) and interrupt (kind, delta, cause)');
  assert.equal(Number(view.getBigUint64(at + 12, true)), 300);
  assert.equal(Number(view.getBigUint64(at + 20, true)), 300);
  assert.equal(view.getUint32(at + 28, true), 2);
  assert.deepEqual([...bytes.subarray(at + 32, at + 39)], [EventKind.IcountStamp, 0, 0xac, 0x02, EventKind.Interrupt, 0, 7]);
  // Chunk 1: the stamp at 301 (4 bytes) and End (kind, delta).
  const chunk1 = at + 32 + 7;
  assert.equal(view.getUint32(chunk1 + 4, true), 4 + 2);
  at = chunk1 + 32 + 6;
  assert.equal(new TextDecoder().decode(bytes.subarray(at, at + 4)), 'INDX');
  assert.equal(view.getUint32(at + 4, true), 2, 'two index entries');
  assert.equal(Number(view.getBigUint64(at + 8 + 28, true)), chunk1, 'entry 1 points at chunk 1');
  const footer = bytes.length - 12;
  assert.equal(footer, at + 8 + 2 * 28 + 4);
  assert.equal(new TextDecoder().decode(bytes.subarray(footer, footer + 4)), 'FOOT');
  assert.equal(Number(view.getBigUint64(footer + 4, true)), at);
});

test('flushChunk writes the open chunk now; the sink receives each block once, never reused', () => {
  const parts: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => parts.push(b) }, SAMPLE_HEADER);
  writer.flushChunk();
  assert.equal(parts.length, 1, 'no empty chunk');
  writer.append({ kind: EventKind.SerialInput, icount: 5, device: 0, bytes: new Uint8Array([0x41]) });
  assert.equal(parts.length, 1, 'the chunk stays open below chunkBytes');
  writer.flushChunk();
  assert.equal(parts.length, 2);
  const copy = parts[1].slice();
  writer.append({ kind: EventKind.SerialInput, icount: 6, device: 0, bytes: new Uint8Array([0x42]) });
  writer.flushChunk();
  assert.deepEqual(parts[1], copy, 'a block handed to the sink is not touched again');
  // A recorder killed here leaves two intact chunks: readable, but not complete.
  const reader = LogReader.open(concat(parts));
  assert.equal(reader.complete, false);
  assert.deepEqual([...reader.events()].map((e) => e.icount), [5, 6]);
  assert.match(reader.damage!.message, /ends without an End event .*; events up to icount 6 are intact/);
});

test('the writer refuses events out of icount order, after End, and closing without End', () => {
  const writer = new LogWriter({ write: () => {} }, SAMPLE_HEADER);
  writer.append({ kind: EventKind.Checkpoint, icount: 100 });
  assert.throws(() => writer.append({ kind: EventKind.Checkpoint, icount: 99 }), /checkpoint event at icount 99 after an event at icount 100: events must come in icount order/);
  assert.throws(() => writer.append({ kind: EventKind.Checkpoint, icount: -1 }), /not an unsigned integer/);
  assert.throws(() => writer.close(), /before the End event/);
  writer.append({ kind: EventKind.Checkpoint, icount: 100 });
  writer.append({ kind: EventKind.End, icount: 150 });
  assert.throws(() => writer.append({ kind: EventKind.Checkpoint, icount: 150 }), /after the End event/);
  writer.close();
  assert.throws(() => writer.close(), /twice/);
  assert.throws(() => writer.append({ kind: EventKind.End, icount: 150 }), /after close/);
  assert.throws(() => new LogWriter({ write: () => {} }, SAMPLE_HEADER, { chunkBytes: 0 }), /chunkBytes/);
});

test('an event that cannot be encoded is refused and leaves the log as it was', () => {
  const parts: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => parts.push(b) }, SAMPLE_HEADER);
  assert.throws(() => writer.append({ kind: EventKind.Interrupt, icount: 1, cause: -3 }), /cannot encode the interrupt event at icount 1/);
  writer.append({ kind: EventKind.Interrupt, icount: 2, cause: 3 });
  assert.throws(() => writer.append({ kind: EventKind.Digest, icount: 3, regions: [2 ** 32], pages: [] }), /does not fit in a u32/);
  writer.append({ kind: EventKind.End, icount: 4 });
  writer.close();
  assert.deepEqual(readAll(concat(parts)).events, [{ kind: EventKind.Interrupt, icount: 2, cause: 3 }, { kind: EventKind.End, icount: 4 }]);
});
