/* A timer interrupt handler written in C: the CLINT's machine timer fires every millisecond,
 * the handler counts ticks and re-arms mtimecmp, and main sleeps in wfi, printing each tick it
 * has not printed yet, so the output does not depend on how fast the emulator is. */
#include <stdio.h>
#include <unistd.h>

#include "c-rt.h"

#define TICKS 5
#define PERIOD (CLINT_TICKS_PER_SECOND / 1000u)

static volatile unsigned ticks;
static uint64_t next_deadline;

static void __attribute__((interrupt("machine"), aligned(4))) on_trap(void)
{
  uint32_t cause = csr_read(mcause);
  if (cause != (CAUSE_INTERRUPT | IRQ_M_TIMER)) {
    printf("unexpected trap: mcause=%08lx\n", (unsigned long)cause);
    _exit(2);
  }
  ticks = ticks + 1;
  next_deadline += PERIOD;
  clint_set_mtimecmp(next_deadline);
}

int main(void)
{
  printf("timer: %u ticks of %u mtime units\n", TICKS, PERIOD);
  csr_write(mtvec, (uint32_t)(uintptr_t)&on_trap);
  next_deadline = clint_mtime() + PERIOD;
  clint_set_mtimecmp(next_deadline);
  csr_set(mie, MIP_MTIP);
  csr_set(mstatus, MSTATUS_MIE);
  unsigned printed = 0;
  while (printed < TICKS) {
    __asm__ volatile("wfi");
    while (printed < ticks && printed < TICKS)
      printf("tick %u\n", ++printed);
  }
  csr_clear(mstatus, MSTATUS_MIE);
  if (clint_mtime() < next_deadline - PERIOD) {
    printf("FAIL: time did not advance with the ticks\n");
    return 1;
  }
  printf("done after %u ticks\n", printed);
  return 0;
}
