// The compiled execution against the interpreter, instruction for instruction: every test guest
// and the benchmark guests run in lockstep (runLockstep compares the whole machine state every
// chunk and bisects to the first differing instruction), and compiled code gone stale is
// caught at the instruction that makes the difference.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { guestImage } from '../../src/cli/guest-file.js';
import { Elf } from '../../src/emu/elf.js';
import { runLockstep } from '../../src/emu/lockstep.js';
import { DEFAULT_CONFIG, VirtMachine, type Execution, type GuestImage } from '../../src/emu/machine.js';
import { BUILD_DIR } from '../unit/debuginfo-gdb.js';

const BENCH_GUESTS = join(__dirname, '..', '..', 'bench', 'guests');

function image(path: string): GuestImage {
  return guestImage(Elf.parse(readFileSync(path)), path);
}

/** A machine for the guest with a host that gives both machines the same: no input, a fixed clock. */
function maker(guest: GuestImage): (execution: Execution) => VirtMachine {
  return (execution) => {
    const m = new VirtMachine({ ...DEFAULT_CONFIG, ramMiB: 16, execution }, { console: { write: () => {} }, wallClock: { nowNs: () => 1_700_000_000_000_000_000n } });
    m.load(guest);
    return m;
  };
}

// Guests whose devices need a host this test does not give (disks, network, input, entropy).
const NEEDS_HOST = /virtio/;

test('every test guest runs the same compiled as interpreted, instruction for instruction', () => {
  const guests = readdirSync(BUILD_DIR).filter((f) => f.endsWith('.elf') && !NEEDS_HOST.test(f)).sort();
  assert.ok(guests.length >= 30, `test guests built (${guests.length})`);
  for (const name of guests) {
    const r = runLockstep(maker(image(join(BUILD_DIR, name))), 50_000_000, 200_000);
    assert.equal(r.difference, undefined, `${name}: ${JSON.stringify(r.difference)}`);
  }
});

test('the benchmark guests run the same compiled as interpreted (their first 20 million instructions)', () => {
  for (const name of ['compute', 'irq', 'serial', 'paging']) {
    const r = runLockstep(maker(image(join(BENCH_GUESTS, `${name}.elf`))), 20_000_000, 2_000_000);
    assert.equal(r.difference, undefined, `${name}: ${JSON.stringify(r.difference)}`);
  }
});

test('compiled code that went stale is found at the instruction that makes the difference', () => {
  // At 2 ms of virtual time (the kernels' code long compiled), both machines' copies of compute
  // get one instruction changed behind the hart's back (no write it is told of): `add a0,a5,a2`
  // becomes `sub a0,a5,a2`. The interpreter runs the new instruction; compiled code that missed
  // the change runs the old one, as it would with a missing invalidation.
  const guest = image(join(BENCH_GUESTS, 'compute.elf'));
  const probe = maker(guest)('interpreted');
  let target = -1;
  for (let pc = probe.ram.base; pc < probe.ram.base + 0x2000 && target < 0; pc += 2) {
    if (probe.cpu.inspectInstruction(pc) === 0x00c78533) target = pc; // add a0,a5,a2
  }
  assert.ok(target > 0, 'the kernel instruction is there');
  const behindTheBack = (m: VirtMachine): void => {
    const timer = m.timers.create('test-patch', () => m.ram.u8.set([0x33, 0x85, 0xc7, 0x40], target - m.ram.base));
    timer.deadlineNs = 2_000_000;
  };
  const make = (execution: Execution): VirtMachine => {
    const m = maker(guest)(execution);
    behindTheBack(m);
    return m;
  };
  const r = runLockstep(make, 20_000_000, 1_000_000);
  assert.ok(r.difference !== undefined, 'the difference is found');
  assert.equal(r.difference.pc, target);
  assert.ok(r.difference.icount > 2_000_000);
  assert.match(r.difference.what, /^x10 0x[0-9a-f]+ \(reference\) vs 0x[0-9a-f]+ \(compiled\), after 0x[0-9a-f]+: sub a0,a5,a2$/);
});

test('a store that only compiled execution makes, to a page the reference never writes, is found', () => {
  // At 2 ms of virtual time the compiled machines (not the reference) store a word through the
  // hart, as compiled code storing to a wrong address would: RAM is compared where either wrote.
  const guest = image(join(BENCH_GUESTS, 'compute.elf'));
  const stray = 0x80c0_0000;
  const make = (execution: Execution): VirtMachine => {
    const m = maker(guest)(execution);
    if (execution !== 'interpreted') m.timers.create('test-store', () => m.cpu.store32(stray | 0, 0x1234)).deadlineNs = 2_000_000;
    return m;
  };
  const r = runLockstep(make, 6_000_000, 1_000_000);
  assert.ok(r.difference !== undefined, 'the difference is found');
  assert.ok(r.difference.icount >= 2_000_000 && r.difference.icount < 3_000_000, `at ${r.difference.icount}`);
  assert.match(r.difference.what, /^RAM at 0x80c00000: 0x0 \(reference\) vs 0x34 \(compiled\)/);
});

test('breakpoints in compiled code stop at the same instructions as in interpreted code, as they come and go', () => {
  // Breakpoints in the compute kernels' hot loops, set once their pages are compiled: compiled
  // code must leave to the hart before each, also for one added or removed while it runs.
  const guest = image(join(BENCH_GUESTS, 'compute.elf'));
  const probe = maker(guest)('interpreted');
  const pcs: number[] = [];
  for (let at = 3_000_000; pcs.length < 4; at += 3) {
    probe.run(at);
    if (!pcs.includes(probe.cpu.pc)) pcs.push(probe.cpu.pc);
  }
  const hits = (execution: Execution): string[] => {
    const m = maker(guest)(execution);
    m.run(3_000_000);
    const debug = m.cpu.debug;
    for (const pc of pcs.slice(0, 3)) debug.addBreakpoint(pc);
    const seen: string[] = [];
    while (seen.length < 600) {
      debug.resumeIcount = m.cpu.icount;
      const reason = m.run(60_000_000);
      assert.equal(reason, 'debug', `${execution}: stopped by a breakpoint, not ${reason}`);
      const hit = debug.hit;
      assert.ok(hit?.kind === 'breakpoint' && hit.pc === m.cpu.pc);
      seen.push(`${hit.pc.toString(16)}@${hit.icount}`);
      if (seen.length === 200) debug.addBreakpoint(pcs[3]);
      if (seen.length === 400) debug.removeBreakpoint(pcs[0]);
    }
    return seen;
  };
  const reference = hits('interpreted');
  assert.deepEqual(hits('compiled'), reference);
  assert.ok(reference.slice(200).some((h) => h.startsWith(pcs[3].toString(16))), 'the breakpoint added later is hit');
  assert.ok(!reference.slice(401).some((h) => h.startsWith(`${pcs[0].toString(16)}@`)), 'the breakpoint removed is not');
});
