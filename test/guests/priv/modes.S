/* Privilege modes: M -> S -> U and back through mret, sret and traps; ecall from U, S and M
 * (causes 8, 9, 11) and ebreak (3, mtval 0 as QEMU writes it); how a trap and mret/sret move
 * MIE/MPIE/MPP and SIE/SPIE/SPP. (Not tested: mret to a lower mode clearing MPRV, which the
 * 1.12 spec requires and QEMU 7.2 does not do.) */
#include "test.h"

#define MSTATUS_TRAP_FIELDS (MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP)
#define SSTATUS_TRAP_FIELDS (MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP)

/* Checks the recorded trap-time status against the fields in `mask`. */
.macro TRAP_CHECK_STATUS mask, val
  la t5, trap_state
  lw t5, TRAP_STATUS(t5)
  li t6, \mask
  and t5, t5, t6
  CHECK t5, \val
.endm

TEST_BEGIN "priv-modes"

  GROUP "ecall from M, S, U"
  TRAP_EXPECT 1f
2:
  ecall
1:
  TRAP_CHECK CAUSE_MACHINE_ECALL
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  TRAP_CHECK_FIELD TRAP_TVAL, 0
  TRAP_CHECK_MPP MSTATUS_MPP

  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 3f
3:
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 3b
  TRAP_CHECK_MPP MSTATUS_MPP_S

  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_U, 4f
4:
  ecall
1:
  TRAP_CHECK CAUSE_USER_ECALL
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 4b
  TRAP_CHECK_MPP MSTATUS_MPP_U

  GROUP "M to S to U by sret"
  /* S sets up sepc/SPP and drops to U itself; U proves where it is with its ecall cause. */
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 5f
5:
  la t0, 6f
  csrw sepc, t0
  li t0, MSTATUS_SPP
  csrc sstatus, t0
  sret
6:
  ecall
1:
  TRAP_CHECK CAUSE_USER_ECALL
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 6b

  GROUP "ebreak from M, S, U"
  TRAP_EXPECT 1f
2:
  ebreak
1:
  TRAP_CHECK CAUSE_BREAKPOINT
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 2b
  TRAP_CHECK_FIELD TRAP_TVAL, 0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 3f
3:
  ebreak
1:
  TRAP_CHECK CAUSE_BREAKPOINT
  TRAP_CHECK_MPP MSTATUS_MPP_S
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_U, 4f
4:
  ebreak
1:
  TRAP_CHECK CAUSE_BREAKPOINT
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, 4b
  TRAP_CHECK_MPP MSTATUS_MPP_U

  GROUP "trap into M saves MIE in MPIE"
  /* mie = 0 keeps the pending machine timer (mtimecmp resets to 0) from firing. */
  csrw mie, zero
  csrsi mstatus, MSTATUS_MIE
  TRAP_EXPECT 1f
  ecall
1:
  TRAP_CHECK CAUSE_MACHINE_ECALL
  TRAP_CHECK_STATUS MSTATUS_TRAP_FIELDS, MSTATUS_MPIE | MSTATUS_MPP
  csrr a1, mstatus
  andi a1, a1, MSTATUS_MIE
  CHECK a1, 0
  csrci mstatus, MSTATUS_MIE
  TRAP_EXPECT 1f
  ecall
1:
  TRAP_CHECK CAUSE_MACHINE_ECALL
  TRAP_CHECK_STATUS MSTATUS_TRAP_FIELDS, MSTATUS_MPP

  GROUP "mret restores MIE, sets MPIE and MPP = U"
  li t0, MSTATUS_MPP | MSTATUS_MPIE | MSTATUS_MIE
  csrc mstatus, t0
  li t0, MSTATUS_MPP | MSTATUS_MPIE
  csrs mstatus, t0          /* return to M with MPIE = 1 */
  la t0, 1f
  csrw mepc, t0
  mret
1:
  csrr a1, mstatus
  li t0, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP
  and a1, a1, t0
  CHECK a1, MSTATUS_MIE | MSTATUS_MPIE
  csrci mstatus, MSTATUS_MIE
  /* Into S with MPIE = 0: S's own view of the trap fields comes back in the ecall. */
  li t0, MSTATUS_MPIE
  csrc mstatus, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  TRAP_CHECK_STATUS MSTATUS_TRAP_FIELDS, MSTATUS_MPP_S

  GROUP "sret restores SIE, sets SPIE and SPP = U"
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  li t0, SSTATUS_TRAP_FIELDS
  csrc sstatus, t0
  li t0, MSTATUS_SPIE | MSTATUS_SPP
  csrs sstatus, t0          /* return to S with SPIE = 1 */
  la t0, 3f
  csrw sepc, t0
  sret
3:
  csrr a1, sstatus
  ecall
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  li t0, SSTATUS_TRAP_FIELDS
  and a1, a1, t0
  CHECK a1, MSTATUS_SIE | MSTATUS_SPIE
  csrci sstatus, MSTATUS_SIE

  GROUP "trap into S saves SIE in SPIE, SPP"
  li t0, 1 << CAUSE_USER_ECALL
  csrw medeleg, t0
  TRAP_EXPECT 1f
  MRET_TO MSTATUS_MPP_S, 2f
2:
  STRAP_EXPECT 4f
  li t0, SSTATUS_TRAP_FIELDS
  csrc sstatus, t0
  li t0, MSTATUS_SPIE       /* sret makes SIE = 1 in U: the trap must save it in SPIE */
  csrs sstatus, t0
  la t0, 3f
  csrw sepc, t0
  sret
3:
  ecall                     /* delegated: lands in strap_catch, resumes at 4 in S */
4:
  la t5, trap_state         /* S's record, read before M's catcher overwrites it */
  lw a1, TRAP_STATUS(t5)
  lw a2, TRAP_CAUSE(t5)
  lw a3, TRAP_EPC(t5)
  ecall                     /* back to M */
1:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
  csrw medeleg, zero
  CHECK a2, CAUSE_USER_ECALL
  CHECK_ADDR a3, 3b
  li t0, SSTATUS_TRAP_FIELDS
  and a1, a1, t0
  CHECK a1, MSTATUS_SPIE    /* SIE was 1 in U: SPIE = 1, SIE = 0, SPP = U */

TEST_END
