// Time travel through gdb, as a user does it: `rvreplay replay|record ... --gdb PORT` in its own
// process and Debian's gdb-multiarch driving it. Source-level reverse stepping (reverse-next,
// reverse-finish), a watchpoint found in reverse (who last wrote this variable), monitor
// commands, history bounds, and, while recording, going back into history and forward again to
// the live edge with a log that then replays as a plain recording does.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openReplaySession } from '../../src/cli/replay-session.js';
import { CLI, runCli } from '../support/cli.js';
import { okText, printed, runGdb, shown, type GdbAnswer } from '../support/gdb-driver.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';

const tmp = tempDir('gdb-tt');
after(() => tmp.cleanup());

const ELF = guestPath('dbg-O0');
const SOURCE = readFileSync(join(GUEST_DIR, 'dbg', 'dbg.c'), 'utf8').split('\n');
/** The 1-based line of dbg.c holding `text`. */
const lineOf = (text: string): number => SOURCE.findIndex((l) => l.includes(text)) + 1;
const LOG = join(tmp.dir, 'dbg.rr');
let recordedOutput = '';

before(async () => {
  const r = await runCli(['record', ELF, '--rrfile', LOG]);
  assert.equal(r.status, 0, r.stderr);
  recordedOutput = r.stdout;
  assert.match(recordedOutput, /dbg checksum/);
});

interface Served {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Starts `rvreplay ARGS --gdb 0` and waits until it says which port gdb should connect to. */
async function serve(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [CLI, ...args, '--gdb', '0'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no gdb port announced; stderr: ${err}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /waiting for gdb on 127\.0\.0\.1:(\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then((code) => reject(new Error(`rvreplay exited (${code}) before serving gdb: ${err}`)));
  });
  return { child, port, stdout: () => out, stderr: () => err, exited };
}

async function gdbOn(served: Served, commands: string[]): Promise<GdbAnswer[]> {
  try {
    const run = await runGdb({ dir: tmp.dir, elf: ELF, port: served.port, commands, timeoutMs: 120_000 });
    return run.answers.slice(1); // the connection's answer first
  } finally {
    const killer = setTimeout(() => served.child.kill('SIGKILL'), 30_000);
    await served.exited;
    clearTimeout(killer);
  }
}

/** The line gdb says the pc is on. */
function lineAtPc(a: GdbAnswer, what: string): number {
  const m = /^Line (\d+) of "[^"]*dbg\.c"/m.exec(okText(a, what));
  assert.ok(m, `${what}: ${okText(a, what)}`);
  return Number(m[1]);
}

/** The pc a straight replay of the log reaches at `icount`, in this process. */
function pcAt(icount: number): number {
  const s = openReplaySession(ELF, LOG, { console: { write: () => {} } });
  try {
    s.replayer.run(icount);
    return s.machine.cpu.pc;
  } finally {
    s.disks.forEach((d) => d.close());
  }
}

test('replay under gdb: reverse-next, reverse-finish, a watchpoint in reverse, monitor seek, both ends of history', async () => {
  const served = await serve(['replay', ELF, '--rrfile', LOG]);
  const a = await gdbOn(served, [
    'break use_locals', // 0
    'continue', // 1
    'next', // 2
    'next', // 3
    'info line *$pc', // 4
    'reverse-next', // 5
    'info line *$pc', // 6
    'delete', // 7: or reverse-finish would stop at the breakpoint on its way back
    'reverse-finish', // 8
    'info line *$pc', // 9
    'watch counter', // 10
    'continue', // 11
    'print counter', // 12
    'reverse-continue', // 13
    'print counter', // 14
    'info line *$pc', // 15
    'delete', // 16
    'monitor replay_seek 100', // 17
    'maintenance flush register-cache', // 18: gdb reads registers again only after a stop
    'print/x $pc', // 19
    'monitor info replay', // 20
    'monitor replay_seek 0', // 21
    'maintenance flush register-cache', // 22
    'reverse-stepi', // 23
    'continue', // 24
    'kill', // 25
  ]);
  assert.match(shown(a[1], 'continue'), /Breakpoint 1, use_locals/);
  const afterTwo = lineAtPc(a[4], 'two nexts');
  assert.equal(lineAtPc(a[6], 'reverse-next'), afterTwo - 1, 'reverse-next goes back one line in the same function');
  assert.match(shown(a[8], 'reverse-finish'), /in main \(\)/);
  assert.equal(lineAtPc(a[9], 'reverse-finish'), lineOf('total += use_locals(5);'), 'reverse-finish lands on the call in main');
  // `counter += total` runs once, late in main: forward it changes 7 to 7 + total...
  assert.match(shown(a[11], 'continue to the watchpoint'), /watchpoint 2: counter\s+Old value = 7\s+New value = (\d+)/);
  const newValue = Number(/New value = (\d+)/.exec(shown(a[11], 'continue'))![1]);
  assert.equal(Number(printed(a[12], 'print counter')), newValue);
  // ...and reverse-continue from there finds that store again, with counter as it was before it.
  assert.match(shown(a[13], 'reverse-continue to the watchpoint'), /watchpoint 2: counter/);
  assert.equal(printed(a[14], 'print counter after reverse-continue'), '7');
  assert.equal(lineAtPc(a[15], 'the store'), lineOf('counter += total;'));
  assert.match(shown(a[17], 'replay_seek'), /maintenance flush register-cache/, 'the seek says how to see the new position');
  assert.equal(parseInt(printed(a[19], 'pc after replay_seek 100'), 16), pcAt(100), 'gdb sees the registers of icount 100');
  assert.match(shown(a[20], 'info replay'), /icount: 100\b/);
  assert.match(shown(a[23], 'reverse-stepi at icount 0'), /No more reverse-execution history/);
  assert.match(shown(a[24], 'continue to the end'), /No more reverse-execution history/);
  assert.equal(await served.exited, 0, served.stderr());
  assert.equal(served.stdout(), recordedOutput, 'the guest output is shown once, as recorded, however often history is replayed');
});

test('with gdb/rvreplay.gdb sourced, gdb shows where a monitor seek lands without a flush by hand', async () => {
  const script = join(__dirname, '..', '..', 'gdb', 'rvreplay.gdb');
  // Three moments with three pcs, so registers left from before a seek would show.
  assert.equal(new Set([pcAt(0), pcAt(100), pcAt(103)]).size, 3);
  const served = await serve(['replay', ELF, '--rrfile', LOG]);
  const a = await gdbOn(served, [
    `source ${script}`, // 0
    'print/x $pc', // 1: gdb now holds the registers of icount 0
    'monitor replay_seek 100', // 2
    'print/x $pc', // 3
    'monitor replay_seek 103', // 4
    'print/x $pc', // 5
    'kill', // 6
  ]);
  assert.ok(served.stderr().includes(`source ${script}`), `the announcement names the file: ${served.stderr()}`);
  okText(a[0], 'source rvreplay.gdb');
  assert.equal(parseInt(printed(a[1], 'pc at the start'), 16), pcAt(0));
  assert.equal(parseInt(printed(a[3], 'pc after replay_seek 100'), 16), pcAt(100));
  assert.equal(parseInt(printed(a[5], 'pc after replay_seek 103'), 16), pcAt(103));
});

test('replay under gdb: reverse-step from a line after a call goes back into the callee, at its last line', async () => {
  const served = await serve(['replay', ELF, '--rrfile', LOG]);
  const a = await gdbOn(served, [
    `break dbg.c:${lineOf('total += apply(ops[0], 3, 4);')}`,
    'continue',
    'reverse-step', // 2: to the addition after the call returned, still line 73
    'info line *$pc', // 3
    'reverse-step', // 4: into walk, at the last line it ran
    'info line *$pc', // 5
    'bt 1', // 6
    'kill',
  ]);
  assert.match(shown(a[1], 'continue'), /Breakpoint 1, main/);
  assert.equal(lineAtPc(a[3], 'first reverse-step'), lineOf('total += walk(&chain[0], 0);'));
  // The last line walk ran: its closing brace (the epilogue has a line of its own at -O0).
  assert.equal(lineAtPcIn(a[5], 'walk.c'), lineIn('walk.c', 'BP:walk-return') + 1);
  assert.equal(readFileSync(join(GUEST_DIR, 'dbg', 'walk.c'), 'utf8').split('\n')[lineIn('walk.c', 'BP:walk-return')].trim(), '}');
  assert.match(okText(a[6], 'bt'), /walk \(/);
});

test('record under gdb: step back into history and forward to the live edge; the log replays as recorded', async () => {
  const log = join(tmp.dir, 'live.rr');
  const served = await serve(['record', ELF, '--rrfile', log, '--serial', 'none']);
  const a = await gdbOn(served, [
    'break probe', // 0
    'continue', // 1: live, to the first probe
    'monitor info replay', // 2
    'reverse-finish', // 3: back into history
    'monitor info replay', // 4
    'next', // 5: forward through history to the edge, then live
    'continue', // 6: live again, to the next probe
    'info line *$pc', // 7
    'reverse-continue', // 8: the probe before, in history
    'info line *$pc', // 9
    'delete', // 10
    'continue', // 11: to the edge and on, live, to the guest's exit
    'reverse-stepi', // 12
    'kill', // 13
  ]);
  assert.match(shown(a[1], 'continue'), /Breakpoint 1, probe/);
  assert.match(shown(a[2], 'info replay'), /mode: record/);
  assert.match(shown(a[2], 'info replay'), /live edge/);
  assert.match(shown(a[4], 'info replay after reverse-finish'), /inside recorded history/);
  assert.match(shown(a[6], 'continue from history'), /Breakpoint 1, probe/);
  assert.equal(lineAtPcIn(a[7], 'walk.c'), lineIn('walk.c', 'BP:probe'));
  assert.match(shown(a[8], 'reverse-continue'), /Breakpoint 1, probe/);
  assert.match(shown(a[11], 'continue to the exit'), /No more reverse-execution history/);
  assert.doesNotMatch(shown(a[12], 'reverse-stepi after the exit'), /No more/);
  await served.exited;
  const rep = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, recordedOutput, 'the recording made under gdb replays to the same output as a plain one');
});

test('record under gdb: when gdb detaches inside history, the guest runs on from the live edge, recorded, to its end', async () => {
  const log = join(tmp.dir, 'detached.rr');
  const served = await serve(['record', ELF, '--rrfile', log]);
  const a = await gdbOn(served, ['break probe', 'continue', 'reverse-stepi', 'reverse-stepi', 'detach']);
  assert.match(shown(a[1], 'continue'), /Breakpoint 1, probe/);
  assert.equal(await served.exited, 0, served.stderr());
  assert.equal(served.stdout(), recordedOutput, 'the output is shown once');
  const rep = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, recordedOutput);
});

test('record under gdb: a write at the live edge is recorded and replayed; inside history it is refused', async () => {
  const log = join(tmp.dir, 'write.rr');
  const served = await serve(['record', ELF, '--rrfile', log, '--serial', 'none']);
  const a = await gdbOn(served, [
    `break dbg.c:${lineOf('counter += total;')}`, // 0
    'continue', // 1: live edge, before counter += total
    'print counter', // 2
    'reverse-stepi', // 3: into history
    'set var counter = 5', // 4: refused
    'stepi', // 5: back at the live edge
    'set var counter = 1000', // 6: made and recorded
    'print counter', // 7
    'delete', // 8
    'continue', // 9: to the exit
    'kill', // 10
  ]);
  assert.equal(printed(a[2], 'print counter'), '7');
  assert.ok('err' in a[4], `a write inside history is refused: ${JSON.stringify(a[4])}`);
  assert.equal(printed(a[7], 'print counter after the write'), '1000');
  await served.exited;
  const total = Number(/dbg checksum (\d+) /.exec(recordedOutput)![1]);
  const expected = recordedOutput.replace(/dbg checksum (\d+) (\d+)/, `dbg checksum $1 ${1000 + total}`);
  const dump = await runCli(['dump', log, '--kind', 'debug-write']);
  assert.match(dump.stdout, /debug-write memory=0x[0-9a-f]+ len=4 data=0xe8030000/);
  const rep = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, expected, 'the replay makes the debugger\'s write at the same moment');
});

test('a snapshot saved in a replay under gdb is a file a new recording can start from (going live from that moment)', async () => {
  const served = await serve(['replay', ELF, '--rrfile', LOG]);
  const a = await gdbOn(served, ['break probe', 'continue', 'monitor snapshot save atprobe', 'monitor snapshot list', 'kill']);
  const file = `${LOG}.atprobe.snap`;
  assert.match(shown(a[2], 'snapshot save'), new RegExp(`saved at icount \\d+, and to .*${file.split('/').pop()!.replace(/\./g, '\\.')}`));
  assert.match(shown(a[3], 'snapshot list'), /atprobe\ticount \d+/);
  await served.exited;
  const info = await runCli(['info', LOG]);
  assert.match(info.stdout, /^saved\s+"atprobe" at icount \d+ \(dbg\.rr\.atprobe\.snap\)$/m, 'info lists the snapshot files beside the log');
  const log = join(tmp.dir, 'from-probe.rr');
  const rec = await runCli(['record', ELF, '--rrfile', log, '--from-snapshot', file]);
  assert.equal(rec.status, 0, rec.stderr);
  assert.equal(rec.stdout, recordedOutput, 'the new recording goes on from that moment');
  const rep = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(rep.stdout, recordedOutput);
});

test('record under gdb: go live from a moment in history into a new log, and try another input from there', async () => {
  const log = join(tmp.dir, 'first.rr');
  const next = join(tmp.dir, 'second.rr');
  const served = await serve(['record', ELF, '--rrfile', log, '--serial', 'none']);
  const a = await gdbOn(served, [
    `break dbg.c:${lineOf('done_flag = true;')}`, // 0
    'continue', // 1: live, after counter += total
    'print counter', // 2: 7 + total
    'watch counter', // 3
    'reverse-continue', // 4: back to the store, in history
    'delete', // 5
    `monitor go_live ${next}`, // 6
    'monitor info replay', // 7
    'stepi', // 8: the store, recorded in the new log (the load before it was in the old one)
    'set var counter = 1000', // 9: at the live edge: recorded as an input
    'continue', // 10: to the exit
    'kill', // 11
  ]);
  const total = Number(/dbg checksum (\d+) /.exec(recordedOutput)![1]);
  assert.equal(printed(a[2], 'print counter'), String(7 + total));
  assert.match(shown(a[6], 'go_live'), new RegExp(`recording from icount \\d+ into .*second\\.rr`));
  assert.match(shown(a[7], 'info replay after go_live'), /the live edge/);
  assert.ok(!('err' in a[9]), `the write is allowed at the new live edge: ${JSON.stringify(a[9])}`);
  await served.exited;
  const old = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(old.status, 130, 'the first recording ends where it had got to');
  assert.equal(old.stdout, '');
  const rep = await runCli(['replay', ELF, '--rrfile', next]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, recordedOutput.replace(/dbg checksum (\d+) (\d+)/, 'dbg checksum $1 1000'));
});

function lineIn(file: string, marker: string): number {
  return readFileSync(join(GUEST_DIR, 'dbg', file), 'utf8').split('\n').findIndex((l) => l.includes(marker)) + 1;
}

function lineAtPcIn(a: GdbAnswer, file: string): number {
  const m = new RegExp(`^Line (\\d+) of "[^"]*${file.replace('.', '\\.')}"`, 'm').exec(okText(a, 'info line'));
  assert.ok(m, okText(a, 'info line'));
  return Number(m[1]);
}
