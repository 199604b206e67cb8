/* CLINT helpers shared by the interrupt tests: arm the machine timer relative to now, disarm
 * it. mtime and mtimecmp are 64-bit registers reached through 32-bit halves on RV32. */
#include "riscv.h"

  .text

/* timer_arm(a0 = ticks from now): mtimecmp = mtime + a0. Clobbers t0-t3, a0. */
  .globl timer_arm
timer_arm:
  li t0, CLINT_BASE + CLINT_MTIME
1:
  lw t2, 4(t0)              /* high, low, high again: retry if the low half wrapped */
  lw t1, 0(t0)
  lw t3, 4(t0)
  bne t2, t3, 1b
  add a0, t1, a0
  sltu t1, a0, t1
  add t2, t2, t1
  li t0, CLINT_BASE + CLINT_MTIMECMP
  li t1, -1
  sw t1, 4(t0)              /* no spurious match while the halves disagree */
  sw a0, 0(t0)
  sw t2, 4(t0)
  ret

/* timer_disarm(): mtimecmp = all ones, so MTIP clears. Clobbers t0, t1. */
  .globl timer_disarm
timer_disarm:
  li t0, CLINT_BASE + CLINT_MTIMECMP
  li t1, -1
  sw t1, 4(t0)
  sw t1, 0(t0)
  ret
