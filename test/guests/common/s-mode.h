/* Running instructions in S-mode from an M-mode test and checking how they end: an ecall back
 * to M, or a page fault with its cause, tval and epc. For the paging tests (TRAP_* and MRET_TO
 * come from test.h). */
#ifndef GUEST_S_MODE_H
#define GUEST_S_MODE_H

/* Runs `first` and then `insn` in S with no trap between them (what `first` left in the TLB is
 * there for `insn`; a1, a2 set up by the caller) and returns to M through an ecall. */
.macro IN_S_BOTH first, insn:vararg
  TRAP_EXPECT .Lresume\@
  MRET_TO MSTATUS_MPP_S, .Lfirst\@
.Lfirst\@:
  \first
  \insn
  ecall
.Lresume\@:
  TRAP_CHECK CAUSE_SUPERVISOR_ECALL
.endm

/* Runs `insn` alone in S. */
.macro IN_S insn:vararg
  IN_S_BOTH "", \insn
.endm

/* Runs `first` and then `insn` in S as IN_S_BOTH does, and expects page fault `cause` at `va`
 * on `insn`, with the pc of `insn` in mepc. */
.macro S_FAULT_AFTER cause, va, first, insn:vararg
  TRAP_EXPECT .Lresume\@
  MRET_TO MSTATUS_MPP_S, .Lfirst\@
.Lfirst\@:
  \first
.Linsn\@:
  \insn
  CHECK_NEVER
.Lresume\@:
  TRAP_CHECK \cause
  TRAP_CHECK_FIELD TRAP_TVAL, \va
  TRAP_CHECK_FIELD_ADDR TRAP_EPC, .Linsn\@
.endm

/* Runs `insn` alone in S and expects page fault `cause` at `va`. */
.macro S_FAULT cause, va, insn:vararg
  S_FAULT_AFTER \cause, \va, "", \insn
.endm

/* Runs the jump `insn` alone in S and expects fetch page fault `cause` at its target `va`, which
 * is also mepc (the fetch faults, not the jump). */
.macro S_FETCH_FAULT va, insn:vararg
  TRAP_EXPECT .Lresume\@
  MRET_TO MSTATUS_MPP_S, .Linsn\@
.Linsn\@:
  \insn
  CHECK_NEVER
.Lresume\@:
  TRAP_CHECK CAUSE_FETCH_PAGE_FAULT
  TRAP_CHECK_FIELD TRAP_TVAL, \va
  TRAP_CHECK_FIELD TRAP_EPC, \va
.endm

#endif
