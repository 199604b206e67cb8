/* Vectored trap vectors (mtvec/stvec MODE = 1): exceptions go to BASE, interrupt n to
 * BASE + 4n, in M and, through delegation, in S. Each vector entry notes its own index and
 * then hands over to the shared catcher. */
#include "test.h"

/* One 4-byte table entry per index: a jump to the matching stub. */
.macro VECTOR_TABLE name, stub_prefix
  .align 8
\name:
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  j \stub_prefix\n
  .endr
.endm

/* A stub: vector_hit = n, then continue in `catcher`. Uses the stack (physical in M, and
 * paging is off in this test). */
.macro VECTOR_STUB stub_prefix, n, catcher
\stub_prefix\n:
  addi sp, sp, -16
  sw t0, 0(sp)
  sw t1, 4(sp)
  la t0, vector_hit
  li t1, \n
  sw t1, 0(t0)
  lw t1, 4(sp)
  lw t0, 0(sp)
  addi sp, sp, 16
  j \catcher
.endm

/* Points mtvec at the M table in vectored mode and arms the catcher's record. */
.macro ARM_M_VECTORED resume
  TRAP_EXPECT \resume
  la t6, m_table
  ori t6, t6, 1
  csrw mtvec, t6
  la t6, vector_hit
  li t5, -1
  sw t5, 0(t6)
.endm

.macro CHECK_HIT n
  la t5, vector_hit
  lw t5, 0(t5)
  CHECK t5, \n
.endm

TEST_BEGIN "priv-vectored"

  GROUP "mtvec reads back MODE"
  la a1, m_table
  ori a1, a1, 1
  csrw mtvec, a1
  csrr a2, mtvec
  CHECK_REG a2, a1
  la t0, unexpected_trap
  csrw mtvec, t0

  GROUP "exceptions use BASE"
  ARM_M_VECTORED 1f
  ecall
1:
  TRAP_CHECK CAUSE_MACHINE_ECALL
  CHECK_HIT 0
  ARM_M_VECTORED 1f
  .word 0
1:
  TRAP_CHECK CAUSE_ILLEGAL_INSTRUCTION
  CHECK_HIT 0

  GROUP "machine interrupts use BASE + 4 * cause"
  li t0, MIP_MSIP
  csrw mie, t0
  ARM_M_VECTORED 1f
  li t1, CLINT_BASE
  li t0, 1
  csrsi mstatus, MSTATUS_MIE
  sw t0, CLINT_MSIP(t1)
  li a3, 100000
2:
  addi a3, a3, -1
  bnez a3, 2b
1:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_SOFT
  CHECK_HIT IRQ_M_SOFT
  li t1, CLINT_BASE
  sw zero, CLINT_MSIP(t1)

  li t0, MIP_MTIP
  csrw mie, t0
  li a0, 10
  call timer_arm
  ARM_M_VECTORED 1f
  csrsi mstatus, MSTATUS_MIE
  li a3, 100000
2:
  addi a3, a3, -1
  bnez a3, 2b
1:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_TIMER
  CHECK_HIT IRQ_M_TIMER
  call timer_disarm
  csrw mie, zero

  GROUP "supervisor interrupts use stvec BASE + 4 * cause"
  li t0, MIP_STIP | MIP_SSIP
  csrw mideleg, t0
  csrw mie, t0
  li t0, MIP_STIP
  csrs mip, t0
  la t0, vector_hit
  li t1, -1
  sw t1, 0(t0)
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 3f
  la t0, s_table
  ori t0, t0, 1
  csrw stvec, t0
  csrsi sstatus, MSTATUS_SIE
  nop
  CHECK_NEVER
3:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_INTERRUPT | IRQ_S_TIMER
  CHECK_HIT IRQ_S_TIMER
  li t0, MIP_STIP
  csrc mip, t0

  la t0, vector_hit
  li t1, -1
  sw t1, 0(t0)
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 3f
  la t0, s_table
  ori t0, t0, 1
  csrw stvec, t0
  csrsi sstatus, MSTATUS_SIE
  csrsi sip, MIP_SSIP
  nop
  CHECK_NEVER
3:
  la t5, trap_state
  lw a1, TRAP_CAUSE(t5)
  csrci sip, MIP_SSIP
  ecall                     /* an exception in S is not delegated: M's catcher */
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a1, CAUSE_INTERRUPT | IRQ_S_SOFT
  CHECK_HIT IRQ_S_SOFT
  csrw mie, zero
  csrw mideleg, zero

TEST_END

  VECTOR_TABLE m_table, m_stub
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  VECTOR_STUB m_stub, \n, trap_catch
  .endr

  VECTOR_TABLE s_table, s_stub
  .irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
  VECTOR_STUB s_stub, \n, strap_catch
  .endr

  .data
  .align 2
vector_hit:
  .word 0
