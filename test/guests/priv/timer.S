/* CLINT interrupts into M: MTIP follows mtime >= mtimecmp (and is pending out of reset, as
 * QEMU resets mtimecmp to 0); the machine timer and machine software (msip) interrupts are
 * taken with their causes; wfi wakes on a timer interrupt and, with mstatus.MIE = 0, continues
 * without trapping; with MIE = 1 the trap's mepc is the instruction after the wfi. Where an
 * interrupt lands in a spin loop depends on timing, so only the fact and cause are checked. */
#include "test.h"

#define SPIN_LIMIT 200000

TEST_BEGIN "priv-timer"

  GROUP "MTIP out of reset and after disarming"
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  CHECK a1, MIP_MTIP
  call timer_disarm
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  CHECK a1, 0

  GROUP "MTIP rises when mtime reaches mtimecmp"
  li a0, 20
  call timer_arm
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  CHECK a1, 0
  li a3, SPIN_LIMIT
1:
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  bnez a1, 2f
  addi a3, a3, -1
  bnez a3, 1b
2:
  CHECK a1, MIP_MTIP
  call timer_disarm

  GROUP "machine timer interrupt"
  li t0, MIP_MTIP
  csrw mie, t0
  li a0, 30
  call timer_arm
  TRAP_EXPECT 3f
  csrsi mstatus, MSTATUS_MIE
  li a3, SPIN_LIMIT
1:
  addi a3, a3, -1
  bnez a3, 1b
3:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_TIMER
  TRAP_CHECK_MPP MSTATUS_MPP
  call timer_disarm
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  CHECK a1, 0

  GROUP "machine software interrupt"
  li t0, MIP_MSIP
  csrw mie, t0
  li t1, CLINT_BASE
  li t0, 1
  TRAP_EXPECT 3f
  csrsi mstatus, MSTATUS_MIE
  sw t0, CLINT_MSIP(t1)
  li a3, SPIN_LIMIT
1:
  addi a3, a3, -1
  bnez a3, 1b
3:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_SOFT
  li t1, CLINT_BASE
  lw a1, CLINT_MSIP(t1)
  CHECK a1, 1
  sw zero, CLINT_MSIP(t1)
  csrr a1, mip
  andi a1, a1, MIP_MSIP
  CHECK a1, 0

  GROUP "wfi wakes with MIE = 0 and does not trap"
  li t0, MIP_MTIP
  csrw mie, t0
  csrci mstatus, MSTATUS_MIE
  li a0, 100
  call timer_arm
  TRAP_EXPECT 1f
  wfi
1:
  TRAP_CHECK TRAP_NONE
  csrr a1, mip
  andi a1, a1, MIP_MTIP
  CHECK a1, MIP_MTIP
  call timer_disarm

  GROUP "wfi wakes with MIE = 1 into the handler"
  li a0, 100
  call timer_arm
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
  wfi
2:
  j 2b
1:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_TIMER
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  call timer_disarm
  csrw mie, zero

TEST_END
