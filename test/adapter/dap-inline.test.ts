// Stepping with inlined calls at -O2 (the dbg guest's always_inline `scaled` inside the recursive
// `walk`): out of an inlined frame, back over an inlined call and forward over it again, each
// staying in the frame the user is in (the same depth of walk), as gdb's finish / reverse-next /
// next do.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { runCli } from '../support/cli.js';
import { lineIn, stopAfter, withClient } from '../support/dap-client.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';

const tmp = tempDir('dap-inline');
after(() => tmp.cleanup());
const ELF = guestPath('dbg-O2');
const WALK_C = join(GUEST_DIR, 'dbg', 'walk.c');
const LOG = join(tmp.dir, 'dbg-O2.rr');

before(async () => {
  const r = await runCli(['record', ELF, '--rrfile', LOG]);
  assert.equal(r.status, 0, r.stderr);
});

const stack = async (dc: DebugClient): Promise<DebugProtocol.StackFrame[]> => (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames;

test('out of an inlined frame, back over the inlined call and forward over it again, in the same frame', async () => {
  await withClient(async (dc) => {
    // At -O2 scaled's first line is its only code in an inlined frame (gdb shows the same).
    const first = lineIn(WALK_C, 'int product = v * k;');
    await dc.hitBreakpoint({ program: ELF, rr: 'replay', rrfile: LOG }, { path: WALK_C, line: first });
    const inScaled = await stack(dc);
    assert.deepEqual(inScaled.slice(0, 2).map((f) => [f.name, f.line]), [['scaled', first], ['walk', lineIn(WALK_C, 'BP:walk-return')]],
      'scaled is an inlined frame in walk');
    await dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [] });

    // Out of scaled: at the first instruction of walk past the inlined code (gdb's finish stops
    // there too, on line 18: -O2 interleaves scaled's lines with walk's), one frame less.
    const out = await stopAfter(dc, dc.stepOutRequest({ threadId: 1 }), 'step');
    const afterOut = await stack(dc);
    assert.equal(out.name, 'walk');
    assert.equal(out.line, lineIn(WALK_C, 'BP:scaled'));
    assert.equal(afterOut.length, inScaled.length - 1);
    assert.ok(Number(out.instructionPointerReference) > Number(inScaled[0].instructionPointerReference));

    // Back by line: over the inlined call (not into scaled) to the recursive call's line, in the
    // same invocation of walk.
    const back = await stopAfter(dc, dc.stepBackRequest({ threadId: 1 }), 'step');
    assert.equal(back.name, 'walk');
    assert.equal(back.line, lineIn(WALK_C, 'BP:walk-call'));
    assert.equal((await stack(dc)).length, afterOut.length, 'the same invocation of walk');

    // Forward by line from there: over the inlined call again, never stopping inside scaled.
    for (let i = 0; i < 3; i++) {
      const next = await stopAfter(dc, dc.nextRequest({ threadId: 1 }), 'step');
      assert.notEqual(next.name, 'scaled', `next ${i + 1} stopped inside the inlined call at line ${next.line}`);
      if (next.name !== 'walk') break; // returned to the caller
    }
  });
});
