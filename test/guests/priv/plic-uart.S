/* External interrupts from the NS16550A through the PLIC: the THR-empty interrupt reaches M
 * as MEI, is claimed (source 10) and completed; the PLIC's priority threshold holds it back
 * while the pending bit stays visible; a claim with nothing pending returns 0; a byte sent in
 * loopback mode (MCR bit 4, nothing reaches the console) comes back as a receive interrupt;
 * and through PLIC context 1 the same source reaches S as SEI, delegated and claimed there. */
#include "test.h"

#define PLIC_M_ENABLE    (PLIC_BASE + PLIC_ENABLE + PLIC_CTX_M * PLIC_ENABLE_STRIDE)
#define PLIC_M_THRESHOLD (PLIC_BASE + PLIC_THRESHOLD + PLIC_CTX_M * PLIC_CONTEXT_STRIDE)
#define PLIC_M_CLAIM     (PLIC_BASE + PLIC_CLAIM + PLIC_CTX_M * PLIC_CONTEXT_STRIDE)
#define PLIC_S_ENABLE    (PLIC_BASE + PLIC_ENABLE + PLIC_CTX_S * PLIC_ENABLE_STRIDE)
#define PLIC_S_THRESHOLD (PLIC_BASE + PLIC_THRESHOLD + PLIC_CTX_S * PLIC_CONTEXT_STRIDE)
#define PLIC_S_CLAIM     (PLIC_BASE + PLIC_CLAIM + PLIC_CTX_S * PLIC_CONTEXT_STRIDE)
#define UART_IIR_ID      0x0f
#define UART_IIR_THRI    0x02
#define UART_IIR_RDI     0x04

/* Spins (bounded) so a pending interrupt has time to be taken. */
.macro SPIN
  li a3, 100000
.Lspin\@:
  addi a3, a3, -1
  bnez a3, .Lspin\@
.endm

.macro MIP_BIT bit
  csrr a1, mip
  li t0, \bit
  and a1, a1, t0
.endm

TEST_BEGIN "priv-plic-uart"

  GROUP "THR empty interrupt to M, claim, complete"
  li t0, PLIC_BASE + PLIC_PRIORITY + UART0_IRQ * 4
  li t1, 1
  sw t1, 0(t0)
  li t0, PLIC_M_ENABLE
  li t1, 1 << UART0_IRQ
  sw t1, 0(t0)
  li t0, PLIC_M_THRESHOLD
  sw zero, 0(t0)
  li t0, PLIC_M_CLAIM
  lw a1, 0(t0)
  CHECK a1, 0               /* nothing pending yet */
  li t0, MIP_MEIP
  csrw mie, t0
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
  li s1, UART0_BASE
  li t0, UART_IER_ETBEI
  sb t0, UART_IER(s1)
  SPIN
1:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_EXT
  lbu a1, UART_IIR(s1)
  andi a1, a1, UART_IIR_ID
  CHECK a1, UART_IIR_THRI
  li t0, PLIC_M_CLAIM
  lw a1, 0(t0)
  CHECK a1, UART0_IRQ
  sb zero, UART_IER(s1)     /* quiet the source, then complete */
  sw a1, 0(t0)
  MIP_BIT MIP_MEIP
  CHECK a1, 0

  GROUP "threshold masks, pending bit stays"
  li t0, PLIC_M_THRESHOLD
  li t1, 1
  sw t1, 0(t0)
  li t0, UART_IER_ETBEI
  sb t0, UART_IER(s1)
  MIP_BIT MIP_MEIP
  CHECK a1, 0
  li t0, PLIC_BASE + PLIC_PENDING
  lw a1, 0(t0)
  srli a1, a1, UART0_IRQ
  andi a1, a1, 1
  CHECK a1, 1
  li t0, PLIC_M_THRESHOLD
  sw zero, 0(t0)
  MIP_BIT MIP_MEIP
  CHECK a1, MIP_MEIP
  li t0, PLIC_M_CLAIM
  lw a1, 0(t0)
  CHECK a1, UART0_IRQ
  sb zero, UART_IER(s1)
  sw a1, 0(t0)
  MIP_BIT MIP_MEIP
  CHECK a1, 0

  GROUP "loopback receive interrupt"
  li t0, UART_MCR_LOOP
  sb t0, UART_MCR(s1)
  li t0, UART_IER_ERBFI
  sb t0, UART_IER(s1)
  TRAP_EXPECT 1f
  csrsi mstatus, MSTATUS_MIE
  li t0, 'Z'
  sb t0, UART_THR(s1)       /* loops back instead of reaching the console */
  SPIN
1:
  TRAP_CHECK CAUSE_INTERRUPT | IRQ_M_EXT
  lbu a1, UART_IIR(s1)
  andi a1, a1, UART_IIR_ID
  CHECK a1, UART_IIR_RDI
  lbu a1, UART_LSR(s1)
  andi a1, a1, UART_LSR_DR
  CHECK a1, UART_LSR_DR
  li t0, PLIC_M_CLAIM
  lw a2, 0(t0)
  CHECK a2, UART0_IRQ
  lbu a1, UART_RBR(s1)      /* reading the byte clears the interrupt */
  CHECK a1, 'Z'
  sw a2, 0(t0)
  lbu a1, UART_LSR(s1)
  andi a1, a1, UART_LSR_DR
  CHECK a1, 0
  MIP_BIT MIP_MEIP
  CHECK a1, 0
  sb zero, UART_IER(s1)
  sb zero, UART_MCR(s1)

  GROUP "context 1 raises SEI, handled in S"
  li t0, PLIC_M_ENABLE
  sw zero, 0(t0)
  li t0, PLIC_S_ENABLE
  li t1, 1 << UART0_IRQ
  sw t1, 0(t0)
  li t0, PLIC_S_THRESHOLD
  sw zero, 0(t0)
  li t0, MIP_SEIP
  csrw mideleg, t0
  csrw mie, t0
  li t0, UART_IER_ETBEI
  sb t0, UART_IER(s1)
  MIP_BIT MIP_SEIP
  CHECK a1, MIP_SEIP
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 3f
  csrsi sstatus, MSTATUS_SIE
  nop
  CHECK_NEVER
3:
  la t5, trap_state
  lw a4, TRAP_CAUSE(t5)
  li t0, PLIC_S_CLAIM
  lw a5, 0(t0)
  sb zero, UART_IER(s1)
  sw a5, 0(t0)
  csrr a6, sip
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a4, CAUSE_INTERRUPT | IRQ_S_EXT
  CHECK a5, UART0_IRQ
  andi a6, a6, MIP_SEIP
  CHECK a6, 0
  csrw mie, zero
  csrw mideleg, zero
  li t0, PLIC_S_ENABLE
  sw zero, 0(t0)

TEST_END
