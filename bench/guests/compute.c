/* Benchmark guest "compute": the kernels, round after round, with interrupts off. Prints one
   checksum on the UART and passes through the test finisher. ROUNDS is fixed at build time
   (see the Makefile) so the instruction count is the same on every run and every machine. */
#include "kernels.h"
#include "rt.h"

#ifndef ROUNDS
#error "ROUNDS must be set by the Makefile"
#endif

int main(void)
{
	kernels_init();
	uint32_t checksum = 0;
	for (uint32_t round = 0; round < ROUNDS; round++)
		checksum = ((checksum << 1) | (checksum >> 31)) ^ kernels_round(round * 2654435761u + 1);
	rt_puts("compute: rounds=");
	rt_put_dec(ROUNDS);
	rt_puts(" checksum=");
	rt_put_hex32(checksum);
	rt_putc('\n');
#ifdef REPORT_INSTRET
	rt_puts("instret=");
	rt_put_dec64(rt_instret());
	rt_putc('\n');
#endif
	return 0;
}
