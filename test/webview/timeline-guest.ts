// The guest the timeline tests record: a little of everything a lane shows. Timer interrupts
// print '.', a busy main loop takes an ecall exception now and then (printing '!'), then the
// guest sleeps and echoes what is typed from its UART interrupt until it reads 'q'. Recorded
// with the CLI as a user would, with typed input and a boot snapshot.

import { join } from 'node:path';
import { buildAsmGuest, runCli } from '../support/cli.js';
import { FINISHER, UART, UART_RX_IRQ_SETUP } from '../support/guests.js';

const CLINT_MTIMECMP = 0x0200_4000;
const CLINT_MTIME = 0x0200_bff8;
/** mtime ticks between timer interrupts (100 instructions each at icount shift 0). */
const PERIOD = 2500;
const TICKS = 60;
/** The main loop: ROUNDS ecalls, 2 × SPIN instructions apart (16 M instructions in all, a few
 * tenths of a second, so typed input lands while it runs). */
const ROUNDS = 40;
const SPIN = 200_000;

export const TIMELINE_GUEST = `
  .globl _start
_start:
  la t0, trap
  csrw mtvec, t0
${UART_RX_IRQ_SETUP}  li t0, ${CLINT_MTIME}
  lw t1, 0(t0)
  li t2, ${PERIOD}
  add t1, t1, t2
  li t0, ${CLINT_MTIMECMP}
  sw t1, 0(t0)
  sw zero, 4(t0)
  li t1, (1 << 7) | (1 << 11)  # mie.MTIE | mie.MEIE
  csrw mie, t1
  csrsi mstatus, 8             # mstatus.MIE
  li s1, ${ROUNDS}
main:                          # main uses t1, t2 and s1 only; the handler uses a0-a5 and a7
  li t1, ${SPIN}
1:
  addi t1, t1, -1
  bnez t1, 1b
  ecall
  addi s1, s1, -1
  bnez s1, main
idle:
  wfi
  j idle

  .balign 4
trap:
  csrr a0, mcause
  bltz a0, interrupt
  csrr a1, mepc                # an ecall: step over it and say so
  addi a1, a1, 4
  csrw mepc, a1
  li a2, ${UART}
  li a3, '!'
  sb a3, 0(a2)
  mret
interrupt:
  andi a0, a0, 0xff
  li a1, 7
  beq a0, a1, timer
  li a1, 0x0c200004
  lw a2, 0(a1)                 # claim
  li a3, ${UART}
more:
  lbu a4, 5(a3)
  andi a4, a4, 1               # LSR.DR
  beqz a4, done
  lbu a5, 0(a3)
  li a4, 'q'
  beq a5, a4, quit
  sb a5, 0(a3)
  j more
done:
  sw a2, 0(a1)                 # complete
  mret
quit:
  li a1, ${FINISHER}
  li a2, 0x5555
  sw a2, 0(a1)
  j quit
timer:
  li a2, ${UART}
  li a3, '.'
  sb a3, 0(a2)
  addi a7, a7, 1
  li a1, ${TICKS}
  bge a7, a1, stop
  li a1, ${CLINT_MTIME}
  lw a2, 0(a1)
  li a3, ${PERIOD}
  add a2, a2, a3
  li a1, ${CLINT_MTIMECMP}
  sw a2, 0(a1)
  mret
stop:
  li a1, ${CLINT_MTIMECMP}
  li a2, -1
  sw a2, 4(a1)
  sw a2, 0(a1)
  mret
`;

export interface TimelineRecording {
  elf: string;
  log: string;
  /** What the guest wrote on its serial port while recording (the captured output). */
  stdout: string;
}

/** Builds the guest in `dir` and records it with typed input; throws if the recording fails. */
export async function recordTimelineGuest(dir: string): Promise<TimelineRecording> {
  const elf = buildAsmGuest(dir, 'timeline', TIMELINE_GUEST);
  const log = join(dir, 'timeline.rr');
  const rec = await runCli(['record', elf, '--rrfile', log, '--rrsnapshot', 'boot'], {
    chunks: [{ delayMs: 100, text: 'he' }, { delayMs: 150, text: 'llo' }, { delayMs: 150, text: 'q' }],
  });
  if (rec.status !== 0) throw new Error(`recording the timeline guest failed (${rec.status}): ${rec.stderr}`);
  return { elf, log, stdout: rec.stdout };
}
