// "rr": "none": the debugger on a run with no log. Forward motions and breakpoints work, writes
// are always allowed and change what the guest prints, snapshots roll the machine back; going
// back in time and the timeline are refused with the reason, and VS Code is told to hide the
// reverse buttons. No log file is written.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { runCli } from '../support/cli.js';
import { lineIn, stopAfter, withClient } from '../support/dap-client.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';
import { join } from 'node:path';

const tmp = tempDir('dap-live');
after(() => tmp.cleanup());
const ELF = guestPath('dbg-O0');
const DBG_C = join(GUEST_DIR, 'dbg', 'dbg.c');

test('a run with no log: breakpoints, steps, writes that take effect, snapshots; no going back, no timeline', async () => {
  const expected = (await runCli(['run', ELF])).stdout;
  let output = '';
  await withClient(async (dc) => {
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stdout') output += e.body.output;
    });
    const capabilities = dc.waitForEvent('capabilities');
    const args = { program: ELF, rr: 'none', rrfile: join(tmp.dir, 'unused.rr') };
    await dc.hitBreakpoint(args, { path: DBG_C, line: lineIn(DBG_C, 'done_flag = true;') });
    assert.equal(((await capabilities) as DebugProtocol.CapabilitiesEvent).body.capabilities.supportsStepBack, false);
    const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id;
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    const replay = new Map((await dc.variablesRequest({ variablesReference: scopes.find((s) => s.name === 'Replay')!.variablesReference })).body.variables.map((v) => [v.name, v.value]));
    assert.equal(replay.get('mode'), 'live');

    const snapshot = await dc.customRequest('rvreplay/saveSnapshot', { name: 'here' });
    const here = (snapshot.body as { icount: number }).icount;
    // The step back is answered, then its refusal comes as the stop that ends it.
    const [, refused] = await Promise.all([dc.stepBackRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.match((refused as DebugProtocol.StoppedEvent).body.text ?? '', /keeps no history \("rr": "none"\)/);
    await assert.rejects(dc.customRequest('rvreplay/timelineInfo', {}), /records nothing \("rr": "none"\)/);
    await assert.rejects(dc.customRequest('rvreplay/seek', { icount: 0 }), /in the past/);

    // Forward a line, then the snapshot takes the machine back there.
    await stopAfter(dc, dc.nextRequest({ threadId: 1 }), 'step');
    await stopAfter(dc, dc.customRequest('rvreplay/loadSnapshot', { name: 'here' }), 'goto');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.line, lineIn(DBG_C, 'done_flag = true;'));
    const position = await Promise.all([dc.customRequest('rvreplay/seek', { icount: here + 1 }), dc.waitForEvent('rvreplay/position')]);
    assert.equal((position[1].body as { icount: number }).icount, here + 1);

    // A write anywhere: nothing has to follow a log.
    const globals = (await dc.scopesRequest({ frameId: (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id })).body.scopes[1];
    assert.equal((await dc.setVariableRequest({ variablesReference: globals.variablesReference, name: 'counter', value: '1000' })).body.value, '1000');
    await dc.setBreakpointsRequest({ source: { path: DBG_C }, breakpoints: [] });
    const end = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.match((end[1] as DebugProtocol.StoppedEvent).body.description ?? '', /exited with code 0/);
  });
  assert.equal(output, expected.replace(/dbg checksum (\d+) (\d+)/, 'dbg checksum $1 1000'));
  assert.equal(existsSync(join(tmp.dir, 'unused.rr')), false, 'no log is written');
});
