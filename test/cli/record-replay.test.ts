// Record and replay through the CLI, as users run them: a recording made with live host input
// (stdin typed with pauses, the host's wall clock) replays with no host input at all, in another
// process, with identical serial output and exit status, again and again; and every bad input
// (a tampered, truncated or foreign log, another guest, contradicting options) is refused or
// stopped with a message that says what is wrong.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { EventKind, ShutdownReason, type LogEvent } from '../../src/shared/log-events.js';
import { CLI, buildAsmGuest, runCli } from '../support/cli.js';
import { ECHO_IRQ, READ_RTC, TICKER } from '../support/guests.js';
import { writeLogFile } from '../support/log-file.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('rr');
after(() => tmp.cleanup());

const ROOT = join(__dirname, '..', '..');
const C_TIMER = join(ROOT, 'test', 'guests', 'build', 'c-timer.elf');
const EXAMPLE = join(ROOT, 'examples', 'hello', 'hello.elf');

function events(log: string): LogEvent[] {
  return [...LogReader.open(readFileSync(log)).events()];
}

test('serial input typed live replays from the log alone, identically, in other processes', async () => {
  const elf = buildAsmGuest(tmp.dir, 'echo', ECHO_IRQ);
  const log = join(tmp.dir, 'echo.rr');
  const rec = await runCli(['record', elf, '--rrfile', log], {
    chunks: [{ delayMs: 0, text: 'he' }, { delayMs: 300, text: 'llo' }, { delayMs: 300, text: 'q' }],
  });
  assert.equal(rec.status, 0, rec.stderr);
  assert.equal(rec.stdout, 'hello');
  const inputs = events(log).filter((e) => e.kind === EventKind.SerialInput);
  assert.ok(inputs.length >= 2, 'input arrived in separate deliveries');
  for (let i = 0; i < 3; i++) {
    const rep = await runCli(['replay', elf, '--rrfile', log], { chunks: [{ delayMs: 0, text: 'IGNORED' }] });
    assert.equal(rep.status, 0, rep.stderr);
    assert.equal(rep.stdout, 'hello', `replay ${i + 1}`);
    assert.equal(rep.stderr, '');
  }
});

test('wall-clock reads are recorded and replayed with the recorded values', async () => {
  const elf = buildAsmGuest(tmp.dir, 'rtc', READ_RTC);
  const log = join(tmp.dir, 'rtc.rr');
  const rec = await runCli(['record', elf, '--rrfile', log]);
  assert.equal(rec.status, 0, rec.stderr);
  const lines = rec.stdout.trim().split('\n');
  assert.equal(lines.length, 3);
  const recordedNs = BigInt(`0x${lines[0]}`);
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  assert.ok(nowNs - recordedNs < 60_000_000_000n && recordedNs <= nowNs, 'the recording read the host clock');
  // TIME_LOW reads the clock and latches TIME_HIGH: one read per pair.
  assert.equal(events(log).filter((e) => e.kind === EventKind.ClockRead).length, 3);
  await new Promise((r) => setTimeout(r, 50)); // the host clock moves on; the replay must not see it
  const rep = await runCli(['replay', elf, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, rec.stdout);
});

test('a guest with timer interrupts replays with the same interrupts, output and status', async () => {
  for (const elf of [C_TIMER, EXAMPLE]) {
    const log = join(tmp.dir, 'timer.rr');
    const rec = await runCli(['record', elf, '--rrfile', log, '--digest-interval', '1000']);
    assert.equal(rec.status, 0, rec.stderr);
    const evs = events(log);
    assert.ok(evs.some((e) => e.kind === EventKind.Interrupt), `${elf}: interrupts were logged`);
    assert.ok(evs.filter((e) => e.kind === EventKind.Digest).length > 3, `${elf}: digests were logged`);
    assert.equal(evs[evs.length - 1].kind, EventKind.End);
    const rep = await runCli(['replay', elf, '--rrfile', log]);
    assert.equal(rep.status, rec.status, rep.stderr);
    assert.equal(rep.stdout, rec.stdout);
  }
});

test('SIGINT ends a recording cleanly; the replay ends at the same place with the same output', async () => {
  const elf = buildAsmGuest(tmp.dir, 'ticker', TICKER);
  const log = join(tmp.dir, 'ticker.rr');
  const child = spawn(process.execPath, [CLI, 'record', elf, '--rrfile', log], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGINT');
  const status = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(status, 130);
  assert.ok(out.length > 0, 'the guest printed before the signal');
  const evs = events(log);
  const shutdown = evs.find((e) => e.kind === EventKind.Shutdown);
  assert.equal(shutdown?.kind === EventKind.Shutdown && shutdown.reason, ShutdownReason.HostSignal);
  assert.equal(evs[evs.length - 1].kind, EventKind.End);
  const rep = await runCli(['replay', elf, '--rrfile', log]);
  assert.equal(rep.status, 130);
  assert.equal(rep.stdout, out);
  assert.match(rep.stderr, /the recording was stopped here/);
});

/** Writes `events` as a log with `header`, as a recorder would have. */
test('a tampered log makes replay stop at the divergence, naming the icount and what differs', async () => {
  // A clock value changed: the guest's registers end up holding another value than recorded.
  const rtc = buildAsmGuest(tmp.dir, 'rtc2', READ_RTC);
  const rtcLog = join(tmp.dir, 'rtc2.rr');
  assert.equal((await runCli(['record', rtc, '--rrfile', rtcLog])).status, 0);
  const reader = LogReader.open(readFileSync(rtcLog));
  const evs = [...reader.events()];
  const lastClock = evs.map((e) => e.kind).lastIndexOf(EventKind.ClockRead);
  const clock = evs[lastClock];
  assert.ok(clock.kind === EventKind.ClockRead);
  evs[lastClock] = { ...clock, valueNs: clock.valueNs + 1n };
  const badClock = join(tmp.dir, 'rtc2-tampered.rr');
  writeLogFile(badClock, reader.header, evs);
  const r1 = await runCli(['replay', rtc, '--rrfile', badClock]);
  assert.equal(r1.status, 122, r1.stderr);
  assert.match(r1.stderr, /^rvreplay: replay diverged at icount \d+: the machine state differs in hart0\.x \(registers\)$/m);

  // An input byte dropped: the guest echoes one byte less than the recording wrote.
  const echo = buildAsmGuest(tmp.dir, 'echo2', ECHO_IRQ);
  const echoLog = join(tmp.dir, 'echo2.rr');
  assert.equal((await runCli(['record', echo, '--rrfile', echoLog], { chunks: [{ delayMs: 0, text: 'abq' }] })).status, 0);
  const echoReader = LogReader.open(readFileSync(echoLog));
  // (The guest leaves the UART's FIFO off, so each byte is a delivery of its own.)
  const all = [...echoReader.events()];
  const dropped = all.filter((e) => e !== all.find((x) => x.kind === EventKind.SerialInput));
  const badInput = join(tmp.dir, 'echo2-tampered.rr');
  writeLogFile(badInput, echoReader.header, dropped);
  const r2 = await runCli(['replay', echo, '--rrfile', badInput]);
  assert.equal(r2.status, 122, r2.stderr);
  // Without the byte, the guest sleeps in WFI where the recording took the UART's interrupt.
  assert.match(r2.stderr, /^rvreplay: replay diverged at icount \d+: the guest waits for an interrupt, but the log's next event is interrupt 11 \(machine external\) at icount \d+$/m);
});

test('a truncated log replays as far as it goes, then says the log is damaged', async () => {
  const elf = buildAsmGuest(tmp.dir, 'ticker2', TICKER);
  const log = join(tmp.dir, 'ticker2.rr');
  const rec = await runCli(['record', elf, '--rrfile', log, '--max-insns', '30000000', '--digest-interval', '1000000']);
  assert.equal(rec.status, 124, rec.stderr);
  truncateSync(log, Math.floor(statSync(log).size * 0.6));
  const rep = await runCli(['replay', elf, '--rrfile', log]);
  assert.equal(rep.status, 123, rep.stderr);
  assert.match(rep.stderr, /warning: .* is damaged/);
  assert.match(rep.stderr, /the log is damaged .*replay stopped at icount \d+/);
  assert.ok(rep.stdout.length > 0 && rec.stdout.startsWith(rep.stdout), 'the replayed output is a prefix of the recorded output');
});

test('replay refuses another guest, contradicting options, a missing or foreign log', async () => {
  const elf = buildAsmGuest(tmp.dir, 'echo3', ECHO_IRQ);
  const other = buildAsmGuest(tmp.dir, 'rtc3', READ_RTC);
  const log = join(tmp.dir, 'echo3.rr');
  const rec = await runCli(['record', elf, '--rrfile', log], { chunks: [{ delayMs: 0, text: 'q' }] });
  assert.equal(rec.status, 0, rec.stderr);
  const cases: [string[], RegExp][] = [
    [['replay', other, '--rrfile', log], /is not the guest this log was recorded with/],
    [['replay', elf, '--rrfile', log, '--ram', '64'], /--ram 64 contradicts the log, which was recorded with 128 MiB/],
    [['replay', elf, '--rrfile', log, '--icount-shift', '2'], /--icount-shift 2 contradicts the log/],
    [['replay', elf, '--rrfile', join(tmp.dir, 'nope.rr')], /cannot read .*nope\.rr: no such file/],
    [['replay', elf, '--rrfile', elf], /echo3\.elf: .*not .*log/i],
    [['replay', elf], /replay needs --rrfile/],
    [['record', elf], /record needs --rrfile/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('--rrsnapshot saves the start state beside the log and replay starts from it', async () => {
  const elf = buildAsmGuest(tmp.dir, 'echo4', ECHO_IRQ);
  const log = join(tmp.dir, 'echo4.rr');
  const rec = await runCli(['record', elf, '--rrfile', log, '--rrsnapshot', 'init'], { chunks: [{ delayMs: 0, text: 'hiq' }] });
  assert.equal(rec.status, 0, rec.stderr);
  const snap = `${log}.init.snap`;
  assert.ok(existsSync(snap));
  assert.equal(LogReader.open(readFileSync(log)).header.snapshot?.name, 'init');
  const rep = await runCli(['replay', elf, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, 'hi');
  rmSync(snap);
  const missing = await runCli(['replay', elf, '--rrfile', log]);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /starts from snapshot 'init', but .*init\.snap cannot be read/);
});
