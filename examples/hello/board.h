/* The little of QEMU's virt board that the hello example uses: the UART behind stdout, the
 * test finisher behind exit(), the CLINT timer, and CSR access. */
#ifndef HELLO_BOARD_H
#define HELLO_BOARD_H

#include <stdint.h>

#define CLINT_TICKS_PER_SECOND 10000000u

#define MSTATUS_MIE 0x8u
#define MIE_MTIE    0x80u

#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(v)))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"((uint32_t)(v)))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"((uint32_t)(v)))

/* Calls `on_tick` from the machine timer interrupt every `period` mtime units. */
void timer_start(uint32_t period, void (*on_tick)(void));
void timer_stop(void);

#endif
