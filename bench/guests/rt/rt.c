/* The benchmark guests' tiny runtime, for QEMU's virt board: a polled NS16550A transmitter
   and the SiFive test finisher. Kept free of libc so the instruction mix is the guest's own. */
#include "rt.h"

#define UART0_BASE 0x10000000u
#define UART_THR 0
#define UART_LSR 5
#define UART_LSR_THRE 0x20

#define FINISHER_BASE 0x00100000u
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

static volatile uint8_t *const uart = (volatile uint8_t *)UART0_BASE;

void rt_putc(char c)
{
	while ((uart[UART_LSR] & UART_LSR_THRE) == 0)
		;
	uart[UART_THR] = (uint8_t)c;
}

void rt_puts(const char *s)
{
	while (*s)
		rt_putc(*s++);
}

void rt_put_hex32(uint32_t v)
{
	static const char digits[] = "0123456789abcdef";
	for (int shift = 28; shift >= 0; shift -= 4)
		rt_putc(digits[(v >> shift) & 0xf]);
}

void rt_put_dec(uint32_t v)
{
	rt_put_dec64(v);
}

void rt_put_dec64(uint64_t v)
{
	char buf[20];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		rt_putc(buf[--n]);
}

_Noreturn void rt_exit(int code)
{
	volatile uint32_t *finisher = (volatile uint32_t *)FINISHER_BASE;
	/* The finisher encodes a failing exit status in the upper half of the word. */
	*finisher = code == 0 ? FINISHER_PASS : ((uint32_t)code << 16) | FINISHER_FAIL;
	for (;;)
		__asm__ volatile("wfi");
}

_Noreturn void rt_unexpected_trap(uint32_t mcause, uint32_t mepc, uint32_t mtval)
{
	rt_puts("\nunexpected trap: mcause=");
	rt_put_hex32(mcause);
	rt_puts(" mepc=");
	rt_put_hex32(mepc);
	rt_puts(" mtval=");
	rt_put_hex32(mtval);
	rt_putc('\n');
	rt_exit(3);
}

uint64_t rt_instret(void)
{
	uint32_t hi, lo, hi2;
	/* Re-read until the high half is stable, so a carry between the reads cannot tear. */
	do {
		__asm__ volatile("csrr %0, minstreth" : "=r"(hi));
		__asm__ volatile("csrr %0, minstret" : "=r"(lo));
		__asm__ volatile("csrr %0, minstreth" : "=r"(hi2));
	} while (hi != hi2);
	return ((uint64_t)hi << 32) | lo;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;
	while (n--)
		*d++ = (uint8_t)c;
	return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;
	if (d < s) {
		while (n--)
			*d++ = *s++;
	} else {
		while (n--)
			d[n] = s[n];
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
