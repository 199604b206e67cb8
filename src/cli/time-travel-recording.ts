// A recording with time travel (`record --gdb`, the debugger's "rr": "record"): a RecordEngine
// over it behind an EngineHandle, and going live from a moment of its history (`go_live`): the
// recording so far is finished where it had got to, the machine goes back to that moment, and a
// new recording starts there, in a new log, from a snapshot of it. The front end goes on across
// the change through the handle.

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

export interface TimeTravelSetup {
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

export class TimeTravelRecording {
  readonly handle: EngineHandle;
  private recording: LiveRecording;
  private engine: RecordEngine;

  constructor(private readonly setup: TimeTravelSetup) {
    this.recording = setup.recording;
    this.engine = engineFor(setup, this.recording);
    this.handle = new EngineHandle(this.engine);
    this.handle.goLive = (file) => this.goLive(file);
  }

  /** The recording in progress (going live replaces it). */
  get current(): LiveRecording {
    return this.recording;
  }

  /** Back to the live edge, where the recording can end or go on without a debugger. */
  returnToEdge(): Promise<void> {
    return this.engine.returnToEdge();
  }

  /** Ends the recording in progress at its live edge. */
  async finish(by: 'user' | 'signal'): Promise<void> {
    await this.engine.returnToEdge();
    this.setup.console.flush();
    finishRecording(this.recording, this.setup.machine, by);
  }

  private async goLive(file: string | undefined): Promise<{ log: string; icount: number }> {
    const { machine, guest, console, devices } = this.setup;
    if (this.engine.info().atLiveEdge) throw new EngineError('the position is the live edge already: the recording goes on from here');
    const icount = machine.icount;
    const log = file ?? goLiveName(this.recording.rrfile, icount);
    if (log === this.recording.rrfile) throw new EngineError(`${log} is the recording in progress: choose another file`);
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
    await this.finish('user');
    // Back to the moment, whose in-flight disk requests go to the host again; a new recording starts.
    devices.restart();
    loadSnapshot(machine, startBytes);
    const recorder = new Recorder(this.setup.digestInterval);
    const history = recordingHistory(livePorts(recorder, console, devices), console, this.recording.history.host);
    const header: LogHeader = {
      ...this.setup.header,
      created: new Date().toISOString(),
      snapshot: { name: GO_LIVE_SNAPSHOT, sha256: createHash('sha256').update(startBytes).digest('hex') },
    };
    recorder.attach(machine, history.keep(new LogWriter(sink, header)));
    history.attach(machine);
    recorder.snapshotTaken(GO_LIVE_SNAPSHOT);
    this.recording = { recorder, sink, rrfile: log, history, startSnapshot: GO_LIVE_SNAPSHOT };
    this.engine = engineFor(this.setup, this.recording);
    this.handle.current = this.engine;
    return { log, icount };
  }
}

/** Serves the recording to gdb; returns how the session ended and the recording current then, back at its live edge. */
export async function recordUnderGdb(setup: TimeTravelSetup, port: number): Promise<{ how: GdbEnd; recording: LiveRecording }> {
  const recording = new TimeTravelRecording(setup);
  const how = await serveToGdb(recording.handle, port);
  await recording.returnToEdge();
  return { how, recording: recording.current };
}

/** The host ports of a recording (the machine reaches them through its HostSwitch). */
export function livePorts(recorder: Recorder, console: CharBackend, devices: LiveDevices): ReturnType<Recorder['ports']> & LiveDevices['ports'] {
  const { block, net, ...rest } = devices.ports;
  return { ...recorder.ports(console, new HostWallClock(), new HostEntropy(), block, net), ...rest };
}

/**
 * Ends a recording at its live edge (where the machine is): a guest that finished ends the log by
 * itself; otherwise the log says who stopped it.
 */
export function finishRecording(recording: LiveRecording, machine: VirtMachine, by: 'user' | 'signal'): void {
  recording.recorder.finish(machine.exit !== undefined ? undefined : by === 'signal' ? ShutdownReason.HostSignal : ShutdownReason.User);
  recording.sink.close();
}

function engineFor(setup: TimeTravelSetup, recording: LiveRecording): RecordEngine {
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
