// `record --gdb`: the recording served to gdb as a RecordEngine, and going live from a moment of
// its history (`monitor go_live [FILE]`): the recording so far is finished where it had got to,
// the machine goes back to that moment, and a new recording starts there, in FILE, from a
// snapshot of it. The gdb session goes on across the change through an EngineHandle.

import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { CharBackend } from '../emu/host/char-backend.js';
import { HostEntropy } from '../emu/host/host-entropy.js';
import { HostWallClock } from '../emu/host/host-wall-clock.js';
import type { VirtMachine } from '../emu/machine.js';
import { loadSnapshot, saveSnapshot } from '../emu/snapshot.js';
import { EngineError } from '../engine/debug-engine.js';
import { EngineHandle } from '../engine/engine-handle.js';
import { RecordEngine, type LiveHost } from '../engine/record-engine.js';
import type { KeyframeOptions } from '../engine/replay-engine.js';
import { LogWriter } from '../replay/log/log-writer.js';
import type { LogHeader } from '../replay/log-header.js';
import { Recorder } from '../replay/recorder.js';
import { ShutdownReason } from '../shared/log-events.js';
import { FileSink } from './file-sink.js';
import { serveToGdb, snapshotsBesideLog, type GdbEnd } from './gdb-serve.js';
import type { GuestFile } from './guest-file.js';
import type { LiveDevices } from './host-devices.js';
import { recordingHistory, type RecordingHistory } from './recording-history.js';
import { snapshotPath } from './snapshot-file.js';

/** Wall time between forced chunk flushes, so a killed recorder loses little. */
const FLUSH_EVERY_MS = 500;
/** The start snapshot of a recording made by going live. */
const GO_LIVE_SNAPSHOT = 'go-live';

/** One recording: its recorder, its file, and the history gdb can go back into. */
export interface LiveRecording {
  recorder: Recorder;
  sink: FileSink;
  rrfile: string;
  history: RecordingHistory;
  /** The name of the snapshot the log starts from, if any. */
  startSnapshot: string | undefined;
}

export interface GdbRecordingSetup {
  machine: VirtMachine;
  guest: GuestFile;
  console: CharBackend;
  devices: LiveDevices;
  /** The first recording, attached to the machine. */
  recording: LiveRecording;
  /** The first log's header: later ones differ in their start snapshot and creation time. */
  header: LogHeader;
  digestInterval: number;
  keyframes: KeyframeOptions;
}

/** Serves the recording to gdb; returns how the session ended and the recording current then, back at its live edge. */
export async function recordUnderGdb(setup: GdbRecordingSetup, port: number): Promise<{ how: GdbEnd; recording: LiveRecording }> {
  const { machine, guest, console, devices } = setup;
  let recording = setup.recording;
  let engine = engineFor(setup, recording);
  const handle = new EngineHandle(engine);

  handle.goLive = async (file) => {
    if (engine.info().atLiveEdge) throw new EngineError('the position is the live edge already: the recording goes on from here');
    const icount = machine.icount;
    const log = file ?? goLiveName(recording.rrfile, icount);
    if (log === recording.rrfile) throw new EngineError(`${log} is the recording in progress: choose another file`);
    if (!/^[^\s]+$/.test(log)) throw new EngineError(`'${log}' is not a file name go_live can use`);
    const startBytes = saveSnapshot(machine, GO_LIVE_SNAPSHOT, { guestSha256: guest.sha256 });
    let sink: FileSink;
    try {
      writeFileSync(snapshotPath(log, GO_LIVE_SNAPSHOT), startBytes);
      sink = new FileSink(log);
    } catch (e) {
      throw new EngineError(`cannot write ${log}: ${(e as Error).message}`);
    }
    // The recording so far ends where it had got to, with its last digest taken there.
    await engine.returnToEdge();
    console.flush();
    finishRecording(recording, machine, 'user');
    // Back to the moment, whose in-flight disk requests go to the host again; a new recording starts.
    devices.restart();
    loadSnapshot(machine, startBytes);
    const recorder = new Recorder(setup.digestInterval);
    const history = recordingHistory(livePorts(recorder, console, devices), console, recording.history.host);
    const header: LogHeader = {
      ...setup.header,
      created: new Date().toISOString(),
      snapshot: { name: GO_LIVE_SNAPSHOT, sha256: createHash('sha256').update(startBytes).digest('hex') },
    };
    recorder.attach(machine, history.keep(new LogWriter(sink, header)));
    history.attach(machine);
    recorder.snapshotTaken(GO_LIVE_SNAPSHOT);
    recording = { recorder, sink, rrfile: log, history, startSnapshot: GO_LIVE_SNAPSHOT };
    engine = engineFor(setup, recording);
    handle.current = engine;
    process.stderr.write(`rvreplay: recording from icount ${icount} into ${log}\n`);
    return { log, icount };
  };

  const how = await serveToGdb(handle, port);
  await engine.returnToEdge();
  return { how, recording };
}

/** The host ports of a recording (the machine reaches them through its HostSwitch). */
export function livePorts(recorder: Recorder, console: CharBackend, devices: LiveDevices): ReturnType<Recorder['ports']> & LiveDevices['ports'] {
  return { ...recorder.ports(console, new HostWallClock(), new HostEntropy()), ...devices.ports };
}

/**
 * Ends a recording at its live edge (where the machine is): a guest that finished ends the log by
 * itself; otherwise the log says who stopped it.
 */
export function finishRecording(recording: LiveRecording, machine: VirtMachine, by: 'user' | 'signal'): void {
  recording.recorder.finish(machine.exit !== undefined ? undefined : by === 'signal' ? ShutdownReason.HostSignal : ShutdownReason.User);
  recording.sink.close();
}

function engineFor(setup: GdbRecordingSetup, recording: LiveRecording): RecordEngine {
  const { machine, console, devices } = setup;
  const { recorder, history } = recording;
  let lastFlush = Date.now();
  const live: LiveHost = {
    checkpoint: () => recorder.checkpoint((accept) => console.deliver(accept), devices.queue),
    get inputMayCome() {
      return console.inputOpen || devices.inputOpen;
    },
    get busy() {
      return devices.busy;
    },
    waitForInput: () => Promise.race([
      ...(console.inputOpen ? [console.waitForInput()] : []),
      ...(devices.inputOpen ? [devices.wait()] : []),
    ]),
    between: () => {
      if (Date.now() - lastFlush >= FLUSH_EVERY_MS) {
        recorder.flush();
        lastFlush = Date.now();
      }
    },
  };
  const engine = new RecordEngine(machine, recorder, history.events, history.replayer, history.host, live, history.shown, setup.keyframes);
  engine.persistSnapshot = snapshotsBesideLog(recording.rrfile, machine, setup.guest, recording.startSnapshot);
  return engine;
}

/** run.rr → run.from-123456.rr */
function goLiveName(rrfile: string, icount: number): string {
  return rrfile.endsWith('.rr') ? `${rrfile.slice(0, -3)}.from-${icount}.rr` : `${rrfile}.from-${icount}`;
}
