/* Sv32 permissions: the U bit (S may not touch user pages unless sstatus.SUM, and never
 * executes them; U may not touch supervisor pages), execute-only pages (readable only with
 * mstatus.MXR), and MPRV (M's loads and stores translated and checked as MPP's mode). */
#include "test.h"
#include "sv32.h"
#include "s-mode.h"

#define VA_U     0x40000000  /* upage: RW, user */
#define VA_S     0x40001000  /* spage: RW, supervisor */
#define VA_UCODE 0x40002000  /* ucode_page: RX, user */
#define VA_XONLY 0x40003000  /* scode_page: X only, supervisor */

/* Entry points inside ucode_page, as U sees them. */
#define U_LOAD  (VA_UCODE + 0)
#define U_STORE (VA_UCODE + 8)

/* Runs the U routine at virtual address `entry` (a2/a3 are its operands) and expects
 * `cause`: CAUSE_USER_ECALL when it completes, a page fault otherwise. */
.macro IN_U entry, cause
  TRAP_EXPECT .Lresume\@
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, \entry
  csrw mepc, t0
  mret
.Lresume\@:
  TRAP_CHECK \cause
.endm

/* M load/store with MPRV = 1 and MPP = `mpp`; `cause` is TRAP_NONE or the expected fault. */
.macro MPRV_ACCESS mpp, cause, insn:vararg
  TRAP_EXPECT .Lresume\@
  li t0, MSTATUS_MPP
  csrc mstatus, t0
  li t0, \mpp | MSTATUS_MPRV
  csrs mstatus, t0
  \insn
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
.Lresume\@:
  TRAP_CHECK \cause
.endm

TEST_BEGIN "priv-paging-perm"

  SV32_IDENTITY root
  SV32_POINT root, VA_U, l0
  SV32_MAP l0, VA_U, upage, PTE_V | PTE_R | PTE_W | PTE_U | PTE_A | PTE_D
  SV32_MAP l0, VA_S, spage, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  SV32_MAP l0, VA_UCODE, ucode_page, PTE_V | PTE_R | PTE_X | PTE_U | PTE_A
  SV32_MAP l0, VA_XONLY, scode_page, PTE_V | PTE_X | PTE_A
  la t0, upage
  li t1, 0x11110001
  sw t1, 0(t0)
  la t0, spage
  li t1, 0x22220002
  sw t1, 0(t0)
  SV32_ENABLE root
  li t0, MSTATUS_SUM | MSTATUS_MXR
  csrc mstatus, t0

  GROUP "S and user pages: SUM"
  li a2, VA_U
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_U, lw a3, 0(a2)
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_U, sw a3, 0(a2)
  li t0, MSTATUS_SUM
  csrs mstatus, t0
  IN_S lw a3, 0(a2)
  CHECK a3, 0x11110001
  li a3, 0x11110011
  IN_S sw a3, 4(a2)
  la t0, upage
  lw a4, 4(t0)
  CHECK a4, 0x11110011
  /* SUM never allows S to execute a user page. */
  li a2, U_LOAD
  S_FETCH_FAULT U_LOAD, jalr a2
  li t0, MSTATUS_SUM
  csrc mstatus, t0

  GROUP "U and supervisor pages"
  li a2, VA_U
  IN_U U_LOAD, CAUSE_USER_ECALL
  CHECK a3, 0x11110001
  li a2, VA_S
  IN_U U_LOAD, CAUSE_LOAD_PAGE_FAULT
  TRAP_CHECK_FIELD TRAP_TVAL, VA_S
  TRAP_CHECK_FIELD TRAP_EPC, U_LOAD
  IN_U U_STORE, CAUSE_STORE_PAGE_FAULT
  TRAP_CHECK_FIELD TRAP_TVAL, VA_S
  /* U cannot fetch from a supervisor page. */
  IN_U VA_XONLY, CAUSE_FETCH_PAGE_FAULT
  TRAP_CHECK_FIELD TRAP_TVAL, VA_XONLY

  GROUP "execute-only pages and MXR"
  li a2, VA_XONLY
  li a0, 0
  IN_S jalr a2
  CHECK a0, 0x55
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_XONLY, lw a3, 0(a2)
  li t0, MSTATUS_MXR
  csrs mstatus, t0
  IN_S lw a3, 0(a2)
  la t0, scode_page
  lw a4, 0(t0)
  CHECK_REG a3, a4
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_XONLY, sw a3, 0(a2)
  li t0, MSTATUS_MXR
  csrc mstatus, t0

  GROUP "MPRV with MPP = U"
  li a2, VA_U
  MPRV_ACCESS MSTATUS_MPP_U, TRAP_NONE, lw a3, 0(a2)
  CHECK a3, 0x11110001
  li a3, 0x11110022
  MPRV_ACCESS MSTATUS_MPP_U, TRAP_NONE, sw a3, 8(a2)
  la t0, upage
  lw a4, 8(t0)
  CHECK a4, 0x11110022
  li a2, VA_S
  MPRV_ACCESS MSTATUS_MPP_U, CAUSE_LOAD_PAGE_FAULT, lw a3, 0(a2)
  TRAP_CHECK_FIELD TRAP_TVAL, VA_S

  GROUP "MPRV with MPP = S"
  li a2, VA_S
  MPRV_ACCESS MSTATUS_MPP_S, TRAP_NONE, lw a3, 0(a2)
  CHECK a3, 0x22220002
  li a2, VA_U
  MPRV_ACCESS MSTATUS_MPP_S, CAUSE_LOAD_PAGE_FAULT, lw a3, 0(a2)
  TRAP_CHECK_FIELD TRAP_TVAL, VA_U
  li t0, MSTATUS_SUM
  csrs mstatus, t0
  MPRV_ACCESS MSTATUS_MPP_S, TRAP_NONE, lw a3, 0(a2)
  CHECK a3, 0x11110001
  li t0, MSTATUS_SUM
  csrc mstatus, t0
  csrw satp, zero
  sfence.vma

TEST_END

  .text
/* Mapped at VA_UCODE for U: U_LOAD and U_STORE. */
  .balign 4096
ucode_page:
  lw a3, 0(a2)
  ecall
  sw a3, 0(a2)
  ecall

/* Mapped execute-only at VA_XONLY for S. */
  .balign 4096
scode_page:
  li a0, 0x55
  ecall

  .bss
  .balign 4096
root:
  .space 4096
l0:
  .space 4096
upage:
  .space 4096
spage:
  .space 4096
