/* Zifencei: code that has already run (so any decoded-instruction cache holds it) is
 * overwritten with stores, fence.i makes the new instructions visible, and they run. The last
 * group patches from a loop hot enough to be compiled, code in the loop's own page that is hot
 * too: a store from compiled code into compiled code. */
#include "test.h"

TEST_BEGIN "isa-fencei"

  GROUP "patch and run"
  /* Warm up: run the original several times. */
  li s1, 5
  li s2, 0
1:
  call patch_site
  add s2, s2, a0
  addi s1, s1, -1
  bnez s1, 1b
  CHECK s2, 5
  /* Replace "li a0, 1" with "li a0, 2". */
  la a1, patch_site
  la a2, template_two
  lw a3, 0(a2)
  sw a3, 0(a1)
  fence.i
  call patch_site
  CHECK a0, 2

  GROUP "patch twice, two instructions"
  /* Replace both instructions: "li a0, 3" then "addi a0, a0, 4" in place of ret, followed by
   * the ret that template_pair carries. */
  la a1, patch_site
  la a2, template_pair
  lw a3, 0(a2)
  sw a3, 0(a1)
  lw a3, 4(a2)
  sw a3, 4(a1)
  lw a3, 8(a2)
  sw a3, 8(a1)
  fence.i
  call patch_site
  CHECK a0, 7

  GROUP "patched 10,000 times from a hot loop"
  /* Each turn writes "li a0, i & 0x7ff" over patch_hot's first instruction and calls it. */
  la a1, patch_hot
  li s1, 0                /* i */
  li s2, 10000
  li s3, 0                /* the sum patch_hot returned */
  li s4, 0                /* the sum it should have */
1:
  andi t1, s1, 0x7ff
  slli t2, t1, 20
  ori t2, t2, 0x513       /* addi a0, zero, t1 */
  sw t2, 0(a1)
  fence.i
  call patch_hot
  add s3, s3, a0
  add s4, s4, t1
  addi s1, s1, 1
  bne s1, s2, 1b
  CHECK_REG s3, s4

TEST_END

  .text
  .align 2
patch_site:
  li a0, 1
  ret
  nop                     /* room for the third instruction of template_pair */

  .align 2
patch_hot:
  li a0, 0
  ret

/* Instruction words copied over patch_site; never executed in place. */
  .align 2
template_two:
  li a0, 2
template_pair:
  li a0, 3
  addi a0, a0, 4
  ret
