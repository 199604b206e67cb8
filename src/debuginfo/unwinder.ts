// The stack unwinder: from the registers of the innermost frame, the call frame information and
// target memory, it recovers each caller's registers (pc from the return address column, sp as
// the CFA, saved registers from their rules) until the outermost frame or until it cannot go on,
// and then says why it stopped. Registers the CFI says nothing about keep their value, as gdb
// assumes for RISC-V.

import type { CallFrameInfo, CfiRow, RegisterRule } from './call-frame.js';
import { evaluateValue, type ExprContext } from './dwarf-expr.js';

/** RISC-V DWARF register numbers. */
export const REG_RA = 1;
export const REG_SP = 2;
export const REG_FP = 8;
export const REGISTER_COUNT = 32;

export interface PhysicalFrame {
  readonly level: number;
  /** The frame's pc: where the hart is (frame 0) or where the call returns to (callers). */
  readonly pc: number;
  /**
   * The address that stands for this frame in lookups (function, line, scopes, CFI): pc in frame
   * 0, pc − 1 in callers so a call at the very end of a function still finds that function.
   */
  readonly lookupPc: number;
  /** The canonical frame address, when the CFI gives one. */
  readonly cfa: number | undefined;
  /** This frame was interrupted by a trap (its pc is the instruction the trap came at, not a return address). */
  readonly interrupted?: boolean;
  /** Registers x0–x31 by DWARF number; undefined where the unwinder could not recover one. */
  readonly registers: readonly (bigint | undefined)[];
}

export interface Unwound {
  readonly frames: readonly PhysicalFrame[];
  /** Why there are no more frames. */
  readonly stopReason: string;
}

export interface UnwindOptions {
  readonly addressSize: number;
  readMemory(address: number, size: number): Uint8Array | undefined;
  /** True for a frame past which the walk should not go (main, the entry point). */
  isOutermost?(frame: PhysicalFrame): boolean;
  /**
   * For a frame that is a trap handler: the pc the trap came from (the saved epc). The frame
   * below it is then the interrupted code, at that pc, with the registers the handler's CFI
   * restores; a handler returns with xRET, not through ra.
   */
  trapReturn?(frame: PhysicalFrame): number | undefined;
  readonly maxFrames?: number;
}

/** Walks the stack from frame 0 (pc and x0–x31 as the hart has them). */
export function unwindStack(cfi: CallFrameInfo, pc: number, x: ArrayLike<number>, options: UnwindOptions): Unwound {
  const mask = (1n << BigInt(options.addressSize * 8)) - 1n;
  const registers: (bigint | undefined)[] = [];
  for (let i = 0; i < REGISTER_COUNT; i++) registers.push(i === 0 ? 0n : BigInt(x[i]) & mask);
  const frames: PhysicalFrame[] = [];
  let frame: PhysicalFrame = { level: 0, pc, lookupPc: pc, cfa: undefined, registers };
  const maxFrames = options.maxFrames ?? 256;
  for (;;) {
    const row = cfi.rowAt(frame.lookupPc);
    const cfa = row === undefined ? undefined : computeCfa(row, frame, options);
    frame = { ...frame, cfa: cfa === undefined ? undefined : Number(cfa) };
    frames.push(frame);
    if (options.isOutermost?.(frame) === true) return { frames, stopReason: 'outermost frame' };
    if (frames.length >= maxFrames) return { frames, stopReason: `stopped after ${maxFrames} frames` };
    if (row === undefined) {
      return { frames, stopReason: `no call frame information for 0x${frame.pc.toString(16)} (code without CFI, such as hand-written assembly)` };
    }
    if (cfa === undefined) return { frames, stopReason: `cannot compute the frame address at 0x${frame.pc.toString(16)}` };
    const caller: (bigint | undefined)[] = [];
    for (let r = 0; r < REGISTER_COUNT; r++) {
      const rule = row.registers.get(r);
      if (r === 0) caller.push(0n);
      else if (rule === undefined) caller.push(r === REG_SP ? cfa : frame.registers[r]);
      else caller.push(applyRule(rule, r, cfa, frame, options));
    }
    const epc = options.trapReturn?.(frame);
    if (epc !== undefined) {
      frame = { level: frame.level + 1, pc: epc, lookupPc: epc, cfa: undefined, registers: caller, interrupted: true };
      continue;
    }
    const raRule = row.registers.get(row.returnAddressRegister);
    const returnAddress = raRule === undefined ? frame.registers[row.returnAddressRegister]
      : applyRule(raRule, row.returnAddressRegister, cfa, frame, options);
    if (returnAddress === undefined) return { frames, stopReason: 'the return address is not saved (outermost frame)' };
    if (returnAddress === 0n) return { frames, stopReason: 'return address 0 (outermost frame)' };
    const callerPc = Number(returnAddress);
    if (callerPc === frame.pc && caller[REG_SP] === frame.registers[REG_SP]) {
      return { frames, stopReason: 'the caller frame is the same as this one (corrupt stack?)' };
    }
    if (frame.cfa !== undefined && frames.length > 1 && frames[frames.length - 2].cfa !== undefined
      && frame.cfa < (frames[frames.length - 2].cfa as number)) {
      return { frames, stopReason: 'frames go the wrong way (corrupt stack?)' };
    }
    frame = { level: frame.level + 1, pc: callerPc, lookupPc: callerPc - 1, cfa: undefined, registers: caller };
  }
}

function exprContext(frame: PhysicalFrame, options: UnwindOptions): ExprContext {
  return {
    addressSize: options.addressSize,
    readRegister: (n) => frame.registers[n],
    readMemory: (a, s) => options.readMemory(a, s),
  };
}

function computeCfa(row: CfiRow, frame: PhysicalFrame, options: UnwindOptions): bigint | undefined {
  const mask = (1n << BigInt(options.addressSize * 8)) - 1n;
  if (row.cfa.kind === 'reg-offset') {
    const base = frame.registers[row.cfa.regno];
    return base === undefined ? undefined : (base + BigInt(row.cfa.offset)) & mask;
  }
  return evaluateValue(row.cfa.expr, exprContext(frame, options));
}

function applyRule(rule: RegisterRule, regno: number, cfa: bigint, frame: PhysicalFrame, options: UnwindOptions): bigint | undefined {
  const mask = (1n << BigInt(options.addressSize * 8)) - 1n;
  const load = (address: bigint): bigint | undefined => {
    const b = options.readMemory(Number(address & mask), options.addressSize);
    if (b === undefined) return undefined;
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  };
  switch (rule.kind) {
    case 'undefined': return undefined;
    case 'same': return frame.registers[regno];
    case 'offset': return load(cfa + BigInt(rule.offset));
    case 'val-offset': return (cfa + BigInt(rule.offset)) & mask;
    case 'register': return frame.registers[rule.regno];
    case 'expression': {
      const a = evaluateValue(rule.expr, exprContext(frame, options), [cfa]);
      return a === undefined ? undefined : load(a);
    }
    case 'val-expression': return evaluateValue(rule.expr, exprContext(frame, options), [cfa]);
  }
}
