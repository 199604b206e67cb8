/* Entry point of the benchmark guests: set a stack and a trap vector that fails loudly,
   zero .bss, run main, and leave through the test finisher with main's return value.
   Interrupts stay disabled unless a guest turns them on itself. */
	.file "start.S"
	.section .text.init, "ax"
	.globl _start
_start:
	csrw mie, zero
	csrw mstatus, zero
	la sp, __stack_top
	la t0, rt_trap_entry
	csrw mtvec, t0
	la t0, __bss_start
	la t1, __bss_end
1:	bgeu t0, t1, 2f
	sw zero, 0(t0)
	addi t0, t0, 4
	j 1b
2:	call main
	call rt_exit

/* An unexpected trap: report mcause/mepc/mtval from C and fail. Aligned for mtvec. */
	.align 2
	.globl rt_trap_entry
rt_trap_entry:
	la sp, __stack_top
	csrr a0, mcause
	csrr a1, mepc
	csrr a2, mtval
	call rt_unexpected_trap
