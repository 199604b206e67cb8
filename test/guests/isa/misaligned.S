/* Misaligned data accesses in M-mode (physical addresses): QEMU performs ordinary misaligned
 * loads and stores in hardware, so values must come out right, including an access that spans
 * a 4 KiB page boundary. Misaligned LR raises a load-address-misaligned exception (4) and a
 * misaligned AMO an address-misaligned exception with mtval = the address; neither writes
 * memory. (The spec says store/AMO-misaligned, 6, for the AMO; QEMU 7.2 reports 4: both are
 * accepted.) */
#include "test.h"

TEST_BEGIN "isa-misaligned"

  GROUP "loads"
  la a1, bytes
  lw a3, 1(a1)
  CHECK a3, 0x5544b322
  lw a3, 3(a1)
  CHECK a3, 0x77665544
  lh a3, 1(a1)
  CHECK a3, 0xffffb322
  lhu a3, 1(a1)
  CHECK a3, 0xb322
  lh a3, 5(a1)
  CHECK a3, 0x7766

  GROUP "stores"
  la a1, scratch
  sw zero, 0(a1)
  sw zero, 4(a1)
  li a2, 0xa1b2c3d4
  sw a2, 1(a1)
  lw a3, 0(a1)
  CHECK a3, 0xb2c3d400
  lw a3, 4(a1)
  CHECK a3, 0x000000a1
  li a2, 0xeeff
  sh a2, 3(a1)
  lw a3, 0(a1)
  CHECK a3, 0xffc3d400
  lw a3, 4(a1)
  CHECK a3, 0x000000ee

  GROUP "across a page boundary"
  la a1, page_end
  li a2, 0x01020304
  sw a2, -2(a1)
  lw a3, -2(a1)
  CHECK a3, 0x01020304
  lhu a3, -4(a1)
  CHECK a3, 0
  lhu a3, -2(a1)
  CHECK a3, 0x0304
  lhu a3, 0(a1)
  CHECK a3, 0x0102
  li a2, 0xbeef
  sh a2, -1(a1)
  lw a3, -4(a1)
  CHECK a3, 0xef040000
  lw a3, 0(a1)
  CHECK a3, 0x000001be

  GROUP "misaligned lr"
  la a1, scratch
  li a2, 0x5a5a5a5a
  sw a2, 8(a1)
  addi a4, a1, 10
  TRAP_EXPECT 1f
2:
  lr.w a3, (a4)
1:
  TRAP_CHECK CAUSE_MISALIGNED_LOAD
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  la t5, trap_state
  lw t5, TRAP_TVAL(t5)
  CHECK_REG t5, a4

  GROUP "misaligned amo"
  li a2, 0x01010101
  TRAP_EXPECT 1f
2:
  amoadd.w a3, a2, (a4)
1:
  la t5, trap_state
  lw t5, TRAP_CAUSE(t5)
  li t6, CAUSE_MISALIGNED_STORE
  beq t5, t6, 3f
  TRAP_CHECK CAUSE_MISALIGNED_LOAD
3:
  la t6, unexpected_trap
  csrw mtvec, t6
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  la t5, trap_state
  lw t5, TRAP_TVAL(t5)
  CHECK_REG t5, a4
  lw a3, 8(a1)
  CHECK a3, 0x5a5a5a5a
  lw a3, 12(a1)
  CHECK a3, 0

TEST_END

  .data
  .align 4
bytes:
  .byte 0x11, 0x22, 0xb3, 0x44, 0x55, 0x66, 0x77, 0x88
scratch:
  .space 16
  .balign 4096
  .space 4092
  .word 0
page_end:
  .word 0
