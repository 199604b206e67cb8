// `rvreplay run --cross-check`: the guest interpreted and compiled side by side. It ends as `run`
// would end the guest, says over how many instructions the two agreed, refuses what would give
// the two machines different input, and reports a difference with its icount and instruction
// (the search itself is emu/lockstep.ts's, tested in test/emu/lockstep.test.ts).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { crossCheckOutcome } from '../../src/cli/cross-check.js';
import { runCli } from '../support/cli.js';

const EXAMPLE = join(__dirname, '..', '..', 'examples', 'hello', 'hello.elf');
const GUEST_BUILD = join(__dirname, '..', 'guests', 'build');

/** The instruction count `run --stats` reports for the guest. */
async function icountOf(elf: string): Promise<number> {
  const r = await runCli(['run', elf, '--stats']);
  return Number(/icount=(\d+)/.exec(r.stderr)![1]);
}

test('the engines agree on a guest, and the cross-check ends as run does', async () => {
  const hello = await runCli(['run', EXAMPLE, '--cross-check']);
  assert.equal(hello.status, 0, hello.stderr);
  const count = (await icountOf(EXAMPLE)).toLocaleString('en-US');
  assert.match(hello.stderr, new RegExp(`^rvreplay: cross-check: compiled code and the interpreter agree over ${count} instructions; the guest passed\\n$`));
  assert.equal(hello.stdout, '', 'the output is not shown');

  const failing = await runCli(['run', join(GUEST_BUILD, 'isa-htif-fail.elf'), '--cross-check']);
  assert.equal(failing.status, 7, failing.stderr);
  assert.match(failing.stderr, /the guest failed with code 7/);

  const timer = await runCli(['run', join(GUEST_BUILD, 'c-timer.elf'), '--cross-check']);
  assert.equal(timer.status, 0, timer.stderr);
  assert.match(timer.stderr, /agree over [\d,]+ instructions; the guest passed/);

  // Empty virtio slots of version 2 need nothing of the host: both machines get them.
  const modern = await runCli(['run', EXAMPLE, '--cross-check', '--virtio-modern']);
  assert.equal(modern.status, 0, modern.stderr);
  assert.match(modern.stderr, /agree over [\d,]+ instructions; the guest passed/);

  const cut = await runCli(['run', EXAMPLE, '--cross-check', '--max-insns', '5000']);
  assert.equal(cut.status, 124, cut.stderr);
  assert.match(cut.stderr, /agree over 5,000 instructions: the budget of --max-insns 5000/);
});

test('a cross-check refuses what would need the host, in one line', async () => {
  const cases: [string[], RegExp][] = [
    [['--interpret'], /--cross-check does not go with --interpret/],
    [['--from-snapshot', join(GUEST_BUILD, 'none.snap')], /--cross-check does not go with --from-snapshot/],
    [['--drive', EXAMPLE], /--cross-check runs guests without virtio devices/],
    [['--serial', `file:${EXAMPLE}`], /--serial file:.* is refused/],
  ];
  for (const [args, message] of cases) {
    const r = await runCli(['run', EXAMPLE, '--cross-check', ...args]);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
});

test('a difference ends the cross-check with status 122, naming where and what', () => {
  const difference = { icount: 1234, pc: 0x80000120, what: 'x10 0x00000005 (reference) vs 0x00000009 (compiled), after 0x80000120: add a0,a5,a2' };
  assert.deepEqual(crossCheckOutcome({ icount: 1234, difference }, Infinity), [122,
    'cross-check: compiled code and the interpreter differ from icount 1234 on: x10 0x00000005 (reference) vs 0x00000009 (compiled), after 0x80000120: add a0,a5,a2']);
  assert.deepEqual(crossCheckOutcome({ icount: 99, exit: { kind: 'reset' } }, Infinity)[0], 130);
  assert.match(crossCheckOutcome({ icount: 99 }, Infinity)[1], /waited for an interrupt that cannot come/);
});
