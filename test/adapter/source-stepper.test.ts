// The source stepper's two ways back over an inlined call, on the dbg guest at -O2 (the
// always_inline `scaled` inside the recursive `walk`): an instruction at a time when the frame's
// own code is a few instructions back (what stepping back usually meets), and one reverse scan
// with temporary breakpoints on the frame's code when it is further (a long inlined loop). Both
// must land on the same instruction, in the same invocation of walk; the DAP test
// (dap-inline.test.ts) goes through the first, so this one also forces the second.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openEngine } from '../../src/adapter/session-launcher.js';
import { SourceStepper } from '../../src/adapter/source-stepper.js';
import { DebugInfo } from '../../src/debuginfo/debug-info.js';
import { runCli } from '../support/cli.js';
import { lineIn } from '../support/dap-client.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';

const tmp = tempDir('source-stepper');
after(() => tmp.cleanup());
const ELF = guestPath('dbg-O2');
const WALK_C = join(GUEST_DIR, 'dbg', 'walk.c');
const LOG = join(tmp.dir, 'dbg-O2.rr');

before(async () => {
  const r = await runCli(['record', ELF, '--rrfile', LOG]);
  assert.equal(r.status, 0, r.stderr);
});

/** Out of the inlined scaled at its first hit, then back by line: where the step back ends. */
async function backOverInlined(quickReverseSteps: number): Promise<{ icount: number; pc: number; line: number | undefined; sp: number }> {
  const opened = await openEngine({ program: ELF, rr: 'replay', rrfile: LOG }, () => {});
  try {
    const engine = opened.engine;
    const info = DebugInfo.fromElf(readFileSync(ELF), { base: dirname(ELF) });
    const stepper = new SourceStepper(engine, info, () => true, quickReverseSteps);
    const at = info.lineBreakpoint(WALK_C, lineIn(WALK_C, 'int product = v * k;'));
    assert.ok(at.length > 0, 'scaled\'s first line has code');
    for (const b of at) engine.addBreakpoint(b.address);
    assert.equal((await engine.continue()).reason.kind, 'breakpoint');
    for (const b of at) engine.removeBreakpoint(b.address);
    const out = await stepper.out();
    assert.equal(info.lineAt(out.pc)?.line, lineIn(WALK_C, 'BP:scaled'));
    const sp = engine.machine.cpu.x[2];
    const back = await stepper.back();
    assert.equal(back.reason.kind, 'done');
    return { icount: back.icount, pc: back.pc, line: info.lineAt(back.pc)?.line, sp: engine.machine.cpu.x[2] === sp ? sp : -1 };
  } finally {
    await opened.close();
  }
}

test('back over an inlined call: an instruction at a time and by one scan land on the same instruction of the same frame', async () => {
  const quick = await backOverInlined(64);
  const scanned = await backOverInlined(0);
  assert.deepEqual(scanned, quick);
  assert.equal(quick.line, lineIn(WALK_C, 'BP:walk-call'));
  assert.notEqual(quick.sp, -1, 'the same invocation of walk (its sp)');
});
