// `rvreplay record <elf> --rrfile F`: a live run, as `run`, that writes every input from the
// host and the observations replay will check to the log F (QEMU's -icount rr=record). With
// --rrsnapshot NAME the machine state at the start is saved beside the log, and replay starts
// from it.

import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { ISA_STRING, VirtMachine } from '../emu/machine.js';
import { saveSnapshot } from '../emu/snapshot.js';
import { LogWriter } from '../replay/log/log-writer.js';
import type { LogHeader } from '../replay/log-header.js';
import { Recorder } from '../replay/recorder.js';
import { ShutdownReason } from '../shared/log-events.js';
import { RVREPLAY_VERSION } from '../shared/version.js';
import { CliError } from './cli-error.js';
import { FileSink } from './file-sink.js';
import { loadGuestFile, loadInto } from './guest-file.js';
import { LiveDevices } from './host-devices.js';
import { runLive, type LiveEnd } from './live-loop.js';
import { integerOption, parseCommand, stringOption, type CommandSpec } from './options.js';
import { MACHINE_OPTIONS, SESSION_OPTIONS, machineConfigFrom } from './run-command.js';
import { openSerial, parseSerialSpec, SERIAL_HELP } from './serial-spec.js';
import { snapshotPath } from './snapshot-file.js';
import { GDB_OPTIONS, keyframeOptions } from './gdb-serve.js';
import { finishRecording, livePorts, recordUnderGdb } from './gdb-recording.js';
import { recordingHistory } from './recording-history.js';
import { EXIT_INTERRUPTED } from './exit-codes.js';
import { SNAPSHOT_OPTIONS, checkSaveAfterStart, parseSaveSnapshot, saveSnapshotNow, startFromSnapshot } from './snapshot-options.js';

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
  const snapshotName = options.get('rrsnapshot') as string | undefined;
  if (snapshotName !== undefined && !/^[A-Za-z0-9._-]+$/.test(snapshotName)) {
    throw new CliError(`--rrsnapshot '${snapshotName}': a snapshot name may use letters, digits, '.', '_' and '-' (it names a file)`);
  }
  const config = machineConfigFrom(options);
  const digestInterval = options.get('digest-interval') as number;
  const serial = options.get('serial') as string;
  const console = parseSerialSpec(serial);
  const guest = loadGuestFile(positional[0]);
  const fromSnapshot = options.get('from-snapshot') as string | undefined;
  if (fromSnapshot !== undefined && snapshotName !== undefined) {
    throw new CliError('--rrsnapshot and --from-snapshot both name the start state: give one');
  }
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
    // The machine is built with the recorder's ports; the log's header needs the machine. Under
    // gdb, the ports switch between the recorder's and those of a replayer of the recording's
    // own events, which replays history when gdb goes back into it.
    let recorder = new Recorder(digestInterval);
    devices = new LiveDevices(config.devices!, options);
    const ports = livePorts(recorder, console, devices);
    const gdbPort = options.get('gdb') as number | undefined;
    const history = gdbPort === undefined ? undefined : recordingHistory(ports, console);
    const machine = new VirtMachine(config, history === undefined ? ports : { ...history.host.ports, disks: ports.disks });
    loadInto(machine, guest);
    // From here the host's completions are queued (a snapshot restored below hands the requests
    // it has in flight to the host again); the queue is offered to the machine only once attached.
    devices.restart();
    // The start state, when it is not the boot: a snapshot taken now, or one restored from a file,
    // kept beside the log in both cases so replay starts from it too.
    let snapshot: LogHeader['snapshot'];
    let startBytes: Uint8Array | undefined;
    if (fromSnapshot !== undefined) {
      const start = startFromSnapshot(machine, fromSnapshot, guest);
      snapshot = { name: /^[A-Za-z0-9._-]+$/.test(start.name) ? start.name : 'start', sha256: start.sha256 };
      startBytes = start.bytes;
    } else if (snapshotName !== undefined) {
      startBytes = saveSnapshot(machine, snapshotName, { guestSha256: guest.sha256 });
      snapshot = { name: snapshotName, sha256: createHash('sha256').update(startBytes).digest('hex') };
    }
    checkSaveAfterStart(save, machine.icount);
    sink = new FileSink(rrfile);
    if (snapshot !== undefined && startBytes !== undefined) writeFileSync(snapshotPath(rrfile, snapshot.name), startBytes);
    await openSerial(console, serial); // a TCP backend waits here for its client: Ctrl-C still ends rvreplay
    const header: LogHeader = {
      writer: `rvreplay ${RVREPLAY_VERSION}`,
      created: new Date().toISOString(),
      machine: {
        board: 'virt', isa: ISA_STRING, ramMiB: config.ramMiB, icountShift: config.icountShift,
        devices: config.devices, virtioLegacy: config.virtioLegacy,
      },
      guest: { path: guest.path, sha256: guest.sha256, bytes: guest.bytes },
      disks: devices.headerDisks,
      stateLayout: machine.arena.regions.map((r) => ({ name: r.name, bytes: r.bytes })),
      digestInterval,
      snapshot,
    };
    const writer = new LogWriter(sink, header);
    recorder.attach(machine, history === undefined ? writer : history.keep(writer));
    history?.attach(machine);
    if (snapshot !== undefined) recorder.snapshotTaken(snapshot.name);
    await devices.open();
    const queue = devices.queue;

    if (gdbPort !== undefined && history !== undefined) {
      const served = await recordUnderGdb({
        machine, guest, console, devices, header, digestInterval, keyframes: keyframeOptions(options),
        recording: { recorder, sink, rrfile, history, startSnapshot: snapshot?.name },
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
