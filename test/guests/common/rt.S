/* Runtime shared by the assembly guests: reset entry, printing, pass/fail exits, the
 * unexpected-trap reporter and the one-shot trap catchers used by TRAP_EXPECT/STRAP_EXPECT.
 * The board-specific character output and exit live in io-virt.S or io-htif.S (io_putc,
 * io_exit), so the same tests run on QEMU's virt (UART, finisher) and spike (HTIF) boards. */
#include "test.h"

  .section .text.init
  .globl _start
_start:
  /* Keep what the boot left in a0 (hart id) and a1 (device tree) for priv-boot to check. */
  la t0, boot_a0
  sw a0, 0(t0)
  sw a1, 4(t0)
  la sp, _stack_top
  la t0, unexpected_trap
  csrw mtvec, t0
  /* With PMP implemented and no entry matching, S and U may touch nothing (QEMU 7.2 even
   * refuses an mret to S or U then, as an illegal instruction); open all memory to them
   * through entry 0, NAPOT over the whole address space, so privilege tests can run. */
  li t0, -1
  csrw pmpaddr0, t0
  li t0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
  csrw pmpcfg0, t0
  la a0, test_name
  call put_str
  li a0, '\n'
  call put_char
  j test_main

  .text

/* put_char(a0 = byte): preserves every register but ra. */
  .globl put_char
put_char:
  addi sp, sp, -16
  sw ra, 12(sp)
  sw t0, 8(sp)
  sw t1, 4(sp)
  call io_putc
  lw t1, 4(sp)
  lw t0, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
  ret

/* put_str(a0 = NUL-terminated string): preserves every register but ra. */
  .globl put_str
put_str:
  addi sp, sp, -16
  sw ra, 12(sp)
  sw a0, 8(sp)
  sw s0, 4(sp)
  mv s0, a0
1:
  lbu a0, 0(s0)
  beqz a0, 2f
  call put_char
  addi s0, s0, 1
  j 1b
2:
  lw s0, 4(sp)
  lw a0, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
  ret

/* put_hex(a0 = value): 8 lower-case hex digits; preserves every register but ra. */
  .globl put_hex
put_hex:
  addi sp, sp, -32
  sw ra, 28(sp)
  sw a0, 24(sp)
  sw s0, 20(sp)
  sw s1, 16(sp)
  sw t0, 12(sp)
  mv s0, a0
  li s1, 8
1:
  srli a0, s0, 28
  slli s0, s0, 4
  addi a0, a0, '0'
  li t0, '9'
  ble a0, t0, 2f
  addi a0, a0, 'a' - '0' - 10
2:
  call put_char
  addi s1, s1, -1
  bnez s1, 1b
  lw t0, 12(sp)
  lw s1, 16(sp)
  lw s0, 20(sp)
  lw a0, 24(sp)
  lw ra, 28(sp)
  addi sp, sp, 32
  ret

/* put_dec(a0 = value below 1000): decimal without leading zeros, by repeated subtraction so
 * the failure path does not depend on the M extension. Clobbers t0-t2 and a0. */
put_dec:
  addi sp, sp, -16
  sw ra, 12(sp)
  sw s0, 8(sp)
  sw s1, 4(sp)
  mv s0, a0
  li s1, 0            /* set once a digit has been printed */
  li t2, 100
  call 3f
  li t2, 10
  call 3f
  li s1, 1            /* the ones digit is always printed */
  li t2, 1
  call 3f
  lw s1, 4(sp)
  lw s0, 8(sp)
  lw ra, 12(sp)
  addi sp, sp, 16
  ret
3:                    /* one digit of s0 at weight t2 */
  li a0, '0'
4:
  bltu s0, t2, 5f
  sub s0, s0, t2
  addi a0, a0, 1
  j 4b
5:
  li t0, '0'
  bne a0, t0, 6f
  beqz s1, 7f
6:
  li s1, 1
  addi sp, sp, -16
  sw ra, 12(sp)
  call put_char
  lw ra, 12(sp)
  addi sp, sp, 16
7:
  ret

  .globl test_pass
test_pass:
  la a0, .Lpass_str
  call put_str
  li a0, 0
  j io_exit

/* test_fail(a0 = check number): prints "FAIL <n>" and exits with n. */
  .globl test_fail
test_fail:
  mv s0, a0
  la a0, .Lfail_str
  call put_str
  mv a0, s0
  call put_dec
  li a0, '\n'
  call put_char
  mv a0, s0
  j io_exit

/* Any trap nobody armed a catcher for: report it and exit with EXIT_UNEXPECTED_TRAP. */
  .align 2
  .globl unexpected_trap
unexpected_trap:
  la sp, _stack_top
  li t0, MSTATUS_MPRV
  csrc mstatus, t0
  la a0, .Lunexpected_str
  call put_str
  csrr a0, mcause
  call put_hex
  la a0, .Lmepc_str
  call put_str
  csrr a0, mepc
  call put_hex
  la a0, .Lmtval_str
  call put_str
  csrr a0, mtval
  call put_hex
  li a0, '\n'
  call put_char
  li a0, EXIT_UNEXPECTED_TRAP
  j io_exit

/* M-mode catcher armed by TRAP_EXPECT: records the trap, disarms itself and continues at
 * trap_state.resume in M-mode with MIE = 0 (MPIE cleared, so a still-pending interrupt cannot
 * re-enter) and MPRV cleared (so the resumed code sees physical memory). Uses mscratch as
 * scratch, so tests cannot keep a value there across a trap. */
  .align 2
  .globl trap_catch
trap_catch:
  csrw mscratch, t0
  la t0, trap_state
  sw t1, TRAP_SAVE(t0)
  csrr t1, mcause
  sw t1, TRAP_CAUSE(t0)
  csrr t1, mepc
  sw t1, TRAP_EPC(t0)
  csrr t1, mtval
  sw t1, TRAP_TVAL(t0)
  csrr t1, mstatus
  sw t1, TRAP_STATUS(t0)
  lw t1, TRAP_COUNT(t0)
  addi t1, t1, 1
  sw t1, TRAP_COUNT(t0)
  lw t1, TRAP_RESUME(t0)
  csrw mepc, t1
  la t1, unexpected_trap
  csrw mtvec, t1
  li t1, MSTATUS_MPP
  csrs mstatus, t1
  li t1, MSTATUS_MPRV | MSTATUS_MPIE
  csrc mstatus, t1
  lw t1, TRAP_SAVE(t0)
  csrr t0, mscratch
  mret

/* S-mode catcher armed by STRAP_EXPECT: records scause/sepc/stval/sstatus and continues at
 * trap_state.resume in S-mode with SIE = 0. Uses sscratch as scratch. Runs with whatever
 * translation S has, so trap_state must be reachable (the paging tests identity-map RAM). */
  .align 2
  .globl strap_catch
strap_catch:
  csrw sscratch, t0
  la t0, trap_state
  sw t1, TRAP_SAVE(t0)
  csrr t1, scause
  sw t1, TRAP_CAUSE(t0)
  csrr t1, sepc
  sw t1, TRAP_EPC(t0)
  csrr t1, stval
  sw t1, TRAP_TVAL(t0)
  csrr t1, sstatus
  sw t1, TRAP_STATUS(t0)
  lw t1, TRAP_COUNT(t0)
  addi t1, t1, 1
  sw t1, TRAP_COUNT(t0)
  lw t1, TRAP_SRESUME(t0)
  csrw sepc, t1
  li t1, MSTATUS_SPP
  csrs sstatus, t1
  li t1, MSTATUS_SPIE
  csrc sstatus, t1
  lw t1, TRAP_SAVE(t0)
  csrr t0, sscratch
  sret

  .section .rodata
.Lpass_str:      .asciz "PASS\n"
.Lfail_str:      .asciz "FAIL "
.Lunexpected_str: .asciz "unexpected trap: mcause="
.Lmepc_str:      .asciz " mepc="
.Lmtval_str:     .asciz " mtval="

  .data
  .align 4
  .globl trap_state
trap_state:
  .word TRAP_NONE   /* TRAP_CAUSE */
  .word 0           /* TRAP_EPC */
  .word 0           /* TRAP_TVAL */
  .word 0           /* TRAP_STATUS */
  .word 0           /* TRAP_RESUME */
  .word 0           /* TRAP_COUNT */
  .word 0           /* TRAP_SRESUME */
  .word 0           /* TRAP_SAVE */

  .data
  .balign 4
  .globl boot_a0
boot_a0:
  .word 0, 0
