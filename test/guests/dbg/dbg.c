/* The debug-information test guest: globals, statics, structs, unions, enums, arrays, pointers,
 * bitfields and function pointers, used from main so that a debugger stopped at the marked
 * lines (BP:name) can read them. It prints a checksum and exits 0. */
#include <stdio.h>

#include "dbg.h"

int grid[3][4] = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
const char greeting[] = "hello";
static int counter = 7;
int64_t big = -5000000000LL;
uint64_t ubig = 0x123456789abcdef0ULL;
bool done_flag;
char letter = 'A';
unsigned char raw_bytes[3] = { 0x80, 0x7f, 0 };
short neg_short = -3;
double ratio = 1.5;
float third = 0.25f;
enum color favourite = BLUE;
union word magic = { .u = 0x11223344 };
struct flags status = { .ready = 1, .mode = 5, .delta = -7, .tail = 200 };
int *grid_ptr = &grid[1][2];
const char *message = "a message";
void *nowhere;

static int add(int a, int b)
{
  return a + b; /* BP:add */
}

static int mul(int a, int b)
{
  return a * b;
}

binop_fn ops[2] = { add, mul };

struct shape shapes[2] = {
  { "square", GREEN, { { 0, 0 }, { 4, 4 } }, &shapes[1], { .u = 0xdeadbeef }, { 1, 2, -3, 4 }, add },
  { "line", RED, { { -1, 2 }, { 3, -4 } }, 0, { .u = 7 }, { 0, 7, 15, 255 }, mul },
};

static struct node chain[4] = {
  { 10, &chain[1] }, { 20, &chain[2] }, { 30, &chain[3] }, { 40, 0 },
};

static int __attribute__((noinline)) use_locals(int seed)
{
  static int invocations;
  struct point p = { seed, seed * 2 };
  point_t q = { -seed, 3 };
  int local_grid[2][3] = { { 1, 2, 3 }, { 4, 5, 6 } };
  union word w = { .u = 0xa1b2c3d4 };
  struct flags f = { 0, 3, -2, 9 };
  enum color c = GREEN;
  char tag = 'z';
  const char *text = greeting;
  binop_fn fn = mul;
  struct shape *sp = &shapes[0];
  invocations++;
  {
    int inner = p.x + q.y;
    probe(inner); /* BP:use-locals */
    seed += inner + local_grid[1][2] + (int)w.b[0] + f.delta + (int)c + tag + text[1] + fn(2, 3) + sp->color;
  }
  return seed + invocations;
}

int main(void)
{
  int total = 0;
  total += use_locals(5);
  total += walk(&chain[0], 0);
  total += apply(ops[0], 3, 4);
  total += apply(ops[1], 3, 4);
  total += sum_points(shapes[1].corners, 2);
  counter += total;
  done_flag = true;
  printf("dbg checksum %d %d %d\n", total, counter, (int)tick_count); /* BP:main-print */
  return 0;
}
