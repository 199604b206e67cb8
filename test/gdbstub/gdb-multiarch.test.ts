// The gdb stub under the real gdb-multiarch (Debian's gdb 13), on the debug-information guest
// over the forward test engine: gdb reads the target description and the registers, breaks at
// main, steps forward and back, examines memory, runs the monitor commands, stops at a
// watchpoint where QEMU's stub would have it stop, reaches the end of the guest's history, and
// ends the session by kill or by detaching when it exits. What gdb shows is held to the engine's
// machine, or to a second machine run to the same icount.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSR_MSTATUS } from '../../src/emu/cpu/csr.js';
import { readCsrAsDebugger } from '../../src/emu/cpu/csr-inspect.js';
import { X_REGISTER_NAMES } from '../../src/gdbstub/gdb-registers.js';
import { startGdbServer } from '../../src/gdbstub/gdb-server.js';
import { ForwardEngine } from '../support/forward-engine.js';
import { errText, okText, printed, runGdb, shown, type GdbAnswer } from '../support/gdb-driver.js';
import { within } from '../support/rsp-client.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';

const tmp = tempDir('gdb-multiarch');
after(() => tmp.cleanup());

const ELF = guestPath('dbg-O0');
/** The line of dbg.c that runs right after `counter += total;` stores to counter. */
const AFTER_COUNTER_STORE = readFileSync(join(GUEST_DIR, 'dbg', 'dbg.c'), 'utf8').split('\n').findIndex((l) => l.includes('done_flag = true;')) + 1;

/** The engine, a server on it, and gdb running `commands`; the server is closed however it goes. */
async function session(commands: string[], options: { stepBack?: boolean } = {}): Promise<{ answers: GdbAnswer[]; stderr: string; engine: ForwardEngine; how: string }> {
  const engine = new ForwardEngine(ELF, { stepBack: options.stepBack ?? true });
  const logs: string[] = [];
  const server = await startGdbServer(engine, { port: 0, log: (l) => logs.push(l) });
  try {
    const run = await runGdb({ dir: tmp.dir, elf: ELF, port: server.port, commands });
    const { how } = await within(server.closed, `the session to end (server log:\n${logs.join('\n')})`);
    assert.ok(!logs.some((l) => /internal error/.test(l)), logs.join('\n'));
    return { answers: run.answers, stderr: run.stderr, engine, how };
  } finally {
    await server.close();
  }
}

/** `info registers` lines → name → value. */
function registers(text: string): Map<string, number> {
  return new Map([...text.matchAll(/^(\w+)\s+0x([0-9a-f]+)/gm)].map((m) => [m[1], parseInt(m[2], 16)]));
}

function pcOf(a: GdbAnswer, what: string): number {
  const m = /0x([0-9a-f]+)/.exec(printed(a, what));
  assert.ok(m, `${what}: ${printed(a, what)}`);
  return parseInt(m[1], 16);
}

function icountOf(a: GdbAnswer, what: string): number {
  const m = /^icount: (\d+)$/m.exec(okText(a, what));
  assert.ok(m, `${what}: ${okText(a, what)}`);
  return Number(m[1]);
}

/** A second machine on the guest, run `n` steps: the state gdb must have shown at icount n. */
function at(n: number): ForwardEngine {
  const ref = new ForwardEngine(ELF);
  for (let i = 0; i < n; i++) ref.machine.run(ref.machine.icount + 1);
  return ref;
}

function assertRegisters(shownText: string, ref: ForwardEngine, where: string): void {
  const regs = registers(shownText);
  X_REGISTER_NAMES.slice(1).forEach((name, i) => assert.equal(regs.get(name), ref.machine.cpu.x[i + 1] >>> 0, `${name} ${where}`));
  assert.equal(regs.get('pc'), ref.machine.cpu.pc, `pc ${where}`);
}

test('gdb connects, shows the registers, breaks at main, steps forward and back, and examines memory', async () => {
  const cmds = [
    'reverse-stepi', // 1: at the start of history
    'info registers', // 2
    'p/x $mstatus', // 3
    'p/x $misa', // 4
    'p $priv', // 5
    'break main', // 6
    'continue', // 7
    'p $pc', // 8
    'monitor info replay', // 9
    'info registers', // 10
    'stepi', // 11
    'p $pc', // 12
    'monitor info replay', // 13
    'x/4xw $pc', // 14
    'reverse-stepi', // 15
    'p $pc', // 16
    'monitor info replay', // 17
    'kill', // 18
  ];
  const { answers: a, engine, how } = await session(cmds);
  okText(a[0], 'target remote');
  assert.match(shown(a[1], 'reverse-stepi at the start'), /No more reverse-execution history\./);
  assertRegisters(okText(a[2], 'info registers'), at(0), 'at the start');
  assert.equal(printed(a[3], 'p/x $mstatus'), `0x${readCsrAsDebugger(at(0).machine, CSR_MSTATUS)!.toString(16)}`);
  assert.equal(printed(a[4], 'p/x $misa'), '0x40141105', 'RV32 ACIMSU');
  assert.equal(printed(a[5], 'p $priv'), '3', 'machine mode');

  const bp = /Breakpoint 1 at 0x([0-9a-f]+): file dbg\/dbg\.c/.exec(okText(a[6], 'break main'));
  assert.ok(bp);
  assert.match(shown(a[7], 'continue'), /Breakpoint 1, main \(\) at dbg\/dbg\.c:\d+/);
  assert.equal(pcOf(a[8], 'p $pc at main'), parseInt(bp[1], 16));
  const atMain = icountOf(a[9], 'info replay at main');
  assertRegisters(okText(a[10], 'info registers at main'), at(atMain), `at main (icount ${atMain})`);

  okText(a[11], 'stepi');
  const stepped = at(atMain + 1);
  assert.equal(pcOf(a[12], 'p $pc after stepi'), stepped.machine.cpu.pc);
  assert.equal(icountOf(a[13], 'info replay after stepi'), atMain + 1, 'stepi is one instruction');
  const words = [...okText(a[14], 'x/4xw').matchAll(/0x([0-9a-f]{8})(?!:)/g)].map((m) => parseInt(m[1], 16));
  const mem = engine.readMemory(stepped.machine.cpu.pc, 16);
  const view = new DataView(mem.buffer, mem.byteOffset);
  assert.deepEqual(words.slice(1), [0, 4, 8, 12].map((o) => view.getUint32(o, true)), 'x/4xw shows the words at pc');

  okText(a[15], 'reverse-stepi');
  assert.equal(pcOf(a[16], 'p $pc after reverse-stepi'), parseInt(bp[1], 16), 'back at main');
  assert.equal(icountOf(a[17], 'info replay after reverse-stepi'), atMain);
  assert.match(okText(a[18], 'kill'), /killed/);
  assert.equal(how, 'kill');
  // gdb steps a RISC-V target forward by software single-step (a breakpoint on the next
  // instruction, then a continue) and backward with bs.
  assert.deepEqual(engine.motions, ['reverseStepi', 'continue', 'continue', 'reverseStepi']);
});

test('a watchpoint stops where it stops under QEMU: gdb steps over the store and shows the old and new values', async () => {
  const { answers: a, how } = await session([
    'break main', // 1
    'continue', // 2
    'watch counter', // 3
    'continue', // 4
    'info line *$pc', // 5
    'p $pc', // 6
    'delete', // 7
    'continue', // 8
  ]);
  assert.match(okText(a[3], 'watch counter'), /Hardware watchpoint 2: counter/);
  const hit = shown(a[4], 'continue to the watchpoint');
  assert.match(hit, /Old value = 7\nNew value = 697\n/);
  // At the first instruction after the store, so gdb prints no address before the frame.
  assert.match(hit, new RegExp(`\\nmain \\(\\) at dbg/dbg\\.c:${AFTER_COUNTER_STORE}\\n`));
  const line = new RegExp(`^Line ${AFTER_COUNTER_STORE} of "dbg/dbg\\.c" starts at address 0x([0-9a-f]+)`).exec(okText(a[5], 'info line'));
  assert.ok(line, okText(a[5], 'info line'));
  assert.equal(pcOf(a[6], 'p $pc at the watchpoint'), parseInt(line[1], 16), 'stopped at the start of the next line, as under QEMU');
  // The console line goes to gdb's target output (captured with the command's), then the stop.
  const end = shown(a[8], 'continue to the end');
  assert.match(end, /No more reverse-execution history\./);
  assert.match(end, /rvreplay: the guest finished with exit code 0 at icount \d+: its history ends here/);
  assert.equal(how, 'detach', 'gdb detaches when it exits (qAttached says attached)');
});

test('monitor commands under gdb: output, errors, and a seek that gdb sees only after flushing its register cache', async () => {
  const { answers: a, stderr, engine, how } = await session([
    'break main', // 1
    'continue', // 2
    'p $pc', // 3
    'monitor snapshot save at-main', // 4
    'monitor replay_seek 1_0', // 5
    'p $pc', // 6
    'maintenance flush register-cache', // 7
    'p $pc', // 8
    'monitor info snapshots', // 9
    'py:gdb.execute("monitor frobnicate")', // 10
    'monitor loadvm at-main', // 11
    'maintenance flush register-cache', // 12
    'p $pc', // 13
    'monitor help', // 14
  ]);
  const main = pcOf(a[3], 'p $pc at main');
  assert.match(okText(a[4], 'snapshot save'), /snapshot "at-main" saved at icount \d+/);
  assert.match(okText(a[5], 'replay_seek'), /^now at icount 10, pc 0x[0-9a-f]{8}\ngdb reads registers and memory again only after a stop: unless gdb\/rvreplay\.gdb is sourced/);
  // gdb does not re-read registers after a monitor command: what the note in the output is for.
  assert.equal(pcOf(a[6], 'p $pc before the flush'), main, 'gdb 13 keeps its register cache across monitor commands');
  okText(a[7], 'maintenance flush register-cache');
  assert.equal(pcOf(a[8], 'p $pc after the flush'), at(10).machine.cpu.pc);
  assert.match(okText(a[9], 'info snapshots'), /^at-main\ticount \d+\n$/);
  assert.match(errText(a[10], 'monitor frobnicate'), /Protocol error with Rcmd/);
  assert.match(stderr, /unknown monitor command "frobnicate"; the commands are:\n {2}help/);
  assert.match(okText(a[11], 'loadvm'), /now at icount \d+/);
  assert.equal(pcOf(a[13], 'p $pc after loadvm'), main);
  assert.match(okText(a[14], 'monitor help'), /replay_seek ICOUNT/);
  assert.equal(engine.machine.cpu.pc, main);
  assert.equal(how, 'detach');
});
