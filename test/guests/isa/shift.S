/* Shifts: logical and arithmetic, register amounts taken from the low 5 bits only, and the
 * immediate forms at their limits. */
#include "test.h"

TEST_BEGIN "isa-shift"

  GROUP "sll srl sra"
  TEST_RR sll, 1, 0, 1
  TEST_RR sll, 1, 1, 2
  TEST_RR sll, 1, 31, 0x80000000
  TEST_RR sll, 0x12345678, 4, 0x23456780
  TEST_RR sll, 0x12345678, 32, 0x12345678
  TEST_RR sll, 1, 33, 2
  TEST_RR srl, 0x80000000, 31, 1
  TEST_RR srl, 0xf0000000, 4, 0x0f000000
  TEST_RR srl, 0xf0000000, 0xffffffe4, 0x0f000000
  TEST_RR sra, 0x80000000, 31, 0xffffffff
  TEST_RR sra, 0xf0000000, 4, 0xff000000
  TEST_RR sra, 0x70000000, 4, 0x07000000
  TEST_RR sra, 0x80000000, 0x20, 0x80000000

  GROUP "slli srli srai"
  TEST_RI slli, 1, 31, 0x80000000
  TEST_RI slli, 0xffffffff, 0, 0xffffffff
  TEST_RI slli, 0x00ff00ff, 8, 0xff00ff00
  TEST_RI srli, 0x80000000, 31, 1
  TEST_RI srli, 0xffffffff, 1, 0x7fffffff
  TEST_RI srai, 0x80000000, 31, 0xffffffff
  TEST_RI srai, 0x80000000, 1, 0xc0000000
  TEST_RI srai, 0x7fffffff, 30, 1

TEST_END
