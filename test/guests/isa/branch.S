/* Conditional branches: all six, taken and not taken, with operands that tell signed from
 * unsigned comparison apart; a backward loop; a forward branch across most of its 4 KiB range. */
#include "test.h"

/* a3 ends 0 if the branch was taken, 1 if it fell through. */
.macro BRANCH op, a, b, taken
  li a1, \a
  li a2, \b
  li a3, 0
  \op a1, a2, .Lbranch_target\@
  li a3, 1
.Lbranch_target\@:
  .if \taken
  CHECK a3, 0
  .else
  CHECK a3, 1
  .endif
.endm

TEST_BEGIN "isa-branch"

  GROUP "beq bne"
  BRANCH beq, 5, 5, 1
  BRANCH beq, 5, 6, 0
  BRANCH beq, 0xffffffff, 0xffffffff, 1
  BRANCH bne, 5, 6, 1
  BRANCH bne, 5, 5, 0

  GROUP "blt bge"
  BRANCH blt, 0xffffffff, 1, 1
  BRANCH blt, 1, 0xffffffff, 0
  BRANCH blt, 3, 3, 0
  BRANCH blt, 0x80000000, 0x7fffffff, 1
  BRANCH bge, 1, 0xffffffff, 1
  BRANCH bge, 3, 3, 1
  BRANCH bge, 0xffffffff, 1, 0

  GROUP "bltu bgeu"
  BRANCH bltu, 1, 0xffffffff, 1
  BRANCH bltu, 0xffffffff, 1, 0
  BRANCH bltu, 3, 3, 0
  BRANCH bgeu, 0xffffffff, 1, 1
  BRANCH bgeu, 3, 3, 1
  BRANCH bgeu, 1, 0xffffffff, 0

  GROUP "backward loop"
  li a1, 10
  li a2, 0
1:
  addi a2, a2, 3
  addi a1, a1, -1
  bnez a1, 1b
  CHECK a2, 30

  GROUP "far forward"
  li a3, 0
  beq zero, zero, 2f
  li a3, 1
  /* ~4000 bytes of nops: taken means none of them run. */
  .rept 995
  addi a3, a3, 1
  .endr
2:
  CHECK a3, 0

TEST_END
