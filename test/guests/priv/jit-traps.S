/* Traps from code hot enough to be compiled: a loop that writes registers and then makes a load
 * and a store to an address with nothing there (access faults), thousands of times. The handler
 * adds what it finds in a register the loop wrote just before the faulting instruction, so a
 * trap must see every register as the instructions before it left them, whatever the engine
 * keeps where while it runs. */
#include "test.h"

#define NOWHERE    0xf0000000  /* no memory and no device: loads and stores fault */
#define ITERATIONS 4000        /* ~40,000 instructions: the loop's page gets compiled early on */

TEST_BEGIN "priv-jit-traps"

  GROUP "load and store access faults in a hot loop"
  la t0, add_a4_and_skip
  csrw mtvec, t0
  li s0, 0                  /* iteration */
  li s1, ITERATIONS
  li s2, 0                  /* the sum the handler saw */
  li s3, 0                  /* the sum the loop made */
  li s4, 0                  /* faults taken */
  li a5, NOWHERE
1:
  addi a4, s0, 7            /* written just before the load that faults */
  slli a4, a4, 3
  add s3, s3, a4
  lw a6, 0(a5)
  xori a4, a4, 0x55         /* and again before the store */
  add s3, s3, a4
  sw a6, 4(a5)
  addi s0, s0, 1
  bne s0, s1, 1b
  CHECK_REG s2, s3
  CHECK s4, 2 * ITERATIONS
  la t0, unexpected_trap
  csrw mtvec, t0

TEST_END

/* Counts the fault, adds a4 to s2 and goes on after the faulting (4-byte) instruction. */
  .align 2
add_a4_and_skip:
  csrr t0, mcause
  addi t0, t0, -CAUSE_LOAD_ACCESS
  beqz t0, 2f
  csrr t0, mcause
  addi t0, t0, -CAUSE_STORE_ACCESS
  bnez t0, unexpected_trap
2:
  add s2, s2, a4
  addi s4, s4, 1
  csrr t0, mepc
  addi t0, t0, 4
  csrw mepc, t0
  mret
