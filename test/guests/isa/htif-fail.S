/* The deliberate failure in the riscv-tests convention: tests 1-6 pass, test 7 expects a wrong
 * sum on purpose, so the guest reports (7 << 1) | 1 through tohost and must exit with status 7.
 * The oracle test declares that code. Runs on QEMU's spike board. */
#include "riscv.h"
#include "htif.h"

#define EXPECT(n, reg, val) li gp, n; li t6, val; bne reg, t6, fail

  .section .text.init
  .globl _start
_start:
  li gp, 0
  li a0, 1
  li a1, 1
  add a2, a0, a1
  EXPECT(1, a2, 2)
  add a2, a2, a2
  EXPECT(2, a2, 4)
  add a2, a2, a2
  EXPECT(3, a2, 8)
  slli a2, a2, 1
  EXPECT(4, a2, 16)
  srli a2, a2, 4
  EXPECT(5, a2, 1)
  xori a2, a2, 3
  EXPECT(6, a2, 2)
  add a2, a2, a2
  EXPECT(7, a2, 5)          /* wrong on purpose: 2 + 2 is 4 */

pass:
  li a0, 0
  HTIF_EXIT a0

fail:
  HTIF_EXIT gp

  HTIF_MAILBOXES
