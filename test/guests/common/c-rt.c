/* Runtime for the C guests on top of picolibc: stdout through the NS16550A, _exit through the
 * SiFive test finisher, and a last-resort trap handler that reports a trap nobody expected. */
#include "c-rt.h"

#include <stdio.h>
#include <stdlib.h>

#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20
#define FINISHER ((volatile uint32_t *)0x00100000u)
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u
#define EXIT_UNEXPECTED_TRAP 255

void uart_putc(char c)
{
  volatile uint8_t *uart = (volatile uint8_t *)UART0_BASE;
  while ((uart[UART_LSR] & UART_LSR_THRE) == 0) {
  }
  uart[UART_THR] = (uint8_t)c;
}

static int stdout_put(char c, FILE *file)
{
  (void)file;
  uart_putc(c);
  return (unsigned char)c;
}

static FILE uart_stream = FDEV_SETUP_STREAM(stdout_put, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &uart_stream;
FILE *const stdout = &uart_stream;
FILE *const stderr = &uart_stream;

void _exit(int status)
{
  /* The host truncates exit statuses to 8 bits, so codes stay in 1..255. */
  *FINISHER = status == 0 ? FINISHER_PASS : (((uint32_t)status & 0xffu) << 16) | FINISHER_FAIL;
  for (;;) {
  }
}

uint64_t clint_mtime(void)
{
  volatile uint32_t *mtime = (volatile uint32_t *)CLINT_MTIME;
  uint32_t hi, lo;
  do {
    hi = mtime[1];
    lo = mtime[0];
  } while (mtime[1] != hi);
  return ((uint64_t)hi << 32) | lo;
}

void clint_set_mtimecmp(uint64_t when)
{
  volatile uint32_t *cmp = (volatile uint32_t *)CLINT_MTIMECMP;
  cmp[1] = 0xffffffffu; /* no spurious match while the halves disagree */
  cmp[0] = (uint32_t)when;
  cmp[1] = (uint32_t)(when >> 32);
}

static void __attribute__((interrupt("machine"), aligned(4))) unexpected_trap(void)
{
  printf("unexpected trap: mcause=%08lx mepc=%08lx mtval=%08lx\n", (unsigned long)csr_read(mcause),
         (unsigned long)csr_read(mepc), (unsigned long)csr_read(mtval));
  _exit(EXIT_UNEXPECTED_TRAP);
}

static void __attribute__((constructor)) install_trap_handler(void)
{
  csr_write(mtvec, (uint32_t)(uintptr_t)&unexpected_trap);
}
