// The gdb stub over a real TCP socket, packet by packet, against the forward test engine on
// real guests: the features it offers, the target description, registers and memory after
// steps (held to a second machine stepped alike), breakpoints, Ctrl-C during a long continue,
// malformed and oversize packets, monitor commands, every stop reason, refused writes inside
// history, one client at a time, and the ways a session ends (D, k, vKill, a dropped socket).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { Elf } from '../../src/emu/elf.js';
import { csrRead, type CsrHart } from '../../src/emu/cpu/rv32-csrs.js';
import { CSR_MISA, CSR_MSTATUS } from '../../src/emu/cpu/csr.js';
import type { EngineStop, StopReason } from '../../src/engine/debug-engine.js';
import { startGdbServer, type GdbServer } from '../../src/gdbstub/gdb-server.js';
import { CSR_REGNUM_BASE, PRIV_REGNUM } from '../../src/gdbstub/gdb-registers.js';
import { le32Hex, textToHex, toHex } from '../../src/gdbstub/rsp-hex.js';
import { framePacket, latin1Bytes } from '../../src/gdbstub/rsp-packet.js';
import { TARGET_XML } from '../../src/gdbstub/target-xml.js';
import { buildAsmGuest } from '../support/cli.js';
import { ForwardEngine, type ForwardEngineOptions } from '../support/forward-engine.js';
import { FINISHER } from '../support/guests.js';
import { RspClient, within } from '../support/rsp-client.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('gdb-session');
after(() => tmp.cleanup());

/** Known registers, a data word, then a loop that stores a counter into it forever. */
const LOOP = `
  .globl _start
_start:
  li a0, 0x11
  li a1, 0x22
  add a2, a0, a1
  la t0, value
  lw a3, 0(t0)
  li t1, 0
  .globl loop
loop:
  addi t1, t1, 1
  sw t1, 0(t0)
  .globl after_store
after_store:
  j loop
  .data
  .balign 4
  .globl value
value:
  .word 0x12345678
  .globl spare
spare:
  .word 0
`;

/** Finishes at once with exit code 3 (the finisher's fail code). */
const FAIL3 = `
  .globl _start
_start:
  li t0, ${FINISHER}
  li t1, (3 << 16) | 0x3333
  sw t1, 0(t0)
  j .
`;

const loopElf = buildAsmGuest(tmp.dir, 'loop', LOOP);
const failElf = buildAsmGuest(tmp.dir, 'fail3', FAIL3);
const loopSyms = Elf.parse(readFileSync(loopElf));
const sym = (name: string): number => loopSyms.symbol(name)!.value;

interface Stub {
  engine: ForwardEngine;
  server: GdbServer;
  gdb: RspClient;
  logs: string[];
}

/** A server over a fresh engine and one connected client; everything is closed afterwards. */
async function withStub(elf: string, options: ForwardEngineOptions, body: (s: Stub) => Promise<void>, engine?: ForwardEngine): Promise<void> {
  const logs: string[] = [];
  const e = engine ?? new ForwardEngine(elf, options);
  const server = await startGdbServer(e, { port: 0, log: (l) => logs.push(l) });
  let gdb: RspClient | undefined;
  try {
    gdb = await RspClient.connect(server.port);
    await within(server.waitForClient(), 'the server to take the client');
    await body({ engine: e, server, gdb, logs });
  } finally {
    gdb?.destroy();
    await within(server.close(), 'the server to close');
  }
}

async function ok(gdb: RspClient, packet: string): Promise<string> {
  const a = await gdb.request(packet);
  assert.equal(a.reply, 'OK', `${packet} → ${a.reply}`);
  return a.console;
}

/** What gdb would send first: its features, so swbreak/hwbreak are on. */
const GDB_QSUPPORTED = 'qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vContSupported+;no-resumed+;xmlRegisters=i386';

function regsOf(g: string): number[] {
  return Array.from({ length: g.length / 8 }, (_, i) => Number(`0x${g.slice(8 * i + 6, 8 * i + 8)}${g.slice(8 * i + 4, 8 * i + 6)}${g.slice(8 * i + 2, 8 * i + 4)}${g.slice(8 * i, 8 * i + 2)}`));
}

/** A second machine on the same guest, stepped `n` times: what the stub's answers must show. */
function reference(elf: string, n: number): ForwardEngine {
  const ref = new ForwardEngine(elf);
  for (let i = 0; i < n; i++) ref.machine.run(ref.machine.icount + 1);
  return ref;
}

test('qSupported offers the packet size, the target description, reverse execution, no-ack mode and the breakpoint stop reasons', async () => {
  await withStub(loopElf, {}, async ({ gdb }) => {
    const { reply } = await gdb.request(GDB_QSUPPORTED);
    const features = reply.split(';');
    for (const f of ['PacketSize=4000', 'qXfer:features:read+', 'ReverseStep+', 'ReverseContinue+', 'QStartNoAckMode+', 'swbreak+', 'hwbreak+']) {
      assert.ok(features.includes(f), `${f} in ${reply}`);
    }
    assert.equal((await gdb.request('vMustReplyEmpty')).reply, '');
    assert.equal((await gdb.request('vCont?')).reply, 'vCont;c;C;s;S');
    assert.equal((await gdb.request('qAttached:1')).reply, '1');
    assert.equal((await gdb.request('qC')).reply, 'QC1');
    assert.equal((await gdb.request('qfThreadInfo')).reply, 'm1');
    assert.equal((await gdb.request('qsThreadInfo')).reply, 'l');
    assert.equal((await gdb.request('Hg0')).reply, 'OK');
    assert.equal((await gdb.request('Hc-1')).reply, 'OK');
    assert.equal((await gdb.request('T1')).reply, 'OK');
    assert.match((await gdb.request('T5')).reply, /^E/);
    assert.equal((await gdb.request('qSymbol::')).reply, 'OK');
    assert.equal((await gdb.request('?')).reply, 'T05thread:1;');
  });
});

test('target.xml is served in pieces that add up to the whole, with gdb\'s register names and the CSRs', async () => {
  await withStub(loopElf, {}, async ({ gdb }) => {
    let doc = '';
    for (let offset = 0; ; offset = doc.length) {
      const { reply } = await gdb.request(`qXfer:features:read:target.xml:${offset.toString(16)},100`);
      assert.match(reply, /^[ml]/);
      doc += reply.slice(1);
      if (reply[0] === 'l') break;
    }
    assert.equal(doc, TARGET_XML);
    assert.match(doc, /<architecture>riscv:rv32<\/architecture>/);
    const cpu = doc.slice(doc.indexOf('org.gnu.gdb.riscv.cpu'), doc.indexOf('</feature>'));
    const names = [...cpu.matchAll(/<reg name="([^"]+)"[^>]*regnum="(\d+)"/g)].map((m) => `${m[1]}=${m[2]}`);
    assert.equal(names.join(' '), 'zero=0 ra=1 sp=2 gp=3 tp=4 t0=5 t1=6 t2=7 fp=8 s1=9 a0=10 a1=11 a2=12 a3=13 a4=14 a5=15 ' +
      'a6=16 a7=17 s2=18 s3=19 s4=20 s5=21 s6=22 s7=23 s8=24 s9=25 s10=26 s11=27 t3=28 t4=29 t5=30 t6=31 pc=32');
    assert.match(doc, /<feature name="org.gnu.gdb.riscv.csr">[^]*<reg name="mstatus" bitsize="32" regnum="833"\/>/);
    assert.match(doc, /<reg name="priv" bitsize="32" regnum="4161"\/>/);
    // Past the end: an empty last piece. Unknown annex or malformed: E00.
    assert.equal((await gdb.request(`qXfer:features:read:target.xml:${TARGET_XML.length.toString(16)},100`)).reply, 'l');
    assert.equal((await gdb.request('qXfer:features:read:nosuch.xml:0,100')).reply, 'E00');
    assert.equal((await gdb.request('qXfer:features:read:target.xml:zz,100')).reply, 'E00');
  });
});

test('g and p show the registers after each step, as a second machine stepped alike has them; CSRs read as M would', async () => {
  await withStub(loopElf, {}, async ({ gdb, engine }) => {
    for (let n = 0; n <= 8; n++) {
      if (n > 0) assert.equal((await gdb.request(n % 2 === 0 ? 's' : 'vCont;s:1')).reply, 'T05thread:1;');
      const ref = reference(loopElf, n);
      const regs = regsOf((await gdb.request('g')).reply);
      assert.equal(regs.length, 33);
      assert.deepEqual(regs.slice(0, 32), Array.from(ref.machine.cpu.x, (v) => v >>> 0), `x registers after ${n} steps`);
      assert.equal(regs[32], ref.machine.cpu.pc, `pc after ${n} steps`);
      assert.equal((await gdb.request('p20')).reply, le32Hex(ref.machine.cpu.pc));
      assert.equal(engine.icount, n);
    }
    const cpu = engine.machine.cpu;
    assert.equal((await gdb.request('pc')).reply, le32Hex(cpu.x[12]), 'a2 = 0x33');
    assert.equal(cpu.x[12], 0x33);
    assert.equal((await gdb.request(`p${(CSR_REGNUM_BASE + CSR_MISA).toString(16)}`)).reply, le32Hex(csrRead(cpu as CsrHart, CSR_MISA)));
    assert.equal((await gdb.request(`p${(CSR_REGNUM_BASE + CSR_MSTATUS).toString(16)}`)).reply, le32Hex(csrRead(cpu as CsrHart, CSR_MSTATUS)));
    assert.equal((await gdb.request(`p${PRIV_REGNUM.toString(16)}`)).reply, le32Hex(3));
    assert.equal((await gdb.request('p2000')).reply, 'E01', 'no such register');
    assert.equal((await gdb.request('pzz')).reply, 'E01');
  });
});

test('m reads memory (partly when the end is unreadable, E14 when none is); M and X write it, escapes and all', async () => {
  await withStub(loopElf, {}, async ({ gdb, engine }) => {
    const file = readFileSync(loopElf);
    const text = Elf.parse(file).section('.text')!;
    const textBytes = file.subarray(text.offset, text.offset + 16);
    assert.equal((await gdb.request(`m${text.addr.toString(16)},10`)).reply, toHex(textBytes));
    assert.equal((await gdb.request(`m${sym('value').toString(16)},4`)).reply, le32Hex(0x12345678));
    const ramEnd = engine.machine.ram.base + engine.machine.ram.size;
    assert.equal((await gdb.request(`m${(ramEnd - 2).toString(16)},8`)).reply.length, 4, 'two bytes before the end of RAM');
    assert.equal((await gdb.request('m0,4')).reply, 'E14');
    assert.equal((await gdb.request('m10000000,1')).reply, 'E14', 'device registers are not read (side effects)');

    const spare = sym('spare');
    await ok(gdb, `M${spare.toString(16)},4:a1b2c3d4`);
    assert.equal((await gdb.request(`m${spare.toString(16)},4`)).reply, 'a1b2c3d4');
    const binary = Uint8Array.of(0x24, 0x23, 0x7d, 0x2a, 0x03, 0x00, 0xff, 0x20);
    const x = new Uint8Array([...latin1Bytes(`X${spare.toString(16)},8:`), ...binary]);
    await ok(gdb, x as unknown as string); // framePacket escapes $ # } * as gdb does
    assert.equal((await gdb.request(`m${spare.toString(16)},8`)).reply, toHex(binary));
    assert.equal((await gdb.request(`X${spare.toString(16)},0:`)).reply, 'OK', 'gdb probes X with an empty write');
    assert.equal((await gdb.request('m0,0')).reply, '');
  });
});

test('inside recorded history writes are refused: E02 for memory, E.text for registers (gdb 13 shows it), and info replay says why', async () => {
  await withStub(loopElf, { readOnly: true }, async ({ gdb }) => {
    assert.equal((await gdb.request(`M${sym('spare').toString(16)},4:01020304`)).reply, 'E02');
    assert.match((await gdb.request(`P5=${le32Hex(7)}`)).reply, /^E\.writes are refused inside recorded history/);
    const g = (await gdb.request('g')).reply;
    assert.equal((await gdb.request(`G${g}`)).reply, 'OK', 'a G that changes nothing is no write');
    const changed = g.slice(0, 8 * 5) + le32Hex(7) + g.slice(8 * 6);
    assert.match((await gdb.request(`G${changed}`)).reply, /^E\.writes are refused/);
    assert.match((await gdb.request(`P${(CSR_REGNUM_BASE + CSR_MSTATUS).toString(16)}=00000000`)).reply, /^E\.CSRs and the privilege level cannot be written/);
    const info = await gdb.request(`qRcmd,${textToHex('info replay')}`);
    assert.equal(info.reply, 'OK');
    assert.match(info.console, /position: inside recorded history \(register and memory writes are refused/);
    assert.match(info.console, /last refused write: writes are refused inside recorded history/);
  });
});

test('a register write at the live edge goes through P and shows in g', async () => {
  await withStub(loopElf, {}, async ({ gdb, engine }) => {
    await ok(gdb, `P5=${le32Hex(0xcafe)}`);
    assert.equal(engine.machine.cpu.x[5], 0xcafe);
    await ok(gdb, `P0=${le32Hex(5)}`);
    assert.equal(engine.machine.cpu.x[0], 0, 'x0 stays zero');
    await ok(gdb, `P20=${le32Hex(sym('loop'))}`);
    assert.equal(regsOf((await gdb.request('g')).reply)[32], sym('loop'));
  });
});

test('Z0 and Z1 become engine breakpoints (never writes to memory) and c stops at them with swbreak/hwbreak', async () => {
  await withStub(loopElf, {}, async ({ gdb, engine }) => {
    await gdb.request(GDB_QSUPPORTED);
    const loop = sym('loop');
    const before = (await gdb.request(`m${loop.toString(16)},4`)).reply;
    await ok(gdb, `Z0,${loop.toString(16)},2`);
    await ok(gdb, `Z0,${loop.toString(16)},2`); // twice is once
    assert.equal((await gdb.request(`m${loop.toString(16)},4`)).reply, before, 'no ebreak in memory');
    assert.deepEqual(engine.breakpointAddresses, [loop]);
    assert.equal((await gdb.request('c')).reply, 'T05thread:1;swbreak:;');
    assert.equal(engine.machine.cpu.pc, loop);
    assert.equal((await gdb.request('vCont;c')).reply, 'T05thread:1;swbreak:;', 'once round the loop');
    assert.equal(engine.machine.cpu.x[6], 1, 't1 counts the rounds');
    await ok(gdb, `z0,${loop.toString(16)},2`);
    assert.deepEqual(engine.breakpointAddresses, []);
    await ok(gdb, `Z1,${sym('after_store').toString(16)},2`);
    assert.equal((await gdb.request('c')).reply, 'T05thread:1;hwbreak:;');
    assert.equal(engine.machine.cpu.pc, sym('after_store'));
    // Both kinds at one address: removing one leaves the engine's breakpoint in place.
    await ok(gdb, `Z0,${sym('after_store').toString(16)},2`);
    await ok(gdb, `z1,${sym('after_store').toString(16)},2`);
    assert.deepEqual(engine.breakpointAddresses, [sym('after_store')]);
    assert.equal((await gdb.request('Z7,0,0')).reply, '', 'unknown breakpoint types are unsupported');
  });
});

test('without swbreak+ from gdb a breakpoint stop is a plain T05', async () => {
  await withStub(loopElf, {}, async ({ gdb }) => {
    await gdb.request('qSupported');
    await ok(gdb, `Z0,${sym('loop').toString(16)},2`);
    assert.equal((await gdb.request('c')).reply, 'T05thread:1;');
  });
});

test('Ctrl-C during a continue that would never end stops it with SIGINT, and it can go on again', async () => {
  await withStub(loopElf, { sliceSteps: 1000 }, async ({ gdb, engine }) => {
    for (let round = 1; round <= 2; round++) {
      await gdb.send(round === 1 ? 'c' : 'vCont;c:1');
      gdb.sendRaw('\x03');
      assert.equal((await gdb.answer()).reply, 'T02thread:1;');
      assert.equal(regsOf((await gdb.request('g')).reply)[32], engine.machine.cpu.pc);
    }
    assert.deepEqual(engine.motions, ['continue', 'continue']);
    // An interrupt while stopped is stale: ignored, and the next request is answered normally.
    gdb.sendRaw('\x03');
    assert.equal((await gdb.request('?')).reply, 'T02thread:1;');
  });
});

test('malformed input is answered without a crash: bad checksum, garbage, truncated hex, wrong lengths, oversize packets', async () => {
  await withStub(loopElf, {}, async ({ gdb, logs }) => {
    gdb.sendRaw('$g#00');
    assert.equal((await gdb.next()).kind, 'nack', 'a bad checksum is answered with -');
    assert.equal(regsOf((await gdb.request('g')).reply).length, 33, 'and the retransmission answered');
    gdb.sendRaw('garbage\r\n');
    assert.equal((await gdb.request('qNoSuchThing')).reply, '', 'unknown packets are unsupported');
    assert.equal((await gdb.request('m8000000')).reply, 'E01');
    assert.equal((await gdb.request('m80000000,')).reply, 'E01');
    assert.equal((await gdb.request('m1_0000_0000,4')).reply, 'E01');
    assert.equal((await gdb.request('M80000000,4:1234')).reply, 'E01', 'fewer bytes than the length');
    assert.equal((await gdb.request('M80000000,1:123')).reply, 'E01', 'odd hex');
    assert.equal((await gdb.request('P5=12')).reply, 'E.P needs N=VALUE in hex');
    assert.equal((await gdb.request('Z0,zz,2')).reply, 'E01');
    assert.equal((await gdb.request('Z2,80000000,0')).reply, 'E01', 'a watchpoint of no bytes');
    assert.equal((await gdb.request('X80000000,2:}')).reply, 'E01', 'a dangling escape');
    assert.equal((await gdb.request('cxyz')).reply, 'E.c takes an optional address in hex');
    assert.equal((await gdb.request('vCont;q')).reply, 'E.bad vCont action "q"');
    assert.equal((await gdb.request('qRcmd,zz')).reply, 'E01');
    // A huge length is answered with what fits in a packet.
    const big = (await gdb.request('m80000000,ffffffff')).reply;
    assert.equal(big.length, 0x4000);
    // Over the packet size: acknowledged, refused, and the session goes on.
    const oversize = await gdb.request(`M80000000,2000:${'00'.repeat(0x2000)}`);
    assert.equal(oversize.reply, 'E01');
    assert.match(logs.join('\n'), /refused a packet of \d+ bytes/);
    assert.equal((await gdb.request('?')).reply, 'T05thread:1;');
  });
});

test('no-ack mode: after QStartNoAckMode neither side acknowledges', async () => {
  await withStub(loopElf, {}, async ({ gdb }) => {
    assert.equal((await gdb.request('QStartNoAckMode')).reply, 'OK');
    gdb.acking = false;
    gdb.sendRaw(framePacket('?'));
    const e = await gdb.next();
    assert.equal(e.kind, 'packet', 'the reply, with no + before it');
    assert.equal((await gdb.request('g')).reply.length, 33 * 8);
    assert.equal(gdb.pending.length, 0);
  });
});

test('monitor commands answer with console output then OK, or E01 when they fail', async () => {
  await withStub(loopElf, {}, async ({ gdb, engine }) => {
    const mon = (cmd: string) => gdb.request(`qRcmd,${textToHex(cmd)}`);
    const help = await mon('help');
    assert.equal(help.reply, 'OK');
    for (const c of ['info replay', 'replay_break ICOUNT', 'replay_delete_break', 'replay_seek ICOUNT', 'snapshot save NAME', 'snapshot load NAME', 'snapshot list', 'snapshot delete NAME']) {
      assert.ok(help.console.includes(c), `help lists ${c}`);
    }
    assert.equal((await gdb.request('s')).reply, 'T05thread:1;');
    const info = await mon('info replay');
    assert.equal(info.reply, 'OK');
    assert.match(info.console, /^mode: record\nicount: 1\nvirtual time: 1 ns\nhistory: icount 0 to 1\nposition: the live edge/);

    assert.match((await mon('replay_break 0x1_0')).console, /icount break set at 16/);
    const stopped = await gdb.request('c');
    assert.equal(stopped.reply, 'T05thread:1;');
    assert.equal(stopped.console, 'rvreplay: stopped at the icount break, icount 16\n');
    assert.equal(engine.icount, 16);
    assert.match((await mon('info replay')).console, /icount break: 16/);
    assert.match((await mon('replay_delete_break')).console, /icount break at 16 removed/);

    assert.match((await mon('snapshot save here')).console, /snapshot "here" saved at icount 16/);
    const seek = await mon('replay_seek 5');
    assert.equal(seek.reply, 'OK');
    assert.match(seek.console, /^now at icount 5, pc 0x[0-9a-f]{8}\n.*maintenance flush register-cache/);
    assert.equal(engine.icount, 5);
    assert.equal(regsOf((await gdb.request('g')).reply)[32], reference(loopElf, 5).machine.cpu.pc);
    assert.match((await mon('savevm early')).console, /snapshot "early" saved at icount 5/);
    assert.equal((await mon('info snapshots')).console, 'early\ticount 5\nhere\ticount 16\n');
    assert.match((await mon('loadvm here')).console, /now at icount 16/);
    assert.equal(engine.icount, 16);
    assert.match((await mon('snapshot load early')).console, /now at icount 5/);
    assert.match((await mon('delvm here')).console, /snapshot "here" deleted/);
    assert.equal((await mon('snapshot list')).console, 'early\ticount 5\n');

    for (const [cmd, why] of [
      ['frobnicate', /unknown monitor command "frobnicate"; the commands are:\n  help/],
      ['replay_seek', /usage: monitor replay_seek ICOUNT/],
      ['replay_seek 12abc', /"12abc" is not an icount/],
      ['replay_seek 1__0', /is not an icount/],
      ['snapshot load nosuch', /there is no snapshot named "nosuch"/],
      ['snapshot delete nosuch', /there is no snapshot named "nosuch"/],
    ] as const) {
      const r = await mon(cmd);
      assert.equal(r.reply, 'E01', cmd);
      assert.match(r.console, why, cmd);
    }
  });
});

test('a watched store stops the continue, reported before the access for gdb to step over (gdb\'s RISC-V watchpoints are non-steppable)', async () => {
  await withStub(loopElf, { stepBack: true }, async ({ gdb, engine }) => {
    const value = sym('value');
    await ok(gdb, `Z2,${value.toString(16)},4`);
    const r = await gdb.request('c');
    assert.equal(r.reply, `T05thread:1;watch:${value.toString(16)};`);
    // The engine stopped after the store; the stub stepped back so the store is next.
    assert.equal(engine.machine.cpu.pc, sym('loop') + 2, 'at the sw');
    assert.deepEqual(engine.motions, ['continue', 'reverseStepi']);
    await ok(gdb, `z2,${value.toString(16)},4`);
    assert.equal(engine.watchCount, 0);
    // Read (Z3) and access (Z4) watchpoints reach the engine too; inserting twice is once.
    for (const type of [3, 4]) {
      await ok(gdb, `Z${type},${value.toString(16)},4`);
      await ok(gdb, `Z${type},${value.toString(16)},4`);
      assert.equal(engine.watchCount, 1);
      await ok(gdb, `z${type},${value.toString(16)},4`);
      assert.equal(engine.watchCount, 0);
    }
  });
});

/** The forward engine with the next stops of continue / reverse continue given by the test. */
class ScriptedEngine extends ForwardEngine {
  readonly forward: StopReason[] = [];
  readonly backward: StopReason[] = [];
  failNext: Error | undefined;
  override async continue(): Promise<EngineStop> {
    if (this.failNext !== undefined) {
      const e = this.failNext;
      this.failNext = undefined;
      throw e;
    }
    const reason = this.forward.shift();
    return reason === undefined ? super.continue() : { reason, icount: this.icount, pc: this.machine.cpu.pc };
  }
  override async reverseContinue(): Promise<EngineStop> {
    const reason = this.backward.shift();
    return reason === undefined ? super.reverseContinue() : { reason, icount: this.icount, pc: this.machine.cpu.pc };
  }
}

test('every stop reason has its stop reply: watch kinds, both ends of history, idle, divergence, interrupt', async () => {
  const engine = new ScriptedEngine(loopElf);
  await withStub(loopElf, {}, async ({ gdb }) => {
    await gdb.request(GDB_QSUPPORTED);
    engine.forward.push(
      { kind: 'watchpoint', watch: 'read', address: 0x80200010, access: 'read' },
      { kind: 'watchpoint', watch: 'access', address: 0x80200014, access: 'write' },
      { kind: 'history-end' },
      { kind: 'history-end', exit: { kind: 'fail', code: 3 } },
      { kind: 'history-end', exit: { kind: 'pass' } },
      { kind: 'idle' },
      { kind: 'diverged', message: 'at icount 7: uart0.regs (UART) differs' },
      { kind: 'interrupted' },
      { kind: 'done' },
    );
    const expect = [
      ['T05thread:1;rwatch:80200010;', ''],
      ['T05thread:1;awatch:80200014;', ''],
      ['T05thread:1;replaylog:end;', ''],
      ['T05thread:1;replaylog:end;', 'rvreplay: the guest finished with exit code 3 at icount 0: its history ends here\n'],
      ['T05thread:1;replaylog:end;', 'rvreplay: the guest finished with exit code 0 at icount 0: its history ends here\n'],
      ['T05thread:1;replaylog:end;', 'rvreplay: at icount 0 the hart waits for an interrupt that nothing can bring: it cannot go further\n'],
      ['T05thread:1;replaylog:end;', 'rvreplay: the replay diverged: at icount 7: uart0.regs (UART) differs\n'],
      ['T02thread:1;', ''],
      ['T05thread:1;', ''],
    ];
    for (const [reply, console] of expect) {
      const r = await gdb.request('c');
      assert.deepEqual([r.reply, r.console], [reply, console]);
    }
    assert.equal((await gdb.request('?')).reply, 'T05thread:1;', '? repeats the last stop');
    engine.backward.push({ kind: 'history-begin' });
    assert.equal((await gdb.request('bc')).reply, 'T05thread:1;replaylog:begin;');
    assert.equal((await gdb.request('bs')).reply, 'T05thread:1;replaylog:begin;');
  }, engine);
});

test('an engine failure in a motion is an error reply gdb shows; any other exception is logged and the session goes on', async () => {
  const engine = new ScriptedEngine(loopElf);
  await withStub(loopElf, {}, async ({ gdb, logs }) => {
    const { EngineError } = await import('../../src/engine/debug-engine.js');
    engine.failNext = new EngineError('no history beyond icount 9');
    assert.equal((await gdb.request('c')).reply, 'E.no history beyond icount 9');
    engine.failNext = new TypeError('a bug in the engine');
    assert.equal((await gdb.request('c')).reply, 'E.internal error: a bug in the engine');
    assert.match(logs.join('\n'), /internal error on packet "c": TypeError: a bug in the engine/);
    assert.equal((await gdb.request('?')).reply, 'T05thread:1;');
  }, engine);
});

test('the end of a finished guest is the end of history: a console line, then replaylog:end, and the session stays', async () => {
  await withStub(failElf, {}, async ({ gdb, server }) => {
    const r = await gdb.request('c');
    assert.equal(r.reply, 'T05thread:1;replaylog:end;');
    assert.match(r.console, /^rvreplay: the guest finished with exit code 3 at icount \d+: its history ends here\n$/);
    assert.equal((await gdb.request('s')).reply, 'T05thread:1;replaylog:end;');
    assert.equal((await gdb.request('?')).reply, 'T05thread:1;replaylog:end;');
    assert.equal((await gdb.request('bs')).reply, 'T05thread:1;replaylog:begin;');
    let ended = false;
    void server.closed.then(() => (ended = true));
    assert.equal((await gdb.request('g')).reply.length, 33 * 8);
    assert.equal(ended, false);
  });
});

test('one gdb at a time: a second connection is closed at once and the first goes on', async () => {
  await withStub(loopElf, {}, async ({ gdb, server, logs }) => {
    const second = connect(server.port, '127.0.0.1');
    second.on('error', () => {});
    await within(new Promise<void>((resolve) => second.on('close', () => resolve())), 'the second connection to be closed');
    assert.match(logs.join('\n'), /refused 127\.0\.0\.1:\d+: one gdb at a time/);
    assert.equal((await gdb.request('?')).reply, 'T05thread:1;');
  });
});

test('D detaches: OK, then the connection closes and the server says how; breakpoints are taken out of the engine', async () => {
  await withStub(loopElf, {}, async ({ gdb, server, engine }) => {
    await ok(gdb, `Z0,${sym('loop').toString(16)},2`);
    assert.equal((await gdb.request('D')).reply, 'OK');
    await gdb.waitClosed();
    assert.deepEqual(await within(server.closed, 'the session to end'), { how: 'detach' });
    assert.deepEqual(engine.breakpointAddresses, []);
    const late = connect(server.port, '127.0.0.1');
    const refused = await within(new Promise<boolean>((resolve) => {
      late.on('error', () => resolve(true));
      late.on('close', () => resolve(true));
    }), 'a connection after the session to fail');
    assert.ok(refused, 'the server no longer listens');
  });
});

test('k kills (no reply), vKill answers OK first; a dropped connection is a disconnect and cancels the motion', async () => {
  await withStub(loopElf, {}, async ({ gdb, server }) => {
    await gdb.send('k');
    await gdb.waitClosed();
    assert.deepEqual(await within(server.closed, 'the session to end'), { how: 'kill' });
  });
  await withStub(loopElf, {}, async ({ gdb, server }) => {
    assert.equal((await gdb.request('vKill;1')).reply, 'OK');
    await gdb.waitClosed();
    assert.deepEqual(await within(server.closed, 'the session to end'), { how: 'kill' });
  });
  await withStub(loopElf, { sliceSteps: 1000 }, async ({ gdb, server, engine }) => {
    await gdb.send('c');
    gdb.destroy();
    assert.deepEqual(await within(server.closed, 'the session to end'), { how: 'disconnect' });
    assert.deepEqual(engine.motions, ['continue']);
    const stop = await within(engine.running!, 'the continue to be cancelled');
    assert.equal(stop.reason.kind, 'interrupted');
  });
});

test('the server reports the port it got, refuses a port in use, and closes cleanly before any client', async () => {
  const engine = new ForwardEngine(loopElf);
  const a = await startGdbServer(engine, { port: 0 });
  try {
    assert.ok(a.port > 0);
    await assert.rejects(startGdbServer(engine, { port: a.port }), /EADDRINUSE/);
  } finally {
    await a.close();
  }
  assert.deepEqual(await a.closed, { how: 'disconnect' });
  await assert.rejects(a.waitForClient(), /closed before a client connected/);
});
