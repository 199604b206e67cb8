/* The C guests' view of the virt board: CSR access, the UART, the CLINT timer and the exit
 * path. stdout goes to the UART and exit() to the test finisher (c-rt.c). */
#ifndef GUEST_C_RT_H
#define GUEST_C_RT_H

#include <stdint.h>

#define UART0_BASE 0x10000000u
#define CLINT_BASE 0x02000000u
#define CLINT_MTIMECMP (CLINT_BASE + 0x4000u)
#define CLINT_MTIME    (CLINT_BASE + 0xbff8u)
#define CLINT_TICKS_PER_SECOND 10000000u

#define MSTATUS_MIE 0x8u
#define MIP_MTIP    0x80u
#define CAUSE_INTERRUPT 0x80000000u
#define IRQ_M_TIMER 7u

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint32_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint32_t)(v)))

void uart_putc(char c);
uint64_t clint_mtime(void);
void clint_set_mtimecmp(uint64_t when);

#endif
