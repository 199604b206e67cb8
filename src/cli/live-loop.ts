// The loop of a live session (`run`, and `record`): runs the machine in slices and returns to
// Node's event loop between them, so host input (from the --serial backend) reaches the guest's
// UART while it runs; ends with the guest's status, or one of rvreplay's own when the budget runs
// out, the guest can never wake, the user quits or a signal arrives. What differs between a plain
// run and a recording is the driver: how a slice runs and how input is delivered.

import { setImmediate as yieldToHost } from 'node:timers/promises';
import { disassemble } from '../emu/cpu/disasm.js';
import { S_MIE } from '../emu/cpu/rv32-state.js';
import type { CharBackend } from '../emu/host/char-backend.js';
import type { StopReason, VirtMachine } from '../emu/machine.js';
import { EXIT_BUDGET, EXIT_INTERRUPTED, EXIT_STUCK } from './exit-codes.js';

/** Instructions per slice between visits to the host's event loop (tens of milliseconds). */
const SLICE = 4_000_000;
/** A shorter slice while host I/O is in flight, so its completion is delivered soon after it comes. */
const SLICE_WHILE_BUSY = 20_000;

/** How a session ended, for the driver to note (a recorder logs it). */
export type LiveEnd = 'exit' | 'budget' | 'stuck' | 'user' | 'signal';

export interface LiveDriver {
  /** The machine now (a reset may replace it). */
  readonly machine: VirtMachine;
  /** The guest asked for a reset: start again on a new machine, or return false if unsupported. */
  reset?(): boolean;
  run(limit: number): StopReason;
  /** A checkpoint: hands waiting host input (serial bytes, the async queue's) to the guest now; true if any went in. */
  checkpoint(console: CharBackend): boolean;
  /** Called between slices (a recorder flushes its log now and then). */
  between?(): void;
  end?(how: LiveEnd): void;
}

export interface LiveOptions {
  budget: number;
  trace: boolean;
  stats: boolean;
  console: CharBackend;
  /** The host side of the virtio devices, whose input may wake an idle guest. */
  devices?: { readonly inputOpen: boolean; readonly busy: boolean; wait(): Promise<void> };
  /** Set by a signal handler: the session ends at the next slice boundary. */
  signalled?: () => boolean;
  /** Resolves when a signal arrives, so a guest idle until input comes can be stopped too. */
  signal?: Promise<void>;
  /** Something to do at exactly this icount (save a snapshot), once; `unreached` if the run ends first. */
  pauseAt?: { icount: number; action(): void; unreached(endIcount: number): void };
}

export async function runLive(driver: LiveDriver, o: LiveOptions): Promise<number> {
  const started = process.hrtime.bigint();
  const { console } = o;
  let executedBefore = 0; // instructions of machines a reset replaced
  let pause = o.pauseAt;
  for (let slice = 0; ; slice++) {
    const machine = driver.machine;
    const sliceLength = o.trace ? 1 : o.devices?.busy ? SLICE_WHILE_BUSY : SLICE;
    let target = machine.icount + Math.min(sliceLength, o.budget - executedBefore - machine.icount);
    if (pause !== undefined && machine.icount === pause.icount) {
      pause.action();
      pause = undefined;
    }
    if (pause !== undefined && pause.icount > machine.icount) target = Math.min(target, pause.icount);
    // Input goes in before the slice, so a slice that ends idle has seen every byte delivered:
    // the guest has handled the last byte of input that has ended before it counts as stuck.
    driver.checkpoint(console);
    if (o.trace) traceStep(machine);
    const reason = driver.run(target);
    if (!o.trace || slice % 1024 === 0) console.flush();
    driver.between?.();
    if (console.quitRequested) return finish('user', EXIT_INTERRUPTED, 'stopped by the user (Ctrl-A x)');
    if (o.signalled?.()) return finish('signal', EXIT_INTERRUPTED, 'stopped by a signal');
    if (reason === 'exit') {
      const exit = machine.exit!;
      if (exit.kind === 'reset') {
        executedBefore += machine.icount;
        if (driver.reset?.()) continue;
        return finish('exit', EXIT_INTERRUPTED, 'the guest asked for a reset, which a recording cannot follow yet');
      }
      return finish('exit', exit.kind === 'pass' ? 0 : exit.code & 0xff);
    }
    if (executedBefore + machine.icount >= o.budget) {
      return finish('budget', EXIT_BUDGET, `instruction budget of ${o.budget} exhausted at pc 0x${machine.cpu.pc.toString(16)}`);
    }
    if (reason === 'idle') {
      const inputMayCome = console.inputOpen || (o.devices?.inputOpen ?? false);
      if (!inputMayCome || !machine.externalInterruptsEnabled) {
        return finish('stuck', EXIT_STUCK,
          `the guest waits for an interrupt that can never come (WFI at pc 0x${(machine.cpu.pc - 4).toString(16)}, ` +
          `mie=0x${machine.cpu.s[S_MIE].toString(16)}, no timer armed${inputMayCome ? ', external interrupts disabled' : ', no more input'})`);
      }
      // Input held back for want of a buffer may fit now that the guest has posted more.
      if (driver.checkpoint(console)) continue;
      const wakers: Promise<void>[] = [];
      if (console.inputOpen) wakers.push(console.waitForInput());
      if (o.devices?.inputOpen) wakers.push(o.devices.wait());
      if (o.signal !== undefined) wakers.push(o.signal);
      await Promise.race(wakers);
      continue;
    }
    await yieldToHost();
  }

  function finish(how: LiveEnd, code: number, message?: string): number {
    console.flush();
    driver.end?.(how);
    if (message !== undefined) process.stderr.write(`rvreplay: ${message}\n`);
    pause?.unreached(executedBefore + driver.machine.icount);
    if (o.stats) printStats(executedBefore + driver.machine.icount, started);
    return code;
  }
}

export function printStats(icount: number, started: bigint): void {
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  process.stderr.write(
    `rvreplay: icount=${icount} wall_ms=${wallMs.toFixed(1)} mips=${(icount / wallMs / 1000).toFixed(1)} rss_mib=${rssMiB.toFixed(1)}\n`);
}

const PRIV_LETTER = ['U', 'S', '?', 'M'];

export function traceStep(machine: VirtMachine): void {
  const cpu = machine.cpu;
  const pc = cpu.pc;
  const inst = cpu.inspectInstruction(pc);
  const text = inst === undefined ? '(fetch fault)' : disassemble(inst, pc).text.replace('\t', ' ');
  const raw = inst === undefined ? '' : inst.toString(16).padStart((inst & 3) === 3 ? 8 : 4, '0');
  process.stderr.write(`${machine.icount} ${PRIV_LETTER[cpu.priv]} ${pc.toString(16).padStart(8, '0')} ${raw.padEnd(8)} ${text}\n`);
}
