/* Benchmark guest "paging": the kernels, and a walk over 4 MiB of data in random page order,
   in S-mode under Sv32. The data is mapped with 4 KiB pages (1,024 of them, four times the
   TLB of either emulator), and each round switches between two address spaces that map it in
   different orders (satp write and sfence.vma), so translation, TLB refills and the page walk
   are a large part of the work. M-mode sets up the tables and PMP, drops to S with mret, and
   ends the run when S asks with ecall. */
#include "kernels.h"
#include "rt.h"

#ifndef ROUNDS
#error "ROUNDS must be set by the Makefile"
#endif

#define PAGE 4096u
#define DATA_PAGES 1024u
#define DATA_VA 0xc0000000u /* where S sees the data: one level-0 table's worth */

#define PTE_V 0x01u
#define PTE_R 0x02u
#define PTE_W 0x04u
#define PTE_X 0x08u
#define PTE_A 0x40u
#define PTE_D 0x80u
#define PTE_LEAF (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define SATP_SV32 0x80000000u
#define MSTATUS_MPP_S 0x800u
#define MSTATUS_MPP_MASK 0x1800u
#define CAUSE_ECALL_S 9u

#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"((uint32_t)(v)))
#define csr_read(csr) ({ uint32_t v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })

static uint32_t root[2][1024] __attribute__((aligned(PAGE)));
static uint32_t level0[2][1024] __attribute__((aligned(PAGE)));
static uint8_t data[DATA_PAGES][PAGE] __attribute__((aligned(PAGE)));
static uint32_t checksum;

static uint32_t pte(uintptr_t pa, uint32_t flags)
{
	return ((uint32_t)(pa >> 12) << 10) | flags;
}

/* Address space `k`: megapages identity-mapping the low 4 MiB (test finisher), the UART's 4 MiB
   and this image's 4 MiB of RAM; the data pages at DATA_VA, in an order of their own. */
static void build_space(unsigned k)
{
	uint32_t state = 0x9e3779b9u + k;
	uint16_t order[DATA_PAGES];
	for (unsigned i = 0; i < DATA_PAGES; i++)
		order[i] = (uint16_t)i;
	for (unsigned i = DATA_PAGES - 1; i > 0; i--) {
		unsigned j = rt_rand(&state) % (i + 1);
		uint16_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	root[k][0] = pte(0, PTE_LEAF);
	root[k][0x10000000u >> 22] = pte(0x10000000u, PTE_LEAF);
	root[k][0x80000000u >> 22] = pte(0x80000000u, PTE_LEAF);
	root[k][0x80400000u >> 22] = pte(0x80400000u, PTE_LEAF);
	root[k][DATA_VA >> 22] = pte((uintptr_t)level0[k], PTE_V);
	for (unsigned i = 0; i < DATA_PAGES; i++)
		level0[k][i] = pte((uintptr_t)data[order[i]], PTE_LEAF);
}

/* One pass over the data in random page order through address space `k`: reads and writes
   a few words of each page. */
static uint32_t walk(unsigned k, uint32_t seed)
{
	csr_write(satp, SATP_SV32 | ((uintptr_t)root[k] >> 12));
	__asm__ volatile("sfence.vma" ::: "memory");
	volatile uint32_t *base = (volatile uint32_t *)DATA_VA;
	uint32_t state = seed | 1;
	uint32_t sum = 0;
	for (unsigned i = 0; i < 4 * DATA_PAGES; i++) {
		uint32_t page = rt_rand(&state) % DATA_PAGES;
		uint32_t word = (page * (PAGE / 4)) + (state >> 22);
		sum = (sum << 3 | sum >> 29) ^ base[word];
		base[word] = sum + i;
	}
	return sum;
}

static void s_main(void)
{
	uint32_t sum = 0;
	for (uint32_t round = 0; round < ROUNDS; round++) {
		sum = (sum << 1 | sum >> 31) ^ walk(round & 1, round * 2654435761u + 7);
		sum ^= kernels_round(round);
	}
	checksum = sum;
	__asm__ volatile("ecall");
	for (;;) {
	}
}

static void __attribute__((interrupt("machine"), aligned(4))) m_trap(void)
{
	uint32_t cause = csr_read(mcause);
	if (cause != CAUSE_ECALL_S)
		rt_unexpected_trap(cause, csr_read(mepc), csr_read(mtval));
	csr_write(satp, 0);
	rt_puts("paging: rounds=");
	rt_put_dec(ROUNDS);
	rt_puts(" checksum=");
	rt_put_hex32(checksum);
	rt_putc('\n');
#ifdef REPORT_INSTRET
	rt_puts("instret=");
	rt_put_dec64(rt_instret());
	rt_putc('\n');
#endif
	rt_exit(0);
}

int main(void)
{
	kernels_init();
	build_space(0);
	build_space(1);
	/* PMP: S may use all of memory (with PMP and no entry, S could use none). */
	csr_write(pmpaddr0, 0xffffffffu);
	csr_write(pmpcfg0, 0x1fu);
	csr_write(mtvec, (uintptr_t)&m_trap);
	uint32_t status = csr_read(mstatus);
	csr_write(mstatus, (status & ~MSTATUS_MPP_MASK) | MSTATUS_MPP_S);
	csr_write(mepc, (uintptr_t)&s_main);
	__asm__ volatile("mret");
	return 1;
}
