/* The second file of the debug-information test guest: a recursive function, an inlined static
 * function and calls through function pointers, so a debugger sees a call stack several frames
 * deep and inlined frames. Markers like BP:name label lines the tests set breakpoints on. */
#include "dbg.h"

volatile uint32_t tick_count;
static int calls_seen;

/* The tests stop here: it keeps its argument alive in a0 and does nothing else. */
void __attribute__((noinline)) probe(int tag)
{
  tick_count += (uint32_t)tag; /* BP:probe */
}

static inline __attribute__((always_inline)) int scaled(int v, int k)
{
  int product = v * k;
  calls_seen++; /* BP:scaled */
  return product + 1;
}

int __attribute__((noinline)) walk(const struct node *n, int depth)
{
  if (n == 0) {
    probe(depth); /* BP:walk-base */
    return depth;
  }
  int below = walk(n->next, depth + 1); /* BP:walk-call */
  return below + scaled(n->value, depth); /* BP:walk-return */
}

int __attribute__((noinline)) apply(binop_fn f, int a, int b)
{
  int r = f(a, b); /* BP:apply */
  return r + calls_seen;
}

int __attribute__((noinline)) sum_points(const point_t *pts, int count)
{
  int total = 0;
  for (int i = 0; i < count; i++) {
    int dx = pts[i].x;
    int dy = pts[i].y;
    total += dx * dy;
  }

  /* a line with no code: breakpoints here move to the next line with code */
  return total; /* BP:sum-return */
}
