/* The compute kernels. Each takes a seed, works on its own static buffers, and returns a digest;
   a round runs them all. Sizes are small enough to stay in a cache-sized working set, the way
   real embedded hot loops do, and every result is folded into the digest so nothing is dead code. */
#include "kernels.h"
#include "rt.h"

#define CRC_BUF_BYTES 1024
#define SIEVE_LIMIT 4096
#define SORT_COUNT 256
#define MAT_N 10
#define DIVMOD_COUNT 192
#define LIST_NODES 256

static uint32_t crc_table[256];
static uint8_t crc_buf[CRC_BUF_BYTES];
static uint8_t sieve[SIEVE_LIMIT];
static uint32_t sort_buf[SORT_COUNT];
static int32_t mat_a[MAT_N][MAT_N], mat_b[MAT_N][MAT_N], mat_c[MAT_N][MAT_N];

struct node {
	struct node *next;
	uint32_t value;
};
static struct node list_nodes[LIST_NODES];

static inline uint32_t rotl(uint32_t v, unsigned n)
{
	return (v << n) | (v >> (32 - n));
}

void kernels_init(void)
{
	/* The reflected CRC-32 polynomial, as zlib and Ethernet use it. */
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

static uint32_t crc32(const uint8_t *p, uint32_t n)
{
	uint32_t c = 0xffffffffu;
	while (n--)
		c = crc_table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

static uint32_t kernel_crc(uint32_t seed)
{
	uint32_t s = seed | 1;
	/* Word stores to fill, byte loads to checksum: both widths of memory traffic. */
	for (uint32_t i = 0; i < CRC_BUF_BYTES; i += 4) {
		uint32_t r = rt_rand(&s);
		crc_buf[i] = (uint8_t)r;
		crc_buf[i + 1] = (uint8_t)(r >> 8);
		crc_buf[i + 2] = (uint8_t)(r >> 16);
		crc_buf[i + 3] = (uint8_t)(r >> 24);
	}
	return crc32(crc_buf, CRC_BUF_BYTES);
}

static uint32_t kernel_sieve(uint32_t seed)
{
	/* The limit varies with the seed so the loop bounds are not compile-time constants. */
	uint32_t limit = SIEVE_LIMIT - (seed & 255);
	memset(sieve, 1, limit);
	sieve[0] = sieve[1] = 0;
	for (uint32_t i = 2; i * i < limit; i++)
		if (sieve[i])
			for (uint32_t j = i * i; j < limit; j += i)
				sieve[j] = 0;
	uint32_t count = 0, sum = 0;
	for (uint32_t i = 0; i < limit; i++)
		if (sieve[i]) {
			count++;
			sum += i;
		}
	return count * 65599u + sum;
}

static void insertion_sort(uint32_t *a, int lo, int hi)
{
	for (int i = lo + 1; i <= hi; i++) {
		uint32_t v = a[i];
		int j = i - 1;
		while (j >= lo && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

/* Recursive quicksort: the calls and returns are part of the mix being measured. */
static void quick_sort(uint32_t *a, int lo, int hi)
{
	if (hi - lo < 12) {
		insertion_sort(a, lo, hi);
		return;
	}
	uint32_t pivot = a[lo + (hi - lo) / 2];
	int i = lo, j = hi;
	while (i <= j) {
		while (a[i] < pivot)
			i++;
		while (a[j] > pivot)
			j--;
		if (i <= j) {
			uint32_t t = a[i];
			a[i] = a[j];
			a[j] = t;
			i++;
			j--;
		}
	}
	quick_sort(a, lo, j);
	quick_sort(a, i, hi);
}

static uint32_t kernel_sort(uint32_t seed)
{
	uint32_t s = seed ^ 0x9e3779b9u;
	for (int i = 0; i < SORT_COUNT; i++)
		sort_buf[i] = rt_rand(&s);
	quick_sort(sort_buf, 0, SORT_COUNT - 1);
	uint32_t digest = 0;
	for (int i = 0; i < SORT_COUNT; i++) {
		/* A sort that went wrong must change the digest, not just the order. */
		if (i > 0 && sort_buf[i - 1] > sort_buf[i])
			digest ^= 0xdeadbeefu;
		digest = rotl(digest, 3) + sort_buf[i];
	}
	return digest;
}

static uint32_t kernel_matmul(uint32_t seed)
{
	uint32_t s = seed + 0x12345u;
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			mat_a[i][j] = (int32_t)(rt_rand(&s) % 2001) - 1000;
			mat_b[i][j] = (int32_t)(rt_rand(&s) % 2001) - 1000;
		}
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			int32_t acc = 0;
			for (int k = 0; k < MAT_N; k++)
				acc += mat_a[i][k] * mat_b[k][j];
			mat_c[i][j] = acc;
		}
	uint32_t digest = 0;
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++)
			digest = digest * 31u + (uint32_t)mat_c[i][j];
	return digest;
}

static uint32_t gcd(uint32_t a, uint32_t b)
{
	while (b != 0) {
		uint32_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Division by a value only known at run time: real div/rem instructions, signed and unsigned,
   plus the high-half multiplies. */
static uint32_t kernel_divmod(uint32_t seed)
{
	uint32_t s = seed ^ 0x5bd1e995u;
	uint32_t digest = 0;
	for (int i = 0; i < DIVMOD_COUNT; i++) {
		uint32_t a = rt_rand(&s), b = (rt_rand(&s) >> (i & 15)) | 1;
		int32_t sa = (int32_t)a, sb = (int32_t)(b | 0x80u) * ((i & 1) ? -1 : 1);
		digest += gcd(a, b);
		digest ^= (uint32_t)(sa / sb) + (uint32_t)(sa % sb);
		digest += (uint32_t)(((uint64_t)a * b) >> 32);
		digest += (uint32_t)(((int64_t)sa * sb) >> 32);
		digest = rotl(digest, 7);
	}
	return digest;
}

/* Pointer chasing through a shuffled linked list: dependent loads and unpredictable addresses. */
static uint32_t kernel_list(uint32_t seed)
{
	static uint16_t order[LIST_NODES];
	uint32_t s = seed ^ 0xc2b2ae35u;
	for (int i = 0; i < LIST_NODES; i++)
		order[i] = (uint16_t)i;
	for (int i = LIST_NODES - 1; i > 0; i--) {
		uint32_t j = rt_rand(&s) % (uint32_t)(i + 1);
		uint16_t t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	for (int i = 0; i < LIST_NODES; i++) {
		struct node *n = &list_nodes[order[i]];
		n->next = i + 1 < LIST_NODES ? &list_nodes[order[i + 1]] : 0;
		n->value = rt_rand(&s);
	}
	uint32_t digest = 0;
	for (int pass = 0; pass < 4; pass++)
		for (struct node *n = &list_nodes[order[0]]; n; n = n->next)
			digest = rotl(digest ^ n->value, 5) + (uint32_t)pass;
	return digest;
}

uint32_t kernels_round(uint32_t seed)
{
	uint32_t digest = kernel_crc(seed);
	digest = rotl(digest, 5) ^ kernel_sieve(seed);
	digest = rotl(digest, 5) ^ kernel_sort(seed);
	digest = rotl(digest, 5) ^ kernel_matmul(seed);
	digest = rotl(digest, 5) ^ kernel_divmod(seed);
	digest = rotl(digest, 5) ^ kernel_list(seed);
	return digest;
}
