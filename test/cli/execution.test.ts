// Compiled and interpreted execution are interchangeable from the command line: `--interpret`
// runs the reference interpreter, and a log recorded one way replays the other way without a
// divergence (the interrupt-heavy benchmark guest: 5,000 timer interrupts at exact icounts; the
// paging one, whose data pages only compiled code writes, for the digests' dirty pages).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, type CliResult } from '../support/cli.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('execution');
after(() => tmp.cleanup());
const IRQ = join(__dirname, '..', '..', 'bench', 'guests', 'irq.elf');
const PAGING = join(__dirname, '..', '..', 'bench', 'guests', 'paging.elf');
const EXPECTED = readFileSync(join(__dirname, '..', '..', 'bench', 'guests', 'irq.expected'), 'utf8');

test('run --interpret prints what the compiled run prints', async () => {
  const [compiled, interpreted] = await Promise.all([runCli(['run', IRQ]), runCli(['run', IRQ, '--interpret'])]);
  assert.equal(compiled.status, 0, compiled.stderr);
  assert.equal(interpreted.status, 0, interpreted.stderr);
  assert.equal(compiled.stdout, EXPECTED);
  assert.equal(interpreted.stdout, EXPECTED);
});

/**
 * Records `elf` compiled and interpreted (each record must exit with `status`), then replays the
 * compiled log interpreted and the interpreted log compiled; returns those two replays.
 */
async function replayCrosswise(elf: string, stem: string, status: number, recordArgs: string[] = []): Promise<[CliResult, CliResult]> {
  const compiledLog = join(tmp.dir, `${stem}compiled.rr`);
  const interpretedLog = join(tmp.dir, `${stem}interpreted.rr`);
  const [a, b] = await Promise.all([
    runCli(['record', elf, '--rrfile', compiledLog, ...recordArgs]),
    runCli(['record', elf, '--rrfile', interpretedLog, '--interpret', ...recordArgs]),
  ]);
  assert.equal(a.status, status, a.stderr);
  assert.equal(b.status, status, b.stderr);
  return Promise.all([
    runCli(['replay', elf, '--rrfile', compiledLog, '--interpret']),
    runCli(['replay', elf, '--rrfile', interpretedLog]),
  ]);
}

test('a log recorded compiled replays interpreted, and one recorded interpreted replays compiled', async () => {
  const [c, d] = await replayCrosswise(IRQ, '', 0);
  assert.equal(c.status, 0, c.stderr);
  assert.equal(d.status, 0, d.stderr);
  assert.equal(c.stdout, EXPECTED);
  assert.equal(d.stdout, EXPECTED);
});

test('state digests name the same written pages compiled and interpreted (pages only compiled code writes)', async () => {
  // The paging guest's walk writes its 4 MiB of data from a hot loop, compiled after its first
  // few thousand instructions: each digest lists the pages written since the one before, and a
  // page missing on one side is a divergence (exit 122) when the other side replays the log.
  const [c, d] = await replayCrosswise(PAGING, 'paging-', 124, ['--max-insns', '30000000', '--digest-interval', '5000000']);
  assert.equal(c.status, 124, c.stderr);
  assert.equal(d.status, 124, d.stderr);
  assert.match(c.stderr, /budget ended it at icount 30000000/);
  assert.match(d.stderr, /budget ended it at icount 30000000/);
});
