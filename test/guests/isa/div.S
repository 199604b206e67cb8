/* M extension division: truncation toward zero for every sign combination, remainder signs,
 * division by zero (quotient all ones, remainder the dividend) and the signed overflow case
 * (-2^31 / -1 = -2^31, remainder 0), all without traps. */
#include "test.h"

TEST_BEGIN "isa-div"

  GROUP "div rem signs"
  TEST_RR div, 20, 6, 3
  TEST_RR div, -20, 6, -3
  TEST_RR div, 20, -6, -3
  TEST_RR div, -20, -6, 3
  TEST_RR rem, 20, 6, 2
  TEST_RR rem, -20, 6, -2
  TEST_RR rem, 20, -6, 2
  TEST_RR rem, -20, -6, -2
  TEST_RR div, 5, 7, 0

  GROUP "divu remu"
  TEST_RR divu, 20, 6, 3
  TEST_RR divu, 0xffffffff, 2, 0x7fffffff
  TEST_RR divu, -20, 6, 0x2aaaaaa7
  TEST_RR remu, 0xffffffff, 10, 5
  TEST_RR remu, -20, 6, 2
  TEST_RR divu, 0x80000000, 0xffffffff, 0

  GROUP "division by zero"
  TEST_RR div, 1234, 0, 0xffffffff
  TEST_RR div, -1234, 0, 0xffffffff
  TEST_RR divu, 1234, 0, 0xffffffff
  TEST_RR rem, 1234, 0, 1234
  TEST_RR rem, -1234, 0, -1234
  TEST_RR remu, 0x80000001, 0, 0x80000001

  GROUP "signed overflow"
  TEST_RR div, 0x80000000, -1, 0x80000000
  TEST_RR rem, 0x80000000, -1, 0
  TEST_RR divu, 0x80000000, -1, 0
  TEST_RR remu, 0x80000000, -1, 0x80000000

TEST_END
