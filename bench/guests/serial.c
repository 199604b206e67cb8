/* Benchmark guest "serial": a serial-heavy workload. LINES short lines (the line number, six
   digits) go out on the UART, each after a small burst of computation, then a checksum of that
   computation. Output dominates the run, so it measures how an emulator (and its record/replay
   log) copes with a guest that talks a lot, where "compute" and "irq" barely print. Lines are
   sequential numbers so a lost, doubled or reordered byte shows in the output, and the
   .expected file stays compressible. */
#include "rt.h"

#ifndef LINES
#error "LINES must be set by the Makefile"
#endif
#ifndef WORK
#error "WORK must be set by the Makefile"
#endif

/* Zero-padded, fixed width: every line is the same length, so the output size is LINES * 7. */
static void put_dec6(uint32_t v)
{
	char digits[6];
	for (int i = 5; i >= 0; i--) {
		digits[i] = (char)('0' + v % 10);
		v /= 10;
	}
	for (int i = 0; i < 6; i++)
		rt_putc(digits[i]);
}

int main(void)
{
	uint32_t state = 0x2545f491u;
	uint32_t checksum = 0;
	for (uint32_t line = 0; line < LINES; line++) {
		for (uint32_t i = 0; i < WORK; i++)
			checksum = ((checksum << 5) | (checksum >> 27)) ^ rt_rand(&state);
		put_dec6(line);
		rt_putc('\n');
	}
	rt_puts("serial: lines=");
	rt_put_dec(LINES);
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
