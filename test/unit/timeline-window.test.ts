// Windows of the log for the timeline: each lane's events in a range, or per-bucket counts when
// they are too many to draw one by one; next/previous event of a lane; the lane list. Answers are
// compared with the same computed the slow way over every event, on logs written by the real
// LogWriter with small chunks (so ranges cross many chunk boundaries, repeated icounts included).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { TimelineSource } from '../../src/replay/timeline/timeline-source.js';
import { laneOfEvent } from '../../src/replay/timeline/lane-of-event.js';
import { eventInfo } from '../../src/replay/timeline/event-info.js';
import { bucketOf, bucketStart, interruptLaneId, LaneKind, type TimelineWindowArgs } from '../../src/shared/timeline-protocol.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { SeededRandom, sampleEvents, writeLog } from './log-sample-events.js';
import { eventsOfLane, expectedFind, expectedWindow, lanesOf } from './timeline-reference.js';
import { syntheticEvents, writeSyntheticLog } from '../webview/synthetic-log.js';

const SAMPLE = sampleEvents(11, 6000);
const SAMPLE_BYTES = writeLog(SAMPLE, { chunkBytes: 700 });
const SYNTHETIC_OPTIONS = { events: 30_000, span: 50_000_000, chunkBytes: 2048 };
const SYNTHETIC = syntheticEvents(SYNTHETIC_OPTIONS);
const SYNTHETIC_BYTES = writeSyntheticLog(SYNTHETIC_OPTIONS);

function randomRange(rng: SeededRandom, events: readonly LogEvent[]): [number, number] {
  const last = events[events.length - 1].icount;
  // Half the ranges start or end exactly on an event, where off-by-one errors live.
  const pick = (): number => (rng.below(2) === 0 ? events[rng.below(events.length)].icount : rng.below(last + 2));
  const a = pick();
  const b = pick();
  return a === b ? [a, a + 1 + rng.below(100)] : [Math.min(a, b), Math.max(a, b)];
}

test('bucketOf agrees with bucketStart, the definition, at and around every boundary', () => {
  const rng = new SeededRandom(3);
  for (let i = 0; i < 2000; i++) {
    const from = rng.below(1 << 30);
    const to = from + 1 + rng.below(2 ** 40);
    const buckets = 1 + rng.below(3000);
    const b = rng.below(buckets);
    const start = Math.ceil(bucketStart(from, to, buckets, b));
    for (const icount of [start - 1, start, start + 1]) {
      if (icount < from || icount >= to) continue;
      const got = bucketOf(from, to, buckets, icount);
      assert.ok(bucketStart(from, to, buckets, got) <= icount, `bucket ${got} starts after ${icount}`);
      assert.ok(got + 1 === buckets || bucketStart(from, to, buckets, got + 1) > icount, `bucket ${got + 1} starts at or before ${icount}`);
    }
  }
});

test('windows hold exactly the events or counts the log has, over random ranges and bucket counts', () => {
  for (const [events, bytes] of [[SAMPLE, SAMPLE_BYTES], [SYNTHETIC, SYNTHETIC_BYTES]] as const) {
    const source = TimelineSource.open(bytes);
    const lanes = lanesOf(events);
    const rng = new SeededRandom(17);
    let countsSeen = 0;
    let eventsSeen = 0;
    for (let i = 0; i < 80; i++) {
      const [fromIcount, toIcount] = randomRange(rng, events);
      const args: TimelineWindowArgs = { fromIcount, toIcount, buckets: 1 + rng.below(400), lanes, maxEventsPerBucket: rng.pick([1, 2, 5]) };
      const got = source.window(args);
      assert.deepEqual(got.lanes, expectedWindow(events, args), `window [${fromIcount}, ${toIcount}) in ${args.buckets} buckets`);
      countsSeen += got.lanes.filter((l) => l.mode === 'counts').length;
      eventsSeen += got.lanes.filter((l) => l.mode === 'events' && l.total > 0).length;
    }
    assert.ok(countsSeen > 20 && eventsSeen > 20, `both modes were exercised (${countsSeen} counts, ${eventsSeen} events)`);
  }
});

test('a lane turns to counts exactly when it has more than maxEventsPerBucket × buckets events', () => {
  const source = TimelineSource.open(SYNTHETIC_BYTES);
  const lane = interruptLaneId(7);
  const timer = eventsOfLane(SYNTHETIC, lane);
  // A range holding exactly 40 of them.
  const fromIcount = timer[100].icount;
  const toIcount = timer[140].icount;
  const total = timer.filter((e) => e.icount >= fromIcount && e.icount < toIcount).length;
  const at = (buckets: number) => source.window({ fromIcount, toIcount, buckets, lanes: [lane] }).lanes[0];
  assert.equal(at(Math.ceil(total / 2)).mode, 'events', `${total} events in ${Math.ceil(total / 2)} buckets`);
  assert.equal(at(Math.ceil(total / 2) - 1).mode, 'counts');
  const counts = at(Math.ceil(total / 2) - 1);
  assert.ok(counts.mode === 'counts');
  assert.equal(counts.counts.reduce((a, b) => a + b, 0), total);
});

test('a window decodes only the chunks it overlaps, each once; summaries serve later windows', () => {
  const reader = LogReader.open(SYNTHETIC_BYTES);
  const source = new TimelineSource(reader, SYNTHETIC_BYTES);
  assert.ok(reader.chunks.length > 40, `${reader.chunks.length} chunks`);
  const c = reader.chunks[20];
  const [from, to] = [c.firstIcount + 1, reader.chunks[22].lastIcount];
  const overlapping = reader.chunks.filter((x) => x.lastIcount >= from && x.firstIcount < to).length;
  const lanes = lanesOf(SYNTHETIC);
  source.window({ fromIcount: from, toIcount: to, buckets: 2, lanes });
  assert.equal(source.chunksDecoded, overlapping, 'decoded the overlapping chunks');
  source.window({ fromIcount: from, toIcount: to, buckets: 2, lanes });
  assert.equal(source.chunksDecoded, overlapping, 'the same window again decodes nothing');
  // The whole log, at coarse zoom: every chunk once, and then never again.
  source.info();
  const all = source.chunksDecoded;
  assert.equal(all, reader.chunks.length, 'info summarized each chunk once');
  for (let zoom = 1; zoom < 50; zoom++) {
    source.window({ fromIcount: 0, toIcount: SYNTHETIC_OPTIONS.span / zoom, buckets: 200, lanes: lanes.filter((l) => l !== LaneKind.Snapshots) });
  }
  assert.equal(source.chunksDecoded, all, 'coarse windows came from the summaries');
});

test('next and previous event of a lane, across chunks, with nothing past either end', () => {
  const source = TimelineSource.open(SAMPLE_BYTES);
  const rng = new SeededRandom(9);
  const lanes = lanesOf(SAMPLE);
  const last = SAMPLE[SAMPLE.length - 1].icount;
  for (let i = 0; i < 300; i++) {
    const lane = rng.pick(lanes);
    const icount = rng.below(2) === 0 ? SAMPLE[rng.below(SAMPLE.length)].icount : rng.below(last + 2);
    for (const direction of ['next', 'previous'] as const) {
      const want = expectedFind(SAMPLE, lane, icount, direction);
      assert.deepEqual(source.find({ lane, icount, direction }), want === undefined ? {} : { event: eventInfo(want) }, `${direction} ${lane} from ${icount}`);
    }
  }
});

test('info lists the lanes that have events, in display order, with their counts and the bounds', () => {
  const events: LogEvent[] = [
    { kind: EventKind.Snapshot, icount: 0, name: 'boot' },
    { kind: EventKind.Interrupt, icount: 10, cause: 11 },
    { kind: EventKind.Interrupt, icount: 20, cause: 7 },
    { kind: EventKind.Interrupt, icount: 30, cause: 7 },
    { kind: EventKind.Exception, icount: 40, cause: 2 },
    { kind: EventKind.SerialWrite, icount: 50, device: 0, count: 3 },
    { kind: EventKind.Checkpoint, icount: 60 },
    { kind: EventKind.SerialInput, icount: 60, device: 0, bytes: Uint8Array.of(0x6c, 0x73) },
    { kind: EventKind.ClockRead, icount: 70, clock: 0, valueNs: 5n },
    { kind: EventKind.Digest, icount: 80, regions: [1], pages: [] },
    { kind: EventKind.End, icount: 90 },
  ];
  const source = TimelineSource.open(writeLog(events, { chunkBytes: 16 }), { canSeek: true });
  source.setPosition(25);
  source.setKeyframes([35]);
  source.setBreakpointHits([{ icount: 45, label: 'bp', detail: 'breakpoint 1' }]);
  const info = source.info();
  assert.deepEqual(info.lanes.map((l) => [l.id, l.count]), [
    ['position', undefined], ['breakpoints', 1], ['snapshots', 2], ['checkpoints', 1], ['interrupts:7', 2], ['interrupts:11', 1],
    ['exceptions', 1], ['serial-out', 1], ['serial-in', 1], ['entropy-clock', 1],
  ]);
  assert.equal(info.lanes.find((l) => l.id === 'interrupts:7')?.label, 'Interrupts: machine timer (7)');
  assert.equal(info.start, 0);
  assert.equal(info.end, 90);
  assert.equal(info.position, 25);
  assert.deepEqual(info.snapshots, [{ icount: 0, kind: 'snapshot', name: 'boot' }, { icount: 35, kind: 'keyframe' }]);
  assert.equal(info.damage, undefined);
  // The snapshots lane holds the log's snapshot and the keyframe, in order.
  const w = source.window({ fromIcount: 0, toIcount: 90, buckets: 10, lanes: ['snapshots', 'breakpoints'] });
  assert.deepEqual(w.lanes.map((l) => (l.mode === 'events' ? l.events.map((e) => e.icount) : [])), [[0, 35], [45]]);
  assert.deepEqual(source.find({ lane: 'snapshots', icount: 0, direction: 'next' }).event?.icount, 35);
});

test('every kind a lane shows goes to its lane; digests and framing go nowhere', () => {
  const lanes = new Map(SAMPLE.map((e) => [e.kind, laneOfEvent(e)?.replace(/:.*/, '')]));
  assert.deepEqual(Object.fromEntries([...lanes].sort((a, b) => a[0] - b[0])), {
    [EventKind.IcountStamp]: undefined, [EventKind.Interrupt]: 'interrupts', [EventKind.Exception]: 'exceptions',
    [EventKind.SerialInput]: 'serial-in', [EventKind.SerialWrite]: 'serial-out', [EventKind.ClockRead]: 'entropy-clock',
    [EventKind.BlockComplete]: 'block', [EventKind.NetReceive]: 'net', [EventKind.InputEvent]: 'input',
    [EventKind.Entropy]: 'entropy-clock', [EventKind.TimerCallback]: 'entropy-clock', [EventKind.Checkpoint]: 'checkpoints',
    [EventKind.Shutdown]: 'checkpoints', [EventKind.Digest]: undefined, [EventKind.Snapshot]: 'snapshots', [EventKind.End]: undefined,
    [EventKind.DebugWrite]: 'checkpoints', [EventKind.BlockRequest]: 'block', [EventKind.NetTransmit]: 'net',
  });
});

test('a log being recorded grows: new chunks are read, old summaries kept, no damage reported', () => {
  const half = SYNTHETIC.slice(0, 15_000);
  const partial = writeLog(half, { chunkBytes: 2048, close: false });
  const source = TimelineSource.open(partial);
  source.setLiveEdge(half[half.length - 1].icount);
  const before = source.info();
  assert.equal(before.damage, undefined, 'an unfinished log is not damaged while live');
  assert.equal(before.end, half[half.length - 1].icount);
  assert.ok(before.lanes.some((l) => l.id === 'live-edge'));
  const decoded = source.chunksDecoded;
  const whole = writeLog(SYNTHETIC, { chunkBytes: 2048 });
  const reader = LogReader.open(whole);
  source.update(reader, whole);
  source.setLiveEdge(undefined);
  const after = source.info();
  assert.equal(after.end, SYNTHETIC[SYNTHETIC.length - 1].icount);
  // Every chunk of the partial log but its last (closed early by the flush) is the same chunk in
  // the whole log, and keeps its summary.
  const kept = LogReader.open(partial).chunks.length - 1;
  assert.equal(source.chunksDecoded - decoded, reader.chunks.length - kept, 'only the new chunks were read');
  const args = { fromIcount: 0, toIcount: after.end + 1, buckets: 300, lanes: lanesOf(SYNTHETIC) };
  assert.deepEqual(source.window(args).lanes, expectedWindow(SYNTHETIC, args));
});

test('a damaged chunk ends the readable log: windows stop there and info says so', () => {
  const bytes = SYNTHETIC_BYTES.slice();
  const reader = LogReader.open(bytes);
  const bad = reader.chunks[10];
  bytes[bad.offset + 40] ^= 0xff; // inside the payload: the CRC no longer matches
  const source = TimelineSource.open(bytes);
  const lane = interruptLaneId(7);
  const w = source.window({ fromIcount: 0, toIcount: SYNTHETIC_OPTIONS.span, buckets: 1, lanes: [lane], maxEventsPerBucket: 1e9 });
  const readable = eventsOfLane(SYNTHETIC, lane).filter((e) => e.icount <= reader.chunks[9].lastIcount);
  assert.ok(w.lanes[0].mode === 'events');
  // Events sharing the boundary icount may sit in the bad chunk: compare up to it.
  assert.deepEqual(w.lanes[0].events.map((e) => e.icount), readable.slice(0, w.lanes[0].events.length).map((e) => e.icount));
  assert.ok(w.lanes[0].total >= readable.length - 2 && w.lanes[0].total <= readable.length);
  assert.match(source.info().damage ?? '', /chunk 10/);
});

test('bad window arguments are refused with a message', () => {
  const source = TimelineSource.open(SAMPLE_BYTES);
  assert.throws(() => source.window({ fromIcount: 10, toIcount: 10, buckets: 5, lanes: [] }), /fromIcount < toIcount/);
  assert.throws(() => source.window({ fromIcount: 0, toIcount: 10, buckets: 0, lanes: [] }), /buckets/);
  assert.throws(() => source.window({ fromIcount: 0, toIcount: 10, buckets: 1.5, lanes: [] }), /buckets/);
  assert.throws(() => source.find({ lane: 'exceptions', icount: 0, direction: 'sideways' as 'next' }), /direction/);
});
