/* The boot convention of -bios none: execution starts at the ELF entry in M-mode with a0 = the
 * hart id and a1 = the address of a flattened device tree in RAM (8-byte aligned, magic
 * 0xd00dfeed, version 17, its size within RAM). The address itself is printed, so the oracle
 * also compares where the tree sits with where QEMU puts it. */
#include "test.h"

/* FDT header fields are big-endian; lw reads them byte-swapped. */
#define FDT_MAGIC_LE 0xedfe0dd0

.macro LOAD_BE reg, addr_reg, offset
  lbu \reg, \offset(\addr_reg)
  slli \reg, \reg, 8
  lbu t5, \offset + 1(\addr_reg)
  or \reg, \reg, t5
  slli \reg, \reg, 8
  lbu t5, \offset + 2(\addr_reg)
  or \reg, \reg, t5
  slli \reg, \reg, 8
  lbu t5, \offset + 3(\addr_reg)
  or \reg, \reg, t5
.endm

TEST_BEGIN "priv-boot"

  GROUP "a0 = hart id 0"
  la t0, boot_a0
  lw a1, 0(t0)
  CHECK a1, 0

  GROUP "a1 = a device tree in RAM"
  la t0, boot_a0
  lw a2, 4(t0)
  andi a1, a2, 7
  CHECK a1, 0
  li t1, 0x80000000
  sltu a1, a2, t1
  CHECK a1, 0
  lw a1, 0(a2)
  CHECK a1, FDT_MAGIC_LE
  LOAD_BE a1, a2, 20        /* version */
  CHECK a1, 17
  LOAD_BE a3, a2, 4         /* totalsize */
  add a3, a3, a2
  li t1, 0x88000000         /* end of the default 128 MiB */
  sltu a1, t1, a3
  CHECK a1, 0
  PUTS "  device tree at "
  PUTHEX a2
  PUTS "\n"

TEST_END
