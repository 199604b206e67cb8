// Cross-checking the compiled execution against the interpreter (the reference): two machines
// built the same way, one interpreting every instruction and one compiling hot code, run side
// by side in chunks and compare their whole state after each (of RAM, the pages either machine
// wrote since the last comparison: the others were equal then and are unchanged). In the first
// chunk that differs, a bisection (machines built again and run from the start to each probe,
// in long runs, so the compiled one runs its compiled code as it did) finds the first icount at
// which they differ. A compiled block runs whole or not at all, so that is the end of a block;
// the search then goes on inside it with blocks of one instruction, to the instruction that
// made the difference. Guests must not depend on the host (no input, no wall clock reads that
// differ): both machines get what `make` gives them. `rvreplay run --cross-check` runs it.

import type { Execution, GuestExit, VirtMachine } from './machine.js';
import { MAX_BLOCK } from './cpu/jit/region-compiler.js';
import { digestRegions } from './state-digest.js';
import type { Ram } from './memory/ram.js';
import { PAGE_SIZE } from './memory/ram.js';
import { disassemble } from './cpu/disasm.js';

export interface LockstepDifference {
  /** The icount after which the two machines first differ. */
  icount: number;
  /** The pc of the instruction that made the difference (the reference's). */
  pc: number;
  /** What differs, in words: registers, CSRs, device state or RAM. */
  what: string;
}

export interface LockstepResult {
  /** Where the run stopped: the limit, an exit both machines took, or a wait for an interrupt that cannot come. */
  icount: number;
  /** How the guest finished, when it did (the same on both machines). */
  exit?: GuestExit;
  difference?: LockstepDifference;
}

/**
 * Runs a reference (interpreting) and a compiled machine from `make` up to `limit` instructions
 * or their exit, comparing them every `chunk` instructions.
 */
export function runLockstep(make: (execution: Execution) => VirtMachine, limit: number, chunk = 100_000): LockstepResult {
  const reference = built(make, 'interpreted');
  const compiled = built(make, 'compiled');
  let start = 0;
  for (;;) {
    const target = Math.min(limit, start + chunk);
    runTo(reference, target);
    runTo(compiled, target);
    if (!sameState(reference, compiled)) return { icount: reference.icount, difference: bisect(make, start, target) };
    if (reference.exit !== undefined || target >= limit || reference.icount < target) return { icount: reference.icount, exit: reference.exit };
    reference.ram.startDirtyTracking();
    compiled.ram.startDirtyTracking();
    start = target;
  }
}

/** The first icount in (same, differs] at which the machines differ, described. */
function bisect(make: (execution: Execution) => VirtMachine, same: number, differs: number): LockstepDifference {
  const block = firstDiffering(make, 'compiled', same, differs);
  // Inside the block that ends there, one compiled instruction at a time; a difference that
  // needs whole blocks to show stays at the block's end.
  const from = Math.max(same, block - MAX_BLOCK);
  const single = pair(make, 'compiled-per-instruction', block);
  const at = sameState(single[0], single[1]) ? block : firstDiffering(make, 'compiled-per-instruction', from, block);
  const [before] = pair(make, 'compiled', at - 1);
  const pc = before.cpu.pc;
  const [r, c] = pair(make, at === block ? 'compiled' : 'compiled-per-instruction', at);
  const what = describeDifference(r, c) ?? 'the state differs';
  const where = at === block && block - 1 > same ? ' (in the compiled block that ends there)' : '';
  return { icount: at, pc, what: `${what}, after ${instructionAt(before, pc)}${where}` };
}

/** The smallest icount in (same, differs] at which a reference and a machine run `execution` differ. */
function firstDiffering(make: (execution: Execution) => VirtMachine, execution: Execution, same: number, differs: number): number {
  let lo = same;
  let hi = differs;
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const [r, c] = pair(make, execution, mid);
    if (sameState(r, c)) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** A machine from `make`, loaded as both are: RAM's tracking starts there. */
function built(make: (execution: Execution) => VirtMachine, execution: Execution): VirtMachine {
  const m = make(execution);
  m.ram.startDirtyTracking();
  return m;
}

/** A reference machine and one run `execution`, both brought to `icount`. */
function pair(make: (execution: Execution) => VirtMachine, execution: Execution, icount: number): [VirtMachine, VirtMachine] {
  const r = built(make, 'interpreted');
  const c = built(make, execution);
  runTo(r, icount);
  runTo(c, icount);
  return [r, c];
}

function runTo(m: VirtMachine, icount: number): void {
  while (m.exit === undefined && m.icount < icount) {
    const reason = m.run(icount);
    if (reason === 'idle') return;
  }
}

function sameState(a: VirtMachine, b: VirtMachine): boolean {
  return a.icount === b.icount && sameNumbers(digestRegions(a.arena), digestRegions(b.arena)) && sameWrittenPages(a.ram, b.ram);
}

/** The pages either RAM wrote since its tracking started hold the same bytes in both. */
function sameWrittenPages(a: Ram, b: Ram): boolean {
  const words = PAGE_SIZE >>> 2;
  for (const page of new Set([...a.dirtyPages(), ...b.dirtyPages()])) {
    const at = page * words;
    for (let i = at; i < at + words; i++) if (a.i32[i] !== b.i32[i]) return false;
  }
  return true;
}

/** What differs between the machines, or undefined. */
function describeDifference(a: VirtMachine, b: VirtMachine): string | undefined {
  if (a.icount !== b.icount) return `icount ${a.icount} (reference) vs ${b.icount} (compiled)`;
  if (a.cpu.pc !== b.cpu.pc) return `pc 0x${hex(a.cpu.pc)} (reference) vs 0x${hex(b.cpu.pc)} (compiled)`;
  for (let r = 1; r < 32; r++) {
    if (a.cpu.x[r] !== b.cpu.x[r]) return `x${r} 0x${hex(a.cpu.x[r])} (reference) vs 0x${hex(b.cpu.x[r])} (compiled)`;
  }
  const ra = digestRegions(a.arena);
  const rb = digestRegions(b.arena);
  const region = ra.findIndex((h, i) => h !== rb[i]);
  if (region >= 0) return `state region ${a.arena.regions[region].name}`;
  const ua = a.ram.u8;
  const ub = b.ram.u8;
  for (let i = 0; i < ua.length; i++) {
    if (ua[i] !== ub[i]) return `RAM at 0x${hex(a.ram.base + i)}: 0x${ua[i].toString(16)} (reference) vs 0x${ub[i].toString(16)} (compiled)`;
  }
  return undefined;
}

function instructionAt(m: VirtMachine, pc: number): string {
  const inst = m.cpu.inspectInstruction(pc);
  return inst === undefined ? `pc 0x${hex(pc)}` : `0x${hex(pc)}: ${disassemble(inst, pc).text.replace('\t', ' ')}`;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
