// virtio-blk, virtio-net and virtio-input through the CLI, as a user records and replays them:
// each guest (legacy and modern transport) is recorded with live host input — a pattern disk
// image, a UDP peer exchanging frames, keys typed over TCP or read from a file — and must print
// what QEMU prints for the same input (the scenarios in test/support/virtio-scenarios.ts, which
// test/oracle/virtio-io-qemu.test.ts holds QEMU to). Then it is replayed twice, in other
// processes, with no host side at all: the same output and status. Bad disk input is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { crc32 } from '../../src/emu/crc32.js';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { BlockOp, EventKind } from '../../src/shared/log-events.js';
import { CLI, runCli } from '../support/cli.js';
import { writeLogFile } from '../support/log-file.js';
import { tempDir } from '../support/toolchain.js';
import { makeDiskImage, NetPeer, WatchedProcess, type KeyEvent } from '../support/virtio-peers.js';
import {
  DISK_SECTORS,
  KEY_BATCHES,
  QEMU_DEFAULT_MAC,
  expectedBlkOutput,
  expectedHello,
  expectedInputOutput,
  expectedNetOutput,
  expectedReply,
  playKeyScenario,
  playNetScenario,
  type TransportVersion,
} from '../support/virtio-scenarios.js';

const GUEST_BUILD = join(__dirname, '..', 'guests', 'build');
const STEP_TIMEOUT_MS = 20_000;
const VERSIONS: readonly { version: TransportVersion; suffix: string; flags: string[] }[] = [
  { version: 1, suffix: '', flags: [] },
  { version: 2, suffix: '-modern', flags: ['--virtio-modern'] },
];
const EVDEV_KEY: Readonly<Record<string, number>> = { h: 35, i: 23, shift: 42, '1': 2, q: 16 };

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

/** The port a live session announced on stderr ("... 127.0.0.1:PORT"). */
async function announcedPort(p: WatchedProcess, what: RegExp): Promise<number> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const m = what.exec(p.stderr);
    if (m !== null) return Number(m[1]);
    if (Date.now() > deadline) throw new Error(`no ${what} on stderr: ${p.stderr}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Replays `rrfile` twice in new processes: each must print `expected` and exit 0. */
async function replayTwice(elf: string, rrfile: string, expected: string, extra: string[] = []): Promise<void> {
  for (let k = 0; k < 2; k++) {
    const r = await runCli(['replay', elf, '--rrfile', rrfile, ...extra]);
    assert.equal(r.stderr, '', `replay ${k + 1} wrote to stderr`);
    assert.equal(r.stdout, expected, `replay ${k + 1}`);
    assert.equal(r.status, 0);
  }
}

/** The evdev lines of one batch, with the EV_SYN QEMU adds after each input-send-event. */
function batchLines(batch: readonly KeyEvent[]): string {
  return batch.map((e) => `EV_KEY ${EVDEV_KEY[e.key]} ${e.down ? 1 : 0}\n`).join('') + 'EV_SYN 0 0\n';
}

for (const { version, suffix, flags } of VERSIONS) {
  test(`virtio-blk${suffix}: recorded over a disk image, replayed from the log and the same image`, async () => {
    const elf = join(GUEST_BUILD, `c-virtio-blk${suffix}.elf`);
    const { dir, cleanup } = tempDir('blk-rr');
    try {
      const disk = join(dir, 'disk.img');
      makeDiskImage(disk, DISK_SECTORS);
      const before = sha256(disk);
      const rrfile = join(dir, 'run.rr');
      const rec = await runCli(['record', elf, '--rrfile', rrfile, '--drive', disk, ...flags]);
      assert.equal(rec.stdout, expectedBlkOutput(version), rec.stderr);
      assert.equal(rec.status, 0);
      assert.equal(sha256(disk), before, 'recording changed the base image');
      const dump = await runCli(['dump', rrfile, '--kind', 'block']);
      const completed = dump.stdout.split('\n').flatMap((l) => / block dev=7 req=(\d+) status=[01]$/.exec(l)?.[1] ?? []);
      assert.ok(completed.length >= 8, dump.stdout);
      // Each request is logged where the guest submitted it (what, where, how much), before its completion.
      const requests = await runCli(['dump', rrfile, '--kind', 'block-req']);
      const submitted = requests.stdout.trim().split('\n').map((l) => /^\d+ block-req dev=7 req=(\d+) op=(read|write|flush) offset=(\d+) len=(\d+)$/.exec(l));
      assert.ok(submitted.every((m) => m !== null), requests.stdout);
      // (Completions come in the host's order, not necessarily the guest's.)
      const byNumber = (a: string, b: string): number => Number(a) - Number(b);
      assert.deepEqual(submitted.map((m) => m![1]).sort(byNumber), [...completed].sort(byNumber), 'a request for each completion');
      assert.ok(submitted.some((m) => m![2] === 'read' && Number(m![4]) > 0) && submitted.some((m) => m![2] === 'write'), requests.stdout);
      await replayTwice(elf, rrfile, expectedBlkOutput(version));

      // A log whose first write goes one sector further than the guest's: replay stops where the
      // guest submits it, saying what differs.
      const reader = LogReader.open(readFileSync(rrfile));
      const events = [...reader.events()];
      const write = events.findIndex((e) => e.kind === EventKind.BlockRequest && e.op === BlockOp.Write);
      const original = events[write];
      assert.ok(original.kind === EventKind.BlockRequest);
      events[write] = { ...original, offset: original.offset + 512 };
      const tampered = join(dir, 'tampered.rr');
      writeLogFile(tampered, reader.header, events);
      const diverged = await runCli(['replay', elf, '--rrfile', tampered]);
      assert.equal(diverged.status, 122, diverged.stderr);
      const sector = original.offset / 512;
      // The same recording as a version-2 log (before requests were logged) replays, unchecked.
      const v2 = join(dir, 'v2.rr');
      writeLogFile(v2, reader.header, [...reader.events()].filter((e) => e.kind !== EventKind.BlockRequest && e.kind !== EventKind.NetTransmit));
      const v2Bytes = readFileSync(v2);
      new DataView(v2Bytes.buffer, v2Bytes.byteOffset).setUint32(8, 2, true);
      writeFileSync(v2, v2Bytes);
      await replayTwice(elf, v2, expectedBlkOutput(version));
      assert.match(diverged.stderr, new RegExp(`^rvreplay: replay diverged at icount ${original.icount}: the log records block request ${original.request} of virtio slot 7 \\(write of ${original.length} bytes at sector ${sector + 1}\\) at icount ${original.icount}, but the machine produced block request ${original.request} of virtio slot 7 \\(write of ${original.length} bytes at sector ${sector}\\)`, 'm'));
      assert.equal(sha256(disk), before, 'replaying changed the base image');

      const info = await runCli(['info', rrfile]);
      assert.match(info.stdout, new RegExp(`disks +${disk.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(${DISK_SECTORS * 512} bytes, sha256 ${before}\\)`));

      // Another image (one byte changed) is refused before anything runs.
      const other = join(dir, 'other.img');
      copyFileSync(disk, other);
      const bytes = readFileSync(other);
      bytes[100] ^= 1;
      writeFileSync(other, bytes);
      const refused = await runCli(['replay', elf, '--rrfile', rrfile, '--drive', other]);
      assert.equal(refused.status, 2);
      assert.match(refused.stderr, /other\.img is not the disk image this log was recorded with .*replaying over another disk would diverge/);
      // The recorded image moved: replay says so and takes the copy with --drive.
      const moved = join(dir, 'moved.img');
      renameSync(disk, moved);
      const missing = await runCli(['replay', elf, '--rrfile', rrfile]);
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /recorded with disk image .*disk\.img, which cannot be opened \(ENOENT\); give its copy with --drive FILE/);
      await replayTwice(elf, rrfile, expectedBlkOutput(version), ['--drive', moved]);
    } finally {
      cleanup();
    }
  });

  test(`virtio-net${suffix}: frames from a UDP peer are recorded; the replay needs no network`, async () => {
    const elf = join(GUEST_BUILD, `c-virtio-net${suffix}.elf`);
    const { dir, cleanup } = tempDir('net-rr');
    const peer = await NetPeer.open();
    try {
      const rrfile = join(dir, 'run.rr');
      const rec = new WatchedProcess(process.execPath, [CLI, 'record', elf, '--rrfile', rrfile, '--net', `udp:0:${peer.port}`, ...flags]);
      const port = await announcedPort(rec, /network frames: UDP 127\.0\.0\.1:(\d+)/);
      const exchange = await playNetScenario(peer, port, STEP_TIMEOUT_MS);
      const end = await rec.waitExit(STEP_TIMEOUT_MS);
      assert.equal(rec.stdout, expectedNetOutput(version), rec.stderr);
      assert.equal(end.status, 0);
      assert.deepEqual(exchange.hello, expectedHello(QEMU_DEFAULT_MAC));
      exchange.sent.forEach((frame, k) => assert.deepEqual(exchange.replies[k], expectedReply(frame, QEMU_DEFAULT_MAC), `reply ${k + 1}`));
      const dump = await runCli(['dump', rrfile, '--kind', 'net-rx']);
      assert.equal(dump.stdout.trim().split('\n').length, exchange.sent.length, dump.stdout);
      // Frames the guest sent are logged by length and CRC-32: the hello, then one reply per frame.
      const sentLog = await runCli(['dump', rrfile, '--kind', 'net-tx']);
      const expectedTx = [exchange.hello, ...exchange.replies].map((f) => `dev=7 len=${f.length} crc=0x${crc32(f).toString(16).padStart(8, '0')}`);
      assert.deepEqual(sentLog.stdout.trim().split('\n').map((l) => l.replace(/^\d+ net-tx /, '')), expectedTx, sentLog.stdout);
      await replayTwice(elf, rrfile, expectedNetOutput(version));
      assert.equal(peer.pending(), 0, 'the replay sent frames to the network');
    } finally {
      peer.close();
      cleanup();
    }
  });

  test(`virtio-input${suffix}: keys typed over TCP are recorded and replayed`, async () => {
    const elf = join(GUEST_BUILD, `c-virtio-input${suffix}.elf`);
    const { dir, cleanup } = tempDir('input-rr');
    try {
      const rrfile = join(dir, 'run.rr');
      const rec = new WatchedProcess(process.execPath, [CLI, 'record', elf, '--rrfile', rrfile, '--keyboard', 'tcp:0', ...flags]);
      const port = await announcedPort(rec, /keyboard events: a client of 127\.0\.0\.1:(\d+)/);
      const client = createConnection(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => client.once('connect', resolve).once('error', reject));
      await playKeyScenario(rec, async (batch) => {
        client.write(batchLines(batch));
      }, STEP_TIMEOUT_MS);
      const end = await rec.waitExit(STEP_TIMEOUT_MS);
      client.destroy();
      assert.equal(rec.stdout, expectedInputOutput(version), rec.stderr);
      assert.equal(end.status, 0);
      await replayTwice(elf, rrfile, expectedInputOutput(version));
    } finally {
      cleanup();
    }
  });
}

test('virtio-input: keys from a file are queued until the guest posts buffers; nothing is lost', async () => {
  const elf = join(GUEST_BUILD, 'c-virtio-input.elf');
  const { dir, cleanup } = tempDir('input-file');
  try {
    const keys = join(dir, 'keys.txt');
    writeFileSync(keys, '# typed before the guest is up\n' + KEY_BATCHES.map(batchLines).join(''));
    const rrfile = join(dir, 'run.rr');
    const rec = await runCli(['record', elf, '--rrfile', rrfile, '--keyboard', `file:${keys}`]);
    assert.equal(rec.stdout, expectedInputOutput(1), rec.stderr);
    assert.equal(rec.status, 0);
    await replayTwice(elf, rrfile, expectedInputOutput(1));
    writeFileSync(keys, 'EV_KEY 30\n');
    const bad = await runCli(['run', elf, '--keyboard', `file:${keys}`]);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /keys\.txt:1: 'EV_KEY 30' is not an input event \(TYPE CODE VALUE\)/);
  } finally {
    cleanup();
  }
});

test('device options: a missing disk image and malformed specs are refused in one line', async () => {
  const elf = join(GUEST_BUILD, 'c-virtio-blk.elf');
  const cases: [string[], RegExp][] = [
    [['--drive', '/nonexistent/disk.img'], /cannot open disk image \/nonexistent\/disk\.img: no such file/],
    [['--drive', '/'], /cannot open disk image \/: not a regular file/],
    [['--net', 'tcp:1'], /--net takes udp:LOCAL:REMOTE/],
    [['--net', 'udp:0:0'], /--net takes udp:LOCAL:REMOTE/],
    [['--net', 'udp:0:9', '--mac', '52:54:00'], /--mac: '52:54:00' is not a MAC address/],
    [['--keyboard', 'stdio'], /--keyboard takes file:PATH or tcp:PORT/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['run', elf, ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('virtio-blk: a snapshot between a write and the read-back holds the overlay and the request in flight', async () => {
  const elf = join(GUEST_BUILD, 'c-virtio-blk.elf');
  const { dir, cleanup } = tempDir('blk-snap');
  try {
    const disk = join(dir, 'disk.img');
    makeDiskImage(disk, DISK_SECTORS);
    const rrfile = join(dir, 'run.rr');
    await runCli(['record', elf, '--rrfile', rrfile, '--drive', disk]);
    // The completions of the write (request 6) and of the read-back (request 7) bound the moment
    // in this recording, and its replay saves the snapshot there: the written block is in the
    // overlay and the read-back not yet done (a run of its own completes requests at other
    // moments, and on a slow host may be past the read-back by that icount). The read-back may be
    // in flight: the rest of the run must follow either way.
    const dump = (await runCli(['dump', rrfile, '--kind', 'block'])).stdout;
    const at = (req: number): number => Number(new RegExp(`^(\\d+) block dev=7 req=${req} `, 'm').exec(dump)![1]);
    const icount = at(6) + 1;
    assert.ok(icount < at(7), dump);
    const snap = join(dir, 'mid.snap');
    const saved = await runCli(['replay', elf, '--rrfile', rrfile, '--save-snapshot', `${icount}:${snap}`]);
    assert.equal(saved.status, 0, saved.stderr);
    const resumed = await runCli(['run', elf, '--drive', disk, '--from-snapshot', snap]);
    const tail = resumed.stdout;
    assert.ok(expectedBlkOutput(1).endsWith(tail), `not the end of the run:\n${tail}`);
    assert.match(tail, /sector 4 intact, sector 5 written, sector 6 intact/);
    assert.equal(resumed.status, 0);
    // Recorded from that snapshot, the rest replays too.
    const rr2 = join(dir, 'mid.rr');
    const rec = await runCli(['record', elf, '--rrfile', rr2, '--drive', disk, '--from-snapshot', snap]);
    assert.equal(rec.stdout, tail, rec.stderr);
    await replayTwice(elf, rr2, tail);
  } finally {
    cleanup();
  }
});
