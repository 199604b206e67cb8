// QEMU as the reference: finds qemu-system-riscv32 and runs a guest on the virt board with the
// instruction counter as its clock (-icount shift=0: one instruction per virtual nanosecond),
// the same notion of time the emulator under test uses.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { BenchContext } from './case.js';
import { timedRun, type TimedRun } from './timed-run.js';

const QEMU_BINARY = 'qemu-system-riscv32';

/** --qemu, else $QEMU, else the first on PATH; undefined when there is none. */
export function findQemu(explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return isExecutable(explicit) ? explicit : undefined;
  const fromEnv = process.env.QEMU;
  if (fromEnv !== undefined && fromEnv !== '') return isExecutable(fromEnv) ? fromEnv : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, QEMU_BINARY);
    if (dir !== '' && isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function qemuArgs(elf: string): string[] {
  return ['-M', 'virt', '-bios', 'none', '-nographic', '-icount', 'shift=0', '-kernel', elf];
}

/** QEMU's record/replay modes (`-icount ...,rr=record|replay`). */
export type QemuRrMode = 'record' | 'replay';

/**
 * QEMU recording to, or replaying from, `rrfile` (docs/system/replay.rst). The guests have no
 * disks, so no blkreplay drive is needed; the monitor is off and the serial port goes straight to
 * stdio so the chardev QEMU records is the guest's UART alone. Replay must repeat the command line.
 */
export function qemuRrArgs(elf: string, mode: QemuRrMode, rrfile: string): string[] {
  return ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-icount', `shift=0,rr=${mode},rrfile=${rrfile}`, '-kernel', elf];
}

export function runQemu(ctx: BenchContext, qemuPath: string, elf: string): Promise<TimedRun> {
  return timedRun(qemuPath, qemuArgs(elf), { timeoutMs: ctx.timeoutMs });
}

/** One QEMU record or replay run; `timeoutMs` lets the caller bound a run that never ends. */
export function runQemuRr(qemuPath: string, elf: string, mode: QemuRrMode, rrfile: string, timeoutMs: number): Promise<TimedRun> {
  return timedRun(qemuPath, qemuRrArgs(elf, mode, rrfile), { timeoutMs });
}
