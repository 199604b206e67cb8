/* Counters: cycle, instret and time advance (time at the CLINT's 10 MHz, so only after some
 * work); minstret is writable in M; the high halves are readable; mcounteren gates each
 * counter for S and U, scounteren additionally for U. Values are never printed: they differ
 * between emulators. */
#include "test.h"

/* Reads `csr` in mode `mpp` and expects an illegal instruction. */
.macro COUNTER_ILLEGAL mpp, csr
  TRAP_EXPECT .Lresume\@
  MRET_TO \mpp, .Linsn\@
.Linsn\@:
  csrr a0, \csr
  CHECK_NEVER
.Lresume\@:
  TRAP_CHECK CAUSE_ILLEGAL_INSTRUCTION
.endm

/* Reads `csr` in mode `mpp` and expects the read to work (the ecall after it returns to M). */
.macro COUNTER_LEGAL mpp, ecall_cause, csr
  TRAP_EXPECT .Lresume\@
  MRET_TO \mpp, .Linsn\@
.Linsn\@:
  csrr a0, \csr
  ecall
.Lresume\@:
  TRAP_CHECK \ecall_cause
.endm

TEST_BEGIN "priv-counters"

  GROUP "cycle and instret advance"
  rdcycle a1
  rdinstret a2
  li a3, 100
1:
  addi a3, a3, -1
  bnez a3, 1b
  rdcycle a4
  rdinstret a5
  sub a4, a4, a1
  sub a5, a5, a2
  sltu a6, zero, a4
  CHECK a6, 1
  /* The loop alone retired 200 instructions. */
  sltiu a6, a5, 200
  CHECK a6, 0

  GROUP "time advances"
  rdtime a1
  li a3, 100000             /* bounded: about 1 ms of virtual time at one tick per 100 ns */
1:
  rdtime a2
  bne a2, a1, 2f
  addi a3, a3, -1
  bnez a3, 1b
2:
  sltu a6, zero, a3
  CHECK a6, 1
  /* time is the CLINT's mtime. */
  li t0, CLINT_BASE + CLINT_MTIME
  lw a4, 0(t0)
  rdtime a5
  sltu a6, a5, a4
  CHECK a6, 0

  GROUP "high halves"
  rdtimeh a1
  CHECK a1, 0
  rdcycleh a1
  rdinstreth a1

  GROUP "minstret is writable in M"
  csrw minstret, zero
  csrr a1, minstret
  sltiu a6, a1, 64
  CHECK a6, 1
  li t0, 0x40000000
  csrw minstret, t0
  csrr a1, minstret
  sub a1, a1, t0
  sltiu a6, a1, 64
  CHECK a6, 1

  GROUP "mcounteren gates S"
  csrw mcounteren, zero
  csrw scounteren, zero
  COUNTER_ILLEGAL MSTATUS_MPP_S, cycle
  COUNTER_ILLEGAL MSTATUS_MPP_S, time
  COUNTER_ILLEGAL MSTATUS_MPP_S, instret
  COUNTER_ILLEGAL MSTATUS_MPP_S, cycleh
  li t0, COUNTEREN_CY
  csrw mcounteren, t0
  COUNTER_LEGAL MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, cycle
  COUNTER_LEGAL MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, cycleh
  COUNTER_ILLEGAL MSTATUS_MPP_S, time
  COUNTER_ILLEGAL MSTATUS_MPP_S, instret
  li t0, COUNTEREN_TM | COUNTEREN_IR
  csrw mcounteren, t0
  COUNTER_ILLEGAL MSTATUS_MPP_S, cycle
  COUNTER_LEGAL MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, time
  COUNTER_LEGAL MSTATUS_MPP_S, CAUSE_SUPERVISOR_ECALL, instret

  GROUP "mcounteren and scounteren gate U"
  li t0, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR
  csrw mcounteren, t0
  csrw scounteren, zero
  COUNTER_ILLEGAL MSTATUS_MPP_U, cycle
  COUNTER_ILLEGAL MSTATUS_MPP_U, time
  COUNTER_ILLEGAL MSTATUS_MPP_U, instret
  li t0, COUNTEREN_TM
  csrw scounteren, t0
  COUNTER_LEGAL MSTATUS_MPP_U, CAUSE_USER_ECALL, time
  COUNTER_LEGAL MSTATUS_MPP_U, CAUSE_USER_ECALL, timeh
  COUNTER_ILLEGAL MSTATUS_MPP_U, cycle
  li t0, COUNTEREN_CY | COUNTEREN_TM | COUNTEREN_IR
  csrw scounteren, t0
  COUNTER_LEGAL MSTATUS_MPP_U, CAUSE_USER_ECALL, cycle
  COUNTER_LEGAL MSTATUS_MPP_U, CAUSE_USER_ECALL, instret
  csrw mcounteren, zero
  COUNTER_ILLEGAL MSTATUS_MPP_U, cycle
  COUNTER_ILLEGAL MSTATUS_MPP_U, time
  csrw scounteren, zero

TEST_END
