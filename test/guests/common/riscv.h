/* Privileged-architecture constants for the assembly guests, spelled as in the RISC-V spec.
 * Shared by the ISA and privileged tests so no test hard-codes a bit position. */
#ifndef GUEST_RISCV_H
#define GUEST_RISCV_H

#define MSTATUS_SIE   0x00000002
#define MSTATUS_MIE   0x00000008
#define MSTATUS_SPIE  0x00000020
#define MSTATUS_MPIE  0x00000080
#define MSTATUS_SPP   0x00000100
#define MSTATUS_MPP   0x00001800
#define MSTATUS_MPP_S 0x00000800
#define MSTATUS_MPP_U 0x00000000
#define MSTATUS_MPRV  0x00020000
#define MSTATUS_SUM   0x00040000
#define MSTATUS_MXR   0x00080000
#define MSTATUS_TVM   0x00100000
#define MSTATUS_TW    0x00200000
#define MSTATUS_TSR   0x00400000

#define MIP_SSIP 0x002
#define MIP_MSIP 0x008
#define MIP_STIP 0x020
#define MIP_MTIP 0x080
#define MIP_SEIP 0x200
#define MIP_MEIP 0x800

#define IRQ_S_SOFT  1
#define IRQ_M_SOFT  3
#define IRQ_S_TIMER 5
#define IRQ_M_TIMER 7
#define IRQ_S_EXT   9
#define IRQ_M_EXT   11
#define CAUSE_INTERRUPT 0x80000000

#define CAUSE_MISALIGNED_FETCH    0
#define CAUSE_FETCH_ACCESS        1
#define CAUSE_ILLEGAL_INSTRUCTION 2
#define CAUSE_BREAKPOINT          3
#define CAUSE_MISALIGNED_LOAD     4
#define CAUSE_LOAD_ACCESS         5
#define CAUSE_MISALIGNED_STORE    6
#define CAUSE_STORE_ACCESS        7
#define CAUSE_USER_ECALL          8
#define CAUSE_SUPERVISOR_ECALL    9
#define CAUSE_MACHINE_ECALL       11
#define CAUSE_FETCH_PAGE_FAULT    12
#define CAUSE_LOAD_PAGE_FAULT     13
#define CAUSE_STORE_PAGE_FAULT    15

#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

#define SATP_MODE_SV32 0x80000000

#define PTE_V 0x001
#define PTE_R 0x002
#define PTE_W 0x004
#define PTE_X 0x008
#define PTE_U 0x010
#define PTE_G 0x020
#define PTE_A 0x040
#define PTE_D 0x080
#define PTE_PPN_SHIFT 10

#define PMP_R     0x01
#define PMP_W     0x02
#define PMP_X     0x04
#define PMP_TOR   0x08
#define PMP_NA4   0x10
#define PMP_NAPOT 0x18
#define PMP_L     0x80

#define COUNTEREN_CY 0x1
#define COUNTEREN_TM 0x2
#define COUNTEREN_IR 0x4

/* The virt board (hw/riscv/virt.c in QEMU). */
#define UART0_BASE   0x10000000
#define UART_THR     0
#define UART_RBR     0
#define UART_IER     1
#define UART_IIR     2
#define UART_LCR     3
#define UART_MCR     4
#define UART_LSR     5
#define UART_IER_ERBFI 0x01
#define UART_IER_ETBEI 0x02
#define UART_MCR_LOOP  0x10
#define UART_LSR_DR    0x01
#define UART_LSR_THRE  0x20
#define UART0_IRQ    10

#define CLINT_BASE     0x02000000
#define CLINT_MSIP     0x0000
#define CLINT_MTIMECMP 0x4000
#define CLINT_MTIME    0xbff8

#define PLIC_BASE        0x0c000000
#define PLIC_PRIORITY    0x000000
#define PLIC_PENDING     0x001000
#define PLIC_ENABLE      0x002000
#define PLIC_ENABLE_STRIDE 0x80
#define PLIC_THRESHOLD   0x200000
#define PLIC_CLAIM       0x200004
#define PLIC_CONTEXT_STRIDE 0x1000
#define PLIC_CTX_M 0
#define PLIC_CTX_S 1

#define TEST_FINISHER_BASE 0x00100000
#define FINISHER_PASS 0x5555
#define FINISHER_FAIL 0x3333

#endif
