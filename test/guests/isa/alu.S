/* RV32I integer computational instructions, register and immediate forms: add/sub, the
 * set-less-than family (signed vs unsigned, sign-extended immediates), logic, and the x0 and
 * rd == rs rules. */
#include "test.h"

TEST_BEGIN "isa-alu"

  GROUP "add sub addi"
  TEST_RR add, 1, 1, 2
  TEST_RR add, 0x7fffffff, 1, 0x80000000
  TEST_RR add, 0xffffffff, 1, 0
  TEST_RR add, 0x80000000, 0x80000000, 0
  TEST_RR sub, 0, 1, 0xffffffff
  TEST_RR sub, 0x80000000, 1, 0x7fffffff
  TEST_RR sub, 5, 5, 0
  TEST_RI addi, 5, -6, 0xffffffff
  TEST_RI addi, 0, 2047, 0x7ff
  TEST_RI addi, 0, -2048, 0xfffff800
  TEST_RI addi, 0x7fffffff, 1, 0x80000000

  GROUP "slt sltu slti sltiu"
  TEST_RR slt, 0xffffffff, 1, 1
  TEST_RR slt, 1, 0xffffffff, 0
  TEST_RR slt, 7, 7, 0
  TEST_RR slt, 0x80000000, 0x7fffffff, 1
  TEST_RR sltu, 1, 0xffffffff, 1
  TEST_RR sltu, 0xffffffff, 1, 0
  TEST_RR sltu, 0x80000000, 0x7fffffff, 0
  TEST_RI slti, 0xffffffff, 0, 1
  TEST_RI slti, 0, -1, 0
  TEST_RI slti, 0x80000000, -2048, 1
  /* sltiu compares with the sign-extended immediate taken as unsigned: -1 is 0xffffffff. */
  TEST_RI sltiu, 5, -1, 1
  TEST_RI sltiu, 0, 1, 1
  TEST_RI sltiu, 1, 1, 0
  li a1, 9
  sltu a3, zero, a1          /* snez */
  CHECK a3, 1

  GROUP "and or xor andi ori xori"
  TEST_RR and, 0xff00ff00, 0x0ff00ff0, 0x0f000f00
  TEST_RR or, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0
  TEST_RR xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0
  TEST_RI andi, 0x12345678, -16, 0x12345670
  TEST_RI andi, 0x12345678, 0x7ff, 0x678
  TEST_RI ori, 0x12345678, 0x0f0, 0x123456f8
  TEST_RI ori, 0, -2048, 0xfffff800
  TEST_RI xori, 0x12345678, -1, 0xedcba987
  TEST_RI xori, 0x12345678, 0x7ff, 0x12345187

  GROUP "x0 and rd == rs"
  li a1, 3
  li a2, 4
  add zero, a1, a2
  CHECK zero, 0
  addi zero, zero, 5
  CHECK zero, 0
  add a3, zero, a2
  CHECK a3, 4
  add a1, a1, a1
  CHECK a1, 6
  sub a2, a2, a2
  CHECK a2, 0
  li a1, 0x55
  xori a1, a1, 0xff
  CHECK a1, 0xaa

TEST_END
