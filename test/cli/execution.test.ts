// Compiled and interpreted execution are interchangeable from the command line: `--interpret`
// runs the reference interpreter, and a log recorded one way replays the other way without a
// divergence (the interrupt-heavy benchmark guest: 5,000 timer interrupts at exact icounts).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('execution');
after(() => tmp.cleanup());
const IRQ = join(__dirname, '..', '..', 'bench', 'guests', 'irq.elf');
const EXPECTED = readFileSync(join(__dirname, '..', '..', 'bench', 'guests', 'irq.expected'), 'utf8');

test('run --interpret prints what the compiled run prints', async () => {
  const [compiled, interpreted] = await Promise.all([runCli(['run', IRQ]), runCli(['run', IRQ, '--interpret'])]);
  assert.equal(compiled.status, 0, compiled.stderr);
  assert.equal(interpreted.status, 0, interpreted.stderr);
  assert.equal(compiled.stdout, EXPECTED);
  assert.equal(interpreted.stdout, EXPECTED);
});

test('a log recorded compiled replays interpreted, and one recorded interpreted replays compiled', async () => {
  const compiledLog = join(tmp.dir, 'compiled.rr');
  const interpretedLog = join(tmp.dir, 'interpreted.rr');
  const [a, b] = await Promise.all([
    runCli(['record', IRQ, '--rrfile', compiledLog]),
    runCli(['record', IRQ, '--rrfile', interpretedLog, '--interpret']),
  ]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(b.status, 0, b.stderr);
  const [c, d] = await Promise.all([
    runCli(['replay', IRQ, '--rrfile', compiledLog, '--interpret']),
    runCli(['replay', IRQ, '--rrfile', interpretedLog]),
  ]);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(d.status, 0, d.stderr);
  assert.equal(c.stdout, EXPECTED);
  assert.equal(d.stdout, EXPECTED);
});
