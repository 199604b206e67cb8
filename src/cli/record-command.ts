// `rvreplay record <elf> --rrfile F`: a live run, as `run`, that writes every input from the
// host and the observations replay will check to the log F (QEMU's -icount rr=record). With
// --rrsnapshot NAME the machine state at the start is saved beside the log, and replay starts
// from it.

import { ShutdownReason } from '../shared/log-events.js';
import { CliError } from './cli-error.js';
import { FileSink } from './file-sink.js';
import { loadGuestFile } from './guest-file.js';
import { LiveDevices } from './host-devices.js';
import { runLive, type LiveEnd } from './live-loop.js';
import { integerOption, parseCommand, stringOption, type CommandSpec } from './options.js';
import { MACHINE_OPTIONS, SESSION_OPTIONS, machineConfigFrom } from './run-command.js';
import { openSerial, parseSerialSpec, SERIAL_HELP } from './serial-spec.js';
import { GDB_OPTIONS, keyframeOptions } from './gdb-serve.js';
import { finishRecording, recordUnderGdb } from './time-travel-recording.js';
import { startRecording } from './recording-setup.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';
import { SNAPSHOT_OPTIONS, checkSaveAfterStart, noteUnsaved, parseSaveSnapshot, saveSnapshotNow } from './snapshot-options.js';

/** Instructions between state digests: frequent enough to localise a divergence, rare enough to stay cheap. */
export const DEFAULT_DIGEST_INTERVAL = 20_000_000;
/** Wall time between forced chunk flushes, so a killed recorder loses little. */
const FLUSH_EVERY_MS = 500;

export const RECORD_COMMAND: CommandSpec = {
  name: 'record',
  args: ['<elf>'],
  summary: [
    'Runs an RV32 ELF as `run` does and records it: every input from the host (serial bytes, clock',
    'reads, entropy, disk request completions, the end of the session) and the checks replay will',
    'make (traps taken, serial output, state digests) go to the log --rrfile, stamped with the',
    'instruction count. Disk images are never written (the guest\'s writes stay in memory). `rvreplay replay`',
    'then reproduces the run exactly, on any machine. Ctrl-C (SIGINT) ends the recording cleanly.',
    'Exit statuses are those of `run`.',
    '',
    SERIAL_HELP,
    'Replay reads none of it (the input is in the log); its own --serial says where output goes.',
  ].join('\n'),
  options: [
    stringOption('rrfile', 'FILE', 'the log to write (required; replaced if it exists)'),
    stringOption('rrsnapshot', 'NAME', 'save the machine state at the start as snapshot NAME beside the log'),
    integerOption('digest-interval', 'N', 'instructions between state digests', 1000, Number.MAX_SAFE_INTEGER, DEFAULT_DIGEST_INTERVAL),
    ...MACHINE_OPTIONS,
    ...SESSION_OPTIONS,
    ...SNAPSHOT_OPTIONS,
    ...GDB_OPTIONS,
  ],
};

const SHUTDOWN_FOR: Partial<Record<LiveEnd, number>> = {
  budget: ShutdownReason.Budget,
  user: ShutdownReason.User,
  signal: ShutdownReason.HostSignal,
};

export async function recordCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseCommand(RECORD_COMMAND, argv);
  const rrfile = options.get('rrfile') as string | undefined;
  if (rrfile === undefined) throw new CliError('record needs --rrfile FILE: where to write the log');
  const config = machineConfigFrom(options);
  const digestInterval = options.get('digest-interval') as number;
  const serial = options.get('serial') as string;
  const console = parseSerialSpec(serial);
  const guest = loadGuestFile(positional[0]);
  const save = parseSaveSnapshot(options.get('save-snapshot') as string | undefined);
  let sink: FileSink | undefined;
  let devices: LiveDevices | undefined;
  let signalled = false;
  let wake = (): void => {};
  const signal = new Promise<void>((resolve) => (wake = resolve));
  const onSignal = (): void => {
    signalled = true;
    wake();
  };
  try {
    devices = new LiveDevices(config.devices!, options);
    const gdbPort = options.get('gdb') as number | undefined;
    // Under gdb the recording keeps its history, so gdb can go back into it.
    const start = await startRecording({
      guest, rrfile, config, console, devices, digestInterval,
      rrsnapshot: options.get('rrsnapshot') as string | undefined,
      fromSnapshot: options.get('from-snapshot') as string | undefined,
      timeTravel: gdbPort !== undefined,
      checkStart: (machine) => checkSaveAfterStart(save, machine.icount),
      beforeLog: () => openSerial(console, serial), // a TCP backend waits here for its client: Ctrl-C still ends rvreplay
    });
    const { machine, header, history } = start;
    let recorder = start.recorder;
    sink = start.sink;
    const queue = devices.queue;

    if (gdbPort !== undefined && history !== undefined) {
      const served = await recordUnderGdb({
        machine, guest, console, devices, header, digestInterval, keyframes: keyframeOptions(options),
        recording: { recorder, sink: start.sink, rrfile, history, startSnapshot: start.startSnapshot },
      }, gdbPort);
      // Going live may have replaced the recording: the one current now is the one to finish.
      recorder = served.recording.recorder;
      sink = served.recording.sink;
      if (served.how !== 'detach') {
        console.flush();
        finishRecording(served.recording, machine, served.how === 'signal' ? 'signal' : 'user');
        const exit = machine.exit;
        if (exit === undefined) return EXIT_INTERRUPTED;
        return exit.kind === 'pass' ? 0 : exit.kind === 'fail' ? exit.code & 0xff : EXIT_INTERRUPTED;
      }
      // Detached: the guest runs on, recorded, as QEMU's does when gdb detaches.
    }
    let lastFlush = Date.now();
    const flushNowAndThen = (): void => {
      if (Date.now() - lastFlush >= FLUSH_EVERY_MS) {
        recorder.flush();
        lastFlush = Date.now();
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return await runLive({
      machine,
      run: (limit) => recorder.run(limit),
      checkpoint: (c) => recorder.checkpoint((accept) => c.deliver(accept), queue),
      between: flushNowAndThen,
      end: (how) => recorder.finish(SHUTDOWN_FOR[how]),
    }, {
      budget: (options.get('max-insns') as number | undefined) ?? Infinity,
      trace: options.get('trace') === true,
      stats: options.get('stats') === true,
      console,
      devices,
      signalled: () => signalled,
      signal,
      pauseAt: save && {
        icount: save.icount,
        action: () => {
          recorder.snapshotTaken(saveSnapshotNow(machine, save, guest));
        },
        unreached: (end) => noteUnsaved(save, end),
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await devices?.close();
    await console.close();
    sink?.close();
  }
}
