/* Sv32 translation for S-mode: identity megapages and 4 KiB pages; the hardware setting A on
 * access and D on store (QEMU 7.2 updates them; it does not fault); page faults with their
 * causes (12 fetch, 13 load, 15 store), stval = the virtual address (for an access that
 * straddles two pages, the first byte in the faulting page) and sepc/mepc; reserved PTE
 * encodings and misaligned megapages fault; sfence.vma makes a changed PTE take effect. */
#include "test.h"
#include "sv32.h"
#include "s-mode.h"

#define VA_A        0x40000000  /* page_a, RW, A and D clear at first */
#define VA_B        0x40001000  /* page_b, later page_c */
#define VA_RO       0x40002000  /* page_a read-only (A and D set: nothing but W keeps a store out) */
#define VA_NX       0x40003000  /* page_a read-write, not executable */
#define VA_CODE     0x40004000  /* code_page, RX, A clear */
#define VA_UNMAPPED 0x40005000
#define VA_WONLY    0x40006000  /* W without R: reserved */
#define VA_CROSS    0x40007000  /* page_b; the next page is unmapped */
#define VA_NONLEAF  0x40009000  /* a pointer PTE at level 0 */
#define VA_MISALIGNED_MEGA 0x40400000

.macro PTE_FLAGS out, va
  SV32_GET_L0 \out, l0, \va
  andi \out, \out, 0xff
.endm

TEST_BEGIN "priv-paging"

  GROUP "megapages and 4 KiB pages"
  SV32_IDENTITY root
  SV32_POINT root, VA_A, l0
  SV32_MAP l0, VA_A, page_a, PTE_V | PTE_R | PTE_W
  SV32_MAP l0, VA_B, page_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  SV32_MAP l0, VA_RO, page_a, PTE_V | PTE_R | PTE_A | PTE_D
  SV32_MAP l0, VA_NX, page_a, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  SV32_MAP l0, VA_CODE, code_page, PTE_V | PTE_R | PTE_X
  SV32_MAP l0, VA_WONLY, page_a, PTE_V | PTE_W | PTE_A | PTE_D
  SV32_MAP l0, VA_CROSS, page_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  la a0, l0                 /* a level-0 entry that points further: not allowed */
  SV32_PTE a0, a0, PTE_V
  SV32_SET_L0 l0, VA_NONLEAF, a0
  la a0, page_b             /* a megapage whose PPN[0] is not zero */
  SV32_PTE a0, a0, PTE_RWX_AD
  SV32_SET_L1 root, VA_MISALIGNED_MEGA, a0
  la t0, page_a
  li t1, 0xaaaa0001
  sw t1, 0(t0)
  la t0, page_b
  li t1, 0xbbbb0002
  sw t1, 0(t0)
  la t0, page_c
  li t1, 0xcccc0003
  sw t1, 0(t0)
  SV32_ENABLE root
  /* S runs this code through the RAM megapage and reads its data through 4 KiB pages. */
  la a1, page_a
  li a2, VA_B
  IN_S lw a3, 0(a1)
  CHECK a3, 0xaaaa0001
  IN_S lw a3, 0(a2)
  CHECK a3, 0xbbbb0002
  li a2, VA_RO
  IN_S lw a3, 0(a2)
  CHECK a3, 0xaaaa0001

  GROUP "hardware A and D"
  PTE_FLAGS a4, VA_A
  CHECK a4, PTE_V | PTE_R | PTE_W
  li a2, VA_A
  IN_S lw a3, 4(a2)
  PTE_FLAGS a4, VA_A
  CHECK a4, PTE_V | PTE_R | PTE_W | PTE_A
  li a3, 0x12345678
  IN_S sw a3, 8(a2)
  PTE_FLAGS a4, VA_A
  CHECK a4, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  la t0, page_a
  lw a4, 8(t0)
  CHECK a4, 0x12345678
  /* A store to a page whose A and D are both clear sets both. */
  SV32_MAP l0, VA_A, page_a, PTE_V | PTE_R | PTE_W
  sfence.vma
  li a3, 0x9abcdef0
  IN_S sw a3, 12(a2)
  PTE_FLAGS a4, VA_A
  CHECK a4, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  /* A store right after a load of a clean page still sets D (the load's translation must not
   * serve the store), and a load after a store finds the page. */
  SV32_MAP l0, VA_A, page_a, PTE_V | PTE_R | PTE_W
  sfence.vma
  IN_S_BOTH "lw a3, 4(a2)", sw a3, 16(a2)
  PTE_FLAGS a4, VA_A
  CHECK a4, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  SV32_MAP l0, VA_A, page_a, PTE_V | PTE_R | PTE_W
  sfence.vma
  li a3, 0x0badcafe
  IN_S_BOTH "sw a3, 20(a2)", lw a5, 20(a2)
  CHECK a5, 0x0badcafe
  /* Fetching sets A on an executable page. */
  li a0, 0
  li a2, VA_CODE
  IN_S jalr a2
  CHECK a0, 0x77
  PTE_FLAGS a4, VA_CODE
  CHECK a4, PTE_V | PTE_R | PTE_X | PTE_A

  GROUP "page faults: load, store, fetch"
  li a2, VA_UNMAPPED + 8
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_UNMAPPED + 8, lw a3, 0(a2)
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_UNMAPPED + 8, sw a3, 0(a2)
  li a2, VA_RO + 0x10
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_RO + 0x10, sw a3, 0(a2)
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_RO + 0x10, amoadd.w a3, a3, (a2)
  /* A load's translation of a read-only page does not let a store through. */
  S_FAULT_AFTER CAUSE_STORE_PAGE_FAULT, VA_RO + 0x10, "lw a3, 0(a2)", sw a3, 0(a2)
  /* A fetch fault reports the target: mepc = stval = the virtual address jumped to. */
  li a2, VA_NX
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  jalr a2
  CHECK_NEVER
1:
  TRAP_CHECK CAUSE_FETCH_PAGE_FAULT
  TRAP_CHECK_FIELD TRAP_TVAL, VA_NX
  TRAP_CHECK_FIELD TRAP_EPC, VA_NX
  li a2, VA_UNMAPPED
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  jalr a2
  CHECK_NEVER
1:
  TRAP_CHECK CAUSE_FETCH_PAGE_FAULT
  TRAP_CHECK_FIELD TRAP_TVAL, VA_UNMAPPED

  GROUP "reserved and malformed PTEs fault"
  li a2, VA_WONLY
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_WONLY, lw a3, 0(a2)
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_WONLY, sw a3, 0(a2)
  li a2, VA_NONLEAF
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_NONLEAF, lw a3, 0(a2)
  li a2, VA_MISALIGNED_MEGA + 0x40
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_MISALIGNED_MEGA + 0x40, lw a3, 0(a2)

  GROUP "access straddling into an unmapped page"
  li a2, VA_CROSS + 0xffe
  S_FAULT CAUSE_LOAD_PAGE_FAULT, VA_CROSS + 0x1000, lw a3, 0(a2)
  S_FAULT CAUSE_STORE_PAGE_FAULT, VA_CROSS + 0x1000, sw a3, 0(a2)
  li a2, VA_CROSS + 0xffc
  li a3, 0x55667788
  IN_S sw a3, 0(a2)
  li a2, VA_CROSS + 0xffa
  IN_S lw a3, 0(a2)
  CHECK a3, 0x77880000

  GROUP "sfence.vma after changing a PTE"
  /* S rewrites the PTE for VA_B itself (the tables sit in the identity-mapped RAM), flushes
   * that one address, and reads the new page. */
  SV32_MAP l0, VA_B, page_c, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  mv a5, a0
  SV32_MAP l0, VA_B, page_b, PTE_V | PTE_R | PTE_W | PTE_A | PTE_D
  sfence.vma
  li a2, VA_B
  la a4, l0 + VPN0(VA_B) * 4
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  lw a3, 0(a2)              /* page_b, and now in any TLB */
  sw a5, 0(a4)
  sfence.vma a2, zero
  lw a6, 0(a2)              /* page_c */
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a3, 0xbbbb0002
  CHECK a6, 0xcccc0003
  csrw satp, zero
  sfence.vma

TEST_END

/* Mapped at VA_CODE: proves S ran it through that mapping, then returns to M. */
  .text
  .balign 4096
code_page:
  li a0, 0x77
  ecall

  .bss
  .balign 4096
root:
  .space 4096
l0:
  .space 4096
page_a:
  .space 4096
page_b:
  .space 4096
page_c:
  .space 4096
