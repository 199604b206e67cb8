/* HTIF in the riscv-tests convention, shared by io-htif.S and the bare HTIF guests: the
 * tohost/fromhost mailboxes (8 bytes each, as QEMU's spike board requires to find them) and the
 * exit sequences. On RV32 a 64-bit tohost command is two stores, low word first: the host acts
 * when the high word is written. */
#ifndef GUEST_HTIF_H
#define GUEST_HTIF_H

/* Command word: device in bits 63:56, command in 55:48, payload below. */
#define HTIF_DEV_CONSOLE 1
#define HTIF_CMD_PUTC    1
#define HTIF_CONSOLE_PUTC_HI ((HTIF_DEV_CONSOLE << 24) | (HTIF_CMD_PUTC << 16))

/* tohost = (status << 1) | 1 on device 0: status 0 passes. Clobbers t0, t1; never returns. */
.macro HTIF_EXIT status_reg
  fence
  la t0, tohost
  slli t1, \status_reg, 1
  ori t1, t1, 1
  sw t1, 0(t0)
  sw zero, 4(t0)
.Lhtif_exit_spin\@:
  j .Lhtif_exit_spin\@
.endm

.macro HTIF_MAILBOXES
  .pushsection .tohost, "aw", @progbits
  .align 6
  .globl tohost
tohost:
  .dword 0
  .size tohost, 8
  .align 6
  .globl fromhost
fromhost:
  .dword 0
  .size fromhost, 8
  .popsection
.endm

#endif
