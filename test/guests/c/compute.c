/* A computation-heavy C guest with deterministic output: pseudo-random data sorted two ways,
 * FNV-1a and CRC-32 over generated text, printf's integer conversions, and malloc/realloc/free
 * churn. It checks itself (the sorts must agree, the hashes must match values computed off
 * line) and exits with a distinct code per failed check. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COUNT 300
#define TEXT_LEN 4096

static int failures;

static void expect(int code, int ok, const char *what)
{
  if (!ok && failures == 0) {
    printf("FAIL %d: %s\n", code, what);
    failures = code;
  }
}

static uint32_t lcg_state = 12345;

static uint32_t lcg_next(void)
{
  lcg_state = lcg_state * 1103515245u + 12345u;
  return lcg_state >> 1;
}

static void merge_sort(int32_t *v, int32_t *tmp, size_t n)
{
  if (n < 2)
    return;
  size_t half = n / 2;
  merge_sort(v, tmp, half);
  merge_sort(v + half, tmp, n - half);
  size_t i = 0, j = half, k = 0;
  while (i < half && j < n)
    tmp[k++] = v[j] < v[i] ? v[j++] : v[i++];
  while (i < half)
    tmp[k++] = v[i++];
  while (j < n)
    tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof *v);
}

static int compare_int32(const void *a, const void *b)
{
  int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
  return (x > y) - (x < y);
}

static uint32_t fnv1a(const uint8_t *p, size_t n)
{
  uint32_t h = 0x811c9dc5u;
  while (n--) {
    h ^= *p++;
    h *= 0x01000193u;
  }
  return h;
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
  uint32_t crc = 0xffffffffu;
  while (n--) {
    crc ^= *p++;
    for (int bit = 0; bit < 8; bit++)
      crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

static void sorting(void)
{
  int32_t *a = malloc(COUNT * sizeof *a);
  int32_t *b = malloc(COUNT * sizeof *b);
  int32_t *tmp = malloc(COUNT * sizeof *tmp);
  expect(1, a && b && tmp, "malloc for sorting");
  if (!a || !b || !tmp)
    return;
  for (int i = 0; i < COUNT; i++)
    a[i] = b[i] = (int32_t)(lcg_next() % 20001) - 10000;
  merge_sort(a, tmp, COUNT);
  qsort(b, COUNT, sizeof *b, compare_int32);
  expect(2, memcmp(a, b, COUNT * sizeof *a) == 0, "merge sort and qsort agree");
  int sorted = 1;
  int64_t sum = 0;
  for (int i = 0; i < COUNT; i++) {
    sum += a[i];
    if (i > 0 && a[i - 1] > a[i])
      sorted = 0;
  }
  expect(3, sorted, "ascending order");
  printf("sorted %d values: min %ld, median %ld, max %ld, sum %ld\n", COUNT, (long)a[0],
         (long)a[COUNT / 2], (long)a[COUNT - 1], (long)sum);
  free(tmp);
  free(b);
  free(a);
}

static void hashing(void)
{
  uint8_t *text = malloc(TEXT_LEN);
  expect(4, text != NULL, "malloc for text");
  if (!text)
    return;
  static const char words[][8] = {"alpha", "beta", "gamma", "delta", "riscv", "replay"};
  size_t len = 0;
  for (unsigned i = 0; len + 8 < TEXT_LEN; i++) {
    const char *w = words[(i * 7u) % 6u];
    size_t wl = strlen(w);
    memcpy(text + len, w, wl);
    len += wl;
    text[len++] = (uint8_t)(i % 5 == 4 ? '\n' : ' ');
  }
  uint32_t f = fnv1a(text, len), c = crc32(text, len);
  printf("text of %u bytes: fnv1a %08lx crc32 %08lx\n", (unsigned)len, (unsigned long)f,
         (unsigned long)c);
  /* Reference values computed off line (Python's zlib.crc32 and a plain FNV-1a). */
  expect(5, crc32((const uint8_t *)"123456789", 9) == 0xcbf43926u, "crc32 check value");
  expect(12, len == 4091 && f == 0xc6d10ed5u && c == 0x3da8f7aeu, "hashes of the text");
  expect(6, fnv1a((const uint8_t *)"riscv", 5) == 0x598a76acu, "fnv1a of \"riscv\"");
  free(text);
}

static void formatting(void)
{
  char buf[64];
  printf("[%d] [%i] [%u] [%x] [%X] [%o]\n", -42, 7, 4000000000u, 0xbeefu, 0xbeefu, 8);
  printf("[%08x] [%-6d] [%6d] [%+d] [%5s] [%-5s] [%c%c]\n", 0x1234u, 17, -17, 5, "ab", "cd", 'o',
         'k');
  printf("[%ld] [%lu] [%#lx] [%%]\n", -2147483647L - 1, 4294967295UL, 0xfeedUL);
  /* Truncation is the point here: silence GCC's warning about it. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-truncation"
  int n = snprintf(buf, 8, "%s-%d", "truncated", 12345);
#pragma GCC diagnostic pop
  printf("snprintf wrote \"%s\", wanted %d\n", buf, n);
  expect(7, n == 15 && strcmp(buf, "truncat") == 0, "snprintf truncation");
  n = snprintf(buf, sizeof buf, "%05d|%x|%s", 42, 255u, "end");
  expect(8, n == 12 && strcmp(buf, "00042|ff|end") == 0, "snprintf fields");
}

struct node {
  struct node *next;
  uint32_t value;
};

static void allocation(void)
{
  struct node *head = NULL;
  uint32_t sum = 0;
  for (uint32_t i = 1; i <= 200; i++) {
    struct node *n = malloc(sizeof *n + (i % 13));
    expect(9, n != NULL, "malloc node");
    if (!n)
      return;
    n->value = i * i;
    n->next = head;
    head = n;
  }
  /* Free every other node, then the rest, so the allocator sees holes. */
  for (struct node *n = head; n && n->next;) {
    struct node *gone = n->next;
    n->next = gone->next;
    free(gone);
    n = n->next;
  }
  unsigned kept = 0;
  while (head) {
    struct node *n = head;
    head = n->next;
    sum += n->value;
    kept++;
    free(n);
  }
  uint32_t *grow = NULL;
  size_t cap = 0;
  for (uint32_t i = 0; i < 1000; i++) {
    if (i == cap) {
      cap = cap ? cap * 2 : 4;
      uint32_t *bigger = realloc(grow, cap * sizeof *grow);
      expect(10, bigger != NULL, "realloc");
      if (!bigger)
        return;
      grow = bigger;
    }
    grow[i] = i ^ (i >> 3);
  }
  uint32_t x = 0;
  for (uint32_t i = 0; i < 1000; i++)
    x += grow[i];
  free(grow);
  uint8_t *zeros = calloc(512, 1);
  int all_zero = zeros != NULL;
  for (int i = 0; zeros && i < 512; i++)
    all_zero &= zeros[i] == 0;
  free(zeros);
  expect(11, all_zero, "calloc zeroes");
  printf("list kept %u nodes summing to %lu; grown array sum %lu; capacity %u\n", kept,
         (unsigned long)sum, (unsigned long)x, (unsigned)cap);
}

int main(void)
{
  printf("compute: sorting, hashing, formatting, allocation\n");
  sorting();
  hashing();
  formatting();
  allocation();
  if (failures)
    return failures;
  printf("PASS\n");
  return 0;
}
