/* M extension multiplies: the low word (mul) and the three high-word forms, whose signedness
 * matters exactly when an operand has its top bit set. */
#include "test.h"

TEST_BEGIN "isa-mul"

  GROUP "mul"
  TEST_RR mul, 3, 7, 21
  TEST_RR mul, 0xffffffff, 0xffffffff, 1
  TEST_RR mul, 0x80000000, 0xffffffff, 0x80000000
  TEST_RR mul, 0x12345678, 0x9abcdef0, 0x242d2080
  TEST_RR mul, 0x80000000, 0x80000000, 0
  TEST_RR mul, 0xffffffff, 1, 0xffffffff

  GROUP "mulh"
  TEST_RR mulh, 3, 7, 0
  TEST_RR mulh, 0xffffffff, 0xffffffff, 0
  TEST_RR mulh, 0x12345678, 0x9abcdef0, 0xf8cc93d6
  TEST_RR mulh, 0x80000000, 0x80000000, 0x40000000
  TEST_RR mulh, 0x7fffffff, 0x7fffffff, 0x3fffffff
  TEST_RR mulh, 0xffffffff, 1, 0xffffffff
  TEST_RR mulh, 0x80000000, 1, 0xffffffff

  GROUP "mulhsu"
  TEST_RR mulhsu, 0xffffffff, 0xffffffff, 0xffffffff
  TEST_RR mulhsu, 0x80000000, 0xffffffff, 0x80000000
  TEST_RR mulhsu, 0x12345678, 0x9abcdef0, 0x0b00ea4e
  TEST_RR mulhsu, 0x80000000, 0x80000000, 0xc0000000
  TEST_RR mulhsu, 0x7fffffff, 0x7fffffff, 0x3fffffff
  TEST_RR mulhsu, 0, 0x80000000, 0

  GROUP "mulhu"
  TEST_RR mulhu, 0xffffffff, 0xffffffff, 0xfffffffe
  TEST_RR mulhu, 0x80000000, 0xffffffff, 0x7fffffff
  TEST_RR mulhu, 0x12345678, 0x9abcdef0, 0x0b00ea4e
  TEST_RR mulhu, 0x80000000, 0x80000000, 0x40000000
  TEST_RR mulhu, 0xffffffff, 1, 0

  GROUP "high then low, rd == rs"
  /* The mulh/mul pair a compiler emits for a 64-bit product, with rd overwriting a source. */
  li a1, 0xfffffffe
  li a2, 0x00010001
  mulh a3, a1, a2
  mul a1, a1, a2
  CHECK a3, 0xffffffff
  CHECK a1, 0xfffdfffe

TEST_END
