/* Board I/O for guests that use HTIF (QEMU's spike board) instead of the virt board's UART
 * and finisher: console bytes and the exit status go through tohost/fromhost (htif.h). */
#include "riscv.h"
#include "htif.h"

  .text

/* io_putc(a0 = byte): one console request, then wait for the host's answer in fromhost and
 * clear it so the next request can be answered. Clobbers t0, t1. */
  .globl io_putc
io_putc:
  la t0, tohost
  andi t1, a0, 0xff
  sw t1, 0(t0)
  li t1, HTIF_CONSOLE_PUTC_HI
  sw t1, 4(t0)
  la t0, fromhost
1:
  lw t1, 0(t0)
  bnez t1, 2f
  lw t1, 4(t0)
  beqz t1, 1b
2:
  sw zero, 0(t0)
  sw zero, 4(t0)
  ret

/* io_exit(a0 = status): never returns. */
  .globl io_exit
io_exit:
  HTIF_EXIT a0

  HTIF_MAILBOXES
