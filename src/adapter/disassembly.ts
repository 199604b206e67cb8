// DAP's disassemble request: instructions around an address as the hart would fetch them now,
// with symbols (`main+12`), jump targets named, and the source line where a line begins. RISC-V
// instructions are 2 or 4 bytes, so instructions before an address are found by decoding forward
// from a point far enough back (the function's start when known) until the address is reached.

import type { DebugProtocol } from '@vscode/debugprotocol';
import { disassemble } from '../emu/cpu/disasm.js';
import type { DebugInfo } from '../debuginfo/debug-info.js';
import type { DebugEngine } from '../engine/debug-engine.js';

export function disassembleAround(
  engine: DebugEngine, info: DebugInfo | undefined, address: number, instructionOffset: number, count: number,
): DebugProtocol.DisassembledInstruction[] {
  const before = Math.max(0, -instructionOffset);
  const start = startBefore(engine, info, address, before);
  const out: DebugProtocol.DisassembledInstruction[] = [];
  // Decode from `start` to `address`, keeping the last `before` instructions.
  let pc = start;
  const earlier: DebugProtocol.DisassembledInstruction[] = [];
  while (pc < address) {
    const d = decodeAt(engine, info, pc);
    earlier.push(d.instruction);
    pc += d.length;
  }
  out.push(...earlier.slice(Math.max(0, earlier.length - before)));
  // Pad with placeholders where history before the start could not be decoded.
  while (out.length < before) out.unshift(invalid(start - 2 * (before - out.length)));
  pc = address;
  const skip = Math.max(0, instructionOffset);
  for (let i = 0; out.length < count + skip; i++) {
    const d = decodeAt(engine, info, pc);
    out.push(d.instruction);
    pc += d.length;
  }
  return out.slice(skip, skip + count);
}

/** Where to start decoding so that `before` instructions precede `address`. */
function startBefore(engine: DebugEngine, info: DebugInfo | undefined, address: number, before: number): number {
  if (before === 0) return address;
  const far = Math.max(0, address - 4 * before);
  const fn = info?.functionAt(address);
  // From the function's start the decoding is in step with the code; from an arbitrary point it
  // may start inside an instruction, so go back to a known start when there is one.
  if (fn !== undefined && fn.entryPc <= far) return fn.entryPc + alignedCount(engine, info, fn.entryPc, far);
  return fn !== undefined ? fn.entryPc : far;
}

/** Bytes to skip from `from` (an instruction start) to reach the last instruction start at or before `to`. */
function alignedCount(engine: DebugEngine, info: DebugInfo | undefined, from: number, to: number): number {
  let pc = from;
  for (;;) {
    const next = pc + decodeAt(engine, info, pc).length;
    if (next > to) return pc - from;
    pc = next;
  }
}

function decodeAt(engine: DebugEngine, info: DebugInfo | undefined, pc: number): { instruction: DebugProtocol.DisassembledInstruction; length: number } {
  const raw = engine.machine.cpu.inspectInstruction(pc);
  if (raw === undefined) return { instruction: invalid(pc), length: 2 };
  const d = disassemble(raw, pc);
  const bytes = d.length === 2 ? raw & 0xffff : raw >>> 0;
  let text = d.text.replace('\t', ' ');
  if (d.target !== undefined) {
    const name = info?.describeAddress(d.target);
    if (name !== undefined) text += ` <${name}>`;
  }
  const instruction: DebugProtocol.DisassembledInstruction = {
    address: `0x${hex(pc)}`,
    instructionBytes: bytes.toString(16).padStart(d.length * 2, '0'),
    instruction: text,
  };
  const symbol = info?.describeAddress(pc);
  if (symbol !== undefined) instruction.symbol = symbol;
  const line = info?.lineAt(pc);
  if (line !== undefined && line.address === pc) {
    instruction.location = { name: line.path.split('/').pop(), path: line.path };
    instruction.line = line.line;
  }
  return { instruction, length: d.length };
}

function invalid(pc: number): DebugProtocol.DisassembledInstruction {
  return { address: `0x${hex(Math.max(0, pc))}`, instruction: '(cannot be read)', presentationHint: 'invalid' };
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
