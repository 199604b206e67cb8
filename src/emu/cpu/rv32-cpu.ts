// The RV32IMAC hart with M, S and U modes: the interpreter loop, loads and stores (RAM directly
// through typed arrays, I/O through the bus), Sv32 translation behind a small TLB, traps,
// interrupts and WFI. Architectural state lives in the state arena (rv32-state.ts); everything
// kept in fields here is derived from it and rebuilt by afterRestore().
//
// The clock is icount: one per retired instruction and one per trap taken (exception or
// interrupt), so every position in an execution is a distinct count and a trap entry is a step.

import { BUS_ERROR, type AccessSize, type Bus } from '../bus.js';
import type { HartInterruptInput } from '../interrupts.js';
import { HartDebug } from './hart-debug.js';
import type { Ram } from '../memory/ram.js';
import type { StateArena } from '../state.js';
import * as C from './csr.js';
import { checkCsrAccess, csrRead, csrWrite, readMip, type CsrHart } from './rv32-csrs.js';
import {
  C_ICOUNT, C_WORDS, S_MCAUSE, S_MEDELEG, S_MEPC, S_MIDELEG, S_MIE, S_MIP_HW, S_MSTATUS, S_MTVAL, S_MTVEC,
  S_PC, S_PRIV, S_RES_ADDR, S_RES_VALID, S_RES_VALUE, S_SATP, S_SCAUSE, S_SEPC, S_STVAL, S_STVEC, S_WAITING, S_WORDS,
} from './rv32-state.js';
import { RegionCache, type Region } from './jit/region-cache.js';
import type { JitHart } from './jit/region-compiler.js';
import { PAGE_ALLOWED, Pmp } from './pmp.js';
import { expandRvc } from './rvc.js';
import {
  ACCESS_FETCH, ACCESS_LOAD, ACCESS_STORE, TLB_ENTRIES, WALK_PAGE_FAULT, leafAllows, sv32Walk, tlbIndex, type AccessType, type WalkContext, type WalkLeaf,
} from './sv32.js';

/** One shared object thrown to unwind from inside an instruction to the trap path. */
class TrapSignal {
  cause = 0;
  tval = 0;
}
const TRAP = new TrapSignal();

const PAGE_FAULT_CAUSE = [C.CAUSE_FETCH_PAGE_FAULT, C.CAUSE_LOAD_PAGE_FAULT, C.CAUSE_STORE_PAGE_FAULT];
const ACCESS_FAULT_CAUSE = [C.CAUSE_FETCH_ACCESS, C.CAUSE_LOAD_ACCESS, C.CAUSE_STORE_ACCESS];
/** Interrupts in the order the spec gives for simultaneous ones: MEI, MSI, MTI, SEI, SSI, STI. */
const INTERRUPT_PRIORITY = [C.IRQ_M_EXT, C.IRQ_M_SOFT, C.IRQ_M_TIMER, C.IRQ_S_EXT, C.IRQ_S_SOFT, C.IRQ_S_TIMER];
/**
 * The most instructions one call of a compiled function runs. Calls that return soon let V8
 * optimize a function for its next call, where one that loops on is compiled mid-loop (on-stack
 * replacement), and V8 11 keeps such code even after it has to leave it for missing type
 * feedback: a function of the paging benchmark left it once a call, 800 times, at its exit.
 */
const RUN_SLICE = 4096;
/** TLB tags are vpn | generation << 20; generations 0–2047 fit a positive int32. */
const TLB_GENERATIONS = 2048;

const INST_ECALL = 0x00000073;
const INST_EBREAK = 0x00100073;
const INST_SRET = 0x10200073;
const INST_MRET = 0x30200073;
const INST_WFI = 0x10500073;

export class Rv32Cpu implements HartInterruptInput, CsrHart, JitHart {
  readonly xlen = 32;
  /** Integer registers x0–x31. */
  readonly x: Int32Array;
  /** pc, privilege, CSRs and internal fields, indexed by the S_* constants. */
  readonly s: Int32Array;
  /** icount (and later other wide counters), indexed by the C_* constants. */
  readonly c: Float64Array;

  /** Source of mtime for the time CSRs; the machine connects it to the CLINT. */
  timeSource: () => bigint = () => 0n;
  /** Told of every trap as it is taken (icount is still the count before the trap's step). */
  trapObserver: ((cause: number, interrupt: boolean) => void) | undefined;

  /** PMP entries compiled from the pmpcfg/pmpaddr CSRs (derived). */
  readonly pmp = new Pmp();
  /** Breakpoints and watchpoints (a debugger's, not machine state). */
  readonly debug = new HartDebug();

  /**
   * The icount the running loop stops at; a stop asked for (requestStop()) lowers it to 0. Written only
   * here.
   */
  limit = 0;
  /** A stop was asked for since run() began (compiled code tests this after each access: JitHart). */
  stopped = false;
  // Derived state, rebuilt from the arena by translationChanged().
  private vmFetch = false;
  private vmData = false;
  /** The page being fetched from may be cached by the loop (PMP decides for all of it). */
  private fetchCacheable = true;
  private readonly ptePmpCheck = (pa: number): boolean => this.pmp.allows(pa, 4, ACCESS_LOAD, C.PRV_S);
  private readonly fetchCtx: WalkContext = { satp: 0, priv: C.PRV_M, sum: false, mxr: false };
  private readonly dataCtx: WalkContext = { satp: 0, priv: C.PRV_M, sum: false, mxr: false };
  /** The leaf PTE of the last data walk. */
  private readonly walkLeaf: WalkLeaf = { pte: 0 };
  private readonly tlbTag = new Int32Array(3 * TLB_ENTRIES).fill(-1);
  /** Physical page numbers (small integers, as sv32Walk returns them). */
  private readonly tlbPage = new Int32Array(3 * TLB_ENTRIES);
  /**
   * The RAM fast path of loads and stores, in every mode (JitHart): tags and pages as RAM offsets
   * (int32: physical addresses above 2^31 would be doubles), indexed as the TLB. An entry means
   * an access of its type to the page needs nothing but the RAM access: the page is RAM, PMP
   * allows the whole page, and no watchpoint is set (none is filled while watching).
   */
  readonly dataTag = new Int32Array(3 * TLB_ENTRIES).fill(-1);
  readonly dataOff = new Int32Array(3 * TLB_ENTRIES);
  /** The current generation, shifted: tags of older generations no longer match. */
  tlbStamp = 0;
  /** The instruction being executed, for mtval on illegal instruction. */
  private inst = 0;
  /** Compiled code of hot pages (undefined: the interpreter alone, the reference). */
  private jit: RegionCache | undefined;

  readonly ram8: Uint8Array;
  readonly ram16: Uint16Array;
  readonly ram32: Int32Array;
  readonly ramWatch: Uint8Array;
  readonly ramWritten: Int32Array;
  private readonly ramBase: number;
  private readonly ramSize: number;

  constructor(
    arena: StateArena,
    private readonly ram: Ram,
    private readonly bus: Bus,
  ) {
    this.x = arena.i32('hart0.x', 32);
    this.s = arena.i32('hart0.csr', S_WORDS);
    this.c = arena.f64('hart0.counters', C_WORDS);
    this.ram8 = ram.u8;
    this.ram16 = ram.u16;
    this.ram32 = ram.i32;
    this.ramWatch = ram.watch;
    this.ramWritten = ram.written;
    this.ramBase = ram.base;
    this.ramSize = ram.size;
    this.s[S_PRIV] = C.PRV_M;
    // Watching sends every data access down the general path, where the watch check sits.
    this.debug.onWatchingChanged = () => this.flushTlb();
  }

  /**
   * Runs hot code compiled (jit/) or interprets everything. The two are interchangeable at any
   * moment: they keep the same state and count the same instructions.
   */
  setCompiling(on: boolean, maxBlock?: number): void {
    if (!on) {
      this.jit?.flush();
      this.jit = undefined;
      this.ram.codeWritten = () => true;
      return;
    }
    if (this.jit !== undefined) return;
    const jit = new RegionCache(this.ram, this, mulDiv, (vpn) => this.debug.stopsOf(vpn), maxBlock);
    this.jit = jit;
    // Code overwritten under a running region: the region stops at the next access check.
    this.ram.codeWritten = (page, offset, size) => {
      const gone = jit.written(page, offset, size);
      if (gone) this.requestStop();
      return gone;
    };
  }

  get pc(): number {
    return this.s[S_PC] >>> 0;
  }
  set pc(v: number) {
    this.s[S_PC] = v;
  }
  get icount(): number {
    return this.c[C_ICOUNT];
  }
  get priv(): number {
    return this.s[S_PRIV];
  }
  /** True while the hart waits in WFI for an interrupt. */
  get waiting(): boolean {
    return this.s[S_WAITING] !== 0;
  }

  /** Reset as QEMU's virt with -bios none leaves the hart at the kernel entry. */
  reset(entry: number, hartId: number, fdtAddr: number): void {
    // The interrupt lines from devices keep their levels: they belong to the devices.
    const lines = this.s[S_MIP_HW];
    this.x.fill(0);
    this.s.fill(0);
    this.s[S_MIP_HW] = lines;
    this.s[S_PC] = entry;
    this.s[S_PRIV] = C.PRV_M;
    this.x[10] = hartId;
    this.x[11] = fdtAddr;
    this.afterRestore();
  }

  /** Rebuilds derived state after the arena was overwritten (snapshot restore). */
  afterRestore(): void {
    // Compiled code stays: restores put RAM back through Ram.restorePage and noteWrite, which
    // drop the code of the bytes they change.
    this.pmp.rebuild(this.s);
    this.translationChanged();
    this.flushTlb();
  }

  pmpChanged(): void {
    this.pmp.rebuild(this.s);
    this.flushTlb();
  }

  /**
   * The physical address a virtual address has for an access at the current privilege, without
   * side effects (no A/D updates, no TLB fill, no trap); undefined when it would fault.
   */
  inspectTranslation(va: number, access: AccessType = ACCESS_LOAD): number | undefined {
    if (access === ACCESS_FETCH ? !this.vmFetch : !this.vmData) return va >>> 0;
    const ppn = sv32Walk(this.ram, access === ACCESS_FETCH ? this.fetchCtx : this.dataCtx, va >>> 0, access, true);
    return ppn < 0 ? undefined : ppn * 4096 + (va & 0xfff);
  }

  /** The instruction at `pc` as the hart would fetch it (16 or 32 bits), or undefined if it would fault. */
  inspectInstruction(pc: number): number | undefined {
    const pa = this.inspectTranslation(pc, ACCESS_FETCH);
    if (pa === undefined || !this.ram.contains(pa, 2)) return undefined;
    const low = this.ram16[(pa - this.ramBase) >>> 1];
    if ((low & 3) !== 3) return low;
    const pa2 = this.inspectTranslation(pc + 2, ACCESS_FETCH);
    if (pa2 === undefined || !this.ram.contains(pa2, 2)) return undefined;
    return (low | (this.ram16[(pa2 - this.ramBase) >>> 1] << 16)) >>> 0;
  }

  /**
   * Asks the running loop to stop after the current instruction. Every stop the loop must notice
   * comes here: the interpreter sees the limit, compiled code the flag.
   */
  requestStop(): void {
    this.limit = 0;
    this.stopped = true;
  }

  readTime(): bigint {
    return this.timeSource();
  }

  setPending(mipBit: number, level: boolean): void {
    const old = this.s[S_MIP_HW];
    const now = level ? old | mipBit : old & ~mipBit;
    if (now === old) return;
    this.s[S_MIP_HW] = now;
    this.interruptsChanged();
  }

  interruptsChanged(): void {
    this.requestStop(); // the machine re-checks interrupts before the next instruction
  }

  translationChanged(): void {
    const s = this.s;
    const priv = s[S_PRIV];
    const ms = s[S_MSTATUS];
    const satp = s[S_SATP];
    const paging = (satp & C.SATP32_MODE) !== 0;
    const dataPriv = (ms & C.MSTATUS_MPRV) && priv === C.PRV_M ? (ms & C.MSTATUS_MPP) >>> C.MSTATUS_MPP_SHIFT : priv;
    this.vmFetch = paging && priv < C.PRV_M;
    this.vmData = paging && dataPriv < C.PRV_M;
    const sum = (ms & C.MSTATUS_SUM) !== 0;
    const mxr = (ms & C.MSTATUS_MXR) !== 0;
    // Field by field: this runs on every trap and CSR write, so it allocates nothing. A trap or
    // return that leaves all of it as it was (M-mode code taking an interrupt) keeps the TLB.
    const f = this.fetchCtx;
    const d = this.dataCtx;
    if (f.satp === satp && f.priv === priv && d.priv === dataPriv && f.sum === sum && f.mxr === mxr) return;
    f.satp = satp;
    f.priv = priv;
    f.sum = sum;
    f.mxr = mxr;
    d.satp = satp;
    d.priv = dataPriv;
    d.sum = sum;
    d.mxr = mxr;
    this.flushTlb();
  }

  illegalInstruction(): never {
    return this.raise(C.CAUSE_ILLEGAL_INSTRUCTION, this.inst);
  }

  /**
   * Takes the highest-priority interrupt that is pending and enabled, and wakes the hart from WFI
   * when any interrupt is pending in mip & mie. Returns true when a trap was taken (one step).
   */
  takeInterrupt(): boolean {
    const s = this.s;
    const pending = readMip(s) & s[S_MIE];
    if (pending === 0) return false;
    s[S_WAITING] = 0;
    const priv = s[S_PRIV];
    const ms = s[S_MSTATUS];
    const toM = priv < C.PRV_M || (ms & C.MSTATUS_MIE) !== 0 ? pending & ~s[S_MIDELEG] : 0;
    const toS = priv < C.PRV_S || (priv === C.PRV_S && (ms & C.MSTATUS_SIE) !== 0) ? pending & s[S_MIDELEG] : 0;
    const chosen = toM !== 0 ? toM : toS;
    if (chosen === 0) return false;
    for (const irq of INTERRUPT_PRIORITY) {
      if (chosen & (1 << irq)) {
        s[S_PC] = this.enterTrap(irq, 0, s[S_PC] >>> 0, true);
        this.c[C_ICOUNT]++;
        return true;
      }
    }
    return false;
  }

  /**
   * Executes until icount reaches `limit`, the hart waits in WFI, a stop is requested, or a
   * breakpoint or watchpoint is hit (debug.hit says which).
   */
  run(limit: number): void {
    // icount, the limit and the fetch page live in locals while the loop runs. The arena's icount
    // is written back before every instruction that can reach a device, a CSR or a trap (loads,
    // stores, AMOs, SYSTEM): nothing else can look at it. requestStop() lowers this.limit, which
    // the loop compares after each instruction it interprets and each run of compiled code.
    this.limit = limit;
    this.stopped = false;
    const x = this.x;
    const c = this.c;
    const fetchView = this.ram.view;
    let pc = this.s[S_PC]; // int32 in the loop: addresses above 2^31 would otherwise be doubles
    let icount = c[C_ICOUNT];
    let fetchVpn = -1;
    let fetchOff = 0;
    const debug = this.debug;
    const breaking = debug.hasBreakpoints;
    let breakPage = false; // the fetch page holds a breakpoint
    // The hart checks a breakpoint before it runs the instruction or the compiled block there;
    // compiled code leaves to it before going on to a block at a breakpoint, and its blocks never
    // leave their page.
    const jit = this.jit;
    let region: Region | undefined; // the fetch page's, when compiled
    let inRegion = false; // an access in compiled code may trap: its pc is in jit.exit
    let nearLimit = false; // the limit cut a block: the interpreter finishes this run
    let fellThrough = -1; // the pc after the last interpreted instruction, when it did not jump
    for (;;) {
      try {
        while (icount < limit) {
          if ((pc >>> 12) !== fetchVpn) {
            fetchOff = this.fetchPage(pc);
            fetchVpn = this.fetchCacheable ? pc >>> 12 : -1;
            breakPage = breaking && debug.pageHasBreakpoint(pc >>> 12);
            region = jit !== undefined && fetchVpn !== -1 ? jit.lookup(fetchOff >>> 12, pc & ~0xfff) : undefined;
          }
          if (breakPage && debug.hasBreakpoint(pc) && icount !== debug.resumeIcount) {
            debug.hit = { kind: 'breakpoint', pc: pc >>> 0, icount };
            break;
          }
          if (jit !== undefined && fetchVpn !== -1 && !nearLimit) {
            if (region !== undefined && region.valid) {
              const run = breakPage ? region.checkedEntries.get(pc)?.() : region.entries[(pc & 0xfff) >>> 1];
              if (run !== undefined) {
                inRegion = true;
                // At most RUN_SLICE instructions a call (see there); the first block always fits.
                c[C_ICOUNT] = icount;
                run((pc - region.pageVa) | 0, limit - icount > RUN_SLICE ? RUN_SLICE : (limit - icount) | 0);
                inRegion = false;
                const exit = jit.exit;
                if (exit.done !== 0) {
                  pc = (region.pageVa + exit.off) | 0;
                  icount += exit.done;
                  fellThrough = -1;
                  if (this.limit < limit) limit = this.limit;
                  continue;
                }
                // The limit cuts the block here: the interpreter goes on to the limit.
                nearLimit = true;
              } else {
                // No block starts here: interpret this one. Where the interpreter got here by
                // running on from the instruction before, no jump arrives here: it is no entry.
                region = jit.missed(region, fetchOff >>> 12, pc, pc !== fellThrough);
              }
            } else {
              region = jit.interpreted(fetchOff >>> 12, pc & ~0xfff, pc);
            }
          }
          // One unaligned 32-bit read (RAM has 4 bytes of padding past its end for this).
          let inst = fetchView.getInt32(fetchOff + (pc & 0xfff), true);
          let npc: number;
          if ((inst & 3) === 3) {
            if ((pc & 0xfff) === 0xffe) inst = this.fetchUpperHalf(pc >>> 0, inst & 0xffff);
            npc = (pc + 4) | 0;
          } else {
            const half = inst & 0xffff;
            inst = expandRvc(half);
            if (inst === 0) this.raise(C.CAUSE_ILLEGAL_INSTRUCTION, half);
            npc = (pc + 2) | 0;
          }
          npc = this.execute(inst, pc, npc, icount);
          if ((inst & 0x7f) === 0x73) fetchVpn = -1; // SYSTEM: privilege or translation may have changed
          if (this.limit < limit) limit = this.limit;
          x[0] = 0;
          const step = (npc - pc) | 0;
          fellThrough = step === 2 || step === 4 ? npc : -1;
          pc = npc;
          icount++;
        }
        c[C_ICOUNT] = icount;
        this.s[S_PC] = pc;
        return;
      } catch (e) {
        if (inRegion) {
          // Compiled code wrote the faulting access's icount and pc before making it.
          inRegion = false;
          pc = (region!.pageVa + this.jit!.exit.accessOffset) | 0;
          icount = c[C_ICOUNT];
        }
        c[C_ICOUNT] = icount;
        if (e !== TRAP) {
          this.s[S_PC] = pc;
          throw e;
        }
        // An access noted before the instruction faulted did not happen.
        if (debug.hit?.kind === 'watch' && debug.hit.icount === icount) debug.hit = undefined;
        x[0] = 0;
        pc = this.enterTrap(TRAP.cause, TRAP.tval, pc >>> 0, false) | 0;
        c[C_ICOUNT] = ++icount;
        fetchVpn = -1;
        fellThrough = -1;
        if (this.limit < limit) limit = this.limit;
      }
    }
  }

  // ---- traps ----

  private raise(cause: number, tval: number): never {
    TRAP.cause = cause;
    TRAP.tval = tval;
    throw TRAP;
  }

  private illegal(inst: number): never {
    return this.raise(C.CAUSE_ILLEGAL_INSTRUCTION, inst);
  }

  /** Enters the trap handler (delegated to S when medeleg/mideleg say so) and returns its pc. */
  private enterTrap(cause: number, tval: number, epc: number, interrupt: boolean): number {
    this.trapObserver?.(cause, interrupt);
    if (this.debug.noteTrap(cause, interrupt, this.c[C_ICOUNT])) this.requestStop();
    const s = this.s;
    const priv = s[S_PRIV];
    const delegated = priv <= C.PRV_S && ((interrupt ? s[S_MIDELEG] : s[S_MEDELEG]) & (1 << cause)) !== 0;
    const causeValue = interrupt ? (cause | 0x80000000) : cause;
    let ms = s[S_MSTATUS];
    let tvec: number;
    if (delegated) {
      s[S_SCAUSE] = causeValue;
      s[S_SEPC] = epc;
      s[S_STVAL] = tval;
      ms = (ms & ~(C.MSTATUS_SPP | C.MSTATUS_SPIE | C.MSTATUS_SIE)) |
        (priv === C.PRV_S ? C.MSTATUS_SPP : 0) | (ms & C.MSTATUS_SIE ? C.MSTATUS_SPIE : 0);
      s[S_PRIV] = C.PRV_S;
      tvec = s[S_STVEC];
    } else {
      s[S_MCAUSE] = causeValue;
      s[S_MEPC] = epc;
      s[S_MTVAL] = tval;
      ms = (ms & ~(C.MSTATUS_MPP | C.MSTATUS_MPIE | C.MSTATUS_MIE)) |
        (priv << C.MSTATUS_MPP_SHIFT) | (ms & C.MSTATUS_MIE ? C.MSTATUS_MPIE : 0);
      s[S_PRIV] = C.PRV_M;
      tvec = s[S_MTVEC];
    }
    s[S_MSTATUS] = ms;
    this.translationChanged();
    const vectored = (tvec & 1) !== 0 && interrupt;
    return ((tvec & ~3) + (vectored ? 4 * cause : 0)) >>> 0;
  }

  /**
   * Executes one instruction (`inst`, compressed ones expanded) at `pc` whose successor is `npc`,
   * with `icount` instructions before it; returns the next pc. A function of its own: V8
   * recompiles it whenever the guest first uses a kind of instruction it had not, and the loop
   * in run(), which calls compiled code, stays optimized meanwhile.
   */
  private execute(inst: number, pc: number, npc: number, icount: number): number {
    const x = this.x;
    const c = this.c;
    const rd = (inst >> 7) & 31;
    const rs1 = (inst >> 15) & 31;
    const rs2 = (inst >> 20) & 31;
    const f3 = (inst >> 12) & 7;
    switch ((inst >>> 2) & 31) { // opcode[6:2]
      case 0x0d: // LUI
        x[rd] = inst & 0xfffff000;
        break;
      case 0x05: // AUIPC
        x[rd] = pc + (inst & 0xfffff000);
        break;
      case 0x1b: // JAL
        x[rd] = npc;
        npc = (pc + (((inst >> 31) << 20) | (inst & 0xff000) | ((inst >>> 9) & 0x800) | ((inst >>> 20) & 0x7fe))) | 0;
        break;
      case 0x19: { // JALR
        if (f3 !== 0) this.illegal(inst);
        const target = (x[rs1] + (inst >> 20)) & ~1;
        x[rd] = npc;
        npc = target;
        break;
      }
      case 0x18: { // BRANCH
        const a = x[rs1];
        const b = x[rs2];
        let taken: boolean;
        switch (f3) {
          case 0: taken = a === b; break; // BEQ
          case 1: taken = a !== b; break; // BNE
          case 4: taken = a < b; break; // BLT
          case 5: taken = a >= b; break; // BGE
          case 6: taken = (a >>> 0) < (b >>> 0); break; // BLTU
          case 7: taken = (a >>> 0) >= (b >>> 0); break; // BGEU
          default: return this.illegal(inst);
        }
        if (taken) {
          npc = (pc + (((inst >> 31) << 12) | ((inst << 4) & 0x800) | ((inst >>> 20) & 0x7e0) | ((inst >>> 7) & 0x1e))) | 0;
        }
        break;
      }
      case 0x00: { // LOAD
        c[C_ICOUNT] = icount;
        const va = (x[rs1] + (inst >> 20)) | 0;
        switch (f3) {
          case 0: x[rd] = (this.load8(va) << 24) >> 24; break; // LB
          case 1: x[rd] = (this.load16(va) << 16) >> 16; break; // LH
          case 2: x[rd] = this.load32(va); break; // LW
          case 4: x[rd] = this.load8(va); break; // LBU
          case 5: x[rd] = this.load16(va); break; // LHU
          default: this.illegal(inst);
        }
        break;
      }
      case 0x08: { // STORE
        c[C_ICOUNT] = icount;
        const va = (x[rs1] + (((inst >> 25) << 5) | rd)) | 0;
        switch (f3) {
          case 0: this.store8(va, x[rs2]); break; // SB
          case 1: this.store16(va, x[rs2]); break; // SH
          case 2: this.store32(va, x[rs2]); break; // SW
          default: this.illegal(inst);
        }
        break;
      }
      case 0x04: { // OP-IMM
        const a = x[rs1];
        const imm = inst >> 20;
        switch (f3) {
          case 0: x[rd] = a + imm; break; // ADDI
          case 2: x[rd] = a < imm ? 1 : 0; break; // SLTI
          case 3: x[rd] = (a >>> 0) < (imm >>> 0) ? 1 : 0; break; // SLTIU
          case 4: x[rd] = a ^ imm; break; // XORI
          case 6: x[rd] = a | imm; break; // ORI
          case 7: x[rd] = a & imm; break; // ANDI
          case 1: // SLLI
            if (inst >>> 25) this.illegal(inst);
            x[rd] = a << rs2;
            break;
          default: // SRLI, SRAI
            if ((inst >>> 25) === 0) x[rd] = a >>> rs2;
            else if ((inst >>> 25) === 0x20) x[rd] = a >> rs2;
            else this.illegal(inst);
        }
        break;
      }
      case 0x0c: { // OP
        const a = x[rs1];
        const b = x[rs2];
        const f7 = inst >>> 25;
        if (f7 === 0) {
          switch (f3) {
            case 0: x[rd] = a + b; break; // ADD
            case 1: x[rd] = a << (b & 31); break; // SLL
            case 2: x[rd] = a < b ? 1 : 0; break; // SLT
            case 3: x[rd] = (a >>> 0) < (b >>> 0) ? 1 : 0; break; // SLTU
            case 4: x[rd] = a ^ b; break; // XOR
            case 5: x[rd] = a >>> (b & 31); break; // SRL
            case 6: x[rd] = a | b; break; // OR
            default: x[rd] = a & b; // AND
          }
        } else if (f7 === 0x20) {
          if (f3 === 0) x[rd] = a - b; // SUB
          else if (f3 === 5) x[rd] = a >> (b & 31); // SRA
          else this.illegal(inst);
        } else if (f7 === 1) {
          x[rd] = mulDiv(f3, a, b);
        } else {
          this.illegal(inst);
        }
        break;
      }
      case 0x03: // MISC-MEM: FENCE, FENCE.I (no caches of instructions to flush: fetch reads RAM)
        if (f3 > 1) this.illegal(inst);
        break;
      case 0x1c: // SYSTEM
        c[C_ICOUNT] = icount;
        this.inst = inst;
        npc = this.system(inst, npc) | 0;
        break;
      case 0x0b: // AMO
        c[C_ICOUNT] = icount;
        this.inst = inst;
        this.amo(inst);
        break;
      default:
        this.illegal(inst);
    }
    return npc;
  }

  // ---- SYSTEM: ecall, ebreak, xRET, WFI, SFENCE.VMA, CSRs ----

  private system(inst: number, npc: number): number {
    const s = this.s;
    const f3 = (inst >> 12) & 7;
    const priv = s[S_PRIV];
    if (f3 === 0) {
      switch (inst) {
        case INST_ECALL: return this.raise(C.CAUSE_USER_ECALL + priv, 0);
        case INST_EBREAK: return this.raise(C.CAUSE_BREAKPOINT, 0);
        case INST_MRET: {
          if (priv < C.PRV_M) this.illegal(inst);
          const ms = s[S_MSTATUS];
          const mpp = (ms & C.MSTATUS_MPP) >>> C.MSTATUS_MPP_SHIFT;
          // QEMU 7.2 refuses to leave M for a mode that PMP would deny everything (no entry set).
          if (mpp !== C.PRV_M && this.pmp.ruleCount === 0) this.illegal(inst);
          s[S_MSTATUS] = (ms & ~(C.MSTATUS_MPP | C.MSTATUS_MIE | (mpp !== C.PRV_M ? C.MSTATUS_MPRV : 0))) |
            C.MSTATUS_MPIE | (ms & C.MSTATUS_MPIE ? C.MSTATUS_MIE : 0);
          s[S_PRIV] = mpp;
          this.translationChanged();
          this.interruptsChanged();
          return s[S_MEPC] >>> 0;
        }
        case INST_SRET: {
          if (priv < C.PRV_S || (priv === C.PRV_S && (s[S_MSTATUS] & C.MSTATUS_TSR))) this.illegal(inst);
          const ms = s[S_MSTATUS];
          const spp = ms & C.MSTATUS_SPP ? C.PRV_S : C.PRV_U;
          s[S_MSTATUS] = (ms & ~(C.MSTATUS_SPP | C.MSTATUS_SIE | C.MSTATUS_MPRV)) |
            C.MSTATUS_SPIE | (ms & C.MSTATUS_SPIE ? C.MSTATUS_SIE : 0);
          s[S_PRIV] = spp;
          this.translationChanged();
          this.interruptsChanged();
          return s[S_SEPC] >>> 0;
        }
        case INST_WFI:
          if (priv === C.PRV_U || (priv === C.PRV_S && (s[S_MSTATUS] & C.MSTATUS_TW))) this.illegal(inst);
          if ((readMip(s) & s[S_MIE]) === 0) {
            s[S_WAITING] = 1;
            this.requestStop();
          }
          return npc;
      }
      if ((inst & 0xfe007fff) === 0x12000073) { // SFENCE.VMA
        if (priv === C.PRV_U || (priv === C.PRV_S && (s[S_MSTATUS] & C.MSTATUS_TVM))) this.illegal(inst);
        this.flushTlb();
        return npc;
      }
      return this.illegal(inst);
    }
    if (f3 === 4) return this.illegal(inst);
    // Zicsr. rd = x0 skips the read (csrrw); rs1 = x0 / uimm = 0 skips the write (csrrs, csrrc).
    const csr = inst >>> 20;
    const rd = (inst >> 7) & 31;
    const rs1 = (inst >> 15) & 31;
    const operand = f3 & 4 ? rs1 : this.x[rs1];
    const op = f3 & 3;
    const writes = op === 1 || rs1 !== 0;
    checkCsrAccess(this, csr, writes);
    const old = op === 1 && rd === 0 ? 0 : csrRead(this, csr);
    if (writes) {
      const value = op === 1 ? operand : op === 2 ? old | operand : old & ~operand;
      csrWrite(this, csr, value);
    }
    this.x[rd] = old;
    return npc;
  }

  // ---- A: LR/SC and AMOs (word only on RV32) ----

  private amo(inst: number): void {
    const f5 = inst >>> 27;
    if (((inst >> 12) & 7) !== 2) this.illegal(inst);
    const x = this.x;
    const rd = (inst >> 7) & 31;
    const va = x[(inst >> 15) & 31] >>> 0;
    const src = x[(inst >> 20) & 31];
    const s = this.s;
    if (f5 === 0x02) { // LR.W
      if ((inst >> 20) & 31) this.illegal(inst);
      if (va & 3) this.raise(C.CAUSE_MISALIGNED_LOAD, va);
      const value = this.load32(va);
      s[S_RES_VALID] = 1;
      s[S_RES_ADDR] = va;
      s[S_RES_VALUE] = value;
      x[rd] = value;
      return;
    }
    if (va & 3) this.raise(C.CAUSE_MISALIGNED_STORE, va);
    if (f5 === 0x03) { // SC.W: succeeds while the reservation holds and memory still has the value LR read
      const held = s[S_RES_VALID] !== 0 && (s[S_RES_ADDR] >>> 0) === va;
      s[S_RES_VALID] = 0;
      if (held) {
        const pa = this.physical(va, ACCESS_STORE, 4);
        if (this.readWordAt(pa, va, ACCESS_STORE) === s[S_RES_VALUE]) {
          this.writeWordAt(pa, va, src);
          x[rd] = 0;
          return;
        }
      }
      x[rd] = 1;
      return;
    }
    const pa = this.physical(va, ACCESS_STORE, 4);
    if (this.debug.watching) this.noteWatchedAccess(va, 4, false); // an AMO reads too
    const old = this.readWordAt(pa, va, ACCESS_STORE);
    let value: number;
    switch (f5) {
      case 0x01: value = src; break; // AMOSWAP
      case 0x00: value = old + src; break; // AMOADD
      case 0x04: value = old ^ src; break; // AMOXOR
      case 0x0c: value = old & src; break; // AMOAND
      case 0x08: value = old | src; break; // AMOOR
      case 0x10: value = old < src ? old : src; break; // AMOMIN
      case 0x14: value = old > src ? old : src; break; // AMOMAX
      case 0x18: value = (old >>> 0) < (src >>> 0) ? old : src; break; // AMOMINU
      case 0x1c: value = (old >>> 0) > (src >>> 0) ? old : src; break; // AMOMAXU
      default: return this.illegal(inst);
    }
    this.writeWordAt(pa, va, value);
    x[rd] = old;
  }

  /** A word at an aligned physical address, from RAM or a device; faults name `va`. */
  private readWordAt(pa: number, va: number, access: AccessType): number {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return this.ram32[off >>> 2];
    const v = this.bus.load(pa, 4);
    if (v === BUS_ERROR) this.raise(ACCESS_FAULT_CAUSE[access], va);
    return v | 0;
  }

  private writeWordAt(pa: number, va: number, value: number): void {
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      this.ram32[off >>> 2] = value;
      this.stored(off, 4);
      return;
    }
    if (!this.bus.store(pa, 4, value >>> 0)) this.raise(C.CAUSE_STORE_ACCESS, va);
  }

  // ---- address translation ----

  /**
   * The physical address of an access of `size` bytes at `va`, after translation and PMP; raises
   * the page or access fault. The TLB holds only pages PMP allows whole, so a hit needs no check.
   */
  private physical(va: number, access: AccessType, size: number): number {
    const pa = this.translate(va, access, size);
    if (access !== ACCESS_FETCH && this.debug.watching) this.noteWatchedAccess(va, size, access === ACCESS_STORE);
    return pa;
  }

  /** A watched access stops the loop after this instruction. */
  private noteWatchedAccess(va: number, size: number, write: boolean): void {
    if (this.debug.noteAccess(va, size, write, this.c[C_ICOUNT])) this.requestStop();
  }

  private translate(va: number, access: AccessType, size: number): number {
    const fetch = access === ACCESS_FETCH;
    const priv = fetch ? this.fetchCtx.priv : this.dataCtx.priv;
    let pa = va;
    if (fetch ? this.vmFetch : this.vmData) {
      const vpn = va >>> 12;
      const i = tlbIndex(access, vpn);
      if (this.tlbTag[i] === (vpn | this.tlbStamp)) return this.tlbPage[i] * 4096 + (va & 0xfff);
      const ppn = this.refill(va, access, i);
      if (ppn < 0) this.raise(ppn === WALK_PAGE_FAULT ? PAGE_FAULT_CAUSE[access] : ACCESS_FAULT_CAUSE[access], va);
      pa = ppn * 4096 + (va & 0xfff);
      if (this.tlbTag[i] === (vpn | this.tlbStamp)) return pa;
    } else if (!fetch) {
      // Without translation the page is its own; the fast path may hold it when PMP allows all of it.
      const vpn = va >>> 12;
      if (this.pmpAllowsPage(vpn, access, priv)) {
        this.fillData(tlbIndex(access, vpn), vpn, vpn);
        return pa;
      }
    }
    if (this.pmp.applies(priv) && !this.pmp.allows(pa, size, access, priv)) this.raise(ACCESS_FAULT_CAUSE[access], va);
    return pa;
  }

  /**
   * Walks the page tables for a TLB miss at `va` (slot `i`) and fills the slot when PMP allows
   * the whole page (for data, also the fast path and the other access type's slot when the leaf
   * allows it); returns the physical page number or the walk's fault, which the caller raises.
   */
  private refill(va: number, access: AccessType, i: number): number {
    const fetch = access === ACCESS_FETCH;
    const ctx = fetch ? this.fetchCtx : this.dataCtx;
    const ppn = sv32Walk(this.ram, ctx, va, access, false, this.ptePmpCheck, this.walkLeaf);
    if (ppn >= 0 && this.pmpAllowsPage(ppn, access, ctx.priv)) {
      const vpn = va >>> 12;
      this.fillTlb(i, vpn, ppn, !fetch);
      if (!fetch) this.fillTwin(vpn, ppn, access === ACCESS_LOAD ? ACCESS_STORE : ACCESS_LOAD, ctx.priv);
    }
    return ppn;
  }

  /**
   * A load or store that missed the data fast path under translation: refills the TLB so that
   * it can take the fast path after all, and returns the RAM offset of `va`, or -1 when it must
   * take the general path (a fault, I/O, PMP deciding within the page, watchpoints, no
   * translation). Only small integers cross its calls: the general path passes unsigned
   * addresses, which V8 allocates as heap numbers when they are 0x80000000 or above, and a
   * guest walking many pages misses often. A fault is walked again there, and raised.
   */
  private dataRefill(va: number, access: AccessType): number {
    if (!this.vmData || this.debug.watching) return -1;
    const vpn = va >>> 12;
    const i = tlbIndex(access, vpn);
    if (this.tlbTag[i] === (vpn | this.tlbStamp) || this.refill(va, access, i) < 0) return -1;
    return this.dataHit(va, access);
  }

  /** PMP allows `access` to the whole of page number `ppn` at `priv` (or does not apply), so no access there needs a check. */
  private pmpAllowsPage(ppn: number, access: AccessType, priv: number): boolean {
    return !this.pmp.applies(priv) || this.pmp.pageVerdict(ppn, access, priv) === PAGE_ALLOWED;
  }

  private fillTlb(i: number, vpn: number, ppn: number, data: boolean): void {
    this.tlbTag[i] = vpn | this.tlbStamp;
    this.tlbPage[i] = ppn;
    if (data) this.fillData(i, vpn, ppn);
  }

  /** The data fast path's entry for a page that needs no check (not while watchpoints are set). */
  private fillData(i: number, vpn: number, ppn: number): void {
    const off = ppn * 4096 - this.ramBase;
    if (off < 0 || off >= this.ramSize || this.debug.watching) return;
    this.dataTag[i] = vpn | this.tlbStamp;
    this.dataOff[i] = off;
  }

  /**
   * After a data walk, the page's entry for the other kind of data access too, when that access
   * would find the leaf PTE as it is and leave it so: a load after a store always may; a store
   * after a load only if the page is writable and already dirty (else its walk sets D). Accesses
   * to a page read and written then cost one walk, as in QEMU, whose entries hold both.
   */
  private fillTwin(vpn: number, ppn: number, other: AccessType, priv: number): void {
    const pte = this.walkLeaf.pte;
    if (!leafAllows(pte, other, this.dataCtx.mxr)) return;
    if (other === ACCESS_STORE && (pte & C.PTE_D) === 0) return;
    if (!this.pmpAllowsPage(ppn, other, priv)) return;
    this.fillTlb(tlbIndex(other, vpn), vpn, ppn, true);
  }

  /** Translates the page holding `pc` (int32) for fetching and returns the RAM offset of the page's start. */
  private fetchPage(pc: number): number {
    const ppn = this.fetchPageNumber(pc);
    const off = ppn * 4096 - this.ramBase;
    if (off < 0 || off >= this.ramSize) this.raise(C.CAUSE_FETCH_ACCESS, pc >>> 0);
    this.fetchCacheable = this.pmpAllowsPage(ppn, ACCESS_FETCH, this.fetchCtx.priv);
    return off;
  }

  /**
   * The physical page number of `pc` (int32) for a fetch; raises its fault. Without translation
   * or PMP, and on a TLB hit, only small integers cross calls: the loop asks at every change of
   * page, and an unsigned pc at 0x80000000 or above would be a heap number each time.
   */
  private fetchPageNumber(pc: number): number {
    const vpn = pc >>> 12;
    if (!this.vmFetch) {
      if (!this.pmp.applies(this.fetchCtx.priv)) return vpn;
    } else {
      const i = tlbIndex(ACCESS_FETCH, vpn);
      if (this.tlbTag[i] === (vpn | this.tlbStamp)) return this.tlbPage[i];
    }
    return Math.floor(this.physical(pc >>> 0, ACCESS_FETCH, 2) / 4096);
  }

  /** The upper half of a 32-bit instruction whose lower half ends a page. */
  private fetchUpperHalf(pc: number, low: number): number {
    const va = (pc + 2) >>> 0;
    const off = this.physical(va, ACCESS_FETCH, 2) - this.ramBase;
    if (off < 0 || off >= this.ramSize) this.raise(C.CAUSE_FETCH_ACCESS, va);
    return low | (this.ram16[off >>> 1] << 16);
  }

  // ---- loads and stores; misaligned ones are split into bytes, as QEMU performs them ----
  // load8 … store32 are the accesses of the interpreter and of compiled code (JitHart), which
  // makes the same fast-path test inline first. Each takes the address as an int32 (the loop
  // computes it so). A page in the data fast path (dataTag) is RAM that needs no check; anything
  // else (I/O, PMP that decides by the byte, watchpoints, misalignment, faults, a first access
  // without translation) takes the general path, which fills the fast path where it can. A first
  // access to a page under translation refills the TLB on the way (dataRefill).

  load8(va: number): number {
    const off = this.dataOffset(va, ACCESS_LOAD);
    if (off >= 0) return this.ram8[off];
    return this.load8At(va >>> 0);
  }

  load16(va: number): number {
    const off = this.dataOffset(va, ACCESS_LOAD);
    if (off >= 0 && (off & 1) === 0) return this.ram16[off >> 1];
    return this.load16At(va >>> 0);
  }

  load32(va: number): number {
    const off = this.dataOffset(va, ACCESS_LOAD);
    if (off >= 0 && (off & 3) === 0) return this.ram32[off >> 2];
    return this.load32At(va >>> 0);
  }

  store8(va: number, v: number): void {
    const off = this.dataOffset(va, ACCESS_STORE);
    if (off >= 0) {
      this.ram8[off] = v;
      this.stored(off, 1);
      return;
    }
    this.store8At(va >>> 0, v);
  }

  store16(va: number, v: number): void {
    const off = this.dataOffset(va, ACCESS_STORE);
    if (off >= 0 && (off & 1) === 0) {
      this.ram16[off >> 1] = v;
      this.stored(off, 2);
      return;
    }
    this.store16At(va >>> 0, v);
  }

  store32(va: number, v: number): void {
    const off = this.dataOffset(va, ACCESS_STORE);
    if (off >= 0 && (off & 3) === 0) {
      this.ram32[off >> 2] = v;
      this.stored(off, 4);
      return;
    }
    this.store32At(va >>> 0, v);
  }

  /** Forgets every translation: a new generation; the tags are cleared once per 2,048 flushes. */
  private flushTlb(): void {
    let generation = (this.tlbStamp >>> 20) + 1;
    if (generation === TLB_GENERATIONS) {
      generation = 0;
      this.tlbTag.fill(-1);
      this.dataTag.fill(-1);
    }
    this.tlbStamp = generation << 20;
  }

  /** The RAM offset of `va` for the fast path, after a refill if it missed; -1: the general path. */
  private dataOffset(va: number, access: AccessType): number {
    const off = this.dataHit(va, access);
    return off >= 0 ? off : this.dataRefill(va, access);
  }

  /** The RAM offset of `va` when the data fast path holds its page for `access`, or -1. */
  private dataHit(va: number, access: AccessType): number {
    const vpn = va >>> 12;
    const i = tlbIndex(access, vpn);
    if (this.dataTag[i] !== (vpn | this.tlbStamp)) return -1;
    return this.dataOff[i] + (va & 0xfff);
  }

  /** A store made to RAM at `off`, by the interpreter or compiled code (JitHart), for a page RAM watches. */
  noteStore(off: number, size: number): void {
    this.ram.onStore(this.ramBase + off, size);
  }

  /** After every store the interpreter makes to RAM at `off`: the page's write stamp, and RAM told if it watches the page. */
  private stored(off: number, size: number): void {
    this.ramWritten[off >>> 12] = this.ramEpoch;
    if (this.ramWatch[off >>> 12] !== 0) this.noteStore(off, size);
  }

  /** The epoch RAM stamps writes with now (JitHart: compiled code stamps its stores with it). */
  get ramEpoch(): number {
    return this.ram.epoch;
  }

  // The general paths, with an unsigned virtual address: translation, misalignment, I/O.

  private load8At(va: number): number {
    const pa = this.physical(va, ACCESS_LOAD, 1);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return this.ram8[off];
    return this.loadIo(pa, va, 1);
  }

  private load16At(va: number): number {
    if (va & 1) return this.load8At(va) | (this.load8At((va + 1) >>> 0) << 8);
    const pa = this.physical(va, ACCESS_LOAD, 2);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return this.ram16[off >>> 1];
    return this.loadIo(pa, va, 2);
  }

  private load32At(va: number): number {
    if (va & 3) {
      return this.load8At(va) | (this.load8At((va + 1) >>> 0) << 8) | (this.load8At((va + 2) >>> 0) << 16) | (this.load8At((va + 3) >>> 0) << 24);
    }
    const pa = this.physical(va, ACCESS_LOAD, 4);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) return this.ram32[off >>> 2];
    return this.loadIo(pa, va, 4) | 0;
  }

  private loadIo(pa: number, va: number, size: AccessSize): number {
    const v = this.bus.load(pa, size);
    if (v === BUS_ERROR) this.raise(C.CAUSE_LOAD_ACCESS, va);
    return v;
  }

  private store8At(va: number, v: number): void {
    const pa = this.physical(va, ACCESS_STORE, 1);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      this.ram8[off] = v;
      this.stored(off, 1);
      return;
    }
    this.storeIo(pa, va, 1, v & 0xff);
  }

  private store16At(va: number, v: number): void {
    if (va & 1) return this.storeMisaligned(va, 2, v);
    const pa = this.physical(va, ACCESS_STORE, 2);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      this.ram16[off >>> 1] = v;
      this.stored(off, 2);
      return;
    }
    this.storeIo(pa, va, 2, v & 0xffff);
  }

  private store32At(va: number, v: number): void {
    if (va & 3) return this.storeMisaligned(va, 4, v);
    const pa = this.physical(va, ACCESS_STORE, 4);
    const off = pa - this.ramBase;
    if (off >= 0 && off < this.ramSize) {
      this.ram32[off >>> 2] = v;
      this.stored(off, 4);
      return;
    }
    this.storeIo(pa, va, 4, v >>> 0);
  }

  /**
   * Byte by byte, after checking that both pages translate, so a fault leaves memory untouched.
   * Like QEMU, which splits the access at the page boundary, a fault on the second page names
   * that page's first byte.
   */
  private storeMisaligned(va: number, size: number, v: number): void {
    this.physical(va, ACCESS_STORE, 1);
    const second = ((va + size - 1) & ~0xfff) >>> 0;
    if (second !== ((va & ~0xfff) >>> 0)) this.physical(second, ACCESS_STORE, 1);
    for (let i = 0; i < size; i++) this.store8At((va + i) >>> 0, v >>> (8 * i));
  }

  private storeIo(pa: number, va: number, size: AccessSize, v: number): void {
    if (!this.bus.store(pa, size, v)) this.raise(C.CAUSE_STORE_ACCESS, va);
  }
}

/** The M extension's OP instructions (funct7 = 1), selected by funct3. */
function mulDiv(f3: number, a: number, b: number): number {
  switch (f3) {
    case 0: return Math.imul(a, b); // MUL
    case 1: return mulhs(a, b); // MULH
    case 2: return (mulhu(a, b) - (a < 0 ? b : 0)) | 0; // MULHSU
    case 3: return mulhu(a, b) | 0; // MULHU
    case 4: // DIV
      if (b === 0) return -1;
      if (a === -0x80000000 && b === -1) return a;
      return (a / b) | 0;
    case 5: // DIVU
      return b === 0 ? -1 : ((a >>> 0) / (b >>> 0)) | 0;
    case 6: // REM
      if (b === 0) return a;
      if (a === -0x80000000 && b === -1) return 0;
      return a % b | 0;
    default: // REMU
      return b === 0 ? a : ((a >>> 0) % (b >>> 0)) | 0;
  }
}

/** High 32 bits of the unsigned 64-bit product, from 16-bit limbs (exact in doubles). */
function mulhu(a: number, b: number): number {
  const al = a & 0xffff;
  const ah = a >>> 16;
  const bl = b & 0xffff;
  const bh = b >>> 16;
  const lh = al * bh;
  const hl = ah * bl;
  const mid = ((al * bl) >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  return (ah * bh + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) >>> 0;
}

function mulhs(a: number, b: number): number {
  return (mulhu(a, b) - (a < 0 ? b >>> 0 : 0) - (b < 0 ? a >>> 0 : 0)) | 0;
}
