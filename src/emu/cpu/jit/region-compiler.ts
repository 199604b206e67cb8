// Compiles the code of one 4 KiB page into one JavaScript function that V8 then compiles: the
// page's basic blocks as the cases of a `switch` on the pc inside a loop, so execution stays in
// generated code from block to block while it stays in the page (the design the speed issue
// measured at 3.5–6.7× the interpreter). Each block runs whole or not at all: it is entered only
// when the call's budget of instructions leaves room for all of it, so the count stays exact and
// the interpreter finishes what the budget cuts. What a block cannot do inline — SYSTEM, AMO,
// FENCE.I, anything illegal, an instruction crossing the page end — ends the block before it,
// and the interpreter runs that instruction (it is the reference for all of them).
//
// The guest registers the function's blocks use live in locals while it runs (block-registers.ts).
//
// Loads and stores make the hart's fast-path test inline (the page's entry in its data fast
// path, alignment) and read or write RAM themselves; anything else calls the hart's own access
// functions (translation, PMP, watchpoints, I/O, misalignment and traps stay in one place). This
// keeps what V8 compiles small, and its speed independent of V8's choices of what to inline.
// Before a call, the generated code writes back the registers, and writes the icount and the
// instruction's page offset where the hart's trap path reads them; after it, a stop the hart was
// asked for (by a device, an interrupt line that changed, code that was overwritten) ends the
// run at the next instruction, as the interpreter's loop would. A store stamps its page for
// dirty-page tracking, and one to a page RAM watches tells the hart the same way (for a page
// watched for its code, only a store to bytes code was compiled from).
//
// The loop works with the pc's offset in the page, not the pc: guest addresses at 0x80000000 and
// above are outside V8's small integers, and a pc kept as a heap number made every block
// dispatch slow. A jump out of the function's blocks ends the run with the target's offset.

import { WATCH_CODE } from '../../memory/ram.js';
import { C_ICOUNT } from '../rv32-state.js';
import { expandRvc } from '../rvc.js';
import { ACCESS_LOAD, ACCESS_STORE, TLB_ENTRIES } from '../sv32.js';
import { BlockRegisters, registerLocals, storeRegisters } from './block-registers.js';

/** What generated code needs of the hart. */
export interface JitHart {
  readonly x: Int32Array;
  readonly c: Float64Array;
  /** Set when a stop was asked for during the run (requestStop(), an interrupt change, code written…). */
  readonly stopped: boolean;
  /** The data fast path (tags and RAM offsets of pages that need no check), and its generation. */
  readonly dataTag: Int32Array;
  readonly dataOff: Int32Array;
  readonly tlbStamp: number;
  readonly ram8: Uint8Array;
  readonly ram16: Uint16Array;
  readonly ram32: Int32Array;
  /** RAM's per-page watch bits: a store to a watched page must be told (noteStore). */
  readonly ramWatch: Uint8Array;
  /** RAM's per-page write stamps: every store writes ramEpoch into its page's (dirty-page tracking). */
  readonly ramWritten: Int32Array;
  /** Constant while the hart runs (trackers start between runs). */
  readonly ramEpoch: number;
  noteStore(off: number, size: number): void;
  load8(va: number): number;
  load16(va: number): number;
  load32(va: number): number;
  store8(va: number, v: number): void;
  store16(va: number, v: number): void;
  store32(va: number, v: number): void;
}

/** Where a region's run ended (an offset from its page: it may lie outside), and where a trapping access was. */
export interface RegionExit {
  off: number;
  /** Instructions run. */
  done: number;
  /** The page offset of the load or store being made (its pc is the trap path's epc if it faults). */
  accessOffset: number;
}

/**
 * Runs blocks from the page offset `start` while they are in the page and `budget` instructions
 * allow; the result is in the exit record. The hart's icount is in its counters (c) at the call.
 * Only small integers cross the call: V8 passed icount sometimes as a small integer and
 * sometimes boxed, and code it had optimized for the one left (deoptimized) on the other, about
 * ten functions a run; a pc at 0x80000000 or above is no small integer where V8 compresses
 * pointers (Electron).
 */
export type RegionFunction = (start: number, budget: number) => void;

/** The longest block; longer straight-line code is several blocks. */
export const MAX_BLOCK = 128;
/**
 * The most source text in one function. V8's optimizing compiler takes time that grows faster
 * than the size of a function (its dispatch loop joins every block), and it runs on threads that
 * share the host's cores with the guest: on a 2-core host, cutting functions from 30,000
 * characters to 3,000 cut the time of the benchmark guests by 20-40 % (`npm run bench`), and
 * long runs did not get slower. Beyond about 75,000 characters V8 does not optimize at all.
 * Smaller is not free either: a jump to another function goes through the hart's loop, and a
 * call loads the registers its blocks use and writes back those they write. Since registers live
 * in locals, 6,000 beats 3,000 on paging (~5 %; 8 times fewer calls) and costs irq ~5 % (its
 * short runs between interrupts load more registers); 12,000 and 20,000 were slower again.
 */
const MAX_FUNCTION_SOURCE = 6_000;

interface DecodedInstruction {
  pc: number;
  /** The 32-bit form (compressed instructions expanded). */
  inst: number;
  length: 2 | 4;
}

export interface CompiledRegion {
  /** The function to run from each block's first pc (a page's blocks may be cut into several functions). */
  entries: ReadonlyMap<number, RegionFunction>;
  /** The same for a page with breakpoints: functions that leave before an instruction at a breakpoint,
   * compiled the first time they are asked for (a check per block costs code without breakpoints). */
  checkedEntries: ReadonlyMap<number, () => RegionFunction>;
  /** The page's bytes the code was compiled from, by 16-byte granule (1: compiled). */
  covered: Uint8Array;
  /** Seeds no block can start at: the interpreter runs what is there. */
  rejected: ReadonlySet<number>;
}

/** log2 of the bytes per granule of CompiledRegion.covered. */
export const GRANULE_SHIFT = 4;

/**
 * Compiles code of the page at `pageVa` (virtual, int32 arithmetic as the interpreter's pc) whose
 * bytes are `code` (4 KiB, read at compile time): blocks from the seeds, and from the block
 * targets found from them that have been `executed` (a byte per halfword of the page, non-zero:
 * run), except those `compiled` already (a page grows by new functions; the old ones keep the
 * code V8 has optimized). Code never run stays out: each block V8 has no type feedback for
 * would cost a deoptimization when first reached.
 */
export function compileRegion(pageVa: number, code: DataView, codeOffset: number, seeds: Iterable<number>,
  executed: Uint8Array, compiled: ReadonlySet<number>, hart: JitHart, exit: RegionExit,
  mulDiv: (f3: number, a: number, b: number) => number, stops: Uint8Array, codeMap: Uint8Array, maxBlock = MAX_BLOCK): CompiledRegion {
  const inPage = (pc: number): boolean => ((pc - pageVa) >>> 0) < 0x1000;
  const fetch = (pc: number): DecodedInstruction | undefined => {
    const off = (pc - pageVa) >>> 0;
    if (off > 0xffe) return undefined;
    const low = code.getUint16(codeOffset + off, true);
    if ((low & 3) !== 3) {
      const inst = expandRvc(low);
      return inst === 0 ? undefined : { pc, inst, length: 2 };
    }
    if (off > 0xffc) return undefined; // the upper half is on the next page
    return { pc, inst: code.getInt32(codeOffset + off, true), length: 4 };
  };

  const covered = new Uint8Array(0x1000 >>> GRANULE_SHIFT);
  const decoded = (d: DecodedInstruction): void => {
    const off = (d.pc - pageVa) >>> 0;
    covered[off >>> GRANULE_SHIFT] = 1;
    covered[(off + d.length - 1) >>> GRANULE_SHIFT] = 1;
  };
  // The blocks the seeds reach through code that has run, then cut into functions of at most
  // MAX_FUNCTION_SOURCE in the order they were reached (depth first, so a loop's blocks stay
  // together): a jump from one function to another returns to the interpreter's loop.
  const blocks = new Map<number, CompiledBlock>();
  const rejected = new Set<number>();
  const work = [...seeds].filter(inPage);
  while (work.length > 0) {
    const entry = work.pop()!;
    if (blocks.has(entry) || rejected.has(entry) || compiled.has(entry)) continue;
    const block = compileBlock(entry, pageVa, fetch, inPage, decoded, maxBlock);
    if (block === undefined) {
      rejected.add(entry);
      continue;
    }
    blocks.set(entry, block);
    for (const t of block.targets) if (!blocks.has(t) && !compiled.has(t) && executed[(t & 0xfff) >>> 1] !== 0) work.push(t);
  }
  // A block that runs into another block's start ends there and goes on to it: each instruction
  // is compiled once, where blocks from every entry to the next jump repeated the code after a
  // loop head or a return address (the benchmark guests compiled each instruction 5 times over).
  const starts = new Set(blocks.keys());
  for (const entry of starts) blocks.set(entry, compileBlock(entry, pageVa, fetch, inPage, decoded, maxBlock, starts)!);
  const groups: Map<number, CompiledBlock>[] = [new Map()];
  let size = 0;
  for (const [entry, block] of blocks) {
    // Sized as the function without breakpoint checks (the one that runs unless a page has some),
    // before the register write-backs (`@SYNC@`) are filled in.
    const chars = block.source.replace(/@STOP\([^@]*\)@/g, '').length;
    if (size + chars > MAX_FUNCTION_SOURCE && groups[groups.length - 1].size > 0) {
      groups.push(new Map());
      size = 0;
    }
    groups[groups.length - 1].set(entry, block);
    size += chars;
  }
  const entries = new Map<number, RegionFunction>();
  const checkedEntries = new Map<number, () => RegionFunction>();
  for (const group of groups) {
    if (group.size === 0) continue;
    const run = regionFunction(pageVa, group, hart, exit, mulDiv, codeMap, undefined);
    let checked: RegionFunction | undefined;
    const checkedRun = (): RegionFunction => (checked ??= regionFunction(pageVa, group, hart, exit, mulDiv, codeMap, stops));
    for (const pc of group.keys()) {
      entries.set(pc, run);
      checkedEntries.set(pc, checkedRun);
    }
  }
  return { entries, checkedEntries, covered, rejected };
}

/**
 * One function running the blocks of `group` (entry pc → source) while it has the next. Blocks
 * are numbered and the loop switches on the number, which V8 turns into a jump table; a jump
 * to a block of the group is `b = n`, one elsewhere leaves with the offset, and a computed jump
 * (JALR) finds its block through an offset → number table. With `stops` (a page with breakpoints),
 * the run leaves before an instruction at a breakpoint (its byte set), at a block's start or
 * inside it, to the hart, which checks the breakpoint before it runs that instruction.
 */
function regionFunction(pageVa: number, group: ReadonlyMap<number, CompiledBlock>, hart: JitHart, exit: RegionExit,
  mulDiv: (f3: number, a: number, b: number) => number, codeMap: Uint8Array, stops: Uint8Array | undefined): RegionFunction {
  const numbers = new Int16Array(0x800).fill(-1);
  [...group.keys()].forEach((pc, n) => (numbers[((pc - pageVa) >>> 0) >>> 1] = n));
  const go = (off: number): string => {
    const n = off >= 0 && off < 0x1000 ? numbers[off >>> 1] : -1;
    if (n < 0) return `off = ${off}; break dispatch;`;
    return stops === undefined ? `b = ${n}; continue dispatch;` : `if (stops[${off >>> 1}] !== 0) { off = ${off}; break dispatch; } b = ${n}; continue dispatch;`;
  };
  const computed = `if ((off >>> 0) < 0x1000) { b = numbers[off >>> 1]; if (b >= 0${stops === undefined ? '' : ' && stops[off >>> 1] === 0'}) continue dispatch; } break dispatch;`;
  const stop = (off: string, k: string): string => (stops === undefined ? '' : `if (stops[${Number(off) >>> 1}] !== 0) { ran = ${k}; off = ${off}; break dispatch; }`);
  const used = new Set([...group.values()].flatMap((block) => [...block.registers.used]));
  const sync = storeRegisters(new Set([...group.values()].flatMap((block) => [...block.registers.written])));
  const cases = [...group].map(([, { source }], n) => {
    const body = source.replace(/@GO\((-?\d+)\)@/g, (_m, off: string) => go(Number(off)))
      .replace(/@COMPUTED@/g, computed)
      .replace(/@STOP\((-?\d+),(\d+)\)@/g, (_m, off: string, k: string) => stop(off, k))
      .replace(/@SYNC@/g, sync);
    return `      case ${n}: {\n${body}\n      }`;
  }).join('\n');
  const source = `'use strict';
const x = hart.x;
const c = hart.c;
const tag = hart.dataTag;
const page = hart.dataOff;
const m8 = hart.ram8;
const m16 = hart.ram16;
const m32 = hart.ram32;
const watched = hart.ramWatch;
const written = hart.ramWritten;
return function ${functionName(group)}(start, budget) {
  const base = c[${C_ICOUNT}];
  const epoch = hart.ramEpoch;
  let off = start;
  let b = numbers[off >>> 1];
  let done = 0; // instructions run in whole blocks
  let ran = 0; // instructions run of a block left midway (constants only in exits: no type feedback needed)
  ${registerLocals(used)}
  dispatch: for (;;) {
    switch (b) {
${cases}
      default: break dispatch;
    }
  }
  ${sync}
  exit.off = off;
  exit.done = done + ran;
};`;
  const make = new Function('hart', 'exit', 'mulDiv', 'numbers', 'stops', 'code', source) as
    (h: JitHart, e: RegionExit, m: typeof mulDiv, t: Int16Array, s: Uint8Array | undefined, c: Uint8Array) => RegionFunction;
  return make(hart, exit, mulDiv, numbers, stops, codeMap);
}

/** A name that says in profiles and V8's traces which guest code a function runs: its first block's address. */
function functionName(group: ReadonlyMap<number, CompiledBlock>): string {
  const first = Math.min(...[...group.keys()].map((pc) => pc >>> 0));
  return `guest_${first.toString(16).padStart(8, '0')}_${group.size}`;
}

/** One block from `entry` (up to the next of `starts`): its source, and the pcs it may go to next in this page. */
function compileBlock(entry: number, pageVa: number, fetch: (pc: number) => DecodedInstruction | undefined, inPage: (pc: number) => boolean,
  decoded: (d: DecodedInstruction) => void, maxBlock: number, starts?: ReadonlySet<number>): CompiledBlock | undefined {
  const to = (pc: number): number => (pc - pageVa) | 0;
  const body: string[] = [];
  const targets: number[] = [];
  const regs = new BlockRegisters();
  let pc = entry;
  let n = 0;
  let end: string | undefined;
  while (n < maxBlock && inPage(pc) && !(n > 0 && starts?.has(pc))) {
    const d = fetch(pc);
    if (d === undefined) break;
    // An instruction the interpreter runs ends the block: what emit() noted of its registers
    // (reads only: it returns before any write) costs at most a load at the function's start.
    const e = emit(d, n, to, regs);
    if (e === undefined) break;
    decoded(d);
    // Where a breakpoint inside the block ends it, in the functions for pages with breakpoints.
    if (n > 0) body.push(`@STOP(${to(pc)},${n})@`);
    body.push(e.code);
    n++;
    const next = (pc + d.length) | 0;
    if (e.kind === 'jump') {
      end = e.end;
      targets.push(...e.targets.filter(inPage));
      break;
    }
    if (e.kind === 'call-like') targets.push(next); // a return comes back here
    pc = next;
  }
  if (n === 0) return undefined;
  if (end === undefined) {
    end = `done += ${n}; @GO(${to(pc)})@`;
    targets.push(pc);
  }
  const source = [`if (budget - done < ${n}) { off = ${to(entry)}; break dispatch; }`, ...body, end].map((l) => `        ${l}`).join('\n');
  return { source, targets, registers: regs };
}

interface CompiledBlock {
  source: string;
  /** The pcs in the page it may go to next. */
  targets: number[];
  registers: BlockRegisters;
}

type Emitted =
  | { kind: 'plain' | 'call-like'; code: string }
  | { kind: 'jump'; code: string; end: string; targets: number[] };

/** The code of one instruction at index `k` of its block; undefined for what the interpreter must run. */
function emit(d: DecodedInstruction, k: number, to: (pc: number) => number, regs: BlockRegisters): Emitted | undefined {
  const { pc, inst } = d;
  const npc = (pc + d.length) | 0;
  const rd = (inst >> 7) & 31;
  const rs1 = (inst >> 15) & 31;
  const rs2 = (inst >> 20) & 31;
  const f3 = (inst >> 12) & 7;
  const f7 = inst >>> 25;
  const set = (expr: string): string => regs.write(rd, expr);
  const plain = (code: string): Emitted => ({ kind: 'plain', code });
  // Only where the instruction has the operand: a read makes the block load the register.
  const a = (): string => regs.read(rs1);
  const b = (): string => regs.read(rs2);
  switch ((inst >>> 2) & 31) {
    case 0x0d: return plain(set(`${inst & 0xfffff000}`)); // LUI
    case 0x05: return plain(set(`${(pc + (inst & 0xfffff000)) | 0}`)); // AUIPC
    case 0x1b: { // JAL
      const target = (pc + (((inst >> 31) << 20) | (inst & 0xff000) | ((inst >>> 9) & 0x800) | ((inst >>> 20) & 0x7fe))) | 0;
      return { kind: 'jump', code: set(`${npc}`), end: `done += ${k + 1}; @GO(${to(target)})@`, targets: rd === 0 ? [target] : [target, npc] };
    }
    case 0x19: { // JALR
      if (f3 !== 0) return undefined;
      return {
        kind: 'jump',
        code: `{ const t = (${a()} + ${inst >> 20}) & ~1; ${set(`${npc}`)} off = (t - ${(pc - to(pc)) | 0}) | 0; }`,
        end: `done += ${k + 1}; @COMPUTED@`,
        targets: rd === 0 ? [] : [npc],
      };
    }
    case 0x18: { // BRANCH
      const cond = [`${a()} === ${b()}`, `${a()} !== ${b()}`, '', '', `${a()} < ${b()}`, `${a()} >= ${b()}`, `(${a()} >>> 0) < (${b()} >>> 0)`, `(${a()} >>> 0) >= (${b()} >>> 0)`][f3];
      if (cond === '') return undefined;
      const target = (pc + (((inst >> 31) << 12) | ((inst << 4) & 0x800) | ((inst >>> 20) & 0x7e0) | ((inst >>> 7) & 0x1e))) | 0;
      return { kind: 'jump', code: '', end: `done += ${k + 1}; if (${cond}) { @GO(${to(target)})@ } else { @GO(${to(npc)})@ }`, targets: [target, npc] };
    }
    case 0x00: { // LOAD
      const size = [1, 2, 4, 0, 1, 2, 0, 0][f3];
      if (size === 0) return undefined;
      const slow = ['(hart.load8(va) << 24) >> 24', '(hart.load16(va) << 16) >> 16', 'hart.load32(va)', '', 'hart.load8(va)', 'hart.load16(va)'][f3];
      const fast = ['(m8[o] << 24) >> 24', '(m16[o >> 1] << 16) >> 16', 'm32[o >> 2]', '', 'm8[o]', 'm16[o >> 1]'][f3];
      const into = (v: string): string => (rd === 0 ? `${v};` : regs.write(rd, v));
      return plain(`{ const va = (${a()} + ${inst >> 20}) | 0; ${hit('va', ACCESS_LOAD, size)} { const o = page[e] + (va & 4095); ${rd === 0 ? '' : into(fast)} } `
        + `else { ${access(to(pc), k)} ${into(slow)} ${afterAccess(to(npc), k)} } }`);
    }
    case 0x08: { // STORE
      const size = [1, 2, 4][f3];
      if (size === undefined) return undefined;
      const fast = ['m8[o]', 'm16[o >> 1]', 'm32[o >> 2]'][f3];
      return plain(`{ const va = (${a()} + ${((inst >> 25) << 5) | rd}) | 0; ${hit('va', ACCESS_STORE, size)} { const o = page[e] + (va & 4095); ${fast} = ${b()}; `
        + `written[o >> 12] = epoch; if (${watchedStore('o')}) { ${access(to(pc), k)} hart.noteStore(o, ${size}); ${afterAccess(to(npc), k)} } } `
        + `else { ${access(to(pc), k)} hart.store${size * 8}(va, ${b()}); ${afterAccess(to(npc), k)} } }`);
    }
    case 0x04: { // OP-IMM
      const imm = inst >> 20;
      switch (f3) {
        case 0: return plain(set(`${a()} + ${imm}`));
        case 2: return plain(set(`${a()} < ${imm} ? 1 : 0`));
        case 3: return plain(set(`(${a()} >>> 0) < ${imm >>> 0} ? 1 : 0`));
        case 4: return plain(set(`${a()} ^ ${imm}`));
        case 6: return plain(set(`${a()} | ${imm}`));
        case 7: return plain(set(`${a()} & ${imm}`));
        case 1: return f7 === 0 ? plain(set(`${a()} << ${rs2}`)) : undefined;
        default:
          if (f7 === 0) return plain(set(`${a()} >>> ${rs2}`));
          return f7 === 0x20 ? plain(set(`${a()} >> ${rs2}`)) : undefined;
      }
    }
    case 0x0c: { // OP
      if (f7 === 0) {
        return plain(set([`${a()} + ${b()}`, `${a()} << (${b()} & 31)`, `${a()} < ${b()} ? 1 : 0`, `(${a()} >>> 0) < (${b()} >>> 0) ? 1 : 0`,
          `${a()} ^ ${b()}`, `${a()} >>> (${b()} & 31)`, `${a()} | ${b()}`, `${a()} & ${b()}`][f3]));
      }
      if (f7 === 0x20) {
        if (f3 === 0) return plain(set(`${a()} - ${b()}`));
        return f3 === 5 ? plain(set(`${a()} >> (${b()} & 31)`)) : undefined;
      }
      if (f7 === 1) return plain(set(f3 === 0 ? `Math.imul(${a()}, ${b()})` : `mulDiv(${f3}, ${a()}, ${b()})`));
      return undefined;
    }
    case 0x03: // MISC-MEM: FENCE is nothing here; FENCE.I goes to the interpreter (code may have changed)
      return f3 === 0 ? plain('') : undefined;
    default: // SYSTEM, AMO and the rest
      return undefined;
  }
}

/**
 * The test for the data fast path, as the hart's own accesses make it: the page's entry for this
 * kind of access is of the current generation (then RAM with nothing to check), and the access
 * is aligned (a misaligned one is split into bytes on the general path). Sets `e`.
 */
function hit(va: string, type: number, size: number): string {
  const aligned = size === 1 ? '' : ` && (${va} & ${size - 1}) === 0`;
  return `const p = ${va} >>> 12; const e = (p & ${TLB_ENTRIES - 1}) + ${type * TLB_ENTRIES}; if (tag[e] === (p | hart.tlbStamp)${aligned})`;
}

/**
 * Whether a store at RAM offset `o` must be told to the hart: its page is watched, for more than
 * code or for code in the store's granule (`code`: RegionCache's map of compiled granules).
 */
function watchedStore(o: string): string {
  return `watched[${o} >> 12] !== 0 && (watched[${o} >> 12] !== ${WATCH_CODE} || code[${o} >> ${GRANULE_SHIFT}] !== 0)`;
}

/**
 * Before an access: where the hart's trap path and devices look for the icount and the pc, and
 * the registers as the instruction found them (`@SYNC@`: a trap goes on from there in the
 * interpreter).
 */
function access(off: number, k: number): string {
  return `@SYNC@ c[${C_ICOUNT}] = base + (done + ${k}); exit.accessOffset = ${off};`;
}

/** After an access: a stop asked for ends the run after this instruction. */
function afterAccess(nextOff: number, k: number): string {
  return `if (hart.stopped) { ran = ${k + 1}; off = ${nextOff}; break dispatch; }`;
}
