// HTIF, the host-target interface of Spike and the upstream riscv-tests: the guest writes a
// command to the 64-bit `tohost` word and reads the answer from `fromhost`. Present when the ELF
// defines both symbols. Behaves as QEMU's HTIF: device 0 command 0 with payload bit 0 set exits
// with code payload >> 1; device 1 command 1 prints a character; a command fires when the high
// word of tohost is written (RV32 guests write the low word first).

import { PAGE_SHIFT, WATCH_LISTENER, type Ram } from '../memory/ram.js';
import type { CharSink } from '../host/ports.js';

export type HtifExit = { code: number };

const HTIF_DEV_SYSCALL = 0n;
const HTIF_DEV_CONSOLE = 1n;
const HTIF_CONSOLE_CMD_GETC = 0n;
const HTIF_CONSOLE_CMD_PUTC = 1n;
const PK_SYS_WRITE = 64n;

export class Htif {
  constructor(
    private readonly ram: Ram,
    private readonly tohost: number,
    private readonly fromhost: number,
    private readonly console: CharSink,
    private readonly onExit: (e: HtifExit) => void,
  ) {
    if (!ram.contains(tohost, 8) || !ram.contains(fromhost, 8) || tohost % 4 !== 0 || fromhost % 4 !== 0) {
      throw new Error(`tohost/fromhost (0x${tohost.toString(16)}, 0x${fromhost.toString(16)}) must be word-aligned and in RAM`);
    }
    ram.watch[(tohost - ram.base) >>> PAGE_SHIFT] |= WATCH_LISTENER;
  }

  /** Called after every guest store to a watched RAM page. */
  onStore(pa: number, size: number): void {
    const high = this.tohost + 4;
    if (pa < high + 4 && pa + size > high) this.command(this.read64(this.tohost));
  }

  private command(value: bigint): void {
    if (value === 0n) return;
    const device = value >> 56n;
    const cmd = (value >> 48n) & 0xffn;
    const payload = value & 0xffff_ffff_ffffn;
    let response = 0n;
    if (device === HTIF_DEV_SYSCALL && cmd === 0n) {
      if (payload & 1n) {
        this.onExit({ code: Number(payload >> 1n) });
        return;
      }
      // A proxied syscall: like QEMU, only a one-byte write to the console is served.
      if (this.ram.contains(Number(payload), 64)) {
        const which = this.read64(Number(payload));
        const fd = this.read64(Number(payload) + 8);
        const buf = Number(this.read64(Number(payload) + 16));
        const len = this.read64(Number(payload) + 24);
        if (which === PK_SYS_WRITE && fd === HTIF_DEV_CONSOLE && len === HTIF_CONSOLE_CMD_PUTC && this.ram.contains(buf, 1)) {
          this.console.write(this.ram.u8[buf - this.ram.base]);
          response = 0x100n | (payload & 0xffn);
        }
      }
    } else if (device === HTIF_DEV_CONSOLE && cmd === HTIF_CONSOLE_CMD_PUTC) {
      this.console.write(Number(payload & 0xffn));
      response = 0x100n | (payload & 0xffn);
    } else if (device === HTIF_DEV_CONSOLE && cmd === HTIF_CONSOLE_CMD_GETC) {
      // No console input through HTIF: the request is taken and never answered, as in QEMU.
      this.write64(this.tohost, 0n);
      return;
    }
    this.write64(this.fromhost, ((value >> 48n) << 48n) | response);
    this.write64(this.tohost, 0n);
  }

  private read64(pa: number): bigint {
    const i = (pa - this.ram.base) >>> 2;
    return (BigInt(this.ram.i32[i + 1] >>> 0) << 32n) | BigInt(this.ram.i32[i] >>> 0);
  }

  private write64(pa: number, v: bigint): void {
    this.ram.noteWrite(pa);
    const i = (pa - this.ram.base) >>> 2;
    this.ram.i32[i] = Number(v & 0xffff_ffffn) | 0;
    this.ram.i32[i + 1] = Number(v >> 32n) | 0;
  }
}
