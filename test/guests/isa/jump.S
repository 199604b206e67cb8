/* jal and jalr: link values (pc + 4), forward and backward targets, jalr offsets, rd == rs1
 * (the target is computed before the link is written), and jalr clearing bit 0 of the target. */
#include "test.h"

TEST_BEGIN "isa-jump"

  GROUP "jal"
  jal a1, 1f
2:
  CHECK_NEVER
1:
  CHECK_ADDR a1, 2b
  li a3, 0
  j 4f
3:
  li a3, 7                  /* reached only by the backward jal below */
  j 5f
4:
  jal zero, 3b
5:
  CHECK a3, 7

  GROUP "jalr"
  la a2, 6f
  jalr a1, 0(a2)
7:
  CHECK_NEVER
6:
  CHECK_ADDR a1, 7b
  la a2, 8f - 8
  jalr a1, 8(a2)
  CHECK_NEVER
8:
  la a2, 9f + 16
  jalr a1, -16(a2)
  CHECK_NEVER
9:
  la a2, 10f
  jalr a2, 0(a2)
11:
  CHECK_NEVER
10:
  CHECK_ADDR a2, 11b

  GROUP "jalr clears bit 0"
  la a2, 12f
  addi a2, a2, 1
  jalr a1, 0(a2)
  CHECK_NEVER
12:
  la a2, 13f
  jalr a1, 1(a2)
14:
  CHECK_NEVER
13:
  CHECK_ADDR a1, 14b

  GROUP "call and ret"
  li a0, 20
  call double_it
  CHECK a0, 40

TEST_END

double_it:
  add a0, a0, a0
  ret
