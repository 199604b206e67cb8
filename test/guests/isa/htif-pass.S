/* A guest in the riscv-tests convention, without the shared runtime: the test number lives in
 * gp, a failure writes (gp << 1) | 1 to tohost and a pass writes 1, each as two 32-bit stores
 * (low word, then high word). No console output. It passes: some arithmetic, a load/store
 * round trip and an ecall through mtvec and back. Runs on QEMU's spike board. */
#include "riscv.h"
#include "htif.h"

/* Test n: fail unless reg == val (val fits li; t6 is scratch). */
#define EXPECT(n, reg, val) li gp, n; li t6, val; bne reg, t6, fail

  .section .text.init
  .globl _start
_start:
  la t0, trap_vector
  csrw mtvec, t0
  li gp, 0

  li a0, 40
  li a1, 2
  add a2, a0, a1
  EXPECT(1, a2, 42)
  sub a2, a0, a1
  EXPECT(2, a2, 38)

  la a3, cell
  li a4, 0x1234abcd
  sw a4, 0(a3)
  lhu a5, 2(a3)
  EXPECT(3, a5, 0x1234)

  /* The handler returns past the ecall with a7 = mcause. */
  li a7, 0
  ecall
  EXPECT(4, a7, CAUSE_MACHINE_ECALL)

pass:
  li a0, 0
  HTIF_EXIT a0

fail:
  HTIF_EXIT gp

  .align 2
trap_vector:
  csrr a7, mcause
  li t6, CAUSE_MACHINE_ECALL
  bne a7, t6, fail
  csrr t6, mepc
  addi t6, t6, 4
  csrw mepc, t6
  mret

  .data
  .align 2
cell:
  .word 0

  HTIF_MAILBOXES
