// Saving the machine state at an icount and starting from it, on the command line: a run resumed
// from a snapshot goes on exactly where the first left off, a replay saves the recorded run's
// state, and a recording started from a snapshot replays from it.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { buildAsmGuest, runCli } from '../support/cli.js';
import { READ_TIME } from '../support/guests.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('snap');
after(() => tmp.cleanup());

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'hello', 'hello.elf');
const AT = 20_000;

test('a run resumed from a snapshot at icount N continues exactly where the first run was at N', async () => {
  const whole = await runCli(['run', EXAMPLE]);
  assert.equal(whole.status, 0, whole.stderr);
  const snap = join(tmp.dir, 'boot.snap');
  const saving = await runCli(['run', EXAMPLE, '--save-snapshot', `${AT}:${snap}`]);
  assert.equal(saving.status, 0, saving.stderr);
  assert.equal(saving.stdout, whole.stdout, 'saving a snapshot does not change the run');
  assert.match(saving.stderr, new RegExp(`saved the state at icount ${AT} to .*boot\\.snap`));
  assert.ok(existsSync(snap));
  const before = await runCli(['run', EXAMPLE, '--max-insns', String(AT)]);
  assert.equal(before.status, 124);
  const resumed = await runCli(['run', EXAMPLE, '--from-snapshot', snap]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(resumed.stdout.length > 0 && before.stdout.length > 0);
  assert.equal(before.stdout + resumed.stdout, whole.stdout);
});

test('a replay saves the state the recorded run had at icount N; run and replay say when the run ends first', async () => {
  const log = join(tmp.dir, 'hello.rr');
  const rec = await runCli(['record', EXAMPLE, '--rrfile', log]);
  assert.equal(rec.status, 0, rec.stderr);
  // The same file name in two folders: a snapshot is named after its file.
  const [fromReplay, fromRun] = ['replayed', 'ran'].map((d) => {
    mkdirSync(join(tmp.dir, d));
    return join(tmp.dir, d, 'at.snap');
  });
  const rep = await runCli(['replay', EXAMPLE, '--rrfile', log, '--save-snapshot', `${AT}:${fromReplay}`]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, rec.stdout, 'saving a snapshot does not change the replay');
  assert.match(rep.stderr, new RegExp(`saved the state at icount ${AT} to .*at\\.snap`));
  // The example takes no input, so a run of its own is the recorded run: the same state at AT.
  assert.equal((await runCli(['run', EXAMPLE, '--save-snapshot', `${AT}:${fromRun}`])).status, 0);
  assert.ok(readFileSync(fromReplay).equals(readFileSync(fromRun)), 'the snapshots differ');
  const resumed = await runCli(['run', EXAMPLE, '--from-snapshot', fromReplay]);
  assert.equal(resumed.status, 0, resumed.stderr);
  assert.ok(resumed.stdout.length > 0 && rec.stdout.endsWith(resumed.stdout), resumed.stdout);

  const late = join(tmp.dir, 'late.snap');
  for (const args of [['replay', EXAMPLE, '--rrfile', log], ['run', EXAMPLE]]) {
    const beyond = await runCli([...args, '--save-snapshot', `999999999:${late}`]);
    assert.equal(beyond.status, 0, beyond.stderr);
    assert.match(beyond.stderr, /the run ended at icount \d+; no snapshot was saved \(--save-snapshot 999999999\)/, args[0]);
  }
  assert.ok(!existsSync(late));
});

test('a recording started from a snapshot carries it beside its log, and replays from it', async () => {
  const snap = join(tmp.dir, 'early.snap');
  assert.equal((await runCli(['run', EXAMPLE, '--save-snapshot', `${AT}:${snap}`])).status, 0);
  const log = join(tmp.dir, 'from-snap.rr');
  const rec = await runCli(['record', EXAMPLE, '--rrfile', log, '--from-snapshot', snap]);
  assert.equal(rec.status, 0, rec.stderr);
  assert.equal(LogReader.open(readFileSync(log)).header.snapshot?.name, 'early');
  assert.ok(existsSync(`${log}.early.snap`));
  const rep = await runCli(['replay', EXAMPLE, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, rec.stdout);
});

test('snapshot options refuse bad input in one line', async () => {
  const other = buildAsmGuest(tmp.dir, 'time', READ_TIME);
  const snap = join(tmp.dir, 'hello.snap');
  assert.equal((await runCli(['run', EXAMPLE, '--save-snapshot', `1000:${snap}`])).status, 0);
  const notSnap = join(tmp.dir, 'not.snap');
  writeFileSync(notSnap, 'hello');
  const cases: [string[], RegExp][] = [
    [['run', other, '--from-snapshot', snap], /was saved from another guest image/],
    [['run', EXAMPLE, '--from-snapshot', notSnap], /not\.snap: not an rvreplay snapshot/],
    [['run', EXAMPLE, '--from-snapshot', join(tmp.dir, 'missing.snap')], /cannot read .*missing\.snap: no such file/],
    [['run', EXAMPLE, '--save-snapshot', 'soon'], /--save-snapshot takes N:FILE/],
    [['run', EXAMPLE, '--from-snapshot', snap, '--save-snapshot', `10:${join(tmp.dir, 'x.snap')}`], /icount 10 is before the snapshot's icount 1000/],
    [['replay', EXAMPLE, '--rrfile', join(tmp.dir, 'any.rr'), '--save-snapshot', `10:${join(tmp.dir, 'x.snap')}`, '--gdb', '0'], /--save-snapshot does not go with --gdb/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});
