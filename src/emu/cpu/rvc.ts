// The compressed (C) extension, RV32 encodings: each 16-bit instruction expands to the 32-bit
// instruction it stands for, so the interpreter has one decoder. Each value is expanded once, when
// first met, into a table; 0 marks an illegal or reserved encoding (no 32-bit instruction has
// opcode 0).

const OP_LOAD = 0x03;
const OP_IMM = 0x13;
const OP_STORE = 0x23;
const OP_REG = 0x33;
const OP_LUI = 0x37;
const OP_BRANCH = 0x63;
const OP_JALR = 0x67;
const OP_JAL = 0x6f;
const EBREAK = 0x00100073;

const X_RA = 1;
const X_SP = 2;

function iType(imm: number, rs1: number, f3: number, rd: number, op: number): number {
  return ((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op;
}
function sType(imm: number, rs2: number, rs1: number, f3: number, op: number): number {
  return (((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | op;
}
function bType(imm: number, rs2: number, rs1: number, f3: number): number {
  return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | OP_BRANCH;
}
function jType(imm: number, rd: number): number {
  return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20) |
    (((imm >> 12) & 0xff) << 12) | (rd << 7) | OP_JAL;
}
function rType(f7: number, rs2: number, rs1: number, f3: number, rd: number): number {
  return (f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | OP_REG;
}

/** Sign-extends the low `bits` bits of v. */
function sext(v: number, bits: number): number {
  const s = 32 - bits;
  return (v << s) >> s;
}

/** The 32-bit instruction a 16-bit one stands for, or 0 when it is illegal or reserved. */
export function expandCompressed(c: number): number {
  const op = c & 3;
  const f3 = (c >> 13) & 7;
  const rd = (c >> 7) & 31; // also rs1 in CR/CI formats
  const rs2 = (c >> 2) & 31;
  const rdp = ((c >> 2) & 7) + 8; // rd' / rs2' in CIW, CL, CS
  const rs1p = ((c >> 7) & 7) + 8; // rs1' / rd' in CL, CS, CB
  const ciImm = sext(((c >> 7) & 0x20) | ((c >> 2) & 0x1f), 6);

  if (op === 0) {
    const lwImm = ((c >> 7) & 0x38) | ((c >> 4) & 0x4) | ((c << 1) & 0x40);
    switch (f3) {
      case 0: { // C.ADDI4SPN
        const imm = ((c >> 7) & 0x30) | ((c >> 1) & 0x3c0) | ((c >> 4) & 0x4) | ((c >> 2) & 0x8);
        return imm === 0 ? 0 : iType(imm, X_SP, 0, rdp, OP_IMM);
      }
      case 2: return iType(lwImm, rs1p, 2, rdp, OP_LOAD); // C.LW
      case 6: return sType(lwImm, rdp, rs1p, 2, OP_STORE); // C.SW
      default: return 0; // C.FLD/C.FLW/C.FSD/C.FSW (no F/D) and the reserved slot
    }
  }

  if (op === 1) {
    switch (f3) {
      case 0: return iType(ciImm, rd, 0, rd, OP_IMM); // C.ADDI, C.NOP
      case 1: case 5: { // C.JAL (RV32), C.J
        const imm = sext(((c >> 1) & 0x800) | ((c >> 7) & 0x10) | ((c >> 1) & 0x300) | ((c << 2) & 0x400) |
          ((c >> 1) & 0x40) | ((c << 1) & 0x80) | ((c >> 2) & 0xe) | ((c << 3) & 0x20), 12);
        return jType(imm, f3 === 1 ? X_RA : 0);
      }
      case 2: return iType(ciImm, 0, 0, rd, OP_IMM); // C.LI
      case 3: {
        if (rd === X_SP) { // C.ADDI16SP
          const imm = sext(((c >> 3) & 0x200) | ((c >> 2) & 0x10) | ((c << 1) & 0x40) | ((c << 4) & 0x180) | ((c << 3) & 0x20), 10);
          return imm === 0 ? 0 : iType(imm, X_SP, 0, X_SP, OP_IMM);
        }
        // C.LUI
        return ciImm === 0 ? 0 : ((ciImm << 12) | (rd << 7) | OP_LUI);
      }
      case 4: {
        const shamt = ((c >> 7) & 0x20) | ((c >> 2) & 0x1f);
        switch ((c >> 10) & 3) {
          case 0: return shamt & 0x20 ? 0 : iType(shamt, rs1p, 5, rs1p, OP_IMM); // C.SRLI
          case 1: return shamt & 0x20 ? 0 : iType(0x400 | shamt, rs1p, 5, rs1p, OP_IMM); // C.SRAI
          case 2: return iType(ciImm, rs1p, 7, rs1p, OP_IMM); // C.ANDI
          default:
            if (c & 0x1000) return 0; // C.SUBW/C.ADDW are RV64 only
            switch ((c >> 5) & 3) {
              case 0: return rType(0x20, rdp, rs1p, 0, rs1p); // C.SUB
              case 1: return rType(0, rdp, rs1p, 4, rs1p); // C.XOR
              case 2: return rType(0, rdp, rs1p, 6, rs1p); // C.OR
              default: return rType(0, rdp, rs1p, 7, rs1p); // C.AND
            }
        }
      }
      default: { // C.BEQZ, C.BNEZ
        const imm = sext(((c >> 4) & 0x100) | ((c >> 7) & 0x18) | ((c << 1) & 0xc0) | ((c >> 2) & 0x6) | ((c << 3) & 0x20), 9);
        return bType(imm, 0, rs1p, f3 === 6 ? 0 : 1);
      }
    }
  }

  if (op === 2) {
    switch (f3) {
      case 0: { // C.SLLI
        const shamt = ((c >> 7) & 0x20) | rs2;
        return shamt & 0x20 ? 0 : iType(shamt, rd, 1, rd, OP_IMM);
      }
      case 2: { // C.LWSP
        const imm = ((c >> 7) & 0x20) | ((c >> 2) & 0x1c) | ((c << 4) & 0xc0);
        return rd === 0 ? 0 : iType(imm, X_SP, 2, rd, OP_LOAD);
      }
      case 4:
        if ((c & 0x1000) === 0) {
          if (rs2 === 0) return rd === 0 ? 0 : iType(0, rd, 0, 0, OP_JALR); // C.JR
          return rType(0, rs2, 0, 0, rd); // C.MV
        }
        if (rs2 === 0) return rd === 0 ? EBREAK : iType(0, rd, 0, X_RA, OP_JALR); // C.EBREAK, C.JALR
        return rType(0, rs2, rd, 0, rd); // C.ADD
      case 6: { // C.SWSP
        const imm = ((c >> 7) & 0x3c) | ((c >> 1) & 0xc0);
        return sType(imm, rs2, X_SP, 2, OP_STORE);
      }
      default: return 0; // C.FLDSP/C.FLWSP/C.FSDSP/C.FSWSP (no F/D)
    }
  }
  return 0; // op 3 is a 32-bit instruction, not compressed
}

/** Not expanded yet: bits 1:0 are 01, which no 32-bit instruction (11) nor the illegal mark (0) has. */
const UNEXPANDED = 1;
/**
 * The expansions made so far, by 16-bit value: filled as the guest meets them (filling all
 * 65,536 at start-up cost every process ~10 ms of unoptimized JavaScript).
 */
const expansions = new Int32Array(65536).fill(UNEXPANDED);

/** expandCompressed(half), each value computed once. */
export function expandRvc(half: number): number {
  const e = expansions[half];
  return e !== UNEXPANDED ? e : (expansions[half] = expandCompressed(half));
}
