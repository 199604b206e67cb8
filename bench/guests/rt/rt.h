/* The benchmark guests' tiny runtime: UART output, the test finisher, a deterministic PRNG,
   and the few libc routines the compiler may call on its own. No libc is linked. */
#ifndef RT_H
#define RT_H

#include <stddef.h>
#include <stdint.h>

void rt_putc(char c);
void rt_puts(const char *s);
void rt_put_hex32(uint32_t v);
void rt_put_dec(uint32_t v);
void rt_put_dec64(uint64_t v);
_Noreturn void rt_exit(int code);
/* Prints what trapped and fails; the default trap vector ends here. */
_Noreturn void rt_unexpected_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval);

/* Reads of the instruction counter: only the debug builds print them, because the
   benchmark's output must not depend on how the emulator counts. */
uint64_t rt_instret(void);

/* xorshift32: the same stream on every machine, so checksums are reproducible. */
static inline uint32_t rt_rand(uint32_t *state)
{
	uint32_t x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
