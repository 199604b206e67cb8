/* Board support for the hello example on QEMU's virt machine: stdout through the NS16550A
 * UART, _exit through the SiFive test finisher (so `rvreplay run` and QEMU both exit with the
 * program's status), and a periodic machine timer interrupt from the CLINT. */
#include "board.h"

#include <stdio.h>
#include <unistd.h>

#define UART0 ((volatile uint8_t *)0x10000000u)
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

#define FINISHER ((volatile uint32_t *)0x00100000u)
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

#define CLINT_MTIMECMP ((volatile uint32_t *)0x02004000u)
#define CLINT_MTIME    ((volatile uint32_t *)0x0200bff8u)
#define CAUSE_MACHINE_TIMER 0x80000007u

static int uart_put(char c, FILE *file)
{
  (void)file;
  while ((UART0[UART_LSR] & UART_LSR_THRE) == 0) {
  }
  UART0[UART_THR] = (uint8_t)c;
  return (unsigned char)c;
}

static FILE uart = FDEV_SETUP_STREAM(uart_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &uart;
FILE *const stdout = &uart;
FILE *const stderr = &uart;

void _exit(int status)
{
  *FINISHER = status == 0 ? FINISHER_PASS : ((uint32_t)(status & 0xff) << 16) | FINISHER_FAIL;
  for (;;) {
  }
}

static uint64_t mtime_now(void)
{
  uint32_t hi, lo;
  do {
    hi = CLINT_MTIME[1];
    lo = CLINT_MTIME[0];
  } while (CLINT_MTIME[1] != hi);
  return ((uint64_t)hi << 32) | lo;
}

static void mtimecmp_set(uint64_t when)
{
  CLINT_MTIMECMP[1] = 0xffffffffu; /* no early match while the halves are half-written */
  CLINT_MTIMECMP[0] = (uint32_t)when;
  CLINT_MTIMECMP[1] = (uint32_t)(when >> 32);
}

static uint32_t timer_period;
static uint64_t timer_deadline;
static void (*timer_callback)(void);

static void __attribute__((interrupt("machine"), aligned(4))) trap_handler(void)
{
  uint32_t cause = csr_read(mcause);
  if (cause != CAUSE_MACHINE_TIMER) {
    printf("\nunexpected trap: mcause=%08lx mepc=%08lx\n", (unsigned long)cause,
           (unsigned long)csr_read(mepc));
    _exit(2);
  }
  timer_deadline += timer_period;
  mtimecmp_set(timer_deadline);
  timer_callback();
}

void timer_start(uint32_t period, void (*on_tick)(void))
{
  timer_period = period;
  timer_callback = on_tick;
  csr_write(mtvec, (uint32_t)(uintptr_t)&trap_handler);
  timer_deadline = mtime_now() + period;
  mtimecmp_set(timer_deadline);
  csr_set(mie, MIE_MTIE);
  csr_set(mstatus, MSTATUS_MIE);
}

void timer_stop(void)
{
  csr_clear(mie, MIE_MTIE);
  mtimecmp_set(UINT64_MAX);
}
