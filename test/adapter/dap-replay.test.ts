// The debug adapter (dist/adapter.js) driven by Microsoft's DAP test client, as VS Code drives
// it, on a replay of the debug-information guest: a line breakpoint, the stack, source-level
// next and step back (over a call, and out of a function at its top), step in and out, reverse
// continue over several hits, instruction steps both ways, and launch arguments that are wrong
// answered with a message the user can act on.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { SerialTextBody } from '../../src/shared/timeline-protocol.js';
import { buildAsmGuest, runCli } from '../support/cli.js';
import { lineIn, stopAfter, withClient } from '../support/dap-client.js';
import { ECHO_IRQ } from '../support/guests.js';
import { tempDir } from '../support/toolchain.js';
import { GUEST_DIR, guestPath } from '../unit/debuginfo-gdb.js';

const tmp = tempDir('dap');
after(() => tmp.cleanup());

const ELF = guestPath('dbg-O0');
const DBG_C = join(GUEST_DIR, 'dbg', 'dbg.c');
const WALK_C = join(GUEST_DIR, 'dbg', 'walk.c');
const LOG = join(tmp.dir, 'dbg.rr');

before(async () => {
  const r = await runCli(['record', ELF, '--rrfile', LOG]);
  assert.equal(r.status, 0, r.stderr);
});

const launchArgs = { program: ELF, rr: 'replay', rrfile: LOG };

test('a breakpoint in C, the stack, next, step back over a call and out of a function, step in and out', async () => {
  await withClient(async (dc) => {
    const callLine = lineIn(DBG_C, 'total += use_locals(5);');
    await dc.hitBreakpoint(launchArgs, { path: DBG_C, line: callLine });
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    assert.equal(trace.body.stackFrames[0].name, 'main');
    // next over the call, then back over it.
    let top = await stopAfter(dc, dc.nextRequest({ threadId: 1 }), 'step');
    assert.equal(top.line, lineIn(DBG_C, 'total += walk(&chain[0], 0);'));
    top = await stopAfter(dc, dc.stepBackRequest({ threadId: 1 }), 'step');
    assert.equal(top.line, callLine, 'step back over the call lands on the line that made it');
    // Into use_locals, one line on, back, and back out of it at its top.
    top = await stopAfter(dc, dc.stepInRequest({ threadId: 1 }), 'step');
    assert.equal(top.name, 'use_locals');
    const first = top.line;
    top = await stopAfter(dc, dc.nextRequest({ threadId: 1 }), 'step');
    assert.ok(top.line > first, `next in use_locals moves on from line ${first} to ${top.line}`);
    top = await stopAfter(dc, dc.stepBackRequest({ threadId: 1 }), 'step');
    assert.equal(top.line, first);
    top = await stopAfter(dc, dc.stepOutRequest({ threadId: 1 }), 'step');
    assert.equal(top.name, 'main');
    assert.equal(top.line, callLine, 'step out returns to the caller, inside the line of the call');
  });
});

test('reverse continue goes back through every hit of a breakpoint, last first, to the beginning of history', async () => {
  await withClient(async (dc) => {
    const line = lineIn(WALK_C, 'BP:walk-call');
    await dc.hitBreakpoint(launchArgs, { path: WALK_C, line });
    const hits: number[] = [];
    for (;;) {
      const [, stopped] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
      if ((stopped as DebugProtocol.StoppedEvent).body.reason !== 'breakpoint') break;
      const trace = await dc.stackTraceRequest({ threadId: 1 });
      hits.push(trace.body.stackFrames.length);
    }
    assert.deepEqual(hits, [3, 4, 5], 'walk recurses down the chain: three more hits, each a frame deeper');
    const depths: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [, stopped] = await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
      assert.equal((stopped as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
      depths.push((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.length);
    }
    assert.deepEqual(depths, [5, 4, 3, 2]);
    const [, begin] = await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.match((begin as DebugProtocol.StoppedEvent).body.description ?? '', /beginning of recorded history/);
    // The timeline's lane of hits: the four places the breakpoint stopped, once each.
    const info = (await dc.customRequest('rvreplay/timelineInfo', {})).body as { end: number };
    const window = await dc.customRequest('rvreplay/timelineWindow', { fromIcount: 0, toIcount: info.end + 1, buckets: 1000, lanes: ['breakpoints'], maxEventsPerBucket: 100 });
    const lane = window.body.lanes[0] as { mode: string; events: { icount: number; detail?: string }[] };
    assert.equal(lane.mode, 'events');
    assert.equal(lane.events.length, 4);
    assert.match(lane.events[0].detail ?? '', /^breakpoint at walk\+\d+ \(walk\.c:\d+\)/);
  });
});

test('instruction steps both ways move one instruction', async () => {
  await withClient(async (dc) => {
    await dc.hitBreakpoint(launchArgs, { path: DBG_C, line: lineIn(DBG_C, 'total += use_locals(5);') });
    const pcOf = (f: DebugProtocol.StackFrame): number => parseInt(f.instructionPointerReference!, 16);
    const at = pcOf((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0]);
    const fwd = pcOf(await stopAfter(dc, dc.nextRequest({ threadId: 1, granularity: 'instruction' }), 'step'));
    assert.ok(fwd === at + 2 || fwd === at + 4, `one instruction on: 0x${at.toString(16)} → 0x${fwd.toString(16)}`);
    const back = pcOf(await stopAfter(dc, dc.stepBackRequest({ threadId: 1, granularity: 'instruction' }), 'step'));
    assert.equal(back, at);
  });
});

test('launch arguments that are wrong get an error message the user can act on', async () => {
  const cases: [object, RegExp][] = [
    [{ rr: 'replay', rrfile: LOG }, /needs "program"/],
    [{ program: join(tmp.dir, 'missing.elf'), rr: 'replay', rrfile: LOG }, /cannot read .*missing\.elf: no such file/],
    [{ program: LOG, rr: 'replay', rrfile: LOG }, /not an ELF/i],
    [{ program: ELF, rr: 'replay', rrfile: join(tmp.dir, 'nope.rr') }, /cannot read .*nope\.rr: no such file/],
    [{ program: ELF, rr: 'replay', rrfile: ELF }, /not an rvreplay log/],
    [{ program: ELF, rr: 'sideways' }, /"rr" is "sideways"; it must be one of "record", "replay", "none"/],
    [{ program: ELF, rr: 'replay', rrfile: LOG, sourceMap: ['/a', '/b'] }, /"sourceMap" maps build-tree path prefixes to paths here/],
    [{ program: ELF, rr: 'record', rrfile: join(tmp.dir, 'r.rr'), ram: 5000 }, /--ram takes an integer from 1 to 2048, not '5000'/],
    [{ program: ELF, rr: 'record', rrfile: join(tmp.dir, 'r.rr'), drives: [join(tmp.dir, 'no.img')] }, /cannot open disk image .*no\.img: no such file/],
  ];
  for (const [args, message] of cases) {
    await withClient(async (dc) => {
      await dc.initializeRequest();
      await assert.rejects(dc.launchRequest(args as DebugProtocol.LaunchRequestArguments), message);
    });
  }
});

test('"rr": "record": a breakpoint, steps back and forth across the live edge, the output shown once; the log replays as a plain recording does', async () => {
  const log = join(tmp.dir, 'dap-record.rr');
  const plain = await runCli(['replay', ELF, '--rrfile', LOG]);
  await withClient(async (dc) => {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stdout') output.push(e.body.output);
    });
    const probe = lineIn(WALK_C, 'BP:probe');
    await dc.hitBreakpoint({ program: ELF, rr: 'record', rrfile: log }, { path: WALK_C, line: probe });
    let top = await stopAfter(dc, dc.stepBackRequest({ threadId: 1 }), 'step');
    assert.notEqual(top.line, probe, 'back into history');
    top = await stopAfter(dc, dc.nextRequest({ threadId: 1 }), 'step');
    assert.equal(top.line, probe, 'forward again to where the recording had got to');
    await dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [] });
    const [, end] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.match((end as DebugProtocol.StoppedEvent).body.description ?? '', /exited with code 0/);
    await dc.disconnectRequest({});
    assert.equal(output.join(''), plain.stdout, 'the guest output, once');
  });
  const rep = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, plain.stdout);
});

/** Launches with `configure` run between `initialized` and configurationDone; resolves at the first stop. */
async function launchWith(dc: DebugClient, configure: () => Promise<unknown>): Promise<DebugProtocol.StoppedEvent> {
  const [, , stopped] = await Promise.all([
    dc.waitForEvent('initialized').then(async () => {
      await configure();
      await dc.configurationDoneRequest();
    }),
    dc.launch(launchArgs),
    dc.waitForEvent('stopped'),
  ]);
  return stopped as DebugProtocol.StoppedEvent;
}

const framesNow = async (dc: DebugClient): Promise<number> => (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames.length;

test('a condition is checked at each hit, forward and in reverse', async () => {
  await withClient(async (dc) => {
    const line = lineIn(WALK_C, 'BP:walk-call');
    const first = await launchWith(dc, () => dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [{ line, condition: 'depth == 2' }] }));
    assert.equal(first.body.reason, 'breakpoint');
    assert.equal(first.body.hitBreakpointIds?.length, 1);
    assert.equal(await framesNow(dc), 4, 'walk at depth 2: main and three walks');
    await dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [{ line, condition: 'depth == 0' }] });
    const [, back] = await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((back as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
    assert.equal(await framesNow(dc), 2, 'back at depth 0');
  });
});

test('a hit count stops at the Nth hit; logpoints print their values without stopping; an instruction breakpoint stops at its address', async () => {
  await withClient(async (dc) => {
    const call = lineIn(WALK_C, 'BP:walk-call');
    const logs: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'console') logs.push(e.body.output);
    });
    await launchWith(dc, () => dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [{ line: call, hitCondition: '3' }] }));
    assert.equal(await framesNow(dc), 4, 'the third hit: depth 2');
    await dc.setBreakpointsRequest({
      source: { path: WALK_C },
      breakpoints: [{ line: call, logMessage: 'walk at depth {depth}' }, { line: lineIn(WALK_C, 'BP:probe') }],
    });
    const [, atProbe] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((atProbe as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
    assert.deepEqual(logs.filter((l) => l.startsWith('walk at')), ['walk at depth 3\n'], 'the logpoint at the one hit on the way');
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    const returnTo = trace.body.stackFrames[1].instructionPointerReference!;
    await dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [] });
    const set = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: returnTo }] }) as DebugProtocol.SetInstructionBreakpointsResponse;
    assert.equal(set.body.breakpoints[0].verified, true);
    const [, atInstruction] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((atInstruction as DebugProtocol.StoppedEvent).body.reason, 'breakpoint');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(parseInt(top.instructionPointerReference!, 16), parseInt(returnTo, 16));
  });
});

test('disassembly around the pc with symbols and lines; memory reads; writes refused inside history with the reason', async () => {
  await withClient(async (dc) => {
    await dc.hitBreakpoint(launchArgs, { path: DBG_C, line: lineIn(DBG_C, 'total += use_locals(5);') });
    const pc = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].instructionPointerReference!;
    const dis = await dc.disassembleRequest({ memoryReference: pc, instructionOffset: -3, instructionCount: 8, resolveSymbols: true });
    const list = dis.body!.instructions;
    assert.equal(list.length, 8);
    assert.equal(parseInt(list[3].address, 16), parseInt(pc, 16), 'the pc is the fourth of them');
    assert.match(list[3].symbol ?? '', /^main\+\d+$/);
    assert.equal(list[3].line, lineIn(DBG_C, 'total += use_locals(5);'));
    assert.ok(list.some((i) => /jal.*<use_locals>/.test(i.instruction)), list.map((i) => i.instruction).join('\n'));
    for (let i = 1; i < list.length; i++) {
      const step = parseInt(list[i].address, 16) - parseInt(list[i - 1].address, 16);
      assert.ok(step === 2 || step === 4, `consecutive instructions: ${list[i - 1].address} → ${list[i].address}`);
    }
    const mem = await dc.customRequest('readMemory', { memoryReference: pc, count: 8 }) as DebugProtocol.ReadMemoryResponse;
    const bytes = Buffer.from(mem.body!.data!, 'base64');
    assert.equal(bytes.length, 8);
    assert.equal(bytes.readUInt16LE(0).toString(16).padStart(4, '0'), list[3].instructionBytes!.slice(-4), 'the bytes of the instruction at the pc');
    await assert.rejects(dc.customRequest('writeMemory', { memoryReference: pc, data: Buffer.from([0, 0]).toString('base64') }), /inside recorded history/);
  });
});

test('a data breakpoint on a variable: reverse continue stops at the store that last changed it, continue after the next', async () => {
  await withClient(async (dc) => {
    await dc.hitBreakpoint(launchArgs, { path: DBG_C, line: lineIn(DBG_C, 'done_flag = true;') });
    const info = await dc.dataBreakpointInfoRequest({ name: 'counter' });
    assert.ok(info.body.dataId, info.body.description);
    assert.match(info.body.description, /counter \(4 bytes at 0x[0-9a-f]+\)/);
    await dc.setBreakpointsRequest({ source: { path: DBG_C }, breakpoints: [] });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const [, back] = await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((back as DebugProtocol.StoppedEvent).body.reason, 'data breakpoint');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.line, lineIn(DBG_C, 'counter += total;'), 'just before the store of counter += total');
    const [, fwd] = await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((fwd as DebugProtocol.StoppedEvent).body.reason, 'data breakpoint');
    const none = await dc.dataBreakpointInfoRequest({ name: 'no_such_thing' });
    assert.equal(none.body.dataId, null);
    assert.match(none.body.description, /No symbol "no_such_thing" in current context/);
  });
});

test('custom requests: position events, snapshots, reverse step out, the timeline answered from the log with seek stopping where it asks', async () => {
  await withClient(async (dc) => {
    const positions: DebugProtocol.Event[] = [];
    dc.on('rvreplay/position', (e: DebugProtocol.Event) => positions.push(e));
    await dc.hitBreakpoint(launchArgs, { path: WALK_C, line: lineIn(WALK_C, 'BP:probe') });
    await dc.setBreakpointsRequest({ source: { path: WALK_C }, breakpoints: [] });
    const last = positions[positions.length - 1]?.body as { mode: string; icount: number; atLiveEdge: boolean; historyEnd: number };
    assert.equal(last.mode, 'replay');
    assert.equal(last.atLiveEdge, false);
    const saved = await dc.customRequest('rvreplay/saveSnapshot', { name: 'atprobe' });
    assert.equal(saved.body.icount, last.icount);
    const listed = await dc.customRequest('rvreplay/snapshots', {});
    assert.deepEqual(listed.body.snapshots.map((s: { name: string }) => s.name), ['atprobe']);
    // Reverse step out: from probe (its first call, from use_locals) back onto the call.
    const [, out] = await Promise.all([dc.customRequest('rvreplay/reverseStepOut', {}), dc.waitForEvent('stopped')]);
    assert.equal((out as DebugProtocol.StoppedEvent).body.reason, 'step');
    const top = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0];
    assert.equal(top.name, 'use_locals');
    assert.equal(top.line, lineIn(DBG_C, 'BP:use-locals'), 'on the call to probe');
    // Load the snapshot: back at probe.
    const [, loaded] = await Promise.all([dc.customRequest('rvreplay/loadSnapshot', { name: 'atprobe' }), dc.waitForEvent('stopped')]);
    assert.equal((loaded as DebugProtocol.StoppedEvent).body.reason, 'goto');
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].name, 'probe');
    // The timeline: the log's bounds, and a seek that stops at the icount asked.
    const info = await dc.customRequest('rvreplay/timelineInfo', {});
    assert.equal(info.body.end, last.historyEnd);
    assert.equal(info.body.canSeek, true, 'a click in the panel travels');
    // A motion started by a custom request is announced (VS Code clears the previous stop's details on it).
    const order: string[] = [];
    dc.once('continued', () => order.push('continued'));
    dc.once('stopped', () => order.push('stopped'));
    const [seek, stopped] = await Promise.all([dc.customRequest('rvreplay/seek', { icount: 1000 }), dc.waitForEvent('stopped')]);
    assert.deepEqual(order, ['continued', 'stopped']);
    assert.equal(seek.body.icount, 1000);
    assert.equal((stopped as DebugProtocol.StoppedEvent).body.reason, 'goto');
    assert.equal((stopped as DebugProtocol.StoppedEvent).body.description, 'goto, icount 1000', 'the stop says where in time');
    assert.equal((positions[positions.length - 1].body as { icount: number }).icount, 1000);
    await assert.rejects(dc.customRequest('rvreplay/goLive', {}), /going live needs a recording/);
    await assert.rejects(dc.customRequest('rvreplay/loadSnapshot', { name: 'nope' }), /no snapshot named 'nope'/);
  });
});

test('recording: text typed into the console reaches the guest at the live edge, is recorded, and replays', async () => {
  const echo = buildAsmGuest(tmp.dir, 'echo', ECHO_IRQ);
  const log = join(tmp.dir, 'echo.rr');
  await withClient(async (dc) => {
    const output: string[] = [];
    dc.on('output', (e: DebugProtocol.OutputEvent) => {
      if (e.body.category === 'stdout') output.push(e.body.output);
    });
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      dc.launch({ program: echo, rr: 'record', rrfile: log, stopOnEntry: true }),
      dc.waitForEvent('stopped'),
    ]);
    await dc.customRequest('rvreplay/serialInput', { text: 'hi' });
    const inputLane = async (info: Promise<{ body?: unknown }>): Promise<number> =>
      ((await info).body as { lanes: { id: string; count?: number }[] }).lanes.find((l) => l.id === 'serial-in')?.count ?? 0;
    assert.equal(await inputLane(dc.customRequest('rvreplay/timelineInfo', {})), 0, 'no input delivered yet');
    // The guest echoes, then waits for more: the continue waits with it, until 'q' ends the guest.
    // Meanwhile the open timeline grows with the recording, without a stop.
    const stopped = dc.waitForEvent('stopped');
    await dc.continueRequest({ threadId: 1 });
    let grown = 0;
    for (let i = 0; i < 20 && grown < 2; i++) grown = await inputLane(dc.waitForEvent('rvreplay/timelineChanged', 5000));
    assert.equal(grown, 2, 'the two bytes of input appear on the timeline while the guest runs');
    await dc.customRequest('rvreplay/serialInput', { text: 'q' });
    assert.match((await stopped as DebugProtocol.StoppedEvent).body.description ?? '', /exited with code 0/);
    assert.equal(output.join(''), 'hi');
    await dc.disconnectRequest({});
  });
  const rep = await runCli(['replay', echo, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, 'hi');
  const dump = await runCli(['dump', log, '--kind', 'serial-in']);
  // One byte per checkpoint: the guest leaves the UART's FIFO off, so it holds one byte at a time.
  assert.deepEqual([...dump.stdout.matchAll(/serial-in dev=0 "(.)"/g)].map((m) => m[1]).join(''), 'hiq');
});

test('exception breakpoints on interrupts: forward in the handler, in reverse where the guest was interrupted', async () => {
  const timer = guestPath('c-timer');
  const log = join(tmp.dir, 'timer.rr');
  assert.equal((await runCli(['record', timer, '--rrfile', log])).status, 0);
  await withClient(async (dc) => {
    const first = Promise.all([
      dc.waitForEvent('initialized').then(async () => {
        await dc.setExceptionBreakpointsRequest({ filters: ['interrupts'] });
        await dc.configurationDoneRequest();
      }),
      dc.launch({ program: timer, rr: 'replay', rrfile: log }),
      dc.waitForEvent('stopped'),
    ]);
    const stopped = (await first)[2] as DebugProtocol.StoppedEvent;
    assert.equal(stopped.body.reason, 'exception');
    assert.match(stopped.body.description ?? '', /machine timer interrupt \(cause 7\)/);
    const trace = await dc.stackTraceRequest({ threadId: 1 });
    // Through the trap frame into the interrupted code, as gdb shows "<signal handler called>".
    assert.deepEqual(trace.body.stackFrames.map((f) => f.name), ['on_trap', '<machine timer interrupt (cause 7)>', 'main']);
    assert.equal(trace.body.stackFrames[1].presentationHint, 'label');
    const interrupted = trace.body.stackFrames[2];
    assert.ok(interrupted.source?.path?.endsWith('timer.c') === true && interrupted.line > 0, 'main shown at its source line');
    assert.equal(Number(interrupted.instructionPointerReference), Number((await dc.evaluateRequest({ expression: '$mepc', context: 'repl' })).body.result));
    // The CSRs as the handler sees them, decoded.
    const csrScope = (await dc.scopesRequest({ frameId: trace.body.stackFrames[0].id })).body.scopes.find((sc) => sc.name === 'CSRs')!;
    const csrs = new Map((await dc.variablesRequest({ variablesReference: csrScope.variablesReference })).body.variables.map((v) => [v.name, v]));
    assert.equal(csrs.get('mcause')?.value, '0x80000007');
    assert.equal(csrs.get('priv')?.value, 'M');
    const cause = (await dc.variablesRequest({ variablesReference: csrs.get('mcause')!.variablesReference })).body.variables;
    assert.deepEqual(cause.map((f) => [f.name, f.value]), [['Interrupt', '1'], ['Code', '7 (machine timer interrupt)']]);
    const status = new Map((await dc.variablesRequest({ variablesReference: csrs.get('mstatus')!.variablesReference })).body.variables.map((f) => [f.name, f.value]));
    assert.equal(status.get('MIE'), '0', 'interrupts off in the handler');
    assert.equal(status.get('MPIE'), '1');
    assert.equal(status.get('MPP'), 'M');
    assert.equal((await dc.evaluateRequest({ expression: '$mcause', context: 'repl' })).body.result, '0x80000007');
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    // The timeline's console at the position: the banner and the first tick, each byte with its own icount.
    const position = (await dc.customRequest('rvreplay/timelineInfo', {})).body.position as number;
    const serial = (await dc.customRequest('rvreplay/serialText', { toIcount: position, maxBytes: 4096, includeInput: false })).body as SerialTextBody;
    assert.equal(serial.source, 'replay');
    assert.equal(serial.segments.map((g) => g.text).join(''), 'timer: 5 ticks of 10000 mtime units\ntick 1\n', 'the output up to the second tick');
    assert.equal(serial.segments[0].byteIcounts?.length, serial.segments[0].count);
    assert.ok(serial.segments[0].byteIcounts!.every((n, i, all) => n <= position && (i === 0 || n > all[i - 1])), 'each byte at its own icount');
    const [, back] = await Promise.all([dc.reverseContinueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    assert.equal((back as DebugProtocol.StoppedEvent).body.reason, 'exception');
    assert.equal((await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].name, 'main', 'where the interrupt came in');
  });
});

test('variables as they were: locals, members, evaluate, registers; a step back shows the earlier values again', async () => {
  await withClient(async (dc) => {
    const seedLine = lineIn(DBG_C, 'seed += inner +');
    await dc.hitBreakpoint(launchArgs, { path: DBG_C, line: seedLine });
    const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id;
    const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
    assert.deepEqual(scopes.map((s) => s.name), ['Locals', 'Globals', 'Registers', 'CSRs', 'Replay']);
    const locals = async (): Promise<Map<string, DebugProtocol.Variable>> => {
      const id = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id;
      const ref = (await dc.scopesRequest({ frameId: id })).body.scopes[0].variablesReference;
      return new Map((await dc.variablesRequest({ variablesReference: ref })).body.variables.map((v) => [v.name, v]));
    };
    let vars = await locals();
    assert.equal(vars.get('seed')?.value, '5');
    assert.equal(vars.get('inner')?.value, '8', 'p.x + q.y = 5 + 3');
    const p = vars.get('p')!;
    assert.ok(p.variablesReference > 0, 'a struct expands');
    const members = (await dc.variablesRequest({ variablesReference: p.variablesReference })).body.variables;
    assert.deepEqual(members.map((m) => [m.name, m.value]), [['x', '5'], ['y', '10']]);
    assert.equal(members[0].evaluateName, '(p).x');
    const sum = await dc.evaluateRequest({ expression: 'p.x + q.y', frameId, context: 'watch' });
    assert.equal(sum.body.result, '8');
    const sp = await dc.evaluateRequest({ expression: '$sp', frameId, context: 'repl' });
    const regs = (await dc.variablesRequest({ variablesReference: scopes[2].variablesReference })).body.variables;
    assert.equal(regs.find((r) => r.name === 'sp')?.value, sp.body.result);
    await assert.rejects(dc.evaluateRequest({ expression: 'nope + 1', frameId, context: 'repl' }), /No symbol "nope" in current context/);
    // On past the line, then back: seed as it was.
    await stopAfter(dc, dc.nextRequest({ threadId: 1 }), 'step');
    vars = await locals();
    assert.notEqual(vars.get('seed')?.value, '5', 'the line changed seed');
    await stopAfter(dc, dc.stepBackRequest({ threadId: 1 }), 'step');
    vars = await locals();
    assert.equal(vars.get('seed')?.value, '5', 'back before the line, seed is 5 again');
  });
});

test('setting a variable: refused inside history with the reason; at a recording\'s live edge, made, recorded and replayed', async () => {
  await withClient(async (dc) => {
    await dc.hitBreakpoint(launchArgs, { path: DBG_C, line: lineIn(DBG_C, 'done_flag = true;') });
    const globals = (await dc.scopesRequest({ frameId: (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id })).body.scopes[1];
    await assert.rejects(dc.setVariableRequest({ variablesReference: globals.variablesReference, name: 'counter', value: '1' }), /inside recorded history/);
  });
  const log = join(tmp.dir, 'set.rr');
  const plain = await runCli(['replay', ELF, '--rrfile', LOG]);
  await withClient(async (dc) => {
    await dc.hitBreakpoint({ program: ELF, rr: 'record', rrfile: log }, { path: DBG_C, line: lineIn(DBG_C, 'done_flag = true;') });
    const frameId = (await dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id;
    const globals = (await dc.scopesRequest({ frameId })).body.scopes[1];
    const set = await dc.setVariableRequest({ variablesReference: globals.variablesReference, name: 'counter', value: '1000' });
    assert.equal(set.body.value, '1000');
    await dc.setBreakpointsRequest({ source: { path: DBG_C }, breakpoints: [] });
    await Promise.all([dc.continueRequest({ threadId: 1 }), dc.waitForEvent('stopped')]);
    await dc.disconnectRequest({});
  });
  const rep = await runCli(['replay', ELF, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, plain.stdout.replace(/dbg checksum (\d+) (\d+)/, 'dbg checksum $1 1000'));
});
