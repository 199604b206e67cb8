/* Types shared by the debug-information test guest's two files (dbg.c, walk.c). The guest
 * exists to be read by a debugger: every kind of C type gcc describes in DWARF appears here. */
#ifndef DBG_H
#define DBG_H

#include <stdbool.h>
#include <stdint.h>

enum color { RED, GREEN = 5, BLUE };

struct point {
  int x;
  int y;
};

typedef struct point point_t;

/* Bitfields: gcc describes them with DW_AT_data_bit_offset and DW_AT_bit_size. */
struct flags {
  unsigned int ready : 1;
  unsigned int mode : 3;
  signed int delta : 5;
  uint8_t tail;
};

union word {
  uint32_t u;
  int16_t h[2];
  uint8_t b[4];
};

typedef int (*binop_fn)(int, int);

struct node {
  int value;
  const struct node *next;
};

struct shape {
  const char *name;
  enum color color;
  point_t corners[2];
  struct shape *next;
  union word tag;
  struct flags fl;
  binop_fn op;
};

extern int grid[3][4];
extern volatile uint32_t tick_count;
extern struct shape shapes[2];

int walk(const struct node *n, int depth);
int apply(binop_fn f, int a, int b);
int sum_points(const point_t *pts, int count);
void probe(int tag);

#endif
