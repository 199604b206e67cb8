/* PMP: pmpcfg0 and pmpaddr0-3 accept and read back configurations; an entry limits S and U
 * (a read-only NAPOT region: stores fault with cause 7 and mtval = the address) while M is
 * unaffected; locking an entry subjects M to it and freezes its configuration. Entry order
 * is priority: the runtime's allow-all entry moves below the guard entries here. */
#include "test.h"

#define NAPOT_4K(reg) srli reg, reg, 2; ori reg, reg, 0x1ff

TEST_BEGIN "priv-pmp"

  GROUP "pmpcfg0 and pmpaddr read back"
  csrr a1, pmpcfg0
  andi a1, a1, 0xff
  CHECK a1, PMP_NAPOT | PMP_R | PMP_W | PMP_X
  csrr a1, pmpaddr0
  CHECK a1, 0xffffffff
  li t0, 0x12345678
  csrw pmpaddr1, t0
  csrr a1, pmpaddr1
  CHECK a1, 0x12345678
  li t0, 0x0abcdef0
  csrw pmpaddr3, t0
  csrr a1, pmpaddr3
  CHECK a1, 0x0abcdef0
  /* entry 1 TOR R, entry 2 NA4 RW, entry 3 NAPOT X, entry 0 unchanged */
  li t0, (PMP_NAPOT | PMP_R | PMP_W | PMP_X) | ((PMP_TOR | PMP_R) << 8) \
         | ((PMP_NA4 | PMP_R | PMP_W) << 16) | ((PMP_NAPOT | PMP_X) << 24)
  csrw pmpcfg0, t0
  csrr a1, pmpcfg0
  CHECK_REG a1, t0

  GROUP "a read-only region for S and U"
  /* entry 0: guard page, R only; entry 1: everything else, RWX. */
  la t0, guarded
  NAPOT_4K(t0)
  csrw pmpaddr0, t0
  li t0, -1
  csrw pmpaddr1, t0
  li t0, ((PMP_NAPOT | PMP_R | PMP_W | PMP_X) << 8) | (PMP_NAPOT | PMP_R)
  csrw pmpcfg0, t0
  la a2, guarded
  li a3, 0x600d
  sw a3, 16(a2)             /* M ignores unlocked entries */
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  lw a4, 16(a2)
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  CHECK a4, 0x600d
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  sw a3, 20(a2)
  CHECK_NEVER
1:
  TRAP_CHECK CAUSE_STORE_ACCESS
  la t0, guarded + 20
  la t5, trap_state
  lw t5, TRAP_TVAL(t5)
  CHECK_REG t5, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_U, 2f
2:
  sw a3, 24(a2)
  CHECK_NEVER
1:
  TRAP_CHECK CAUSE_STORE_ACCESS
  lw a4, 24(a2)
  CHECK a4, 0

  GROUP "a locked entry binds M"
  li t0, PMP_L
  csrs pmpcfg0, t0
  csrr a1, pmpcfg0
  andi a1, a1, 0xff
  CHECK a1, PMP_L | PMP_NAPOT | PMP_R
  lw a4, 16(a2)
  CHECK a4, 0x600d
  TRAP_EXPECT 1f
  sw a3, 28(a2)
  CHECK_NEVER
1:
  TRAP_CHECK CAUSE_STORE_ACCESS
  /* Writes to a locked entry's configuration and address are ignored. */
  li t0, PMP_W
  csrs pmpcfg0, t0
  csrr a1, pmpcfg0
  andi a1, a1, 0xff
  CHECK a1, PMP_L | PMP_NAPOT | PMP_R
  csrr a5, pmpaddr0
  csrw pmpaddr0, zero
  csrr a1, pmpaddr0
  CHECK_REG a1, a5

TEST_END

  .data
  .balign 4096
guarded:
  .space 4096
