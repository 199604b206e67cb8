// The timeline over real recordings made with the CLI: the lanes and counts match the log, the
// windows match the events, and the console rebuilt from the log's runs and the captured output
// is the output the guest printed, up to any point.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { TimelineSource } from '../../src/replay/timeline/timeline-source.js';
import { capturedSerialOutput } from '../../src/replay/timeline/serial-output.js';
import { interruptLaneId, type SerialTextBody } from '../../src/shared/timeline-protocol.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/toolchain.js';
import { recordTimelineGuest, type TimelineRecording } from '../webview/timeline-guest.js';
import { expectedWindow, lanesOf } from './timeline-reference.js';

const tmp = tempDir('timeline');
after(() => tmp.cleanup());
const C_TIMER = join(__dirname, '..', 'guests', 'build', 'c-timer.elf');

let recording: TimelineRecording;
before(async () => {
  recording = await recordTimelineGuest(tmp.dir);
});

function open(log: string, stdout: string): { source: TimelineSource; events: LogEvent[] } {
  const bytes = readFileSync(log);
  const source = TimelineSource.open(bytes, { serialOutput: capturedSerialOutput(Buffer.from(stdout, 'latin1')) });
  return { source, events: [...LogReader.open(bytes).events()] };
}

const outText = (body: SerialTextBody): string => body.segments.filter((s) => s.direction === 'out').map((s) => s.text).join('');

test('the lanes of a recording: interrupts by cause, exceptions, serial both ways, checkpoints, the boot snapshot', () => {
  const { source, events } = open(recording.log, recording.stdout);
  const info = source.info();
  const count = (f: (e: LogEvent) => boolean): number => events.filter(f).length;
  const lanes = new Map(info.lanes.map((l) => [l.id, l.count]));
  assert.equal(lanes.get(interruptLaneId(7)), count((e) => e.kind === EventKind.Interrupt && e.cause === 7));
  assert.equal(lanes.get(interruptLaneId(11)), count((e) => e.kind === EventKind.Interrupt && e.cause === 11));
  assert.equal(lanes.get('exceptions'), 40, 'the guest takes 40 ecalls');
  assert.equal(lanes.get('serial-in'), count((e) => e.kind === EventKind.SerialInput));
  assert.equal(lanes.get('checkpoints'), count((e) => e.kind === EventKind.Checkpoint));
  assert.deepEqual(info.snapshots, [{ icount: 0, kind: 'snapshot', name: 'boot' }]);
  assert.equal(info.end, events[events.length - 1].icount);
  assert.equal(info.title, 'timeline.elf');
  const logOnly = TimelineSource.open(readFileSync(recording.log));
  for (const buckets of [1, 7, 300, 2000]) {
    const args = { fromIcount: 0, toIcount: info.end + 1, buckets, lanes: lanesOf(events) };
    assert.deepEqual(logOnly.window(args).lanes, expectedWindow(events, args), `${buckets} buckets`);
  }
  // With the captured output, each output event carries its bytes, to draw as text.
  const out = source.window({ fromIcount: 0, toIcount: info.end + 1, buckets: 1, lanes: ['serial-out'], maxEventsPerBucket: 1e6 }).lanes[0];
  assert.ok(out.mode === 'events');
  assert.equal(out.events.map((e) => e.text).join(''), recording.stdout);
});

test('the console at each output run of a recording is the printed output up to that run', async () => {
  const log = join(tmp.dir, 'c-timer.rr');
  const rec = await runCli(['record', C_TIMER, '--rrfile', log]);
  assert.equal(rec.status, 0, rec.stderr);
  for (const { log: file, stdout } of [recording, { log, stdout: rec.stdout }]) {
    const { source, events } = open(file, stdout);
    let printed = 0;
    for (const e of events) {
      if (e.kind !== EventKind.SerialWrite) continue;
      printed += e.count;
      const body = source.serialText({ toIcount: e.icount, maxBytes: 1 << 20, includeInput: false });
      assert.equal(outText(body), stdout.slice(0, printed), `${file} at icount ${e.icount}`);
    }
    assert.equal(printed, stdout.length, 'the log counts every byte printed');
    assert.equal(source.serialText({ toIcount: source.info().end, maxBytes: 1 << 20 }).note, undefined, 'the captured output matches the log');
  }
});

test('typed input is in the console where it was read, and the echo follows it', () => {
  const { source, events } = open(recording.log, recording.stdout);
  const inputs = events.filter((e) => e.kind === EventKind.SerialInput);
  const typed = inputs.map((e) => (e.kind === EventKind.SerialInput ? Buffer.from(e.bytes).toString('latin1') : '')).join('');
  assert.equal(typed, 'helloq');
  const body = source.serialText({ toIcount: source.info().end, maxBytes: 1 << 20 });
  const input = body.segments.filter((s) => s.direction === 'in');
  assert.deepEqual(input.map((s) => [s.icount, s.text]), inputs.map((e) => [e.icount, e.kind === EventKind.SerialInput ? Buffer.from(e.bytes).toString('latin1') : '']));
  // Each typed letter but 'q' is echoed after it was read.
  for (const letter of 'hello') {
    const at = body.segments.findIndex((s) => s.direction === 'in' && s.text === letter);
    assert.ok(body.segments.slice(at + 1).some((s) => s.direction === 'out' && s.text?.includes(letter)), `the echo of ${letter}`);
  }
});
