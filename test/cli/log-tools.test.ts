// `rvreplay info` and `rvreplay dump` through the built CLI, on logs written by LogWriter into a
// temporary directory: a clean log, ranges and kinds, a damaged log (readable part printed,
// status 123, the damage on stderr), and files that are not logs at all (status 2, one line).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from '../../src/emu/crc32.js';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { formatEvent } from '../../src/replay/log/event-text.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/toolchain.js';
import { sampleEvents, writeLog } from '../unit/log-sample-events.js';

const tmp = tempDir('logtools');
after(() => tmp.cleanup());

/** A small log a person could have recorded: typed input, output, a timer, a clock read. */
const STORY: LogEvent[] = [
  { kind: EventKind.Snapshot, icount: 0, name: 'boot' },
  { kind: EventKind.SerialWrite, icount: 1200, device: 0, count: 2 },
  { kind: EventKind.Interrupt, icount: 5000, cause: 7 },
  { kind: EventKind.SerialInput, icount: 90_000, device: 0, bytes: new TextEncoder().encode('ls\n') },
  { kind: EventKind.Interrupt, icount: 90_001, cause: 11 },
  { kind: EventKind.ClockRead, icount: 120_000, clock: 0, valueNs: 1_700_000_000_000_000_000n },
  { kind: EventKind.Digest, icount: 1_000_000, regions: [1, 2], pages: [{ page: 0x80000, hash: 3 }] },
  { kind: EventKind.Shutdown, icount: 2_500_000, reason: 2 },
  { kind: EventKind.End, icount: 2_500_000 },
];

/** runCli reads stdout as Latin-1 (guest bytes); dump writes UTF-8 (snapshot names). */
function utf8(latin1: string): string {
  return Buffer.from(latin1, 'latin1').toString('utf8');
}

function file(name: string, bytes: Uint8Array): string {
  const path = join(tmp.dir, name);
  writeFileSync(path, bytes);
  return path;
}

const story = file('story.rvlog', writeLog(STORY, { chunkBytes: 16 }));
const bigEvents = sampleEvents(41, 2000);
const bigBytes = writeLog(bigEvents, { chunkBytes: 1024 });
const big = file('big.rvlog', bigBytes);

test('info describes the header, the length, the events per kind, the snapshots and a clean end', async () => {
  const r = await runCli(['info', story]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const lines = r.stdout.split('\n');
  const row = (label: string): string => lines.find((l) => l.startsWith(`${label} `))?.slice(10).trim() ?? `(no ${label} row)`;
  assert.match(row('log'), /story\.rvlog \(\d+ chunks?, indexed, format version 3\)$/);
  assert.equal(row('writer'), 'rvreplay test');
  assert.equal(row('machine'), 'virt, rv32imac_zicsr_zifencei, 128 MiB RAM, icount shift 2 (4 ns per instruction)');
  assert.equal(row('guest'), `guest.elf (4096 bytes, sha256 ${'ab'.repeat(32)})`);
  assert.match(row('disks'), /^disk\.img \(1048576 bytes/);
  assert.equal(row('digests'), 'every 1000000 instructions');
  assert.match(row('snapshot'), /^boot \(sha256 (ef)+\)$/);
  assert.equal(row('events'), '9, from icount 0 to 2500000');
  // 2,500,000 instructions at 4 ns each.
  assert.equal(row('length'), '2500000 instructions, 10.000 ms of virtual time');
  assert.equal(row('kinds'), 'interrupt   2');
  for (const k of ['serial-in   1', 'serial-out  1', 'clock       1', 'digest      1', 'shutdown    1', 'snapshot    1', 'end         1']) {
    assert.ok(lines.some((l) => l.trim() === k), `a kinds row '${k}'`);
  }
  assert.equal(row('snapshots'), '"boot" at icount 0');
  assert.equal(row('end'), 'clean, End at icount 2500000');
});

/** The digest's sum as LOG-FORMAT.md defines it: CRC-32 of the region hashes (u32 each), then
 * each page as u64 number and u32 hash. */
const DIGEST_SUM = crc32(new Uint8Array([1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 3, 0, 0, 0]));

test('dump prints one line per event with the fields of its kind', async () => {
  const r = await runCli(['dump', story]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, [
    '0 snapshot name="boot"',
    '1200 serial-out dev=0 count=2',
    '5000 interrupt cause=7',
    '90000 serial-in dev=0 "ls\\n"',
    '90001 interrupt cause=11',
    '120000 clock clock=0 ns=1700000000000000000 time=2023-11-14T22:13:20.000000000Z',
    `1000000 digest regions=2 pages=1 sum=0x${DIGEST_SUM.toString(16).padStart(8, '0')}`,
    '2500000 shutdown reason=user',
    '2500000 end',
    '',
  ].join('\n'));
});

test('dump --from/--to/--kind select events as the reader does', async () => {
  const all = await runCli(['dump', big]);
  assert.equal(all.status, 0, all.stderr);
  assert.equal(utf8(all.stdout), bigEvents.map(formatEvent).join('\n') + '\n');
  const from = bigEvents[500].icount;
  const to = bigEvents[1500].icount;
  const cases: [string[], (e: LogEvent) => boolean][] = [
    [['--from', String(from)], (e) => e.icount >= from],
    [['--to', String(to)], (e) => e.icount < to],
    [['--from', String(from), '--to', String(to)], (e) => e.icount >= from && e.icount < to],
    [['--kind', 'serial-in,clock'], (e) => e.kind === EventKind.SerialInput || e.kind === EventKind.ClockRead],
    [[`--from=${from}`, '--kind', 'digest'], (e) => e.icount >= from && e.kind === EventKind.Digest],
  ];
  for (const [args, keep] of cases) {
    const r = await runCli(['dump', big, ...args]);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    const want = bigEvents.filter(keep);
    assert.ok(want.length > 0 && want.length < bigEvents.length, `${args.join(' ')} selects some`);
    assert.equal(utf8(r.stdout), want.map(formatEvent).join('\n') + '\n', args.join(' '));
  }
});

test('a bad kind, a backwards range and bad numbers are refused in one line with status 2', async () => {
  const kind = await runCli(['dump', story, '--kind', 'serial-in,bogus']);
  assert.equal(kind.status, 2);
  assert.equal(kind.stderr, "rvreplay: unknown event kind 'bogus'; the kinds are: icount, interrupt, exception, serial-in, " +
    'serial-out, clock, block, net-rx, input, entropy, timer, checkpoint, shutdown, digest, snapshot, end, debug-write, block-req, net-tx\n');
  for (const args of [['--from', '10', '--to', '5'], ['--from', '-1'], ['--to', 'x']]) {
    const r = await runCli(['dump', story, ...args]);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /^rvreplay: [^\n]+\n$/);
    assert.equal(r.stdout, '');
  }
  const noLog = await runCli(['info']);
  assert.equal(noLog.status, 2);
});

test('a damaged log: what is readable is printed, the damage named on stderr, status 123', async () => {
  const full = LogReader.open(bigBytes);
  const cutAt = full.chunks[10].offset + 50;
  const cut = file('cut.rvlog', bigBytes.subarray(0, cutAt));
  const intact = full.chunks.slice(0, 10).reduce((n, c) => n + c.events, 0);
  const damage = `truncated inside chunk 10 at offset 0x${full.chunks[10].offset.toString(16)}; events up to icount ${full.chunks[9].lastIcount} are intact`;

  const dump = await runCli(['dump', cut]);
  assert.equal(dump.status, 123);
  assert.equal(utf8(dump.stdout), bigEvents.slice(0, intact).map(formatEvent).join('\n') + '\n');
  assert.equal(dump.stderr, `rvreplay: ${cut}: damaged log: ${damage}\n`);

  const info = await runCli(['info', cut]);
  assert.equal(info.status, 123);
  assert.equal(info.stderr, `rvreplay: ${cut}: damaged log: ${damage}\n`);
  assert.match(info.stdout, new RegExp(`^events +${intact}, `, 'm'));
  assert.match(info.stdout, /^end +damaged: truncated inside chunk 10/m);
  assert.match(info.stdout, /no index/);

  // A flipped byte in a chunk of an indexed log: found when dump reads that chunk.
  const flipped = bigBytes.slice();
  flipped[full.chunks[3].offset + 45] ^= 0x20;
  const bad = file('flipped.rvlog', flipped);
  const r = await runCli(['dump', bad]);
  assert.equal(r.status, 123);
  assert.match(r.stderr, new RegExp(`^rvreplay: .*flipped\\.rvlog: damaged log: chunk 3 at offset 0x${full.chunks[3].offset.toString(16)}: checksum mismatch; `));
  const i = await runCli(['info', bad]);
  assert.equal(i.status, 123);
  assert.match(i.stdout, /^end +damaged: chunk 3 at offset 0x[0-9a-f]+: checksum mismatch/m);
});

test('a missing file, a directory, a file that is not a log and another version: status 2, one line', async () => {
  const v9 = bigBytes.slice(0, 200);
  new DataView(v9.buffer).setUint32(8, 9, true);
  const cases: [string, RegExp][] = [
    [join(tmp.dir, 'missing.rvlog'), /^rvreplay: cannot read .*missing\.rvlog: no such file$/],
    [tmp.dir, /^rvreplay: cannot read .*: it is a directory$/],
    ['/usr/bin/env', /^rvreplay: \/usr\/bin\/env: not an rvreplay log \(it does not begin with the log signature\)$/],
    [file('empty.rvlog', new Uint8Array()), /: not an rvreplay log: the file is empty$/],
    [file('v9.rvlog', v9), /: written by format version 9; this rvreplay reads versions 1 to 3$/],
    [file('short.rvlog', bigBytes.subarray(0, 30)), /: truncated inside the log header \(it declares \d+ bytes of JSON; the file has only 30 bytes\)$/],
  ];
  for (const command of ['info', 'dump']) {
    for (const [path, message] of cases) {
      const r = await runCli([command, path]);
      assert.equal(r.status, 2, `${command} ${path}`);
      assert.match(r.stderr.trimEnd(), message, `${command} ${path}`);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.equal(r.stdout, '');
    }
  }
});

test('the top-level help lists info and dump; their --help documents the options and statuses', async () => {
  const top = await runCli(['--help']);
  assert.match(top.stdout, /^ {2}info /m);
  assert.match(top.stdout, /^ {2}dump /m);
  const dump = await runCli(['dump', '--help']);
  assert.equal(dump.status, 0);
  for (const text of ['--from N', '--to N', '--kind K[,K...]', '123 a damaged log']) assert.ok(dump.stdout.includes(text), text);
});
