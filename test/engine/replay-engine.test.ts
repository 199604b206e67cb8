// The time-travel engine over real recordings: seeks land on exactly the state a straight replay
// reaches at the same icount; reverse-stepi walks back one position at a time; breakpoints and
// watchpoints stop forward and reverse motions at the hits an independent single-step walk of
// the same replay finds; history bounds, the icount break, cancel and named snapshots.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { digestRam, digestRegions } from '../../src/emu/state-digest.js';
import { openReplaySession, type ReplaySession } from '../../src/cli/replay-session.js';
import { ReplayEngine, type KeyframeOptions } from '../../src/engine/replay-engine.js';
import { NewOutputFilter } from '../../src/engine/new-output-filter.js';
import { EngineError } from '../../src/engine/debug-engine.js';
import { expandRvc } from '../../src/emu/cpu/rvc.js';
import { readElfSymbols } from '../oracle/elf-symbols.js';
import { readFileSync, writeFileSync } from 'node:fs';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { LogWriter } from '../../src/replay/log/log-writer.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { runCli } from '../support/cli.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('engine');
after(() => tmp.cleanup());

const GUESTS = join(__dirname, '..', 'guests', 'build');
const COMPUTE = join(GUESTS, 'c-compute.elf');
const TIMER = join(GUESTS, 'c-timer.elf');
const SMALL_KEYFRAMES: KeyframeOptions = { interval: 20_000, budgetBytes: 64 * 1024 * 1024 };

const logs = new Map<string, string>();
const opened: ReplaySession[] = [];
after(() => opened.forEach((s) => s.disks.forEach((d) => d.close())));

before(async () => {
  for (const elf of [COMPUTE, TIMER]) {
    const rrfile = join(tmp.dir, `${elf.split('/').pop()}.rr`);
    const r = await runCli(['record', elf, '--rrfile', rrfile, '--digest-interval', '50000']);
    assert.equal(r.status, 0, r.stderr);
    logs.set(elf, rrfile);
  }
});

function session(elf: string, output: { text: string } = { text: '' }): ReplaySession & { shown: NewOutputFilter } {
  const shown = new NewOutputFilter({ write: (b) => (output.text += String.fromCharCode(b)) });
  const s = openReplaySession(elf, logs.get(elf)!, { console: shown });
  opened.push(s);
  return { ...s, shown };
}

function engine(elf: string, keyframes = SMALL_KEYFRAMES, output?: { text: string }): ReplayEngine {
  const s = session(elf, output);
  return new ReplayEngine(s.machine, s.replayer, s.shown, keyframes);
}

/** The machine's whole state, as one comparable string. */
function stateOf(s: { machine: ReplaySession['machine'] }): string {
  return `${s.machine.icount}:${digestRegions(s.machine.arena).join(',')}:${digestRam(s.machine.ram)}`;
}

/** A straight replay from the start to `icount`, in a session of its own. */
function straightTo(elf: string, icount: number): string {
  const s = session(elf);
  s.replayer.run(icount);
  assert.equal(s.machine.icount, icount);
  return stateOf(s);
}

/** Single-steps a fresh replay to its end, calling `visit` at every position before each step. */
function walk(elf: string, visit: (s: ReplaySession) => void): number {
  const s = session(elf);
  for (;;) {
    visit(s);
    const stop = s.replayer.run(s.machine.icount + 1);
    if (stop.kind !== 'limit') return s.machine.icount;
  }
}

test('seeks to scattered icounts, forward and back, land on the state a straight replay reaches there', async () => {
  const e = engine(COMPUTE);
  const end = e.info().historyEnd;
  assert.ok(end > 700_000, `the compute guest runs ${end} instructions`);
  // Out of order on purpose: forward past unexplored history, back, between keyframes, to the ends.
  let seed = 12345;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % (end + 1);
  const targets = [512_345, 3, 700_001, 250_000, 250_001, 19_999, 20_000, 20_001, end, 0, 640_000, ...Array.from({ length: 8 }, random)];
  for (const t of targets) {
    const stop = await e.seek(t);
    assert.deepEqual(stop.reason, { kind: 'done' }, `seek ${t}`);
    assert.equal(e.icount, t);
    assert.equal(stateOf(e), straightTo(COMPUTE, t), `state at ${t}`);
  }
  assert.ok(e.info().keyframes.count > 30, `keyframes were kept along the way: ${e.info().keyframes.count}`);
});

test('reverse-stepi goes back one position at a time, through traps, to the start of history', async () => {
  const e = engine(TIMER, { interval: 500, budgetBytes: 64 * 1024 * 1024 });
  const end = e.info().historyEnd;
  await e.seek(end);
  // The last positions, one by one, against straight replays.
  for (let i = 1; i <= 5; i++) {
    const stop = await e.reverseStepi();
    assert.deepEqual(stop.reason, { kind: 'done' });
    assert.equal(stop.icount, end - i);
    assert.equal(stateOf(e), straightTo(TIMER, end - i));
  }
  await e.seek(2);
  assert.equal((await e.reverseStepi()).icount, 1);
  assert.equal((await e.reverseStepi()).icount, 0);
  const atStart = await e.reverseStepi();
  assert.deepEqual(atStart.reason, { kind: 'history-begin' });
  assert.equal(atStart.icount, 0);
  const fwd = await e.stepi();
  assert.equal(fwd.icount, 1);
  assert.equal(stateOf(e), straightTo(TIMER, 1));
});

test('breakpoints: continue stops at each hit in order, reverse-continue at each in reverse, as a single-step walk finds them', async () => {
  const bp = readElfSymbols(COMPUTE).get('compare_int32')!.value;
  const hits: number[] = [];
  walk(COMPUTE, (s) => {
    if (s.machine.cpu.pc === bp) hits.push(s.machine.icount);
  });
  assert.ok(hits.length > 100, `qsort compares many times: ${hits.length}`);

  const e = engine(COMPUTE);
  e.addBreakpoint(bp);
  for (const h of hits.slice(0, 25)) {
    const stop = await e.continue();
    assert.deepEqual(stop.reason, { kind: 'breakpoint', pc: bp });
    assert.equal(stop.icount, h);
  }
  // From the end of history back over every hit, the last first.
  const end = await (async () => { e.removeBreakpoint(bp); const s = await e.continue(); e.addBreakpoint(bp); return s; })();
  assert.equal(end.reason.kind, 'history-end');
  assert.deepEqual(end.reason, { kind: 'history-end', exit: { kind: 'pass' } });
  for (const h of [...hits].reverse().slice(0, 40)) {
    const stop = await e.reverseContinue();
    assert.deepEqual(stop.reason, { kind: 'breakpoint', pc: bp });
    assert.equal(stop.icount, h);
    assert.equal(e.machine.cpu.pc, bp);
  }
  // From the first hit, nothing earlier: the start of history.
  await e.seek(hits[0]);
  const begin = await e.reverseContinue();
  assert.deepEqual(begin.reason, { kind: 'history-begin' });
  assert.equal(begin.icount, 0);
});

test('watchpoints: the last store before now in reverse (before the store), the next one forward (after it)', async () => {
  // The first arrays malloc hands out: written by the fill loop, merge_sort and its memcpy.
  const start = readElfSymbols(COMPUTE).get('__heap_start')!.value + 0x40;
  const end = start + 64;
  const stores: number[] = []; // icounts of the store instructions that wrote into [start, end)
  walk(COMPUTE, (s) => {
    const target = storeTarget(s);
    if (target !== undefined && target.address < end && target.address + target.size > start) stores.push(s.machine.icount);
  });
  assert.ok(stores.length > 100, `the range is stored to ${stores.length} times`);

  const e = engine(COMPUTE);
  e.addWatchpoint(start, end - start, 'write');
  const k = Math.floor(stores.length / 2);
  await e.seek(stores[k] + 1);
  const back = await e.reverseContinue();
  assert.equal(back.reason.kind, 'watchpoint');
  assert.equal(back.icount, stores[k], 'stopped just before the store');
  assert.equal((await e.reverseContinue()).icount, stores[k - 1]);
  // Forward from just before a store, that store is the first hit: the stop is just after it.
  assert.equal((await e.continue()).icount, stores[k - 1] + 1);
  const fwd = await e.continue();
  assert.equal(fwd.icount, stores[k] + 1, 'forward, the stop is just after the store');
  assert.deepEqual(fwd.reason, { kind: 'watchpoint', watch: 'write', address: Math.max(start, storeAddressAt(COMPUTE, stores[k])), access: 'write' });
  // Reads are not writes: a read watch on the same range stops elsewhere, an access watch at either.
  e.removeWatchpoint(start, end - start, 'write');
  e.addWatchpoint(start, end - start, 'access');
  const any = await e.reverseContinue();
  assert.equal(any.reason.kind, 'watchpoint');
  assert.ok(any.icount < stores[k] + 1);
});

/** The address and size of the store the instruction at the position is about to make, if it is one. */
function storeTarget(s: { machine: ReplaySession['machine'] }): { address: number; size: number } | undefined {
  const cpu = s.machine.cpu;
  const raw = cpu.inspectInstruction(cpu.pc);
  if (raw === undefined) return undefined;
  const inst = (raw & 3) === 3 ? raw : expandRvc(raw & 0xffff);
  if ((inst & 0x7f) !== 0x23) return undefined; // STORE
  const imm = ((inst >> 25) << 5) | ((inst >> 7) & 31);
  return { address: (cpu.x[(inst >> 15) & 31] + imm) >>> 0, size: 1 << ((inst >> 12) & 3) };
}

function storeAddressAt(elf: string, icount: number): number {
  const s = session(elf);
  s.replayer.run(icount);
  return storeTarget(s)!.address;
}

test('a breakpoint in the trap handler: continue stops at every interrupt entry, reverse-continue at the last', async () => {
  const handler = readElfSymbols(TIMER).get('on_trap')!.value;
  const entries: number[] = [];
  walk(TIMER, (s) => {
    if (s.machine.cpu.pc === handler) entries.push(s.machine.icount);
  });
  assert.equal(entries.length, 5, 'five timer ticks');
  const e = engine(TIMER, { interval: 300, budgetBytes: 64 * 1024 * 1024 });
  e.addBreakpoint(handler);
  for (const h of entries) assert.equal((await e.continue()).icount, h);
  assert.equal((await e.continue()).reason.kind, 'history-end');
  assert.equal((await e.reverseContinue()).icount, entries[4]);
  assert.equal((await e.reverseContinue()).icount, entries[3]);
});

test('the icount break stops continue and reverse-continue there', async () => {
  const e = engine(COMPUTE);
  e.breakAtIcount(123_456);
  const fwd = await e.continue();
  assert.deepEqual(fwd.reason, { kind: 'icount', icount: 123_456 });
  assert.equal(fwd.icount, 123_456);
  await e.seek(400_000);
  const back = await e.reverseContinue();
  assert.deepEqual(back.reason, { kind: 'icount', icount: 123_456 });
  assert.equal(back.icount, 123_456);
  e.breakAtIcount(undefined);
  assert.equal((await e.reverseContinue()).reason.kind, 'history-begin');
});

test('cancel stops a continue between slices; the guest output is shown once, however often history is replayed', async () => {
  const out = { text: '' };
  const e = engine(COMPUTE, SMALL_KEYFRAMES, out);
  const motion = e.continue();
  e.cancel();
  const stop = await motion;
  assert.deepEqual(stop.reason, { kind: 'interrupted' });
  assert.ok(stop.icount > 0 && stop.icount < e.info().historyEnd);
  await e.seek(e.info().historyEnd);
  const once = out.text;
  await e.seek(10);
  await e.seek(e.info().historyEnd);
  assert.equal(out.text, once);
  const whole = await runCli(['replay', COMPUTE, '--rrfile', logs.get(COMPUTE)!]);
  assert.equal(out.text, whole.stdout);
});

test('named snapshots are listed with their icounts and loaded to roll back; writes and bad seeks are refused', async () => {
  const e = engine(COMPUTE);
  await e.seek(300_000);
  assert.deepEqual(e.saveSnapshot('mid'), { name: 'mid', icount: 300_000 });
  const atMid = stateOf(e);
  await e.seek(50_000);
  e.saveSnapshot('early');
  assert.deepEqual(e.snapshots(), [{ name: 'early', icount: 50_000 }, { name: 'mid', icount: 300_000 }]);
  await e.seek(600_000);
  const back = await e.loadSnapshot('mid');
  assert.equal(back.icount, 300_000);
  assert.equal(stateOf(e), atMid);
  await assert.rejects(e.loadSnapshot('nope'), /no snapshot named 'nope' \(there are: mid, early\)/);
  assert.equal(e.deleteSnapshot('early'), true);
  assert.equal(e.deleteSnapshot('early'), false);
  assert.throws(() => e.writeMemory(0x8000_0000, Uint8Array.of(1)), EngineError);
  assert.throws(() => e.writeRegister(5, 1), /inside recorded history/);
  await assert.rejects(e.seek(e.info().historyEnd + 1), /beyond the end of the recording/);
  assert.throws(() => e.saveSnapshot('a b'), /snapshot name/);
});

test('a small keyframe budget thins old keyframes and seeks stay exact', async () => {
  const budget = 300 * 1024;
  const e = engine(COMPUTE, { interval: 10_000, budgetBytes: budget });
  await e.seek(e.info().historyEnd);
  const info = e.info();
  assert.ok(info.keyframes.bytes <= budget, `keyframes hold ${info.keyframes.bytes} bytes`);
  assert.ok(info.keyframes.count < 78, `thinned to ${info.keyframes.count} keyframes`);
  for (const t of [5_000, 333_333, 777_777]) {
    await e.seek(t);
    assert.equal(stateOf(e), straightTo(COMPUTE, t), `state at ${t}`);
  }
});

test('a log that the machine does not follow: motions stop with "diverged", naming the icount and what differs; earlier history stays reachable', async () => {
  const reader = LogReader.open(readFileSync(logs.get(COMPUTE)!));
  const events = [...reader.events()].filter((e) => e.kind !== EventKind.IcountStamp);
  const bad = events.findIndex((e) => e.kind === EventKind.Digest && e.icount > 300_000);
  const digest = events[bad] as Extract<LogEvent, { kind: typeof EventKind.Digest }>;
  events[bad] = { ...digest, regions: digest.regions.map((h, i) => (i === 0 ? (h ^ 1) >>> 0 : h)) };
  const parts: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => parts.push(b.slice()) }, reader.header);
  for (const e of events) writer.append(e);
  writer.close();
  const tampered = join(tmp.dir, 'tampered.rr');
  writeFileSync(tampered, Buffer.concat(parts));
  logs.set('tampered', tampered);
  const s = openReplaySession(COMPUTE, tampered, { console: { write: () => {} } });
  opened.push(s);
  const e = new ReplayEngine(s.machine, s.replayer, undefined, SMALL_KEYFRAMES);
  const stop = await e.seek(e.info().historyEnd);
  assert.equal(stop.reason.kind, 'diverged');
  assert.match((stop.reason as { message: string }).message, new RegExp(`^replay diverged at icount ${digest.icount}: the machine state differs in machine\\.time`));
  const back = await e.seek(100_000);
  assert.deepEqual(back.reason, { kind: 'done' });
  assert.equal(stateOf(e), straightTo(COMPUTE, 100_000));
});

test('breaking on traps: forward at the handler\'s first instruction, in reverse at the instruction the trap interrupted', async () => {
  const handler = readElfSymbols(TIMER).get('on_trap')!.value;
  const entries: number[] = [];
  walk(TIMER, (s) => {
    if (s.machine.cpu.pc === handler) entries.push(s.machine.icount);
  });
  const e = engine(TIMER, { interval: 300, budgetBytes: 64 * 1024 * 1024 });
  e.breakOnTraps({ exceptions: false, interrupts: true });
  for (const h of entries.slice(0, 3)) {
    const stop = await e.continue();
    assert.deepEqual(stop.reason, { kind: 'trap', cause: 7, interrupt: true });
    assert.equal(stop.icount, h, 'at the handler');
    assert.equal(stop.pc, handler);
  }
  const back = await e.reverseContinue();
  assert.deepEqual(back.reason, { kind: 'trap', cause: 7, interrupt: true });
  assert.equal(back.icount, entries[2] - 1, 'just before the interrupt was taken');
  assert.notEqual(back.pc, handler);
  e.breakOnTraps({ exceptions: true, interrupts: false });
  assert.equal((await e.continue()).reason.kind, 'history-end', 'the timer guest takes no exceptions');
});
