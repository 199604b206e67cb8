/* Benchmark guest "irq": the same kernels as "compute" while the CLINT timer interrupts every
   TIMER_PERIOD ticks of mtime (100 ticks = 10 us = 10,000 instructions at -icount shift=0).
   The printed result must not depend on exactly where interrupts land, since emulators may take
   them at different instruction boundaries: the handler leaves the computation alone, and only
   the fact that enough interrupts arrived is printed, never their count. */
#include "kernels.h"
#include "rt.h"

#ifndef ROUNDS
#error "ROUNDS must be set by the Makefile"
#endif
#ifndef TIMER_PERIOD
#define TIMER_PERIOD 100
#endif
/* Fewer than this many interrupts means the timer is not firing at anything like its rate. */
#define MIN_INTERRUPTS 1000

#define CLINT_BASE 0x02000000u
#define CLINT_MTIMECMP_LO (*(volatile uint32_t *)(CLINT_BASE + 0x4000))
#define CLINT_MTIMECMP_HI (*(volatile uint32_t *)(CLINT_BASE + 0x4004))
#define CLINT_MTIME_LO (*(volatile uint32_t *)(CLINT_BASE + 0xbff8))
#define CLINT_MTIME_HI (*(volatile uint32_t *)(CLINT_BASE + 0xbffc))

#define MSTATUS_MIE 0x8u
#define MIE_MTIE 0x80u
#define MCAUSE_INTERRUPT 0x80000000u
#define IRQ_M_TIMER 7u

static volatile uint32_t interrupts;

static uint64_t read_mtime(void)
{
	uint32_t hi, lo;
	do {
		hi = CLINT_MTIME_HI;
		lo = CLINT_MTIME_LO;
	} while (hi != CLINT_MTIME_HI);
	return ((uint64_t)hi << 32) | lo;
}

static void set_mtimecmp(uint64_t when)
{
	/* Raise the high half first so no intermediate value is in the past. */
	CLINT_MTIMECMP_HI = 0xffffffffu;
	CLINT_MTIMECMP_LO = (uint32_t)when;
	CLINT_MTIMECMP_HI = (uint32_t)(when >> 32);
}

/* Re-armed from the current mtime rather than the previous deadline, so a slow handler
   can never fall behind into an interrupt storm. */
__attribute__((interrupt("machine"), aligned(4))) static void timer_handler(void)
{
	uint32_t mcause;
	__asm__ volatile("csrr %0, mcause" : "=r"(mcause));
	if (mcause != (MCAUSE_INTERRUPT | IRQ_M_TIMER)) {
		uint32_t mepc, mtval;
		__asm__ volatile("csrr %0, mepc" : "=r"(mepc));
		__asm__ volatile("csrr %0, mtval" : "=r"(mtval));
		rt_unexpected_trap(mcause, mepc, mtval);
	}
	interrupts++;
	set_mtimecmp(read_mtime() + TIMER_PERIOD);
}

int main(void)
{
	kernels_init();
	__asm__ volatile("csrw mtvec, %0" ::"r"(timer_handler));
	set_mtimecmp(read_mtime() + TIMER_PERIOD);
	__asm__ volatile("csrs mie, %0" ::"r"(MIE_MTIE));
	__asm__ volatile("csrs mstatus, %0" ::"r"(MSTATUS_MIE));

	uint32_t checksum = 0;
	for (uint32_t round = 0; round < ROUNDS; round++)
		checksum = ((checksum << 1) | (checksum >> 31)) ^ kernels_round(round * 2654435761u + 1);

	__asm__ volatile("csrc mstatus, %0" ::"r"(MSTATUS_MIE));
	uint32_t taken = interrupts;
	rt_puts("irq: rounds=");
	rt_put_dec(ROUNDS);
	rt_puts(" checksum=");
	rt_put_hex32(checksum);
	rt_puts(taken >= MIN_INTERRUPTS ? " timer=ok\n" : " timer=TOO-FEW-INTERRUPTS\n");
#ifdef REPORT_INSTRET
	rt_puts("instret=");
	rt_put_dec64(rt_instret());
	rt_puts(" interrupts=");
	rt_put_dec(taken);
	rt_putc('\n');
#endif
	return taken >= MIN_INTERRUPTS ? 0 : 1;
}
