/* Interrupt priority: with all six standard interrupts pending at once, M takes them in the
 * order MEI, MSI, MTI, SEI, SSI, STI; with the supervisor ones delegated, M takes its three
 * first and S then takes SEI, SSI, STI. Each handler masks the interrupt it took in mie/sie
 * and returns, so the next one in priority order is taken. The external interrupt is the
 * UART's THR-empty interrupt through the PLIC's M context; SEIP is written by M.
 * QEMU 7.2 follows this order only with AIA enabled (see the oracle test's QEMU options). */
#include "test.h"

#define ALL_SIX (MIP_MEIP | MIP_MSIP | MIP_MTIP | MIP_SEIP | MIP_SSIP | MIP_STIP)
#define S_THREE (MIP_SEIP | MIP_SSIP | MIP_STIP)

/* s0 = where the handlers append the causes they take. */
.macro CHECK_ORDER_AT index, cause
  la t5, order
  lw t5, (\index * 4)(t5)
  CHECK t5, \cause
.endm

TEST_BEGIN "priv-priority"

  GROUP "make all six pending"
  call raise_all
  csrr a1, mip
  li t0, ALL_SIX
  and a1, a1, t0
  CHECK a1, ALL_SIX

  GROUP "all in M: MEI MSI MTI SEI SSI STI"
  la s0, order
  la t0, m_handler
  csrw mtvec, t0
  li t0, ALL_SIX
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la t0, order
  sub a1, s0, t0
  CHECK a1, 6 * 4
  CHECK_ORDER_AT 0, CAUSE_INTERRUPT | IRQ_M_EXT
  CHECK_ORDER_AT 1, CAUSE_INTERRUPT | IRQ_M_SOFT
  CHECK_ORDER_AT 2, CAUSE_INTERRUPT | IRQ_M_TIMER
  CHECK_ORDER_AT 3, CAUSE_INTERRUPT | IRQ_S_EXT
  CHECK_ORDER_AT 4, CAUSE_INTERRUPT | IRQ_S_SOFT
  CHECK_ORDER_AT 5, CAUSE_INTERRUPT | IRQ_S_TIMER

  GROUP "delegated: M takes its own first, then S in order"
  li t0, S_THREE
  csrw mideleg, t0
  la s0, order
  li t0, ALL_SIX
  csrw mie, t0
  csrsi mstatus, MSTATUS_MIE
  nop
  csrci mstatus, MSTATUS_MIE
  la t0, order
  sub a1, s0, t0
  CHECK a1, 3 * 4
  la t0, s_handler
  csrw stvec, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  csrsi sstatus, MSTATUS_SIE
  nop
  csrci sstatus, MSTATUS_SIE
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  la t0, order
  sub a1, s0, t0
  CHECK a1, 6 * 4
  CHECK_ORDER_AT 0, CAUSE_INTERRUPT | IRQ_M_EXT
  CHECK_ORDER_AT 1, CAUSE_INTERRUPT | IRQ_M_SOFT
  CHECK_ORDER_AT 2, CAUSE_INTERRUPT | IRQ_M_TIMER
  CHECK_ORDER_AT 3, CAUSE_INTERRUPT | IRQ_S_EXT
  CHECK_ORDER_AT 4, CAUSE_INTERRUPT | IRQ_S_SOFT
  CHECK_ORDER_AT 5, CAUSE_INTERRUPT | IRQ_S_TIMER
  call lower_all
  csrr a1, mip
  li t0, ALL_SIX
  and a1, a1, t0
  CHECK a1, 0

TEST_END

/* Makes every source pending: UART THRE through the PLIC (M context), msip, the timer (already
 * due: mtimecmp = now), and SEIP/SSIP/STIP written by M. */
raise_all:
  addi sp, sp, -16
  sw ra, 12(sp)
  li t0, PLIC_BASE + PLIC_PRIORITY
  li t1, 1
  sw t1, (UART0_IRQ * 4)(t0)
  li t0, PLIC_BASE + PLIC_ENABLE + PLIC_CTX_M * PLIC_ENABLE_STRIDE
  li t1, 1 << UART0_IRQ
  sw t1, 0(t0)
  li t0, PLIC_BASE + PLIC_THRESHOLD + PLIC_CTX_M * PLIC_CONTEXT_STRIDE
  sw zero, 0(t0)
  li t0, UART0_BASE
  li t1, UART_IER_ETBEI
  sb t1, UART_IER(t0)
  li t0, CLINT_BASE
  li t1, 1
  sw t1, CLINT_MSIP(t0)
  li a0, 0
  call timer_arm
  li t0, MIP_SEIP | MIP_SSIP | MIP_STIP
  csrs mip, t0
  lw ra, 12(sp)
  addi sp, sp, 16
  ret

/* Clears every source raise_all set, completing the UART's claim at the PLIC. */
lower_all:
  addi sp, sp, -16
  sw ra, 12(sp)
  li t0, UART0_BASE
  sb zero, UART_IER(t0)
  li t0, PLIC_BASE + PLIC_CLAIM + PLIC_CTX_M * PLIC_CONTEXT_STRIDE
  lw t1, 0(t0)
  sw t1, 0(t0)
  li t0, CLINT_BASE
  sw zero, CLINT_MSIP(t0)
  call timer_disarm
  li t0, MIP_SEIP | MIP_SSIP | MIP_STIP
  csrc mip, t0
  csrw mie, zero
  csrw mideleg, zero
  lw ra, 12(sp)
  addi sp, sp, 16
  ret

/* Appends mcause at s0 and masks that interrupt in mie. Clobbers t0, t1. */
  .align 2
m_handler:
  csrr t0, mcause
  sw t0, 0(s0)
  addi s0, s0, 4
  li t1, 1
  sll t1, t1, t0            /* sll uses the low 5 bits: the interrupt number */
  csrc mie, t1
  mret

/* The same for S, through sie. */
  .align 2
s_handler:
  csrr t0, scause
  sw t0, 0(s0)
  addi s0, s0, 4
  li t1, 1
  sll t1, t1, t0
  csrc sie, t1
  sret

  .data
  .align 2
order:
  .space 8 * 4
