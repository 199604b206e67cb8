// The registers gdb sees and their remote numbers: x0–x31 as 0–31 and pc as 32 (the `g` packet
// holds exactly these 33, in this order), the CSRs the hart has as 65 + the CSR's number, and
// the privilege level as 65 + 4096 (the numbers gdb's own riscv-tdep uses inside, so a remote
// number and gdb's number are the same register). target-xml.ts describes the same list.

import { CSR_NAMES } from '../emu/cpu/csr.js';
import { readCsrAsDebugger } from '../emu/cpu/csr-inspect.js';
import type { VirtMachine } from '../emu/machine.js';


export const REG_PC = 32;
/** Registers in a `g` reply: x0–x31 and pc. */
export const G_REGISTER_COUNT = 33;
export const CSR_REGNUM_BASE = 65;
export const PRIV_REGNUM = CSR_REGNUM_BASE + 4096;

/** gdb's names for x0–x31 (its riscv 32bit-cpu feature; gdb also accepts s0 and xN). */
export const X_REGISTER_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 'fp', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

export interface GdbCsr {
  name: string;
  csr: number;
  regnum: number;
}

/** Every CSR the hart implements, by number. */
export const GDB_CSRS: readonly GdbCsr[] = [...CSR_NAMES.entries()]
  .sort((a, b) => a[0] - b[0])
  .map(([csr, name]) => ({ name, csr, regnum: CSR_REGNUM_BASE + csr }));

const CSR_BY_REGNUM = new Map(GDB_CSRS.map((c) => [c.regnum, c]));

/** What a register read gives: a value, no such register, or one that cannot be read now. */
export type RegisterValue = { value: number } | { missing: true } | { unavailable: true };

export function readGdbRegister(machine: VirtMachine, regnum: number): RegisterValue {
  const cpu = machine.cpu;
  if (regnum >= 0 && regnum < 32) return { value: cpu.x[regnum] >>> 0 };
  if (regnum === REG_PC) return { value: cpu.pc };
  if (regnum === PRIV_REGNUM) return { value: cpu.priv };
  const csr = CSR_BY_REGNUM.get(regnum);
  if (csr === undefined) return { missing: true };
  const value = readCsrAsDebugger(machine, csr.csr);
  return value === undefined ? { unavailable: true } : { value };
}

export function isCsrRegnum(regnum: number): boolean {
  return CSR_BY_REGNUM.has(regnum) || regnum === PRIV_REGNUM;
}
