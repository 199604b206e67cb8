/* mstatus trap controls and privilege checks: TVM makes satp accesses and sfence.vma in S
 * illegal, TW makes wfi in S illegal (wfi in U is always illegal, as in QEMU), TSR makes sret
 * in S illegal, and none of them affects M. Instructions and CSRs above the current privilege
 * raise illegal instruction; mtval holds the instruction word throughout. */
#include "test.h"

/* Runs `insn` in mode `mpp` and expects an illegal-instruction trap naming it. */
.macro ILLEGAL_IN mpp, insn:vararg
  TRAP_EXPECT .Lresume\@
  MRET_TO \mpp, .Linsn\@
.Linsn\@:
  \insn
  CHECK_NEVER
.Lresume\@:
  TRAP_CHECK CAUSE_ILLEGAL_INSTRUCTION
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, .Linsn\@
  la t5, .Linsn\@
  lw a5, 0(t5)
  la t5, trap_state
  lw t5, TRAP_TVAL(t5)
  CHECK_REG t5, a5
.endm

/* Runs `insn` in mode `mpp` and expects it to complete; the ecall after it returns to M. */
.macro LEGAL_IN mpp, ecall_cause, insn:vararg
  TRAP_EXPECT .Lresume\@
  MRET_TO \mpp, .Linsn\@
.Linsn\@:
  \insn
  ecall
.Lresume\@:
  TRAP_CHECK \ecall_cause
.endm

TEST_BEGIN "priv-trap-control"

  GROUP "TVM"
  li t0, MSTATUS_TVM
  csrs mstatus, t0
  ILLEGAL_IN MSTATUS_MPP_S, csrr a0, satp
  ILLEGAL_IN MSTATUS_MPP_S, csrw satp, zero
  ILLEGAL_IN MSTATUS_MPP_S, sfence.vma
  ILLEGAL_IN MSTATUS_MPP_S, sfence.vma zero, zero
  csrr a0, satp             /* M is not affected */
  sfence.vma
  li t0, MSTATUS_TVM
  csrc mstatus, t0
  LEGAL_IN MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, csrr a0, satp
  LEGAL_IN MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, sfence.vma

  GROUP "TW"
  /* wfi in U is illegal whatever TW says. */
  li t0, MSTATUS_TW
  csrs mstatus, t0
  ILLEGAL_IN MSTATUS_MPP_U, wfi
  li t0, MSTATUS_TW
  csrc mstatus, t0
  ILLEGAL_IN MSTATUS_MPP_U, wfi
  /* For S, a wake-up source that is pending and enabled in sie but masked by sstatus.SIE = 0,
   * so a wfi that is allowed to run completes without taking the interrupt. */
  li t0, MIP_STIP
  csrw mideleg, t0
  csrw mie, t0
  csrs mip, t0
  li t0, MSTATUS_SIE | MSTATUS_SPIE
  csrc mstatus, t0
  li t0, MSTATUS_TW
  csrs mstatus, t0
  ILLEGAL_IN MSTATUS_MPP_S, wfi
  li t0, MSTATUS_TW
  csrc mstatus, t0
  LEGAL_IN MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, wfi
  li t0, MIP_STIP
  csrc mip, t0
  csrw mie, zero
  csrw mideleg, zero
  /* TW does not affect M: wfi wakes on a pending, enabled machine software interrupt even
   * with MIE = 0, and does not trap. */
  li t0, MSTATUS_TW
  csrs mstatus, t0
  csrci mstatus, MSTATUS_MIE
  li t1, CLINT_BASE
  li t0, 1
  sw t0, CLINT_MSIP(t1)
  li t0, MIP_MSIP
  csrw mie, t0
  TRAP_EXPECT 1f
  wfi
1:
  TRAP_CHECK TRAP_NONE
  sw zero, CLINT_MSIP(t1)
  csrw mie, zero
  li t0, MSTATUS_TW
  csrc mstatus, t0

  GROUP "TSR"
  li t0, MSTATUS_TSR
  csrs mstatus, t0
  ILLEGAL_IN MSTATUS_MPP_S, sret
  li t0, MSTATUS_TSR
  csrc mstatus, t0

  GROUP "privileged instructions and CSRs"
  ILLEGAL_IN MSTATUS_MPP_S, mret
  ILLEGAL_IN MSTATUS_MPP_U, mret
  ILLEGAL_IN MSTATUS_MPP_U, sret
  ILLEGAL_IN MSTATUS_MPP_U, sfence.vma
  ILLEGAL_IN MSTATUS_MPP_S, csrr a0, mstatus
  ILLEGAL_IN MSTATUS_MPP_S, csrw mscratch, a0
  ILLEGAL_IN MSTATUS_MPP_S, csrr a0, mhartid
  ILLEGAL_IN MSTATUS_MPP_U, csrr a0, sstatus
  ILLEGAL_IN MSTATUS_MPP_U, csrr a0, sscratch
  ILLEGAL_IN MSTATUS_MPP_U, csrr a0, satp
  LEGAL_IN MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, csrw sscratch, a0
  LEGAL_IN MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, csrr a0, sstatus

TEST_END
