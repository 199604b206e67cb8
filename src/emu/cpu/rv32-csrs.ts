// Control and status registers of the RV32 hart: access rules (privilege, read-only, counter
// enables, TVM) and each register's WARL behaviour, after the privileged spec v1.12 and what
// QEMU 7.2 implements for a hart with M, S and U modes and no F/D/V/H.

import * as C from './csr.js';
import {
  C_ICOUNT, S_MCAUSE, S_MCOUNTEREN, S_MCOUNTINHIBIT, S_MCYCLE_LO, S_MEDELEG, S_MENVCFG,
  S_MEPC, S_MIDELEG, S_MIE, S_MINSTRET_LO, S_MIP_HW, S_MIP_SW, S_MSCRATCH, S_MSTATUS,
  S_MTVAL, S_MTVEC, S_PMPADDR, S_PMPCFG, S_PRIV, S_SATP, S_SCAUSE, S_SCOUNTEREN, S_SENVCFG, S_SEPC,
  S_SSCRATCH, S_STVAL, S_STVEC,
} from './rv32-state.js';

/** What the CSR file needs of its hart. */
export interface CsrHart {
  readonly s: Int32Array;
  readonly c: Float64Array;
  /** The CLINT's mtime, for the time/timeh CSRs. */
  readTime(): bigint;
  /** Throws the illegal-instruction trap. */
  illegalInstruction(): never;
  /** Address translation or its permissions may have changed. */
  translationChanged(): void;
  /** An interrupt may have become pending and enabled. */
  interruptsChanged(): void;
  /** A PMP configuration or address register changed. */
  pmpChanged(): void;
}

/** misa: MXL=1 (32-bit), extensions A C I M S U. */
export const MISA_RV32IMACSU = (1 << 30) | (1 << 0) | (1 << 2) | (1 << 8) | (1 << 12) | (1 << 18) | (1 << 20);

const MSTATUS_WRITABLE = C.MSTATUS_SIE | C.MSTATUS_MIE | C.MSTATUS_SPIE | C.MSTATUS_MPIE | C.MSTATUS_SPP |
  C.MSTATUS_MPP | C.MSTATUS_MPRV | C.MSTATUS_SUM | C.MSTATUS_MXR | C.MSTATUS_TVM | C.MSTATUS_TW | C.MSTATUS_TSR;
const SSTATUS_VISIBLE = C.MSTATUS_SIE | C.MSTATUS_SPIE | C.MSTATUS_UBE | C.MSTATUS_SPP | C.MSTATUS_VS |
  C.MSTATUS_FS | C.MSTATUS_XS | C.MSTATUS_SUM | C.MSTATUS_MXR | C.MSTATUS_SD;
const SSTATUS_WRITABLE = SSTATUS_VISIBLE & MSTATUS_WRITABLE;
/** Changing any of these changes how addresses translate. */
const MSTATUS_TRANSLATION = C.MSTATUS_MPRV | C.MSTATUS_MPP | C.MSTATUS_SUM | C.MSTATUS_MXR;

/** Exceptions S-mode may take by delegation: everything but ecall from M (bit 11). */
export const DELEGABLE_EXCEPTIONS = 0xb3ff;
export const DELEGABLE_INTERRUPTS = C.MIP_SSIP | C.MIP_STIP | C.MIP_SEIP;
const MIE_WRITABLE = C.MIP_SSIP | C.MIP_MSIP | C.MIP_STIP | C.MIP_MTIP | C.MIP_SEIP | C.MIP_MEIP;
const MIP_SW_WRITABLE = C.MIP_SSIP | C.MIP_STIP | C.MIP_SEIP;

const PMPCFG_L = 0x80;
const PMPCFG_A_TOR = 0x08;
const PMPCFG_A = 0x18;
const MENVCFG_FIOM = 1;

const U64 = (1n << 64n) - 1n;

export function readMip(s: Int32Array): number {
  return s[S_MIP_HW] | s[S_MIP_SW];
}

/** Value of mcycle (which = S_MCYCLE_LO) or minstret, with its 64-bit offset from icount. */
function counter(h: CsrHart, lo: number, inhibitBit: number): bigint {
  const base = (BigInt(h.s[lo + 1] >>> 0) << 32n) | BigInt(h.s[lo] >>> 0);
  if (h.s[S_MCOUNTINHIBIT] & inhibitBit) return base; // frozen
  return (BigInt(h.c[C_ICOUNT]) + base) & U64;
}

function setCounter(h: CsrHart, lo: number, inhibitBit: number, value: bigint): void {
  const v = value & U64;
  const stored = h.s[S_MCOUNTINHIBIT] & inhibitBit ? v : (v - BigInt(h.c[C_ICOUNT])) & U64;
  h.s[lo] = Number(stored & 0xffffffffn) | 0;
  h.s[lo + 1] = Number(stored >> 32n) | 0;
}

function writeCounterHalf(h: CsrHart, lo: number, inhibitBit: number, high: boolean, value: number): void {
  const cur = counter(h, lo, inhibitBit);
  const v = BigInt(value >>> 0);
  setCounter(h, lo, inhibitBit, high ? (cur & 0xffffffffn) | (v << 32n) : (cur & ~0xffffffffn) | v);
}

function half(v: bigint, high: boolean): number {
  return Number((high ? v >> 32n : v) & 0xffffffffn) | 0;
}

/** Counter access from S/U is gated by mcounteren (and scounteren for U). */
function checkCounterEnable(h: CsrHart, csr: number): void {
  const priv = h.s[S_PRIV];
  if (priv === C.PRV_M) return;
  const bit = 1 << (csr & 31);
  if ((h.s[S_MCOUNTEREN] & bit) === 0) h.illegalInstruction();
  if (priv === C.PRV_U && (h.s[S_SCOUNTEREN] & bit) === 0) h.illegalInstruction();
}

/** Raises illegal instruction unless the current privilege may access `csr` (and write it, if `write`). */
export function checkCsrAccess(h: CsrHart, csr: number, write: boolean): void {
  const priv = h.s[S_PRIV];
  if (priv < ((csr >> 8) & 3)) h.illegalInstruction();
  if (write && (csr >> 10) === 3) h.illegalInstruction();
  if (csr === C.CSR_SATP && priv === C.PRV_S && (h.s[S_MSTATUS] & C.MSTATUS_TVM)) h.illegalInstruction();
}

export function csrRead(h: CsrHart, csr: number): number {
  const s = h.s;
  switch (csr) {
    case C.CSR_CYCLE: case C.CSR_CYCLEH: case C.CSR_INSTRET: case C.CSR_INSTRETH:
    case C.CSR_TIME: case C.CSR_TIMEH:
      checkCounterEnable(h, csr);
      if (csr === C.CSR_TIME || csr === C.CSR_TIMEH) return half(h.readTime(), csr === C.CSR_TIMEH);
      return csrRead(h, csr - C.CSR_CYCLE + C.CSR_MCYCLE);
    case C.CSR_MCYCLE: return half(counter(h, S_MCYCLE_LO, 1), false);
    case C.CSR_MCYCLEH: return half(counter(h, S_MCYCLE_LO, 1), true);
    case C.CSR_MINSTRET: return half(counter(h, S_MINSTRET_LO, 4), false);
    case C.CSR_MINSTRETH: return half(counter(h, S_MINSTRET_LO, 4), true);

    case C.CSR_SSTATUS: return s[S_MSTATUS] & SSTATUS_VISIBLE;
    case C.CSR_SIE: return s[S_MIE] & s[S_MIDELEG];
    case C.CSR_STVEC: return s[S_STVEC];
    case C.CSR_SCOUNTEREN: return s[S_SCOUNTEREN];
    case C.CSR_SENVCFG: return s[S_SENVCFG];
    case C.CSR_SSCRATCH: return s[S_SSCRATCH];
    case C.CSR_SEPC: return s[S_SEPC];
    case C.CSR_SCAUSE: return s[S_SCAUSE];
    case C.CSR_STVAL: return s[S_STVAL];
    case C.CSR_SIP: return readMip(s) & s[S_MIDELEG];
    case C.CSR_SATP: return s[S_SATP];

    case C.CSR_MVENDORID: case C.CSR_MARCHID: case C.CSR_MIMPID: case C.CSR_MHARTID: case C.CSR_MCONFIGPTR:
      return 0;
    case C.CSR_MSTATUS: return s[S_MSTATUS];
    case C.CSR_MSTATUSH: return 0;
    case C.CSR_MISA: return MISA_RV32IMACSU;
    case C.CSR_MEDELEG: return s[S_MEDELEG];
    case C.CSR_MIDELEG: return s[S_MIDELEG];
    case C.CSR_MIE: return s[S_MIE];
    case C.CSR_MTVEC: return s[S_MTVEC];
    case C.CSR_MCOUNTEREN: return s[S_MCOUNTEREN];
    case C.CSR_MENVCFG: return s[S_MENVCFG];
    case C.CSR_MENVCFGH: return 0;
    case C.CSR_MCOUNTINHIBIT: return s[S_MCOUNTINHIBIT];
    case C.CSR_MSCRATCH: return s[S_MSCRATCH];
    case C.CSR_MEPC: return s[S_MEPC];
    case C.CSR_MCAUSE: return s[S_MCAUSE];
    case C.CSR_MTVAL: return s[S_MTVAL];
    case C.CSR_MIP: return readMip(s);

    // Sdtrig with no triggers: tselect stays 0 and tdata1 reads type 0 ("no trigger here").
    case C.CSR_TSELECT: case C.CSR_TDATA1: case C.CSR_TDATA2: case C.CSR_TDATA3:
      return 0;
  }
  if (csr >= C.CSR_PMPCFG0 && csr <= C.CSR_PMPCFG3) return s[S_PMPCFG + csr - C.CSR_PMPCFG0];
  if (csr >= C.CSR_PMPADDR0 && csr <= C.CSR_PMPADDR15) return s[S_PMPADDR + csr - C.CSR_PMPADDR0];
  // Performance counters and events exist but count nothing (read zero, writes ignored).
  if ((csr >= C.CSR_HPMCOUNTER3 && csr <= C.CSR_HPMCOUNTER31) || (csr >= C.CSR_HPMCOUNTER3H && csr <= C.CSR_HPMCOUNTER31H)) {
    checkCounterEnable(h, csr);
    return 0;
  }
  if ((csr >= C.CSR_MHPMCOUNTER3 && csr <= C.CSR_MHPMCOUNTER31) || (csr >= C.CSR_MHPMCOUNTER3H && csr <= C.CSR_MHPMCOUNTER31H) ||
      (csr >= C.CSR_MHPMEVENT3 && csr <= C.CSR_MHPMEVENT31)) {
    return 0;
  }
  return h.illegalInstruction();
}

/** True when `csr` names a register this hart has (for the illegal-instruction check before a write). */
export function csrExists(csr: number): boolean {
  return C.CSR_NAMES.has(csr);
}

export function csrWrite(h: CsrHart, csr: number, value: number): void {
  const s = h.s;
  switch (csr) {
    case C.CSR_MSTATUS: writeMstatus(h, (s[S_MSTATUS] & ~MSTATUS_WRITABLE) | (value & MSTATUS_WRITABLE)); return;
    case C.CSR_SSTATUS: writeMstatus(h, (s[S_MSTATUS] & ~SSTATUS_WRITABLE) | (value & SSTATUS_WRITABLE)); return;
    case C.CSR_MSTATUSH: case C.CSR_MENVCFGH: case C.CSR_MISA: return;
    case C.CSR_MEDELEG: s[S_MEDELEG] = value & DELEGABLE_EXCEPTIONS; return;
    case C.CSR_MIDELEG: s[S_MIDELEG] = value & DELEGABLE_INTERRUPTS; h.interruptsChanged(); return;
    case C.CSR_MIE: s[S_MIE] = value & MIE_WRITABLE; h.interruptsChanged(); return;
    case C.CSR_SIE: {
      const mask = s[S_MIDELEG];
      s[S_MIE] = (s[S_MIE] & ~mask) | (value & mask);
      h.interruptsChanged();
      return;
    }
    case C.CSR_MIP: s[S_MIP_SW] = value & MIP_SW_WRITABLE; h.interruptsChanged(); return;
    case C.CSR_SIP: {
      const mask = s[S_MIDELEG] & C.MIP_SSIP;
      s[S_MIP_SW] = (s[S_MIP_SW] & ~mask) | (value & mask);
      h.interruptsChanged();
      return;
    }
    case C.CSR_MTVEC: if ((value & 3) < 2) s[S_MTVEC] = value; return; // modes 2 and 3 are reserved: ignored, as QEMU does
    case C.CSR_STVEC: if ((value & 3) < 2) s[S_STVEC] = value; return;
    case C.CSR_MCOUNTEREN: s[S_MCOUNTEREN] = value; return;
    case C.CSR_SCOUNTEREN: s[S_SCOUNTEREN] = value; return;
    case C.CSR_MENVCFG: s[S_MENVCFG] = value & MENVCFG_FIOM; return;
    case C.CSR_SENVCFG: s[S_SENVCFG] = value & MENVCFG_FIOM; return;
    case C.CSR_MCOUNTINHIBIT: writeCountInhibit(h, value); return;
    case C.CSR_MSCRATCH: s[S_MSCRATCH] = value; return;
    case C.CSR_SSCRATCH: s[S_SSCRATCH] = value; return;
    case C.CSR_MEPC: s[S_MEPC] = value & ~1; return; // IALIGN=16: bit 0 reads zero
    case C.CSR_SEPC: s[S_SEPC] = value & ~1; return;
    case C.CSR_MCAUSE: s[S_MCAUSE] = value; return;
    case C.CSR_SCAUSE: s[S_SCAUSE] = value; return;
    case C.CSR_MTVAL: s[S_MTVAL] = value; return;
    case C.CSR_STVAL: s[S_STVAL] = value; return;
    case C.CSR_SATP: s[S_SATP] = value; h.translationChanged(); return;
    case C.CSR_MCYCLE: case C.CSR_MCYCLEH: writeCounterHalf(h, S_MCYCLE_LO, 1, csr === C.CSR_MCYCLEH, value); return;
    case C.CSR_MINSTRET: case C.CSR_MINSTRETH: writeCounterHalf(h, S_MINSTRET_LO, 4, csr === C.CSR_MINSTRETH, value); return;
    case C.CSR_TSELECT: case C.CSR_TDATA1: case C.CSR_TDATA2: case C.CSR_TDATA3: return;
  }
  if (csr >= C.CSR_PMPCFG0 && csr <= C.CSR_PMPCFG3) { writePmpcfg(s, csr - C.CSR_PMPCFG0, value); h.pmpChanged(); return; }
  if (csr >= C.CSR_PMPADDR0 && csr <= C.CSR_PMPADDR15) { writePmpaddr(s, csr - C.CSR_PMPADDR0, value); h.pmpChanged(); return; }
  if (csrExists(csr)) return; // counters that count nothing
  h.illegalInstruction();
}

function writeMstatus(h: CsrHart, value: number): void {
  const s = h.s;
  const old = s[S_MSTATUS];
  let v = value;
  // MPP is WARL over {U, S, M}: the reserved value 2 leaves the field as it was.
  if (((v & C.MSTATUS_MPP) >>> C.MSTATUS_MPP_SHIFT) === 2) v = (v & ~C.MSTATUS_MPP) | (old & C.MSTATUS_MPP);
  s[S_MSTATUS] = v;
  if ((old ^ v) & MSTATUS_TRANSLATION) h.translationChanged();
  h.interruptsChanged();
}

function writeCountInhibit(h: CsrHart, value: number): void {
  // Freeze or thaw mcycle (bit 0) and minstret (bit 2) without changing their values.
  const cycle = counter(h, S_MCYCLE_LO, 1);
  const instret = counter(h, S_MINSTRET_LO, 4);
  h.s[S_MCOUNTINHIBIT] = value & ~2; // bit 1 (time) is read-only zero
  setCounter(h, S_MCYCLE_LO, 1, cycle);
  setCounter(h, S_MINSTRET_LO, 4, instret);
}

function pmpEntryLocked(s: Int32Array, i: number): boolean {
  return ((s[S_PMPCFG + (i >> 2)] >>> ((i & 3) * 8)) & PMPCFG_L) !== 0;
}

function writePmpcfg(s: Int32Array, reg: number, value: number): void {
  let v = s[S_PMPCFG + reg];
  for (let b = 0; b < 4; b++) {
    if (pmpEntryLocked(s, reg * 4 + b)) continue;
    const shift = b * 8;
    const field = (value >>> shift) & 0x9f; // bits 5–6 are reserved (read zero)
    v = (v & ~(0xff << shift)) | (field << shift);
  }
  s[S_PMPCFG + reg] = v;
}

function writePmpaddr(s: Int32Array, i: number, value: number): void {
  if (pmpEntryLocked(s, i)) return;
  // A locked TOR entry also locks the address register below it.
  if (i + 1 < 16 && pmpEntryLocked(s, i + 1)) {
    const next = (s[S_PMPCFG + ((i + 1) >> 2)] >>> (((i + 1) & 3) * 8)) & PMPCFG_A;
    if (next === PMPCFG_A_TOR) return;
  }
  s[S_PMPADDR + i] = value;
}
