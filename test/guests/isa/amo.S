/* A extension: lr/sc success and failure (sc before any lr, a second sc after the
 * reservation was used, sc to another address), and every AMO .w: rd receives the old memory
 * word and memory the combined value, with min/max signed and minu/maxu unsigned. */
#include "test.h"

/* mem = init; rd = amo(mem, val); check rd == init and mem == result. */
.macro AMO op, init, val, result
  la a1, cell
  li a2, \init
  sw a2, 0(a1)
  li a2, \val
  \op a3, a2, (a1)
  CHECK a3, \init
  lw a4, 0(a1)
  CHECK a4, \result
.endm

TEST_BEGIN "isa-amo"

  GROUP "lr sc"
  la a1, cell
  li a2, 100
  sw a2, 0(a1)
  /* No lr has run yet: there is no reservation, so sc fails and writes nothing. */
  li a3, 99
  sc.w a4, a3, (a1)
  CHECK a4, 1
  lw a5, 0(a1)
  CHECK a5, 100
  lr.w a3, (a1)
  CHECK a3, 100
  addi a3, a3, 1
  sc.w a4, a3, (a1)
  CHECK a4, 0
  lw a5, 0(a1)
  CHECK a5, 101
  /* The reservation was consumed by the successful sc. */
  li a3, 555
  sc.w a4, a3, (a1)
  CHECK a4, 1
  lw a5, 0(a1)
  CHECK a5, 101
  /* lr.aq / sc.rl forms, retried in the usual loop: one pass must be enough here. */
  li a6, 0
1:
  lr.w.aq a3, (a1)
  addi a3, a3, 10
  addi a6, a6, 1
  sc.w.rl a4, a3, (a1)
  bnez a4, 1b
  CHECK a6, 1
  lw a5, 0(a1)
  CHECK a5, 111

  GROUP "sc fails"
  /* sc to a word outside the reservation set (128 bytes away) fails and writes nothing. */
  la a2, far_cell
  li a3, 42
  sw a3, 0(a2)
  lr.w a3, (a1)
  li a3, 7
  sc.w a4, a3, (a2)
  CHECK a4, 1
  lw a5, 0(a2)
  CHECK a5, 42

  GROUP "amoswap amoadd"
  AMO amoswap.w, 0x11111111, 0x22222222, 0x22222222
  AMO amoadd.w, 0x7fffffff, 1, 0x80000000
  AMO amoadd.w, 0xfffffffe, 3, 1
  AMO amoadd.w.aqrl, 10, 20, 30

  GROUP "amoxor amoand amoor"
  AMO amoxor.w, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0
  AMO amoand.w, 0xff00ff00, 0x0ff00ff0, 0x0f000f00
  AMO amoor.w, 0xff00ff00, 0x0ff00ff0, 0xfff0fff0

  GROUP "amomin amomax amominu amomaxu"
  AMO amomin.w, 0xfffffff0, 5, 0xfffffff0
  AMO amomin.w, 5, 0xfffffff0, 0xfffffff0
  AMO amomax.w, 0xfffffff0, 5, 5
  AMO amomax.w, 0x80000000, 0x7fffffff, 0x7fffffff
  AMO amominu.w, 0xfffffff0, 5, 5
  AMO amominu.w, 5, 0xfffffff0, 5
  AMO amomaxu.w, 0xfffffff0, 5, 0xfffffff0
  AMO amomaxu.w, 0x80000000, 0x7fffffff, 0x80000000

  GROUP "rd x0 and rd == rs2"
  la a1, cell
  li a2, 9
  sw a2, 0(a1)
  li a3, 4
  amoadd.w zero, a3, (a1)
  CHECK zero, 0
  lw a4, 0(a1)
  CHECK a4, 13
  li a3, 50
  amoswap.w a3, a3, (a1)
  CHECK a3, 13
  lw a4, 0(a1)
  CHECK a4, 50

TEST_END

  .data
  .align 7
cell:
  .word 0
  .align 7
far_cell:
  .word 0
