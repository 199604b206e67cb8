/* Macros that give every assembly guest the same shape: a name line, one line per group, a
 * check macro whose failure exits with that check's own number, and helpers to expect a trap
 * and to change privilege. The runtime behind them is rt.S plus io-virt.S or io-htif.S.
 *
 * Register contract: the macros clobber t5 and t6 only (CHECK clobbers t6 only, and a0 on the
 * failure path). Printing preserves every register and needs a valid sp. */
#ifndef GUEST_TEST_H
#define GUEST_TEST_H

#include "riscv.h"

/* The exit code for a trap nobody expected; checks use 1..254. */
#define EXIT_UNEXPECTED_TRAP 255

/* Offsets into trap_state (rt.S), where the catchers record the last trap. */
#define TRAP_CAUSE  0
#define TRAP_EPC    4
#define TRAP_TVAL   8
#define TRAP_STATUS 12
#define TRAP_RESUME 16   /* where trap_catch continues, in M */
#define TRAP_COUNT  20
#define TRAP_SRESUME 24  /* where strap_catch continues, in S */
#define TRAP_SAVE   28
/* TRAP_CAUSE holds this until a catcher runs, so "no trap happened" fails a cause check. */
#define TRAP_NONE   0xdeadbeef

/* Starts the test body; the runtime prints `name` before jumping here. */
.macro TEST_BEGIN name
  .set .Lcheck_no, 0
  .pushsection .rodata
  .globl test_name
test_name:
  .asciz "\name"
  .popsection
  .text
  .globl test_main
test_main:
.endm

/* Ends the test body: every check passed. */
.macro TEST_END
  .if .Lcheck_no >= EXIT_UNEXPECTED_TRAP
  .error "too many checks: exit codes must stay below 255"
  .endif
  j test_pass
.endm

/* Prints a string literal; every register is preserved. */
.macro PUTS str
  .pushsection .rodata
.Lputs_str\@:
  .asciz "\str"
  .popsection
  addi sp, sp, -16
  sw ra, 12(sp)
  sw a0, 8(sp)
  la a0, .Lputs_str\@
  call put_str
  lw a0, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
.endm

/* Prints a register as 8 hex digits; every register is preserved (reg must not be sp). */
.macro PUTHEX reg
  addi sp, sp, -16
  sw ra, 12(sp)
  sw a0, 8(sp)
  mv a0, \reg
  call put_hex
  lw a0, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
.endm

/* One line per group of checks, so a failure's output shows where it happened. */
.macro GROUP name
  .pushsection .rodata
.Lgroup_str\@:
  .ascii "  \name"
  .byte 10, 0
  .popsection
  addi sp, sp, -16
  sw ra, 12(sp)
  sw a0, 8(sp)
  la a0, .Lgroup_str\@
  call put_str
  lw a0, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
.endm

/* Exits with a fresh check number unless reg == the constant val. */
.macro CHECK reg, val
  .set .Lcheck_no, .Lcheck_no + 1
  li t6, \val
  beq \reg, t6, .Lcheck_ok\@
  li a0, .Lcheck_no
  j test_fail
.Lcheck_ok\@:
.endm

/* As CHECK, comparing with the address of a label. */
.macro CHECK_ADDR reg, label
  .set .Lcheck_no, .Lcheck_no + 1
  la t6, \label
  beq \reg, t6, .Lcheck_ok\@
  li a0, .Lcheck_no
  j test_fail
.Lcheck_ok\@:
.endm

/* As CHECK, comparing two registers. */
.macro CHECK_REG reg, other
  .set .Lcheck_no, .Lcheck_no + 1
  beq \reg, \other, .Lcheck_ok\@
  li a0, .Lcheck_no
  j test_fail
.Lcheck_ok\@:
.endm

/* Fails unconditionally with a fresh check number (for paths that must not be reached). */
.macro CHECK_NEVER
  .set .Lcheck_no, .Lcheck_no + 1
  li a0, .Lcheck_no
  j test_fail
.endm

/* rd = op(a, b) for register-register instructions; clobbers a1-a3. */
.macro TEST_RR op, a, b, expected
  li a1, \a
  li a2, \b
  \op a3, a1, a2
  CHECK a3, \expected
.endm

/* rd = op(a, imm) for register-immediate instructions; clobbers a1, a3. */
.macro TEST_RI op, a, imm, expected
  li a1, \a
  \op a3, a1, \imm
  CHECK a3, \expected
.endm

/* Arms the one-shot M-mode trap catcher: the next trap (from any mode) is recorded in
 * trap_state and execution continues at `resume` in M-mode, with mstatus.MIE = 0. If no trap
 * comes, the code falls through to `resume` and TRAP_CHECK fails on the TRAP_NONE cause. */
.macro TRAP_EXPECT resume
  la t5, trap_state
  la t6, \resume
  sw t6, TRAP_RESUME(t5)
  li t6, TRAP_NONE
  sw t6, TRAP_CAUSE(t5)
  la t6, trap_catch
  csrw mtvec, t6
.endm

/* Disarms the catcher and checks the recorded cause. */
.macro TRAP_CHECK cause
  la t6, unexpected_trap
  csrw mtvec, t6
  la t5, trap_state
  lw t5, TRAP_CAUSE(t5)
  CHECK t5, \cause
.endm

/* Checks a recorded field (TRAP_TVAL, TRAP_EPC, ...) against a constant. */
.macro TRAP_CHECK_FIELD field, val
  la t5, trap_state
  lw t5, \field(t5)
  CHECK t5, \val
.endm

/* Checks a recorded field against a label's address. */
.macro TRAP_CHECK_FIELD_ADDR field, label
  la t5, trap_state
  lw t5, \field(t5)
  CHECK_ADDR t5, \label
.endm

/* Checks the privilege the trap came from (mstatus.MPP as the catcher saw it). */
.macro TRAP_CHECK_MPP mpp
  la t5, trap_state
  lw t5, TRAP_STATUS(t5)
  li t6, MSTATUS_MPP
  and t5, t5, t6
  CHECK t5, \mpp
.endm

/* The S-mode twin of TRAP_EXPECT: arms stvec with the S-mode catcher, which records scause,
 * sepc, stval, sstatus and continues at `resume` in S-mode with sstatus.SIE = 0. Use from
 * S-mode, or from M before descending, with the trap delegated. */
.macro STRAP_EXPECT resume
  la t5, trap_state
  la t6, \resume
  sw t6, TRAP_SRESUME(t5)
  li t6, TRAP_NONE
  sw t6, TRAP_CAUSE(t5)
  la t6, strap_catch
  csrw stvec, t6
.endm

/* Leaves M-mode for mode `mpp` (MSTATUS_MPP_S or MSTATUS_MPP_U) at `label` through mret. */
.macro MRET_TO mpp, label
  li t6, MSTATUS_MPP
  csrc mstatus, t6
  li t6, \mpp
  csrs mstatus, t6
  la t6, \label
  csrw mepc, t6
  mret
.endm

#endif
