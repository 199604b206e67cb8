/* Sv32 page-table helpers for the paging tests: build leaf and pointer PTEs, store them by
 * virtual address, identity-map what S needs, and switch translation on. All clobber t5, t6
 * plus the registers named. */
#ifndef GUEST_SV32_H
#define GUEST_SV32_H

#include "riscv.h"

#define VPN1(va) ((va) >> 22)
#define VPN0(va) (((va) >> 12) & 0x3ff)
#define PTE_RWX_AD (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)

/* out = PTE for the physical address in `pa_reg` with `flags`. */
.macro SV32_PTE out, pa_reg, flags
  srli \out, \pa_reg, 12
  slli \out, \out, PTE_PPN_SHIFT
  li t6, \flags
  or \out, \out, t6
.endm

/* Stores `pte_reg` in the root table entry for `va`. */
.macro SV32_SET_L1 root, va, pte_reg
  la t5, \root
  li t6, VPN1(\va) * 4
  add t5, t5, t6
  sw \pte_reg, 0(t5)
.endm

/* Stores `pte_reg` in the level-0 table `l0` entry for `va`. */
.macro SV32_SET_L0 l0, va, pte_reg
  la t5, \l0
  li t6, VPN0(\va) * 4
  add t5, t5, t6
  sw \pte_reg, 0(t5)
.endm

/* Loads the level-0 `l0` entry for `va` into `out`. */
.macro SV32_GET_L0 out, l0, va
  la t5, \l0
  li t6, VPN0(\va) * 4
  add t5, t5, t6
  lw \out, 0(t5)
.endm

/* Root entry for `va` points at the level-0 table `l0`. Clobbers a0. */
.macro SV32_POINT root, va, l0
  la a0, \l0
  SV32_PTE a0, a0, PTE_V
  SV32_SET_L1 \root, \va, a0
.endm

/* Maps the physical page at label `pa` at `va` through `l0`. Clobbers a0. */
.macro SV32_MAP l0, va, pa, flags
  la a0, \pa
  SV32_PTE a0, a0, \flags
  SV32_SET_L0 \l0, \va, a0
.endm

/* Identity megapages for S: the first 4 MiB of RAM (this guest's code, data and tables), the
 * UART, and the low 4 MiB (test finisher), none of them user pages. Clobbers a0. */
.macro SV32_IDENTITY root
  li a0, UART0_BASE
  SV32_PTE a0, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  SV32_SET_L1 \root, UART0_BASE, a0
  li a0, 0
  SV32_PTE a0, a0, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  SV32_SET_L1 \root, 0, a0
  li a0, 0x80000000
  SV32_PTE a0, a0, PTE_RWX_AD
  SV32_SET_L1 \root, 0x80000000, a0
.endm

/* satp = Sv32 with `root`; flush. Clobbers a0. */
.macro SV32_ENABLE root
  la a0, \root
  srli a0, a0, 12
  li t6, SATP_MODE_SV32
  or a0, a0, t6
  csrw satp, a0
  sfence.vma
.endm

#endif
