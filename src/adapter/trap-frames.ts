// Where the hart's trap handlers are and what they are handling, so the call stack can walk out
// of a handler into the interrupted code: the handler's entry (the tvec base, or in vectored mode
// the jump at its vector), the epc it returns to, and the trap's name for the "<trap>" label.
import * as C from '../emu/cpu/csr.js';
import { readCsrAsDebugger } from '../emu/cpu/csr-inspect.js';
import { disassemble } from '../emu/cpu/disasm.js';
import type { DebugEngine } from '../engine/debug-engine.js';
import { trapName } from '../replay/describe-event.js';

export interface TrapEntry {
  /** The address the handler function starts at. */
  readonly handler: number;
  /** The pc the trap came at (mepc/sepc). */
  readonly epc: number;
  /** "machine timer interrupt (cause 7)". */
  readonly what: string;
}

/** The M-mode and S-mode handlers as the CSRs describe them now; a tvec of 0 means none. */
export function trapEntries(engine: DebugEngine): TrapEntry[] {
  const m = engine.machine;
  const entry = (tvecCsr: number, epcCsr: number, causeCsr: number): TrapEntry | undefined => {
    const tvec = readCsrAsDebugger(m, tvecCsr) ?? 0;
    const base = (tvec & ~3) >>> 0;
    if (base === 0) return undefined;
    const cause = readCsrAsDebugger(m, causeCsr) ?? 0;
    const interrupt = (cause & 0x8000_0000) !== 0;
    const code = cause & 0x7fff_ffff;
    const vectored = (tvec & 3) === 1 && interrupt;
    const handler = vectored ? jumpTarget(engine, (base + 4 * code) >>> 0) : base;
    const what = trapName(code, interrupt).replace(/^(the|a|an) /, '');
    return { handler, epc: (readCsrAsDebugger(m, epcCsr) ?? 0) >>> 0, what };
  };
  return [entry(C.CSR_MTVEC, C.CSR_MEPC, C.CSR_MCAUSE), entry(C.CSR_STVEC, C.CSR_SEPC, C.CSR_SCAUSE)]
    .filter((t) => t !== undefined);
}

/** A vector table slot holds `j handler`; anything else is the handler itself. */
function jumpTarget(engine: DebugEngine, slot: number): number {
  const bytes = engine.readMemory(slot, 4);
  if (bytes.length !== 4) return slot;
  const decoded = disassemble((bytes[0] | (bytes[1] << 8) | (bytes[2] << 16) | (bytes[3] << 24)) >>> 0, slot);
  return decoded.text.startsWith('j\t') && decoded.target !== undefined ? decoded.target : slot;
}
