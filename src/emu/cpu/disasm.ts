// Disassembler for RV32IMAC + Zicsr + Zifencei and the privileged instructions. Its text is what
// GNU objdump -d (binutils 2.40, the Debian toolchain the tests compare against) prints in its
// mnemonic and operands columns, aliases included, so that a listing from the debugger reads like
// the one a developer already knows. objdump's address comments (`# 1234 <sym>`) and the
// `<symbol>` after branch targets are left to the caller, which knows the symbols.
//
// binutils 2.40 quirks kept on purpose, since objdump is the reference:
// - register-immediate ALU instructions print under the register form's name with an immediate
//   operand (`addi a0,a1,5` prints as `add a0,a1,5`, `slli` as `sll` ...), except slti/sltiu,
//   and so do the CSR immediate forms (`csrrwi` as `csrrw`, `csrsi` as `csrs` ...);
// - RV32 shifts accept a 6-bit shift amount, and compressed hints print under their c. names;
// - branch aliases with swapped operands (bgt, ble, bgtu, bleu) are never printed;
// - encodings outside this ISA print as `.2byte`/`.4byte` with the raw value.
// CSRs are named as objdump names them under privileged spec v1.12 (the version the machine
// implements; objdump's choice for files recording v1.12 or no version). Encodings of 48 bits and
// more (low bits 11111) have no place in RV32IMAC: they print as one illegal `.4byte` here, where
// objdump would group 6 or more bytes.

import { CSR_NAMES } from './csr.js';

export interface Disassembly {
  /** Mnemonic, a tab, then the operands (no tab when there are none), as objdump prints them. */
  text: string;
  length: 2 | 4;
  /** Destination of a direct jump or branch (pc-relative), for the debugger to resolve. */
  target?: number;
}

const REG_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
];

const X_ZERO = 0;
const X_RA = 1;
const X_SP = 2;

/** CSRs objdump names that CSR_NAMES (the ones this machine implements) does not. */
const OBJDUMP_CSR_NAMES: ReadonlyMap<number, string> = new Map<number, string>([
  [0x001, 'fflags'], [0x002, 'frm'], [0x003, 'fcsr'],
  [0x008, 'vstart'], [0x009, 'vxsat'], [0x00a, 'vxrm'], [0x00f, 'vcsr'], [0x015, 'seed'],
  [0x10c, 'sstateen0'], [0x10d, 'sstateen1'], [0x10e, 'sstateen2'], [0x10f, 'sstateen3'],
  [0x114, 'sieh'], [0x14d, 'stimecmp'], [0x150, 'siselect'], [0x151, 'sireg'], [0x154, 'siph'],
  [0x15c, 'stopei'], [0x15d, 'stimecmph'],
  [0x200, 'vsstatus'], [0x204, 'vsie'], [0x205, 'vstvec'], [0x214, 'vsieh'], [0x240, 'vsscratch'],
  [0x241, 'vsepc'], [0x242, 'vscause'], [0x243, 'vstval'], [0x244, 'vsip'], [0x24d, 'vstimecmp'],
  [0x250, 'vsiselect'], [0x251, 'vsireg'], [0x254, 'vsiph'], [0x25c, 'vstopei'],
  [0x25d, 'vstimecmph'], [0x280, 'vsatp'],
  [0x308, 'mvien'], [0x309, 'mvip'], [0x30c, 'mstateen0'], [0x30d, 'mstateen1'],
  [0x30e, 'mstateen2'], [0x30f, 'mstateen3'], [0x313, 'midelegh'], [0x314, 'mieh'],
  [0x318, 'mvienh'], [0x319, 'mviph'], [0x31c, 'mstateen0h'], [0x31d, 'mstateen1h'],
  [0x31e, 'mstateen2h'], [0x31f, 'mstateen3h'], [0x34a, 'mtinst'], [0x34b, 'mtval2'],
  [0x350, 'miselect'], [0x351, 'mireg'], [0x354, 'miph'], [0x35c, 'mtopei'],
  [0x5a8, 'scontext'],
  [0x600, 'hstatus'], [0x602, 'hedeleg'], [0x603, 'hideleg'], [0x604, 'hie'],
  [0x605, 'htimedelta'], [0x606, 'hcounteren'], [0x607, 'hgeie'], [0x608, 'hvien'],
  [0x609, 'hvictl'], [0x60a, 'henvcfg'], [0x60c, 'hstateen0'], [0x60d, 'hstateen1'],
  [0x60e, 'hstateen2'], [0x60f, 'hstateen3'], [0x613, 'hidelegh'], [0x615, 'htimedeltah'],
  [0x618, 'hvienh'], [0x61a, 'henvcfgh'], [0x61c, 'hstateen0h'], [0x61d, 'hstateen1h'],
  [0x61e, 'hstateen2h'], [0x61f, 'hstateen3h'], [0x643, 'htval'], [0x644, 'hip'], [0x645, 'hvip'],
  [0x646, 'hviprio1'], [0x647, 'hviprio2'], [0x64a, 'htinst'], [0x655, 'hviph'],
  [0x656, 'hviprio1h'], [0x657, 'hviprio2h'], [0x680, 'hgatp'], [0x6a8, 'hcontext'],
  [0x747, 'mseccfg'], [0x757, 'mseccfgh'],
  [0x7a4, 'tinfo'], [0x7a5, 'tcontrol'], [0x7a8, 'mcontext'], [0x7aa, 'mscontext'],
  [0x7b0, 'dcsr'], [0x7b1, 'dpc'], [0x7b2, 'dscratch0'], [0x7b3, 'dscratch1'],
  [0xc20, 'vl'], [0xc21, 'vtype'], [0xc22, 'vlenb'],
  [0xda0, 'scountovf'], [0xdb0, 'stopi'], [0xe12, 'hgeip'], [0xeb0, 'vstopi'], [0xfb0, 'mtopi'],
  ...Array.from({ length: 12 }, (_, i) => [0x3a4 + i, `pmpcfg${i + 4}`] as [number, string]),
  ...Array.from({ length: 48 }, (_, i) => [0x3c0 + i, `pmpaddr${i + 16}`] as [number, string]),
  ...Array.from({ length: 29 }, (_, i) => [0x723 + i, `mhpmevent${i + 3}h`] as [number, string]),
]);

/** Counters read with `csrr rd, csr` print as objdump's rdcycle-style aliases. */
const COUNTER_READS: ReadonlyMap<number, string> = new Map<number, string>([
  [0xc00, 'rdcycle'], [0xc01, 'rdtime'], [0xc02, 'rdinstret'],
  [0xc80, 'rdcycleh'], [0xc81, 'rdtimeh'], [0xc82, 'rdinstreth'],
]);

const OP_LOAD = 0x03;
const OP_MISC_MEM = 0x0f;
const OP_IMM = 0x13;
const OP_AUIPC = 0x17;
const OP_STORE = 0x23;
const OP_AMO = 0x2f;
const OP = 0x33;
const OP_LUI = 0x37;
const OP_BRANCH = 0x63;
const OP_JALR = 0x67;
const OP_JAL = 0x6f;
const OP_SYSTEM = 0x73;

// Whole-instruction encodings that objdump matches exactly.
const INSN_ECALL = 0x00000073;
const INSN_EBREAK = 0x00100073;
const INSN_URET = 0x00200073;
const INSN_SRET = 0x10200073;
const INSN_HRET = 0x20200073; // privileged spec 1.9, still known to objdump
const INSN_MRET = 0x30200073;
const INSN_DRET = 0x7b200073;
const INSN_WFI = 0x10500073;
const INSN_FENCE_I = 0x0000100f;
const INSN_FENCE_TSO = 0x8330000f;
const INSN_UNIMP = 0xc0001073; // csrrw zero, cycle, zero
const MATCH_SFENCE_VMA = 0x12000073;
const MASK_SFENCE_VMA = 0xfe007fff;
const MATCH_SFENCE_VM = 0x10400073;
const MASK_SFENCE_VM = 0xfff07fff;

/**
 * Disassembles the instruction whose first bytes are inst (little-endian, as fetched; for a
 * compressed instruction the upper halfword is ignored) at address pc.
 */
export function disassemble(inst: number, pc: number): Disassembly {
  if ((inst & 3) !== 3) return disassembleCompressed(inst & 0xffff, pc);
  const word = inst >>> 0;
  const d = disassemble32(word, pc);
  return d ?? { text: `.4byte\t${hex(word)}`, length: 4 };
}

function reg(n: number): string {
  return REG_NAMES[n] as string;
}

function hex(n: number): string {
  return `0x${(n >>> 0).toString(16)}`;
}

function csrName(csr: number): string {
  return CSR_NAMES.get(csr) ?? OBJDUMP_CSR_NAMES.get(csr) ?? hex(csr);
}

function op(mnemonic: string, operands: string, length: 2 | 4): Disassembly {
  return { text: `${mnemonic}\t${operands}`, length };
}

function bare(mnemonic: string, length: 2 | 4): Disassembly {
  return { text: mnemonic, length };
}

/** A pc-relative jump or branch: objdump prints the destination address in bare hex. */
function jump(mnemonic: string, regs: string, offset: number, pc: number, length: 2 | 4): Disassembly {
  const target = (pc + offset) >>> 0;
  const text = `${mnemonic}\t${regs === '' ? '' : `${regs},`}${target.toString(16)}`;
  return { text, length, target };
}

function disassemble32(inst: number, pc: number): Disassembly | undefined {
  const rd = (inst >>> 7) & 0x1f;
  const rs1 = (inst >>> 15) & 0x1f;
  const rs2 = (inst >>> 20) & 0x1f;
  const funct3 = (inst >>> 12) & 7;
  const funct7 = inst >>> 25;
  const immI = inst >> 20;
  const immS = ((inst >> 25) << 5) | ((inst >>> 7) & 0x1f);
  switch (inst & 0x7f) {
    case OP_LUI: return op('lui', `${reg(rd)},${hex(inst >>> 12)}`, 4);
    case OP_AUIPC: return op('auipc', `${reg(rd)},${hex(inst >>> 12)}`, 4);
    case OP_JAL: {
      const offset = ((inst >> 31) << 20) | (inst & 0xff000) | (((inst >>> 20) & 1) << 11) | (((inst >>> 21) & 0x3ff) << 1);
      if (rd === X_ZERO) return jump('j', '', offset, pc, 4);
      if (rd === X_RA) return jump('jal', '', offset, pc, 4);
      return jump('jal', reg(rd), offset, pc, 4);
    }
    case OP_JALR: {
      if (funct3 !== 0) return undefined;
      if (rd === X_ZERO) {
        if (rs1 === X_RA && immI === 0) return bare('ret', 4);
        return op('jr', immI === 0 ? reg(rs1) : `${immI}(${reg(rs1)})`, 4);
      }
      if (rd === X_RA) return op('jalr', immI === 0 ? reg(rs1) : `${immI}(${reg(rs1)})`, 4);
      return op('jalr', immI === 0 ? `${reg(rd)},${reg(rs1)}` : `${reg(rd)},${immI}(${reg(rs1)})`, 4);
    }
    case OP_BRANCH: return branch(inst, funct3, rs1, rs2, pc);
    case OP_LOAD: {
      const mnemonic = ['lb', 'lh', 'lw', undefined, 'lbu', 'lhu', undefined, undefined][funct3];
      return mnemonic === undefined ? undefined : op(mnemonic, `${reg(rd)},${immI}(${reg(rs1)})`, 4);
    }
    case OP_STORE: {
      const mnemonic = ['sb', 'sh', 'sw', undefined, undefined, undefined, undefined, undefined][funct3];
      return mnemonic === undefined ? undefined : op(mnemonic, `${reg(rs2)},${immS}(${reg(rs1)})`, 4);
    }
    case OP_IMM: return opImm(inst, funct3, rd, rs1, immI);
    case OP: return opReg(funct3, funct7, rd, rs1, rs2);
    case OP_MISC_MEM: return miscMem(inst, funct3, rd, rs1);
    case OP_AMO: return amo(inst, funct3, rd, rs1, rs2);
    case OP_SYSTEM: return system(inst, funct3, rd, rs1);
    default: return undefined;
  }
}

function branch(inst: number, funct3: number, rs1: number, rs2: number, pc: number): Disassembly | undefined {
  const offset = ((inst >> 31) << 12) | (((inst >>> 7) & 1) << 11) | (((inst >>> 25) & 0x3f) << 5) | (((inst >>> 8) & 0xf) << 1);
  const both = `${reg(rs1)},${reg(rs2)}`;
  switch (funct3) {
    case 0: // beq
      return rs2 === X_ZERO ? jump('beqz', reg(rs1), offset, pc, 4) : jump('beq', both, offset, pc, 4);
    case 1: // bne
      return rs2 === X_ZERO ? jump('bnez', reg(rs1), offset, pc, 4) : jump('bne', both, offset, pc, 4);
    case 4: // blt
      if (rs2 === X_ZERO) return jump('bltz', reg(rs1), offset, pc, 4);
      if (rs1 === X_ZERO) return jump('bgtz', reg(rs2), offset, pc, 4);
      return jump('blt', both, offset, pc, 4);
    case 5: // bge
      if (rs1 === X_ZERO) return jump('blez', reg(rs2), offset, pc, 4);
      if (rs2 === X_ZERO) return jump('bgez', reg(rs1), offset, pc, 4);
      return jump('bge', both, offset, pc, 4);
    case 6: return jump('bltu', both, offset, pc, 4);
    case 7: return jump('bgeu', both, offset, pc, 4);
    default: return undefined;
  }
}

function opImm(inst: number, funct3: number, rd: number, rs1: number, imm: number): Disassembly | undefined {
  // objdump takes a 6-bit shamt even for RV32, where shamt[5] = 1 is reserved.
  const shamt = (inst >>> 20) & 0x3f;
  const funct6 = inst >>> 26;
  switch (funct3) {
    case 0: // addi
      if (rd === X_ZERO && rs1 === X_ZERO && imm === 0) return bare('nop', 4);
      if (rs1 === X_ZERO) return op('li', `${reg(rd)},${imm}`, 4);
      if (imm === 0) return op('mv', `${reg(rd)},${reg(rs1)}`, 4);
      return op('add', `${reg(rd)},${reg(rs1)},${imm}`, 4);
    case 1: // slli
      return funct6 === 0 ? op('sll', `${reg(rd)},${reg(rs1)},${hex(shamt)}`, 4) : undefined;
    case 2: return op('slti', `${reg(rd)},${reg(rs1)},${imm}`, 4);
    case 3: // sltiu
      return imm === 1 ? op('seqz', `${reg(rd)},${reg(rs1)}`, 4) : op('sltiu', `${reg(rd)},${reg(rs1)},${imm}`, 4);
    case 4: // xori
      return imm === -1 ? op('not', `${reg(rd)},${reg(rs1)}`, 4) : op('xor', `${reg(rd)},${reg(rs1)},${imm}`, 4);
    case 5: // srli, srai
      if (funct6 === 0) return op('srl', `${reg(rd)},${reg(rs1)},${hex(shamt)}`, 4);
      if (funct6 === 0x10) return op('sra', `${reg(rd)},${reg(rs1)},${hex(shamt)}`, 4);
      return undefined;
    case 6: return op('or', `${reg(rd)},${reg(rs1)},${imm}`, 4); // ori
    default: // andi
      return imm === 0xff ? op('zext.b', `${reg(rd)},${reg(rs1)}`, 4) : op('and', `${reg(rd)},${reg(rs1)},${imm}`, 4);
  }
}

const OP_NAMES = ['add', 'sll', 'slt', 'sltu', 'xor', 'srl', 'or', 'and'];
const MULDIV_NAMES = ['mul', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu'];

function opReg(funct3: number, funct7: number, rd: number, rs1: number, rs2: number): Disassembly | undefined {
  const three = `${reg(rd)},${reg(rs1)},${reg(rs2)}`;
  if (funct7 === 1) return op(MULDIV_NAMES[funct3] as string, three, 4);
  if (funct7 === 0x20) {
    if (funct3 === 0) return rs1 === X_ZERO ? op('neg', `${reg(rd)},${reg(rs2)}`, 4) : op('sub', three, 4);
    if (funct3 === 5) return op('sra', three, 4);
    return undefined;
  }
  if (funct7 !== 0) return undefined;
  switch (funct3) {
    case 2: // slt
      if (rs2 === X_ZERO) return op('sltz', `${reg(rd)},${reg(rs1)}`, 4);
      if (rs1 === X_ZERO) return op('sgtz', `${reg(rd)},${reg(rs2)}`, 4);
      break;
    case 3: // sltu
      if (rs1 === X_ZERO) return op('snez', `${reg(rd)},${reg(rs2)}`, 4);
      break;
  }
  return op(OP_NAMES[funct3] as string, three, 4);
}

/** fence's predecessor/successor sets, as objdump spells them. */
function fenceSet(bits: number): string {
  if (bits === 0) return 'unknown';
  return ['i', 'o', 'r', 'w'].filter((_, i) => (bits & (8 >> i)) !== 0).join('');
}

function miscMem(inst: number, funct3: number, rd: number, rs1: number): Disassembly | undefined {
  if (inst === INSN_FENCE_I) return bare('fence.i', 4);
  if (inst === INSN_FENCE_TSO) return bare('fence.tso', 4);
  if (funct3 !== 0 || rd !== 0 || rs1 !== 0 || (inst >>> 28) !== 0) return undefined;
  const pred = (inst >>> 24) & 0xf;
  const succ = (inst >>> 20) & 0xf;
  if (pred === 0xf && succ === 0xf) return bare('fence', 4);
  return op('fence', `${fenceSet(pred)},${fenceSet(succ)}`, 4);
}

const AMO_NAMES: ReadonlyMap<number, string> = new Map([
  [0x00, 'amoadd.w'], [0x01, 'amoswap.w'], [0x04, 'amoxor.w'], [0x08, 'amoor.w'], [0x0c, 'amoand.w'],
  [0x10, 'amomin.w'], [0x14, 'amomax.w'], [0x18, 'amominu.w'], [0x1c, 'amomaxu.w'],
]);

function amo(inst: number, funct3: number, rd: number, rs1: number, rs2: number): Disassembly | undefined {
  if (funct3 !== 2) return undefined;
  const funct5 = inst >>> 27;
  const order = ['', '.rl', '.aq', '.aqrl'][(inst >>> 25) & 3] as string;
  if (funct5 === 0x02) return rs2 === 0 ? op(`lr.w${order}`, `${reg(rd)},(${reg(rs1)})`, 4) : undefined;
  const name = funct5 === 0x03 ? 'sc.w' : AMO_NAMES.get(funct5);
  if (name === undefined) return undefined;
  return op(`${name}${order}`, `${reg(rd)},${reg(rs2)},(${reg(rs1)})`, 4);
}

function system(inst: number, funct3: number, rd: number, rs1: number): Disassembly | undefined {
  const csr = inst >>> 20;
  switch (funct3) {
    case 0: {
      switch (inst) {
        case INSN_ECALL: return bare('ecall', 4);
        case INSN_EBREAK: return bare('ebreak', 4);
        case INSN_URET: return bare('uret', 4);
        case INSN_SRET: return bare('sret', 4);
        case INSN_HRET: return bare('hret', 4);
        case INSN_MRET: return bare('mret', 4);
        case INSN_DRET: return bare('dret', 4);
        case INSN_WFI: return bare('wfi', 4);
      }
      if (((inst & MASK_SFENCE_VMA) >>> 0) === MATCH_SFENCE_VMA) {
        const rs2 = (inst >>> 20) & 0x1f;
        if (rs1 === X_ZERO && rs2 === X_ZERO) return bare('sfence.vma', 4);
        if (rs2 === X_ZERO) return op('sfence.vma', reg(rs1), 4);
        return op('sfence.vma', `${reg(rs1)},${reg(rs2)}`, 4);
      }
      if (((inst & MASK_SFENCE_VM) >>> 0) === MATCH_SFENCE_VM) {
        return rs1 === X_ZERO ? bare('sfence.vm', 4) : op('sfence.vm', reg(rs1), 4);
      }
      return undefined;
    }
    case 1: // csrrw
      if (inst === INSN_UNIMP) return bare('unimp', 4);
      if (rd === X_ZERO) return op('csrw', `${csrName(csr)},${reg(rs1)}`, 4);
      return op('csrrw', `${reg(rd)},${csrName(csr)},${reg(rs1)}`, 4);
    case 2: { // csrrs
      if (rs1 === X_ZERO) {
        const counter = COUNTER_READS.get(csr);
        if (counter !== undefined) return op(counter, reg(rd), 4);
        return op('csrr', `${reg(rd)},${csrName(csr)}`, 4);
      }
      if (rd === X_ZERO) return op('csrs', `${csrName(csr)},${reg(rs1)}`, 4);
      return op('csrrs', `${reg(rd)},${csrName(csr)},${reg(rs1)}`, 4);
    }
    case 3: // csrrc
      if (rd === X_ZERO) return op('csrc', `${csrName(csr)},${reg(rs1)}`, 4);
      return op('csrrc', `${reg(rd)},${csrName(csr)},${reg(rs1)}`, 4);
    case 5: // csrrwi
      if (rd === X_ZERO) return op('csrw', `${csrName(csr)},${rs1}`, 4);
      return op('csrrw', `${reg(rd)},${csrName(csr)},${rs1}`, 4);
    case 6: // csrrsi
      if (rd === X_ZERO) return op('csrs', `${csrName(csr)},${rs1}`, 4);
      return op('csrrs', `${reg(rd)},${csrName(csr)},${rs1}`, 4);
    case 7: // csrrci
      if (rd === X_ZERO) return op('csrc', `${csrName(csr)},${rs1}`, 4);
      return op('csrrc', `${reg(rd)},${csrName(csr)},${rs1}`, 4);
    default: return undefined;
  }
}

/** Compressed register fields (rd', rs1', rs2') name x8–x15. */
function cReg(n: number): string {
  return reg(8 + (n & 7));
}

function bit(inst: number, n: number): number {
  return (inst >>> n) & 1;
}

function disassembleCompressed(inst: number, pc: number): Disassembly {
  return compressed(inst, pc) ?? { text: `.2byte\t${hex(inst)}`, length: 2 };
}

function compressed(inst: number, pc: number): Disassembly | undefined {
  const funct3 = inst >>> 13;
  const rd = (inst >>> 7) & 0x1f;
  const rs2 = (inst >>> 2) & 0x1f;
  const rdP = (inst >>> 2) & 7;
  const rs1P = (inst >>> 7) & 7;
  // CI-format immediate: imm[5] from bit 12, imm[4:0] from bits 6:2, sign-extended.
  const immCI = ((-bit(inst, 12)) << 5) | ((inst >>> 2) & 0x1f);
  switch (inst & 3) {
    case 0: switch (funct3) {
      case 0: { // c.addi4spn
        if (inst === 0) return bare('unimp', 2);
        const imm = (((inst >>> 11) & 3) << 4) | (((inst >>> 7) & 0xf) << 6) | (bit(inst, 6) << 2) | (bit(inst, 5) << 3);
        return imm === 0 ? undefined : op('add', `${cReg(rdP)},sp,${imm}`, 2);
      }
      case 2: { // c.lw
        const imm = (((inst >>> 10) & 7) << 3) | (bit(inst, 6) << 2) | (bit(inst, 5) << 6);
        return op('lw', `${cReg(rdP)},${imm}(${cReg(rs1P)})`, 2);
      }
      case 6: { // c.sw
        const imm = (((inst >>> 10) & 7) << 3) | (bit(inst, 6) << 2) | (bit(inst, 5) << 6);
        return op('sw', `${cReg(rdP)},${imm}(${cReg(rs1P)})`, 2);
      }
      default: return undefined;
    }
    case 1: switch (funct3) {
      case 0: // c.addi, c.nop (rd = zero with an immediate is a hint objdump prints raw)
        if (rd === X_ZERO) return immCI === 0 ? bare('nop', 2) : op('c.nop', `${immCI}`, 2);
        return op('add', `${reg(rd)},${reg(rd)},${immCI}`, 2);
      case 1: { // c.jal (RV32)
        return jump('jal', '', cjOffset(inst), pc, 2);
      }
      case 2: // c.li
        return rd === X_ZERO ? op('c.li', `zero,${immCI}`, 2) : op('li', `${reg(rd)},${immCI}`, 2);
      case 3: {
        if (rd === X_SP) { // c.addi16sp
          const imm = ((-bit(inst, 12)) << 9) | (bit(inst, 6) << 4) | (bit(inst, 5) << 6) | (((inst >>> 3) & 3) << 7) | (bit(inst, 2) << 5);
          return op('add', `sp,sp,${imm}`, 2);
        }
        // c.lui
        if (immCI === 0) return undefined;
        return op(rd === X_ZERO ? 'c.lui' : 'lui', `${reg(rd)},${hex(immCI & 0xfffff)}`, 2);
      }
      case 4: return cMiscAlu(inst, rs1P, rdP, immCI);
      case 5: return jump('j', '', cjOffset(inst), pc, 2); // c.j
      case 6: return jump('beqz', cReg(rs1P), cbOffset(inst), pc, 2); // c.beqz
      default: return jump('bnez', cReg(rs1P), cbOffset(inst), pc, 2); // c.bnez
    }
    case 2: switch (funct3) {
      case 0: { // c.slli
        const shamt = (bit(inst, 12) << 5) | rs2;
        if (shamt === 0) return op('c.slli64', reg(rd), 2);
        if (rd === X_ZERO) return op('c.slli', `zero,${hex(shamt)}`, 2);
        return op('sll', `${reg(rd)},${reg(rd)},${hex(shamt)}`, 2);
      }
      case 2: { // c.lwsp
        if (rd === X_ZERO) return undefined;
        const imm = (bit(inst, 12) << 5) | (((inst >>> 4) & 7) << 2) | (((inst >>> 2) & 3) << 6);
        return op('lw', `${reg(rd)},${imm}(sp)`, 2);
      }
      case 4:
        if (bit(inst, 12) === 0) {
          if (rs2 === X_ZERO) { // c.jr
            if (rd === X_ZERO) return undefined;
            return rd === X_RA ? bare('ret', 2) : op('jr', reg(rd), 2);
          }
          return rd === X_ZERO ? op('c.mv', `zero,${reg(rs2)}`, 2) : op('mv', `${reg(rd)},${reg(rs2)}`, 2); // c.mv
        }
        if (rs2 === X_ZERO) {
          if (rd === X_ZERO) return bare('ebreak', 2); // c.ebreak
          return op('jalr', reg(rd), 2); // c.jalr
        }
        return rd === X_ZERO ? op('c.add', `zero,${reg(rs2)}`, 2) : op('add', `${reg(rd)},${reg(rd)},${reg(rs2)}`, 2); // c.add
      case 6: { // c.swsp
        const imm = (((inst >>> 9) & 0xf) << 2) | (((inst >>> 7) & 3) << 6);
        return op('sw', `${reg(rs2)},${imm}(sp)`, 2);
      }
      default: return undefined;
    }
    default: return undefined;
  }
}

function cMiscAlu(inst: number, rs1P: number, rs2P: number, immCI: number): Disassembly | undefined {
  const rd = cReg(rs1P);
  const shamt = (bit(inst, 12) << 5) | ((inst >>> 2) & 0x1f);
  switch ((inst >>> 10) & 3) {
    case 0: // c.srli
      return shamt === 0 ? op('c.srli64', rd, 2) : op('srl', `${rd},${rd},${hex(shamt)}`, 2);
    case 1: // c.srai
      return shamt === 0 ? op('c.srai64', rd, 2) : op('sra', `${rd},${rd},${hex(shamt)}`, 2);
    case 2: // c.andi
      return op('and', `${rd},${rd},${immCI}`, 2);
    default: {
      if (bit(inst, 12) !== 0) return undefined; // c.subw, c.addw: RV64 only
      const name = ['sub', 'xor', 'or', 'and'][(inst >>> 5) & 3] as string;
      return op(name, `${rd},${rd},${cReg(rs2P)}`, 2);
    }
  }
}

/** CJ-format offset (c.j, c.jal). */
function cjOffset(inst: number): number {
  return ((-bit(inst, 12)) << 11) | (bit(inst, 11) << 4) | (((inst >>> 9) & 3) << 8) | (bit(inst, 8) << 10)
    | (bit(inst, 7) << 6) | (bit(inst, 6) << 7) | (((inst >>> 3) & 7) << 1) | (bit(inst, 2) << 5);
}

/** CB-format offset (c.beqz, c.bnez). */
function cbOffset(inst: number): number {
  return ((-bit(inst, 12)) << 8) | (((inst >>> 10) & 3) << 3) | (((inst >>> 5) & 3) << 6) | (((inst >>> 3) & 3) << 1) | (bit(inst, 2) << 5);
}
