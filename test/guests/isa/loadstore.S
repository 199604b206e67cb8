/* Loads and stores of every width: sign and zero extension, little-endian byte lanes, positive
 * and negative offsets, stores of x0, and loads into x0 leaving it zero. */
#include "test.h"

TEST_BEGIN "isa-loadstore"

  GROUP "lb lbu"
  la a1, bytes
  lb a3, 0(a1)
  CHECK a3, 0x7f
  lb a3, 1(a1)
  CHECK a3, 0xffffff80
  lbu a3, 1(a1)
  CHECK a3, 0x80
  lb a3, 2(a1)
  CHECK a3, 0xffffffff
  lbu a3, 2(a1)
  CHECK a3, 0xff
  lbu a3, 3(a1)
  CHECK a3, 0x01

  GROUP "lh lhu"
  lh a3, 0(a1)
  CHECK a3, 0xffff807f
  lhu a3, 0(a1)
  CHECK a3, 0x807f
  lh a3, 2(a1)
  CHECK a3, 0x01ff
  lh a3, 4(a1)
  CHECK a3, 0x7fff
  lh a3, 6(a1)
  CHECK a3, 0xffff8000
  lhu a3, 6(a1)
  CHECK a3, 0x8000

  GROUP "lw and offsets"
  lw a3, 0(a1)
  CHECK a3, 0x01ff807f
  lw a3, 4(a1)
  CHECK a3, 0x80007fff
  addi a2, a1, 8
  lw a3, -8(a2)
  CHECK a3, 0x01ff807f
  lbu a3, -7(a2)
  CHECK a3, 0x80
  lw zero, 0(a1)
  CHECK zero, 0

  GROUP "sb sh sw"
  la a2, scratch
  li a3, 0x11223344
  sw a3, 0(a2)
  li a3, 0xaabbccdd
  sb a3, 1(a2)
  lw a4, 0(a2)
  CHECK a4, 0x1122dd44
  sh a3, 2(a2)
  lw a4, 0(a2)
  CHECK a4, 0xccdddd44
  sb zero, 0(a2)
  lw a4, 0(a2)
  CHECK a4, 0xccdddd00
  sw zero, 4(a2)
  sh a3, 6(a2)
  lw a4, 4(a2)
  CHECK a4, 0xccdd0000
  addi a5, a2, 16
  sw a3, -8(a5)
  lw a4, 8(a2)
  CHECK a4, 0xaabbccdd
  lhu a4, 10(a2)
  CHECK a4, 0xaabb
  lb a4, 11(a2)
  CHECK a4, 0xffffffaa

TEST_END

  .data
  .align 4
bytes:
  .byte 0x7f, 0x80, 0xff, 0x01
  .half 0x7fff, 0x8000
scratch:
  .space 16
