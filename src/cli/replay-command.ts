// `rvreplay replay <elf> --rrfile F`: reproduces a recorded run from its log alone (QEMU's
// -icount rr=replay): no host input reaches the guest (not stdin, not a serial client, not the
// host clock). The guest's serial output goes to stdout, or where --serial says (nowhere, a TCP
// client) whatever the recording used, and the exit status is the recorded run's. Before anything
// runs, the log must agree with the guest image, the machine and this rvreplay's state layout;
// while it runs, the machine must do what the log says, or replay stops at the first difference
// (status 122).

import { setImmediate as yieldToHost } from 'node:timers/promises';
import type { VirtMachine } from '../emu/machine.js';
import { NewOutputFilter } from '../engine/new-output-filter.js';
import { DivergenceError } from '../replay/divergence-error.js';
import type { ReplayStop } from '../replay/replayer.js';
import { ShutdownReason } from '../shared/log-events.js';
import { CliError } from './cli-error.js';
import { EXIT_BUDGET, EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_LOG_DAMAGED, EXIT_STUCK } from './exit-codes.js';
import { printStats, traceStep } from './live-loop.js';
import { openReplaySession } from './replay-session.js';
import { INTERPRET_OPTION } from './run-command.js';
import { GDB_OPTIONS, keyframeOptions, serveToGdb, snapshotsBesideLog } from './gdb-serve.js';
import { ReplayEngine } from '../engine/replay-engine.js';
import { flagOption, integerOption, listOption, parseCommand, stringOption, type CommandSpec } from './options.js';
import { openSerial, parseSerialSpec } from './serial-spec.js';
import { checkSaveAfterStart, noteUnsaved, parseSaveSnapshot, saveSnapshotNow } from './snapshot-options.js';

const SLICE = 4_000_000;

export const REPLAY_COMMAND: CommandSpec = {
  name: 'replay',
  args: ['<elf>'],
  summary: [
    'Replays the run recorded in --rrfile: the same instructions, serial output and exit status, from',
    'the log alone (nothing is read from stdin or the host clock). The machine settings come from the',
    'log; options that contradict it are refused. Disk images are read (the log records when each',
    'request completed, not its data): each must be the image recorded with, checked by digest.',
    '',
    '--serial SPEC says where the guest\'s output goes, whatever the recording used: stdio (stdout, the',
    'default), none (discarded) or tcp:PORT (a client on 127.0.0.1:PORT, waited for before the replay',
    'starts; what it sends is ignored). file:PATH is refused: replay reads no input.',
    '',
    'exit statuses of its own, beside those of `run`: 122 the replay diverged from the log (the',
    'message names the icount and what differs), 123 the log is damaged (replayed as far as it goes).',
  ].join('\n'),
  options: [
    stringOption('rrfile', 'FILE', 'the log to replay (required)'),
    integerOption('ram', 'MiB', 'guest RAM size (must match the log; default: the log\'s)', 1, 2048),
    integerOption('icount-shift', 'N', 'virtual time shift (must match the log; default: the log\'s)', 0, 10),
    integerOption('max-insns', 'N', 'stop after N instructions (exit status 124)', 1, Number.MAX_SAFE_INTEGER),
    integerOption('seek', 'ICOUNT', 'start at icount ICOUNT: the run before it is replayed without showing its output', 0, Number.MAX_SAFE_INTEGER),
    stringOption('save-snapshot', 'N:FILE', 'save the machine state at icount N of the recorded run to FILE (for run or record --from-snapshot), then go on'),
    flagOption('trace', 'print every instruction executed to stderr (icount, privilege, pc, disassembly)'),
    flagOption('stats', 'print instruction count, wall time, speed and peak memory to stderr at the end'),
    stringOption('serial', 'SPEC', "where the guest's output goes: stdio, none or tcp:PORT (see above)", 'stdio'),
    ...GDB_OPTIONS,
    listOption('drive', 'FILE', "a disk image to use instead of the one the log names (a copy elsewhere; its digest must match), in the log's drive order"),
    INTERPRET_OPTION,
  ],
};

export async function replayCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseCommand(REPLAY_COMMAND, argv);
  const rrfile = options.get('rrfile') as string | undefined;
  if (rrfile === undefined) throw new CliError('replay needs --rrfile FILE: the log to replay');
  const serial = options.get('serial') as string;
  const out = parseSerialSpec(serial, 'output-only');
  const seekTo = options.get('seek') as number | undefined;
  const save = parseSaveSnapshot(options.get('save-snapshot') as string | undefined);
  const gdbPort = options.get('gdb') as number | undefined;
  if (save !== undefined && gdbPort !== undefined) {
    throw new CliError('--save-snapshot does not go with --gdb: there, `monitor snapshot save NAME` saves where gdb is');
  }
  // Output before the --seek position is replayed but not shown.
  const shown = new NewOutputFilter(out);
  const { guest, reader, machine, replayer, disks } = openReplaySession(positional[0], rrfile, {
    ramMiB: options.get('ram') as number | undefined,
    icountShift: options.get('icount-shift') as number | undefined,
    drives: options.get('drive') as string[] | undefined,
    interpret: options.get('interpret') === true,
    console: shown,
  });
  shown.icount = () => machine.icount;
  shown.frontier = seekTo ?? 0;
  checkSaveAfterStart(save, machine.icount);
  if (gdbPort !== undefined) {
    try {
      await openSerial(out, serial);
      const engine = new ReplayEngine(machine, replayer, shown, keyframeOptions(options));
      engine.persistSnapshot = snapshotsBesideLog(rrfile, machine, guest, reader.header.snapshot?.name);
      if (seekTo !== undefined) await startAt(engine, seekTo);
      return (await serveToGdb(engine, gdbPort)) === 'signal' ? EXIT_INTERRUPTED : 0;
    } finally {
      for (const d of disks) d.close();
      await out.close();
    }
  }

  const budget = (options.get('max-insns') as number | undefined) ?? Infinity;
  const trace = options.get('trace') === true;
  const started = process.hrtime.bigint();
  let pendingSave = save;
  const finish = (code: number, message?: string): number => {
    out.flush();
    if (message !== undefined) process.stderr.write(`rvreplay: ${message}\n`);
    if (pendingSave !== undefined) noteUnsaved(pendingSave, machine.icount);
    if (options.get('stats') === true) printStats(machine.icount, started);
    return code;
  };
  await openSerial(out, serial); // a TCP client is waited for before the replay starts
  try {
    for (let slice = 0; ; slice++) {
      if (pendingSave !== undefined && machine.icount === pendingSave.icount) {
        saveSnapshotNow(machine, pendingSave, guest);
        pendingSave = undefined;
      }
      let target = machine.icount + Math.min(trace ? 1 : SLICE, budget - machine.icount);
      if (pendingSave !== undefined) target = Math.min(target, pendingSave.icount);
      if (trace) traceStep(machine);
      const stop = replayer.run(target);
      out.flush();
      if (stop.kind !== 'limit') return finish(...outcome(stop, machine, reader.damage?.message));
      if (machine.icount >= budget) {
        return finish(EXIT_BUDGET, `instruction budget of ${budget} exhausted at pc 0x${machine.cpu.pc.toString(16)}`);
      }
      if (!trace || slice % 1024 === 0) await yieldToHost(); // a TCP client gets the output as it comes
    }
  } catch (e) {
    if (e instanceof DivergenceError) return finish(EXIT_DIVERGED, e.message);
    throw e;
  } finally {
    for (const d of disks) d.close();
    await out.close();
  }
}

/** --seek with --gdb: the engine goes there before gdb connects. */
async function startAt(engine: ReplayEngine, icount: number): Promise<void> {
  if (icount > engine.info().historyEnd) {
    throw new CliError(`--seek ${icount} is beyond the end of the recording (icount ${engine.info().historyEnd})`);
  }
  const stop = await engine.seek(icount);
  if (stop.reason.kind === 'diverged') throw new CliError(stop.reason.message, EXIT_DIVERGED);
}

function outcome(stop: ReplayStop, machine: VirtMachine, damage: string | undefined): [number, string?] {
  switch (stop.kind) {
    case 'exit': {
      const exit = machine.exit!;
      if (exit.kind === 'reset') return [EXIT_INTERRUPTED, 'the guest asked for a reset here, where the recording ended'];
      return [exit.kind === 'pass' ? 0 : exit.code & 0xff];
    }
    case 'shutdown':
      if (stop.reason === ShutdownReason.Budget) return [EXIT_BUDGET, `the recording's instruction budget ended it at icount ${machine.icount}`];
      return [EXIT_INTERRUPTED, `the recording was stopped here (icount ${machine.icount})`];
    case 'end':
      return machine.cpu.waiting
        ? [EXIT_STUCK, `the guest waits for an interrupt that can never come (as in the recording, icount ${machine.icount})`]
        : [EXIT_LOG_DAMAGED, `the log ends at icount ${machine.icount} without saying why`];
    case 'log-ended':
      return [EXIT_LOG_DAMAGED, `the log is damaged (${damage ?? 'it has no end'}); replay stopped at icount ${machine.icount}`];
    case 'limit':
    case 'debug': // no breakpoints here
      return [0];
  }
}

