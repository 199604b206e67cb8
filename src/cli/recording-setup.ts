// Starting a recording: the machine built with the recorder's ports (or, for time travel, a
// switch between them and a replayer of the recording's own events), the guest loaded, the start
// state (the boot, a snapshot taken now, or one restored from a file, kept beside the log so
// replay starts from it too), the log file and its header, the recorder attached. Shared by
// `rvreplay record` and the debugger.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { CharBackend } from '../emu/host/char-backend.js';
import { ISA_STRING, VirtMachine, type MachineConfig } from '../emu/machine.js';
import { saveSnapshot } from '../emu/snapshot.js';
import { LogWriter } from '../replay/log/log-writer.js';
import type { LogHeader } from '../replay/log-header.js';
import { Recorder } from '../replay/recorder.js';
import { RVREPLAY_VERSION } from '../shared/version.js';
import { CliError } from './cli-error.js';
import { FileSink } from './file-sink.js';
import { livePorts } from './time-travel-recording.js';
import { loadInto, type GuestFile } from './guest-file.js';
import type { LiveDevices } from './host-devices.js';
import { recordingHistory, type RecordingHistory } from './recording-history.js';
import { snapshotPath } from './snapshot-file.js';
import { startFromSnapshot } from './snapshot-options.js';

export interface RecordingRequest {
  guest: GuestFile;
  rrfile: string;
  config: MachineConfig;
  console: CharBackend;
  devices: LiveDevices;
  digestInterval: number;
  /** Save the start state as snapshot NAME beside the log (QEMU's rrsnapshot). */
  rrsnapshot?: string;
  /** Start from the snapshot in this file instead of the boot. */
  fromSnapshot?: string;
  /** Keep the recording's events in memory and a replayer of them, for going back into history. */
  timeTravel: boolean;
  /** Called once the start state is set, before any file is written (to refuse options that do not fit it). */
  checkStart?: (machine: VirtMachine) => void;
  /** Called before the log's header is written (a TCP console waits for its client here). */
  beforeLog?: () => Promise<void>;
}

export interface RecordingStart {
  machine: VirtMachine;
  recorder: Recorder;
  sink: FileSink;
  header: LogHeader;
  history: RecordingHistory | undefined;
  /** The snapshot the log starts from, if any. */
  startSnapshot: string | undefined;
}

export async function startRecording(r: RecordingRequest): Promise<RecordingStart> {
  if (r.rrsnapshot !== undefined && !/^[A-Za-z0-9._-]+$/.test(r.rrsnapshot)) {
    throw new CliError(`rrsnapshot '${r.rrsnapshot}': a snapshot name may use letters, digits, '.', '_' and '-' (it names a file)`);
  }
  if (r.fromSnapshot !== undefined && r.rrsnapshot !== undefined) {
    throw new CliError('--rrsnapshot and --from-snapshot both name the start state: give one');
  }
  const { guest, devices, console } = r;
  const recorder = new Recorder(r.digestInterval);
  const ports = livePorts(recorder, console, devices);
  const history = r.timeTravel ? recordingHistory(ports, console) : undefined;
  const machine = new VirtMachine(r.config, history === undefined ? ports : { ...history.host.ports, disks: ports.disks });
  loadInto(machine, guest);
  // From here the host's completions are queued (a snapshot restored below hands the requests
  // it has in flight to the host again); the queue is offered to the machine only once attached.
  devices.restart();
  let snapshot: LogHeader['snapshot'];
  let startBytes: Uint8Array | undefined;
  if (r.fromSnapshot !== undefined) {
    const start = startFromSnapshot(machine, r.fromSnapshot, guest);
    snapshot = { name: /^[A-Za-z0-9._-]+$/.test(start.name) ? start.name : 'start', sha256: start.sha256 };
    startBytes = start.bytes;
  } else if (r.rrsnapshot !== undefined) {
    startBytes = saveSnapshot(machine, r.rrsnapshot, { guestSha256: guest.sha256 });
    snapshot = { name: r.rrsnapshot, sha256: createHash('sha256').update(startBytes).digest('hex') };
  }
  r.checkStart?.(machine);
  const sink = new FileSink(r.rrfile);
  try {
    if (snapshot !== undefined && startBytes !== undefined) writeFileSync(snapshotPath(r.rrfile, snapshot.name), startBytes);
    await r.beforeLog?.();
    const header: LogHeader = {
      writer: `rvreplay ${RVREPLAY_VERSION}`,
      created: new Date().toISOString(),
      machine: {
        board: 'virt', isa: ISA_STRING, ramMiB: r.config.ramMiB, icountShift: r.config.icountShift,
        devices: r.config.devices, virtioLegacy: r.config.virtioLegacy,
      },
      guest: { path: guest.path, sha256: guest.sha256, bytes: guest.bytes },
      disks: devices.headerDisks,
      stateLayout: machine.arena.regions.map((region) => ({ name: region.name, bytes: region.bytes })),
      digestInterval: r.digestInterval,
      snapshot,
    };
    const writer = new LogWriter(sink, header);
    recorder.attach(machine, history === undefined ? writer : history.keep(writer));
    history?.attach(machine);
    if (snapshot !== undefined) recorder.snapshotTaken(snapshot.name);
    await devices.open();
    return { machine, recorder, sink, header, history, startSnapshot: snapshot?.name };
  } catch (e) {
    sink.close();
    throw e;
  }
}
