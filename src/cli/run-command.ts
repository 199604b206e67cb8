// `rvreplay run <elf>`: boots the guest on the virt machine with its UART on the --serial backend
// (stdio by default), and exits with the guest's status. Nothing is recorded.

import type { CharBackend } from '../emu/host/char-backend.js';
import { HostEntropy } from '../emu/host/host-entropy.js';
import { HostWallClock } from '../emu/host/host-wall-clock.js';
import { DEFAULT_CONFIG, VirtMachine, type MachineConfig } from '../emu/machine.js';
import { crossCheck } from './cross-check.js';
import { loadGuestFile, loadInto } from './guest-file.js';
import { DEVICE_OPTIONS, LiveDevices, virtioLayout } from './host-devices.js';
import { runLive } from './live-loop.js';
import { flagOption, integerOption, parseCommand, type CommandSpec, type OptionSpec } from './options.js';
import { openSerial, parseSerialSpec, SERIAL_HELP, SERIAL_OPTION } from './serial-spec.js';
import { SNAPSHOT_OPTIONS, checkSaveAfterStart, noteUnsaved, parseSaveSnapshot, saveSnapshotNow, startFromSnapshot } from './snapshot-options.js';

/** Every instruction in the interpreter, the reference (hot code is compiled otherwise; both do the same). */
export const INTERPRET_OPTION = flagOption('interpret', 'run every instruction in the interpreter (the reference) instead of compiling hot code; slower, same results');

/** Options every command that boots a guest shares. */
export const MACHINE_OPTIONS: OptionSpec<unknown>[] = [
  integerOption('ram', 'MiB', 'guest RAM size', 1, 2048, DEFAULT_CONFIG.ramMiB),
  integerOption('icount-shift', 'N', 'virtual time per instruction is 2^N ns (QEMU -icount shift=N)', 0, 10, DEFAULT_CONFIG.icountShift),
  ...DEVICE_OPTIONS,
  flagOption('virtio-modern', "virtio-mmio transports of version 2 (QEMU's -global virtio-mmio.force-legacy=false), not 1"),
  INTERPRET_OPTION,
];

/** The machine the MACHINE_OPTIONS describe. */
export function machineConfigFrom(options: Map<string, unknown>): MachineConfig {
  return {
    ...DEFAULT_CONFIG,
    ramMiB: options.get('ram') as number,
    icountShift: options.get('icount-shift') as number,
    devices: virtioLayout(options),
    virtioLegacy: options.get('virtio-modern') !== true,
    execution: options.get('interpret') === true ? 'interpreted' : 'compiled',
  };
}

export const SESSION_OPTIONS: OptionSpec<unknown>[] = [
  integerOption('max-insns', 'N', 'stop after N instructions (exit status 124)', 1, Number.MAX_SAFE_INTEGER),
  flagOption('trace', 'print every instruction executed to stderr (icount, privilege, pc, disassembly)'),
  flagOption('stats', 'print instruction count, wall time, speed and peak memory to stderr at the end'),
  SERIAL_OPTION,
];

export const RUN_COMMAND: CommandSpec = {
  name: 'run',
  args: ['<elf>'],
  summary: [
    "Boots an RV32 ELF on QEMU's `virt` machine as `qemu-system-riscv32 -M virt -bios none -kernel <elf>`",
    'would: the guest UART is on stdin/stdout (or --serial), and rvreplay exits with the guest\'s status',
    '(SiFive test finisher or HTIF tohost: 0 on pass, the guest\'s code on failure). On a terminal,',
    'Ctrl-A x quits.',
    '',
    SERIAL_HELP,
    '',
    'exit statuses of its own: 2 bad arguments or ELF, 124 instruction budget exhausted,',
    '125 the guest waits for an interrupt that can never come, 130 stopped by the user, 70 internal error,',
    '122 (--cross-check) compiled code and the interpreter differ.',
  ].join('\n'),
  options: [...MACHINE_OPTIONS, ...SESSION_OPTIONS, ...SNAPSHOT_OPTIONS,
    flagOption('cross-check', 'run the guest interpreted (the reference) and compiled side by side, comparing their whole state, and name the first instruction after which they differ; no input, the output not shown')],
};

export async function runCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseCommand(RUN_COMMAND, argv);
  const config = machineConfigFrom(options);
  if (options.get('cross-check') === true) return crossCheck(loadGuestFile(positional[0]), config, options);
  const serial = options.get('serial') as string;
  const console = parseSerialSpec(serial);
  const guest = loadGuestFile(positional[0]);
  const wallClock = new HostWallClock();
  const entropy = new HostEntropy();
  const devices = new LiveDevices(config.devices!, options);
  const boot = (): VirtMachine => {
    devices.restart(); // completions for the machine being replaced are dropped
    const m = new VirtMachine(config, { console, wallClock, entropy, ...devices.ports });
    loadInto(m, guest);
    return m;
  };
  let machine = boot();
  const fromSnapshot = options.get('from-snapshot') as string | undefined;
  if (fromSnapshot !== undefined) startFromSnapshot(machine, fromSnapshot, guest);
  const save = parseSaveSnapshot(options.get('save-snapshot') as string | undefined);
  checkSaveAfterStart(save, machine.icount);
  try {
    await devices.open();
    await openSerial(console, serial);
    return await runLive({
      get machine() {
        return machine;
      },
      reset: () => {
        machine = boot(); // as QEMU's system reset: the image is loaded again (icount restarts)
        return true;
      },
      run: (limit) => machine.run(limit),
      checkpoint: (c) => deliverHostInput(machine, c, devices),
    }, {
      budget: (options.get('max-insns') as number | undefined) ?? Infinity,
      trace: options.get('trace') === true,
      stats: options.get('stats') === true,
      console,
      devices,
      pauseAt: save && { icount: save.icount, action: () => saveSnapshotNow(machine, save, guest), unreached: (end) => noteUnsaved(save, end) },
    });
  } finally {
    await devices.close();
    await console.close();
  }
}

/** A plain run's checkpoint: waiting serial bytes and device completions go in now; true if any did. */
export function deliverHostInput(machine: VirtMachine, console: CharBackend, devices: LiveDevices): boolean {
  let bytes = 0;
  console.deliver((b) => {
    const taken = machine.uart.receive(b);
    if (taken) bytes++;
    return taken;
  });
  return devices.queue.deliver(machine).length > 0 || bytes > 0;
}
