/* Zicsr: csrrw/csrrs/csrrc and their immediate forms return the old value and write the new
 * one; csrrs/csrrc with rs1 = x0 (or uimm = 0) do not write, so they may read read-only CSRs;
 * writing a read-only CSR or touching a CSR that does not exist raises an illegal-instruction
 * exception whose mtval is the instruction word; S-level views (sstatus, sie) of M-level CSRs. */
#include "test.h"

/* Runs `insn` at a label and expects an illegal-instruction trap reporting it in mtval. */
.macro ILLEGAL insn:vararg
  TRAP_EXPECT .Lillegal_resume\@
.Lillegal_insn\@:
  \insn
.Lillegal_resume\@:
  TRAP_CHECK CAUSE_ILLEGAL_INSTRUCTION
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, .Lillegal_insn\@
  la t5, .Lillegal_insn\@
  lw a5, 0(t5)
  la t5, trap_state
  lw t5, TRAP_TVAL(t5)
  CHECK_REG t5, a5
.endm

/* Runs `insn` and expects no trap at all. */
.macro LEGAL insn:vararg
  TRAP_EXPECT .Llegal_resume\@
  \insn
.Llegal_resume\@:
  TRAP_CHECK TRAP_NONE
.endm

TEST_BEGIN "isa-csr"

  GROUP "csrrw csrrs csrrc"
  li a1, 0x12345678
  csrw mscratch, a1
  li a1, 0xcafef00d
  csrrw a2, mscratch, a1
  CHECK a2, 0x12345678
  li a1, 0x000000f0
  csrrs a2, mscratch, a1
  CHECK a2, 0xcafef00d
  csrr a2, mscratch
  CHECK a2, 0xcafef0fd
  li a1, 0xff00000f
  csrrc a2, mscratch, a1
  CHECK a2, 0xcafef0fd
  csrr a2, mscratch
  CHECK a2, 0x00fef0f0
  /* rd = x0: csrrw still writes. */
  li a1, 0x55
  csrrw zero, mscratch, a1
  csrr a2, mscratch
  CHECK a2, 0x55
  /* rd == rs1: the old value lands in rd after the new one was taken from it. */
  li a1, 0x66
  csrrw a1, mscratch, a1
  CHECK a1, 0x55
  csrr a2, mscratch
  CHECK a2, 0x66

  GROUP "immediate forms"
  csrrwi a2, mscratch, 31
  CHECK a2, 0x66
  csrr a2, mscratch
  CHECK a2, 31              /* uimm is zero-extended, not sign-extended */
  csrrci a2, mscratch, 0x0a
  CHECK a2, 31
  csrrsi a2, mscratch, 0x10
  CHECK a2, 0x15
  csrr a2, mscratch
  CHECK a2, 0x15

  GROUP "rs1 = x0 does not write"
  LEGAL csrrs a2, mvendorid, zero
  LEGAL csrrc a2, mhartid, zero
  CHECK a2, 0
  LEGAL csrrsi a2, marchid, 0
  LEGAL csrrci a2, mimpid, 0
  LEGAL csrr a2, cycle
  LEGAL csrr a2, instret
  LEGAL csrr a2, time

  GROUP "writing a read-only CSR"
  li a1, 1
  ILLEGAL csrw mvendorid, a1
  ILLEGAL csrrw zero, mhartid, zero
  ILLEGAL csrrwi a2, marchid, 0
  ILLEGAL csrrs a2, cycle, a1
  ILLEGAL csrrci a2, instret, 1
  ILLEGAL csrrsi zero, time, 4

  GROUP "nonexistent CSRs"
  ILLEGAL csrr a2, 0x3ff
  ILLEGAL csrw 0x0ff, a1
  ILLEGAL csrrs a2, 0x3ff, zero

  GROUP "sstatus and sie views"
  csrw mstatus, zero
  li a1, MSTATUS_SIE
  csrs sstatus, a1
  csrr a2, mstatus
  andi a2, a2, MSTATUS_SIE | MSTATUS_MIE
  CHECK a2, MSTATUS_SIE
  li a1, MSTATUS_MIE
  csrs mstatus, a1
  csrr a2, sstatus
  andi a2, a2, MSTATUS_SIE | MSTATUS_MIE
  CHECK a2, MSTATUS_SIE     /* MIE is not visible in sstatus */
  csrw mstatus, zero
  /* sie shows, and writes, only the interrupts delegated in mideleg. */
  csrw mie, zero
  csrw mideleg, zero
  li a1, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrs sie, a1
  csrr a2, sie
  CHECK a2, 0
  csrr a2, mie
  CHECK a2, 0
  li a1, MIP_STIP
  csrw mideleg, a1
  li a1, MIP_SSIP | MIP_STIP | MIP_SEIP
  csrs sie, a1
  csrr a2, sie
  CHECK a2, MIP_STIP
  csrr a2, mie
  CHECK a2, MIP_STIP
  csrw mie, zero
  csrw mideleg, zero

TEST_END
