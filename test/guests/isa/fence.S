/* fence in its forms (full, partial orderings, fence.tso, the pause hint, and an encoding with
 * nonzero rs1/rd fields, which must be ignored): all are ordering no-ops on one hart, so the
 * data around them is simply what was stored. */
#include "test.h"

TEST_BEGIN "isa-fence"

  GROUP "fence forms"
  la a1, cell
  li a2, 0x1234
  sw a2, 0(a1)
  fence
  lw a3, 0(a1)
  CHECK a3, 0x1234
  li a2, 0x5678
  sw a2, 0(a1)
  fence rw, rw
  fence w, r
  fence i, o
  fence.tso
  lw a3, 0(a1)
  CHECK a3, 0x5678
  /* pause (Zihintpause): fence with pred=w, succ=0. */
  .word 0x0100000f
  /* fence iorw, iorw with rs1=x1 and rd=x9: reserved fields ignored, x9 untouched. */
  li s1, 77
  .word 0x0ff0848f
  CHECK s1, 77

TEST_END

  .data
  .align 2
cell:
  .word 0
