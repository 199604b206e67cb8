// The dump's text form of events: one line per event with the fields each kind carries, serial
// bytes as an escaped string, clock values as ns and UTC time, digests as one comparable sum.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEvent, quoteBytes, utcTime } from '../../src/replay/log/event-text.js';
import { EventKind, EVENT_KIND_NAMES, ShutdownReason, type LogEvent } from '../../src/shared/log-events.js';
import { SeededRandom, randomEvent } from './log-sample-events.js';

const ascii = (s: string): Uint8Array => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

test('each kind prints its fields as name=value after the icount and kind name', () => {
  const lines: [LogEvent, string][] = [
    [{ kind: EventKind.IcountStamp, icount: 5 }, '5 icount'],
    [{ kind: EventKind.Interrupt, icount: 7, cause: 7 }, '7 interrupt cause=7'],
    [{ kind: EventKind.Exception, icount: 8, cause: 2 }, '8 exception cause=2'],
    [{ kind: EventKind.SerialInput, icount: 9, device: 0, bytes: ascii('ls\n') }, '9 serial-in dev=0 "ls\\n"'],
    [{ kind: EventKind.SerialWrite, icount: 10, device: 1, count: 12 }, '10 serial-out dev=1 count=12'],
    [{ kind: EventKind.ClockRead, icount: 11, clock: 0, valueNs: 1_700_000_000_123_456_789n }, '11 clock clock=0 ns=1700000000123456789 time=2023-11-14T22:13:20.123456789Z'],
    [{ kind: EventKind.BlockComplete, icount: 12, device: 0, request: 3, status: 0 }, '12 block dev=0 req=3 status=0'],
    [{ kind: EventKind.NetReceive, icount: 13, device: 0, frame: new Uint8Array([0xde, 0xad, 0x01]) }, '13 net-rx dev=0 len=3 data=0xdead01'],
    [{ kind: EventKind.InputEvent, icount: 14, device: 2, type: 2, code: 0, value: -5 }, '14 input dev=2 type=2 code=0 value=-5'],
    [{ kind: EventKind.Entropy, icount: 15, device: 0, bytes: new Uint8Array() }, '15 entropy dev=0 len=0'],
    [{ kind: EventKind.TimerCallback, icount: 16, timer: 4 }, '16 timer timer=4'],
    [{ kind: EventKind.Checkpoint, icount: 17 }, '17 checkpoint'],
    [{ kind: EventKind.Shutdown, icount: 18, reason: ShutdownReason.HostSignal }, '18 shutdown reason=host-signal'],
    [{ kind: EventKind.Shutdown, icount: 18, reason: 99 }, '18 shutdown reason=99'],
    [{ kind: EventKind.Digest, icount: 19, regions: [], pages: [] }, '19 digest regions=0 pages=0 sum=0x00000000'],
    [{ kind: EventKind.Snapshot, icount: 20, name: 'boot "1"' }, '20 snapshot name="boot \\"1\\""'],
    [{ kind: EventKind.End, icount: 21 }, '21 end'],
    [{ kind: EventKind.DebugWrite, icount: 22, target: 0, address: 0x80201000, bytes: new Uint8Array([0xe8, 3, 0, 0]) }, '22 debug-write memory=0x80201000 len=4 data=0xe8030000'],
    [{ kind: EventKind.DebugWrite, icount: 23, target: 1, address: 32, bytes: new Uint8Array([0, 0, 0, 0x80]) }, '23 debug-write register=pc len=4 data=0x00000080'],
    [{ kind: EventKind.DebugWrite, icount: 23, target: 1, address: 5, bytes: new Uint8Array([1, 0, 0, 0]) }, '23 debug-write register=x5 len=4 data=0x01000000'],
    [{ kind: EventKind.BlockRequest, icount: 24, device: 6, request: 3, op: 0, offset: 1048576, length: 4096 }, '24 block-req dev=6 req=3 op=read offset=1048576 len=4096'],
    [{ kind: EventKind.BlockRequest, icount: 25, device: 6, request: 4, op: 2, offset: 0, length: 0 }, '25 block-req dev=6 req=4 op=flush offset=0 len=0'],
    [{ kind: EventKind.NetTransmit, icount: 26, device: 5, length: 60, crc: 0xdeadbeef }, '26 net-tx dev=5 len=60 crc=0xdeadbeef'],
  ];
  for (const [e, line] of lines) assert.equal(formatEvent(e), line);
  assert.deepEqual(new Set(lines.map(([e]) => e.kind)).size, EVENT_KIND_NAMES.size, 'every kind has a case');
});

test('digests print a sum that changes with any hash and stays for equal digests', () => {
  const a: Extract<LogEvent, { kind: typeof EventKind.Digest }> = { kind: EventKind.Digest, icount: 1, regions: [1, 2, 3], pages: [{ page: 0x80000, hash: 0xabcdef01 }] };
  const sum = (e: LogEvent): string => formatEvent(e).replace(/.*sum=/, '');
  assert.match(formatEvent(a), /^1 digest regions=3 pages=1 sum=0x[0-9a-f]{8}$/);
  assert.equal(sum(a), sum({ ...a, regions: [1, 2, 3] }));
  assert.notEqual(sum(a), sum({ ...a, regions: [1, 2, 4] }));
  assert.notEqual(sum(a), sum({ ...a, pages: [{ page: 0x80001, hash: 0xabcdef01 }] }));
});

test('serial bytes are quoted with C escapes; every byte value reads back', () => {
  assert.equal(quoteBytes(ascii('a"b\\c\r\n\t\x00\x1b~')), '"a\\"b\\\\c\\r\\n\\t\\x00\\x1b~"');
  const all = new Uint8Array(256).map((_, i) => i);
  const text = quoteBytes(all);
  assert.match(text, /^"[\x20-\x7e]*"$/, 'printable ASCII only');
  const back = JSON.parse(text.replace(/\\x([0-9a-f]{2})/g, '\\u00$1')) as string;
  assert.deepEqual([...back].map((c) => c.charCodeAt(0)), [...all]);
});

test('clock values print as UTC with nine digits, the same instant Date names', () => {
  const rng = new SeededRandom(3);
  const samples = [0n, -1n, 951_782_400_000_000_000n /* 2000-02-29 */, (1n << 63n) - 1n, -(1n << 63n)];
  for (let i = 0; i < 500; i++) samples.push((BigInt(rng.u32()) << 31n) - (1n << 62n) + BigInt(rng.u32()));
  for (const ns of samples) {
    const ms = ns / 1_000_000n - (ns % 1_000_000n < 0n ? 1n : 0n);
    const viaDate = new Date(Number(ms)).toISOString(); // e.g. 2023-11-14T22:13:20.123Z
    const ours = utcTime(ns);
    assert.match(ours, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    assert.equal(ours.slice(0, 23), viaDate.slice(0, 23), `${ns} ns`);
  }
  assert.equal(utcTime(-1n), '1969-12-31T23:59:59.999999999Z');
  assert.equal(utcTime((1n << 63n) - 1n), '2262-04-11T23:47:16.854775807Z');
});

test('random events of every kind print one line, no control characters', () => {
  const rng = new SeededRandom(9);
  for (let i = 0; i < 2000; i++) {
    const line = formatEvent(randomEvent(rng, i));
    assert.match(line, /^\d+ [a-z-]+( [^\n]*)?$/);
    assert.doesNotMatch(line, /[\x00-\x1f\x7f]/);
  }
});
