/* Trap delegation: medeleg sends chosen exceptions from S/U to the S handler (stvec) with
 * scause/sepc/stval, but never those raised in M; mideleg sends supervisor interrupts to S
 * (timer raised by M writing mip.STIP, software by S writing sip.SSIP); delegated interrupts
 * are not taken in M, are always enabled in U, and undelegated ones reach M from S even with
 * mstatus.MIE = 0. */
#include "test.h"

TEST_BEGIN "priv-delegation"

  GROUP "illegal instruction from U handled in S"
  li t0, (1 << CAUSE_ILLEGAL_INSTRUCTION) | (1 << CAUSE_USER_ECALL)
  csrw medeleg, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 4f
  la t0, 3f
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrc sstatus, t0
  sret
3:
  csrr a0, mstatus          /* illegal in U */
  CHECK_NEVER
4:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  lw a2, TRAP_EPC(t5)
  lw a3, TRAP_TVAL(t5)
  ecall                     /* S ecall: not delegated, to M */
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_ILLEGAL_INSTRUCTION
  CHECK_ADDR a2, 3b
  la t0, 3b
  lw t0, 0(t0)
  CHECK_REG a3, t0

  GROUP "ecall from U handled in S"
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 4f
  la t0, 3f
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrc sstatus, t0
  sret
3:
  ecall
4:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  lw a2, TRAP_EPC(t5)
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_USER_ECALL
  CHECK_ADDR a2, 3b

  GROUP "delegated exception raised in M stays in M"
  TRAP_EXPECT 1f
2:
  .word 0                   /* illegal instruction in M */
1:
  TRAP_CHECK CAUSE_ILLEGAL_INSTRUCTION
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  csrw medeleg, zero

  GROUP "supervisor timer: M sets STIP, S handles it"
  csrw mie, zero
  li t0, MIP_STIP
  csrw mideleg, t0
  csrs mie, t0
  csrs mip, t0
  /* In M, even with MIE = 1, a delegated interrupt is not taken. */
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
  nop
  nop
  csrci mstatus, MSTATUS_MIE
1:
  TRAP_CHECK TRAP_NONE
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 4f
  csrsi sstatus, MSTATUS_SIE
3:
  nop
  CHECK_NEVER
4:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  csrr a2, sip
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_INTERRUPT | IRQ_S_TIMER
  CHECK a2, MIP_STIP        /* S sees it pending, and cannot clear it: M does */
  li t0, MIP_STIP
  csrc mip, t0
  csrr a2, mip
  and a2, a2, t0
  CHECK a2, 0

  GROUP "delegated interrupt taken in U with SIE = 0"
  li t0, MIP_STIP
  csrs mip, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 4f
  li t0, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP
  csrc sstatus, t0
  la t0, 3f
  csrw sepc, t0
  sret
3:
  nop
  CHECK_NEVER
4:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  lw a2, TRAP_STATUS(t5)
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_INTERRUPT | IRQ_S_TIMER
  andi a2, a2, MSTATUS_SPP
  CHECK a2, 0               /* it came from U */
  li t0, MIP_STIP
  csrc mip, t0

  GROUP "supervisor software interrupt from sip.SSIP"
  li t0, MIP_SSIP
  csrw mideleg, t0
  csrw mie, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 4f
  csrsi sstatus, MSTATUS_SIE
  li t0, MIP_SSIP
  csrs sip, t0
3:
  nop
  CHECK_NEVER
4:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  li t0, MIP_SSIP
  csrc sip, t0
  csrr a2, sip
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_INTERRUPT | IRQ_S_SOFT
  CHECK a2, 0

  GROUP "undelegated S interrupt goes to M from S"
  csrw mideleg, zero
  li t0, MIP_STIP
  csrw mie, t0
  csrci mstatus, MSTATUS_MIE
  TRAP_EXPECT 1f
  li t0, MIP_STIP
  csrs mip, t0              /* pending, but MIE = 0 holds it off while in M */
  nop
  li t0, MSTATUS_MPIE
  csrc mstatus, t0
  MRET_TO MSTATUS_MPP_S, 2f
2:
  nop
  CHECK_NEVER
1:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_S_TIMER
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  TRAP_CHECK_MPP MSTATUS_MPP_S
  li t0, MIP_STIP
  csrc mip, t0
  csrw mie, zero

TEST_END
