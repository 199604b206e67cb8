// `rvreplay run <elf>`: boots the guest on the virt machine with the console on stdio, and exits
// with the guest's status. The loop runs the machine in slices and returns to Node's event loop
// between them, so stdin reaches the guest's UART while it runs.

import { setImmediate as yieldToHost } from 'node:timers/promises';
import { disassemble } from '../emu/cpu/disasm.js';
import { HostWallClock } from '../emu/host/host-wall-clock.js';
import { StdioCharBackend } from '../emu/host/stdio-chardev.js';
import { S_MIE } from '../emu/cpu/rv32-state.js';
import { DEFAULT_CONFIG, VirtMachine, type GuestImage } from '../emu/machine.js';
import { CliError } from './cli-error.js';
import { EXIT_BUDGET, EXIT_INTERRUPTED, EXIT_STUCK } from './exit-codes.js';
import { loadGuestFile } from './guest-file.js';
import { flagOption, integerOption, parseCommand, type CommandSpec } from './options.js';

/** Instructions per slice between visits to the host's event loop (tens of milliseconds). */
const SLICE = 4_000_000;

export const RUN_COMMAND: CommandSpec = {
  name: 'run',
  args: ['<elf>'],
  summary: [
    "Boots an RV32 ELF on QEMU's `virt` machine as `qemu-system-riscv32 -M virt -bios none -kernel <elf>`",
    'would: the guest UART is on stdin/stdout, and rvreplay exits with the guest\'s status (SiFive test',
    'finisher or HTIF tohost: 0 on pass, the guest\'s code on failure). On a terminal, Ctrl-A x quits.',
    '',
    'exit statuses of its own: 2 bad arguments or ELF, 124 instruction budget exhausted,',
    '125 the guest waits for an interrupt that can never come, 130 stopped by the user, 70 internal error.',
  ].join('\n'),
  options: [
    integerOption('ram', 'MiB', 'guest RAM size', 1, 2048, DEFAULT_CONFIG.ramMiB),
    integerOption('icount-shift', 'N', 'virtual time per instruction is 2^N ns (QEMU -icount shift=N)', 0, 10, DEFAULT_CONFIG.icountShift),
    integerOption('max-insns', 'N', 'stop after N instructions (exit status 124)', 1, Number.MAX_SAFE_INTEGER),
    flagOption('trace', 'print every instruction executed to stderr (icount, privilege, pc, disassembly)'),
    flagOption('stats', 'print instruction count, wall time, speed and peak memory to stderr at the end'),
  ],
};

export async function runCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseCommand(RUN_COMMAND, argv);
  const ramMiB = options.get('ram') as number;
  const config = { ...DEFAULT_CONFIG, ramMiB, icountShift: options.get('icount-shift') as number };
  const budget = (options.get('max-insns') as number | undefined) ?? Infinity;
  const trace = options.get('trace') === true;
  const image = loadGuestFile(positional[0]);

  const console = new StdioCharBackend(process.stdin, process.stdout);
  const wallClock = new HostWallClock();
  const boot = (): VirtMachine => {
    const m = new VirtMachine(config, { console, wallClock });
    loadInto(m, image, positional[0]);
    return m;
  };
  let machine = boot();
  const started = process.hrtime.bigint();
  let executedBefore = 0; // instructions of machines replaced by a guest-requested reset
  console.open();
  try {
    for (let sliceCount = 0; ; sliceCount++) {
      const executed = executedBefore + machine.icount;
      const target = machine.icount + Math.min(trace ? 1 : SLICE, budget - executed);
      if (trace) traceStep(machine);
      const reason = machine.run(target);
      console.deliver((b) => machine.uart.receive(b));
      if (!trace || sliceCount % 1024 === 0) console.flush();
      if (console.quitRequested) return finish(EXIT_INTERRUPTED, 'stopped by the user (Ctrl-A x)');
      if (reason === 'exit') {
        const exit = machine.exit!;
        if (exit.kind === 'reset') {
          executedBefore += machine.icount;
          machine = boot();
          continue;
        }
        return finish(exit.kind === 'pass' ? 0 : exit.code & 0xff);
      }
      if (executedBefore + machine.icount >= budget) {
        return finish(EXIT_BUDGET, `instruction budget of ${budget} exhausted at pc 0x${machine.cpu.pc.toString(16)}`);
      }
      if (reason === 'idle') {
        if (!console.inputOpen || !machine.externalInterruptsEnabled) {
          return finish(EXIT_STUCK,
            `the guest waits for an interrupt that can never come (WFI at pc 0x${(machine.cpu.pc - 4).toString(16)}, ` +
            `mie=0x${machine.cpu.s[S_MIE].toString(16)}, no timer armed${console.inputOpen ? ', external interrupts disabled' : ', no more input'})`);
        }
        await console.waitForInput();
        console.deliver((b) => machine.uart.receive(b));
        continue;
      }
      await yieldToHost();
    }
  } finally {
    console.close();
  }

  function finish(code: number, message?: string): number {
    console.flush();
    if (message !== undefined) process.stderr.write(`rvreplay: ${message}\n`);
    if (options.get('stats') === true) {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      const icount = executedBefore + machine.icount;
      const rssMiB = process.resourceUsage().maxRSS / 1024;
      process.stderr.write(
        `rvreplay: icount=${icount} wall_ms=${wallMs.toFixed(1)} mips=${(icount / wallMs / 1000).toFixed(1)} rss_mib=${rssMiB.toFixed(1)}\n`);
    }
    return code;
  }
}

function loadInto(machine: VirtMachine, image: GuestImage, path: string): void {
  try {
    machine.load(image);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
}

const PRIV_LETTER = ['U', 'S', '?', 'M'];

function traceStep(machine: VirtMachine): void {
  const cpu = machine.cpu;
  const pc = cpu.pc;
  const inst = cpu.inspectInstruction(pc);
  const text = inst === undefined ? '(fetch fault)' : disassemble(inst, pc).text.replace('\t', ' ');
  const raw = inst === undefined ? '' : inst.toString(16).padStart((inst & 3) === 3 ? 8 : 4, '0');
  process.stderr.write(`${machine.icount} ${PRIV_LETTER[cpu.priv]} ${pc.toString(16).padStart(8, '0')} ${raw.padEnd(8)} ${text}\n`);
}
