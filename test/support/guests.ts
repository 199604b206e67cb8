// Small bare-metal guests, as assembly text, shared by the CLI tests: each exercises one thing a
// user's guest does (echo serial input from an interrupt handler, read the wall clock, spin).

export const UART = 0x1000_0000;
export const FINISHER = 0x10_0000;
export const RTC = 0x10_1000;

/**
 * Routes the UART's receive interrupt to the hart's M context: PLIC source 10 at priority 1,
 * enabled, threshold 0, and the UART's IER set for received data (clobbers t0, t1).
 */
export const UART_RX_IRQ_SETUP = `
  li t0, 0x0c000000 + 4 * 10   # PLIC priority of the UART
  li t1, 1
  sw t1, 0(t0)
  li t0, 0x0c002000            # enable source 10 for context 0 (M)
  li t1, 1 << 10
  sw t1, 0(t0)
  li t0, 0x0c200000            # threshold 0
  sw zero, 0(t0)
  li t0, ${UART}
  li t1, 1                     # IER: received data available
  sb t1, 1(t0)
`;

/** Echoes UART input from its interrupt handler (PLIC source 10, M context) until it reads 'q'. */
export const ECHO_IRQ = `
  .globl _start
_start:
  la t0, trap
  csrw mtvec, t0
${UART_RX_IRQ_SETUP}  li t1, 1 << 11               # mie.MEIE
  csrw mie, t1
  csrsi mstatus, 8             # mstatus.MIE
idle:
  wfi
  j idle
  .balign 4
trap:
  li t0, 0x0c200004
  lw t2, 0(t0)                 # claim
  li t3, ${UART}
more:
  lbu t4, 5(t3)
  andi t4, t4, 1               # LSR.DR
  beqz t4, done
  lbu t5, 0(t3)
  li t6, 'q'
  beq t5, t6, quit
  sb t5, 0(t3)
  j more
done:
  sw t2, 0(t0)                 # complete
  mret
quit:
  li t0, ${FINISHER}
  li t1, 0x5555
  sw t1, 0(t0)
  j quit
`;

/** put_hex: prints a1 as 8 hex digits on the UART (clobbers a0, a1, t0, t2, t3). */
const PUT_HEX = `
hex:
  li t0, ${UART}
  li t2, 8
2:
  srli a0, a1, 28
  slli a1, a1, 4
  addi a0, a0, '0'
  li t3, '9'
  ble a0, t3, 3f
  addi a0, a0, 'a' - '9' - 1
3:
  sb a0, 0(t0)
  addi t2, t2, -1
  bnez t2, 2b
  ret
`;

/** Spins 100,000 instructions, prints the time CSR in hex, and passes. */
export const READ_TIME = `
  .globl _start
_start:
  li t0, 50000
1:
  addi t0, t0, -1
  bnez t0, 1b
  rdtime a1
  call hex
  li t0, ${FINISHER}
  li t1, 0x5555
  sw t1, 0(t0)
  j .
${PUT_HEX}`;

/** Reads the Goldfish RTC three times, a little apart, prints the values in hex, and passes. */
export const READ_RTC = `
  .globl _start
_start:
  li s0, 3
again:
  li t0, ${RTC}
  lw a1, 0(t0)                 # TIME_LOW (latches TIME_HIGH)
  lw a2, 4(t0)                 # TIME_HIGH
  mv a3, a1
  mv a1, a2
  call hex
  mv a1, a3
  call hex
  li t0, ${UART}
  li a0, 10
  sb a0, 0(t0)
  li t1, 20000
1:
  addi t1, t1, -1
  bnez t1, 1b
  addi s0, s0, -1
  bnez s0, again
  li t0, ${FINISHER}
  li t1, 0x5555
  sw t1, 0(t0)
  j .
${PUT_HEX}`;

/** Prints a dot every so often, forever. */
export const TICKER = `
  .globl _start
_start:
  li t0, ${UART}
  li a0, '.'
1:
  sb a0, 0(t0)
  li t1, 200000
2:
  addi t1, t1, -1
  bnez t1, 2b
  j 1b
`;
