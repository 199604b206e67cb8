// Range queries: events(from, to, kinds) yields exactly the events a filter over the whole log
// would, and with an index decodes only the chunks that overlap the range.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { summarizeLog } from '../../src/replay/log/log-summary.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { SeededRandom, sampleEvents, writeLog } from './log-sample-events.js';

const EVENTS = sampleEvents(21, 4000);
const BYTES = writeLog(EVENTS, { chunkBytes: 512 });

function expected(from: number, to: number, kinds?: Set<number>): LogEvent[] {
  return EVENTS.filter((e) => e.icount >= from && e.icount < to && (kinds === undefined || kinds.has(e.kind)));
}

test('a range yields the events from `from` (inclusive) to `to` (exclusive), in order', () => {
  const rng = new SeededRandom(5);
  const reader = LogReader.open(BYTES);
  const last = EVENTS[EVENTS.length - 1].icount;
  for (let i = 0; i < 200; i++) {
    const a = rng.below(last + 2);
    const b = rng.below(last + 2);
    const [from, to] = a <= b ? [a, b] : [b, a];
    assert.deepEqual([...reader.events({ from, to })], expected(from, to), `[${from}, ${to})`);
  }
  // Bounds that fall on events: repeated icounts are all in or all out.
  const mid = EVENTS[2000].icount;
  assert.deepEqual([...reader.events({ from: mid, to: mid + 1 })], expected(mid, mid + 1));
  assert.deepEqual([...reader.events({ from: last + 1 })], []);
  assert.deepEqual([...reader.events({ to: 0 })], []);
});

test('kinds filter the sequence', () => {
  const reader = LogReader.open(BYTES);
  const kinds = new Set<number>([EventKind.SerialInput, EventKind.Digest]);
  const got = [...reader.events({ kinds })];
  assert.ok(got.length > 0);
  assert.deepEqual(got, expected(0, Infinity, kinds));
});

test('with an index, a range decodes only the chunks that overlap it', () => {
  const reader = LogReader.open(BYTES);
  const opened = reader.chunksDecoded; // the last chunk, read at open to find End
  assert.equal(opened, 1);
  assert.ok(reader.chunks.length > 50, `${reader.chunks.length} chunks`);
  const c = reader.chunks[Math.floor(reader.chunks.length / 2)];
  // Strictly inside one chunk (its icounts are not shared with its neighbours in this sample).
  const from = c.firstIcount + 1;
  const to = c.lastIcount;
  assert.ok(from < to, 'the chosen chunk spans several icounts');
  const overlapping = reader.chunks.filter((x) => x.lastIcount >= from && x.firstIcount < to).length;
  const got = [...reader.events({ from, to })];
  assert.deepEqual(got, expected(from, to));
  assert.equal(reader.chunksDecoded - opened, overlapping);
  assert.ok(overlapping <= 3, `${overlapping} chunks overlap [${from}, ${to})`);
  // The whole log decodes every chunk once.
  const before = reader.chunksDecoded;
  assert.equal([...reader.events()].length, EVENTS.length);
  assert.equal(reader.chunksDecoded - before, reader.chunks.length);
});

test('the summary counts every kind and names the snapshots', () => {
  const s = summarizeLog(LogReader.open(BYTES));
  assert.equal(s.events, EVENTS.length);
  assert.equal(s.firstIcount, EVENTS[0].icount);
  assert.equal(s.lastIcount, EVENTS[EVENTS.length - 1].icount);
  assert.equal(s.endIcount, s.lastIcount);
  for (const kind of Object.values(EventKind)) {
    assert.equal(s.counts.get(kind) ?? 0, EVENTS.filter((e) => e.kind === kind).length, `count of kind ${kind}`);
  }
  assert.deepEqual(s.snapshots, EVENTS.flatMap((e) => (e.kind === EventKind.Snapshot ? [{ name: e.name, icount: e.icount }] : [])));
  assert.equal(s.damage, undefined);
});
