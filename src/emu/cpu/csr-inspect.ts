// A CSR as a debugger reads it: with M-mode rights whatever the hart's privilege and without
// side effects (shared by the gdb stub and the debug adapter).

import { PRV_M } from './csr.js';
import { csrRead, type CsrHart } from './rv32-csrs.js';
import { S_PRIV } from './rv32-state.js';
import type { VirtMachine } from '../machine.js';

/**
 * A CSR's value as a debugger sees it: with M-mode rights whatever the hart's privilege (so
 * `cycle` reads in U-mode with mcounteren clear), and without side effects. csrRead checks access
 * against the privilege in the hart's state words, so it reads through a copy of them that says
 * M; it raises the hart's illegal-instruction trap only for a CSR the hart lacks, which here
 * becomes undefined instead of a trap.
 */
export function readCsrAsDebugger(machine: VirtMachine, csr: number): number | undefined {
  const cpu = machine.cpu;
  const s = Int32Array.from(cpu.s);
  s[S_PRIV] = PRV_M;
  const view: CsrHart = {
    s,
    c: cpu.c,
    readTime: () => cpu.readTime(),
    illegalInstruction: () => {
      throw new NoSuchCsr();
    },
    translationChanged: () => {},
    interruptsChanged: () => {},
    pmpChanged: () => {},
  };
  try {
    return csrRead(view, csr) >>> 0;
  } catch (e) {
    if (e instanceof NoSuchCsr) return undefined;
    throw e;
  }
}

class NoSuchCsr extends Error {}
