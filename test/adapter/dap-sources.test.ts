// Source paths in the debugger: a firmware built with its paths relative (the example's
// -ffile-prefix-map=DIR=.) is found beside its ELF, and one built elsewhere is found through
// the launch's sourceMap: breakpoints set on the files here bind, and frames point at them.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runCli } from '../support/cli.js';
import { lineIn, withClient } from '../support/dap-client.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';

const tmp = tempDir('dap-sources');
after(() => tmp.cleanup());

test('relative paths in the debug information are under the ELF\'s folder: the example\'s breakpoints bind and its frames open', async () => {
  const dir = join(tmp.dir, 'hello');
  mkdirSync(dir);
  for (const f of ['hello.elf', 'hello.c', 'board.c', 'board.h']) copyFileSync(resolve('examples/hello', f), join(dir, f));
  const program = join(dir, 'hello.elf');
  const rrfile = join(dir, 'hello.rr');
  assert.equal((await runCli(['record', program, '--rrfile', rrfile])).status, 0);
  const helloC = join(dir, 'hello.c');
  const line = lineIn(helloC, 'printf("waited %u timer ticks');
  await withClient(async (dc) => {
    await dc.hitBreakpoint({ program, rr: 'replay', rrfile }, { path: helloC, line });
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.name, 'cmd_ticks');
    assert.equal(top.source?.path, helloC);
    assert.equal(top.line, line);
  });
});

test('sourceMap: sources moved from the build tree are found where the map says, for breakpoints and frames', async () => {
  const moved = join(tmp.dir, 'moved');
  mkdirSync(moved);
  copyFileSync(join(GUEST_DIR, 'dbg', 'dbg.c'), join(moved, 'dbg.c'));
  const program = guestPath('dbg-O0');
  const rrfile = join(tmp.dir, 'dbg.rr');
  assert.equal((await runCli(['record', program, '--rrfile', rrfile])).status, 0);
  const dbgC = join(moved, 'dbg.c');
  const line = lineIn(dbgC, 'total += use_locals(5);');
  await withClient(async (dc) => {
    // The map of a parent folder and of the folder itself: the longer prefix wins.
    const sourceMap = { [GUEST_DIR]: join(tmp.dir, 'elsewhere'), [join(GUEST_DIR, 'dbg')]: moved };
    await dc.hitBreakpoint({ program, rr: 'replay', rrfile, sourceMap }, { path: dbgC, line });
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.source?.path, dbgC);
    assert.equal(top.line, line);
  });
});
