// `rvreplay run` through the door users come in by: the built CLI in a child process, with
// purpose-made guests for each outcome (exit codes, stdin to the UART, a guest that can never
// wake, an exhausted budget) and each kind of unusable input.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAsmGuest, runCli } from '../support/cli.js';
import { ECHO_IRQ, FINISHER, READ_TIME } from '../support/guests.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('cli');
after(() => tmp.cleanup());


/** Waits in WFI with every interrupt disabled: nothing can ever wake it. */
const STUCK = `
  .globl _start
_start:
  csrw mie, zero
  wfi
  j _start
`;

const SPIN = `
  .globl _start
_start:
  j _start
`;

const FAIL_42 = `
  .globl _start
_start:
  li t0, ${FINISHER}
  li t1, (42 << 16) | 0x3333
  sw t1, 0(t0)
  j _start
`;

test('the guest exit code becomes the exit status', async () => {
  const elf = buildAsmGuest(tmp.dir, 'fail42', FAIL_42);
  const r = await runCli(['run', elf]);
  assert.equal(r.status, 42, r.stderr);
  assert.equal(r.stderr, '');
});

test('stdin reaches the UART, also when input arrives after the guest went idle', async () => {
  const elf = buildAsmGuest(tmp.dir, 'echo', ECHO_IRQ);
  const r = await runCli(['run', elf], {
    chunks: [{ delayMs: 0, text: 'ab' }, { delayMs: 400, text: 'cd' }, { delayMs: 200, text: 'q' }],
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'abcd');
});

test('a guest waiting for input that has ended stops with status 125 and says why', async () => {
  const elf = buildAsmGuest(tmp.dir, 'echo-eof', ECHO_IRQ);
  const r = await runCli(['run', elf], { chunks: [{ delayMs: 0, text: 'xy' }] });
  assert.equal(r.status, 125);
  assert.equal(r.stdout, 'xy');
  assert.match(r.stderr, /waits for an interrupt that can never come.*no more input/);
});

test('a guest in WFI with every interrupt disabled stops with status 125', async () => {
  const elf = buildAsmGuest(tmp.dir, 'stuck', STUCK);
  const r = await runCli(['run', elf]);
  assert.equal(r.status, 125);
  assert.match(r.stderr, /^rvreplay: the guest waits for an interrupt that can never come \(WFI at pc 0x80000004/);
});

test('an exhausted instruction budget stops with status 124 and says where', async () => {
  const elf = buildAsmGuest(tmp.dir, 'spin', SPIN);
  const r = await runCli(['run', elf, '--max-insns', '1000', '--stats']);
  assert.equal(r.status, 124);
  assert.match(r.stderr, /instruction budget of 1000 exhausted at pc 0x80000000/);
  assert.match(r.stderr, /rvreplay: icount=1000 wall_ms=[\d.]+ mips=[\d.]+ rss_mib=[\d.]+/);
});

test('a missing file, a non-ELF and an x86 ELF are refused in one line with status 2', async () => {
  const notElf = join(tmp.dir, 'notes.txt');
  writeFileSync(notElf, 'hello\n');
  for (const [path, message] of [
    [join(tmp.dir, 'missing.elf'), /cannot read .*missing\.elf: no such file/],
    [notElf, /notes\.txt: .*not an ELF file/],
    ['/usr/bin/true', /not a RISC-V ELF file: it is for x86-64/],
  ] as const) {
    const r = await runCli(['run', path]);
    assert.equal(r.status, 2, path);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line for ${path}: ${r.stderr}`);
  }
});

test('an RV64 executable is refused with a message naming the class', async () => {
  const elf = buildAsmGuest(tmp.dir, 'rv64', SPIN, 0x8000_0000, ['-march=rv64imac_zicsr', '-mabi=lp64', '-nostdlib']);
  const r = await runCli(['run', elf]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ELF64 \(RV64\) executable; rvreplay runs RV32 guests/);
});

test('segments outside RAM are refused with the range', async () => {
  const elf = buildAsmGuest(tmp.dir, 'lowaddr', SPIN, 0x4000_0000);
  const r = await runCli(['run', elf]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /lowaddr\.elf: segment \[0x40000000, 0x40000002\) is outside RAM \[0x80000000, 0x88000000\)/);
  const small = buildAsmGuest(tmp.dir, 'highaddr', SPIN, 0x8100_0000);
  const r2 = await runCli(['run', small, '--ram', '16']);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /outside RAM \[0x80000000, 0x81000000\)/);
});

test('bad options are refused with status 2', async () => {
  for (const args of [['run'], ['run', 'a', 'b'], ['run', 'x.elf', '--ram', '0'], ['run', 'x.elf', '--bogus'], ['frobnicate']]) {
    const r = await runCli(args);
    assert.equal(r.status, 2, args.join(' '));
    assert.match(r.stderr, /^rvreplay: /);
  }
});

test('--help documents every option', async () => {
  const r = await runCli(['run', '--help']);
  assert.equal(r.status, 0);
  for (const opt of ['--ram MiB', '--icount-shift N', '--max-insns N', '--trace', '--stats', '--help']) {
    assert.ok(r.stdout.includes(opt), `--help mentions ${opt}`);
  }
  const top = await runCli(['--help']);
  assert.equal(top.status, 0);
  assert.match(top.stdout, /^usage: rvreplay <command>/);
});

test('--trace prints one line per step with icount, privilege, pc and disassembly', async () => {
  const elf = buildAsmGuest(tmp.dir, 'trace', FAIL_42);
  const r = await runCli(['run', elf, '--trace']);
  assert.equal(r.status, 42);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines[0], '0 M 80000000 001002b7 lui t0,0x100');
  assert.match(lines[lines.length - 1], /^\d+ M 8000000c [0-9a-f]+ sw t1,0\(t0\)$/);
});

test('--icount-shift scales virtual time: 2^N ns per instruction, mtime at 10 MHz', async () => {
  const elf = buildAsmGuest(tmp.dir, 'time', READ_TIME);
  const base = await runCli(['run', elf]);
  const shifted = await runCli(['run', elf, '--icount-shift', '3']);
  assert.equal(base.status, 0, base.stderr);
  assert.equal(shifted.status, 0, shifted.stderr);
  const t0 = parseInt(base.stdout, 16);
  const t3 = parseInt(shifted.stdout, 16);
  // About 100,000 instructions at 1 ns each is about 1,000 ticks of 100 ns.
  assert.ok(t0 >= 1000 && t0 < 1010, `time at shift 0: ${t0}`);
  assert.ok(t3 >= 8 * t0 && t3 < 8 * (t0 + 1), `time at shift 3 (${t3}) is 8 times ${t0}`);
});
