// Opens the time-travel engine a launch configuration asks for, with the guest's console turned
// into DAP output: a recording with time travel (the CLI's `record --gdb` session), or a replay of
// an existing log. The launch attributes are the CLI's options, checked by the CLI's own parser,
// so a bad value gets the same one-line message the command line gives.

import { CliError } from '../cli/cli-error.js';
import { loadGuestFile } from '../cli/guest-file.js';
import { LiveDevices } from '../cli/host-devices.js';
import { parseCommand } from '../cli/options.js';
import { DEFAULT_DIGEST_INTERVAL, RECORD_COMMAND } from '../cli/record-command.js';
import { startRecording } from '../cli/recording-setup.js';
import { openReplaySession } from '../cli/replay-session.js';
import { machineConfigFrom } from '../cli/run-command.js';
import { TimeTravelRecording } from '../cli/time-travel-recording.js';
import type { DebugEngine } from '../engine/debug-engine.js';
import { NewOutputFilter } from '../engine/new-output-filter.js';
import { DEFAULT_KEYFRAMES, ReplayEngine, type KeyframeOptions } from '../engine/replay-engine.js';
import { DapConsole } from './dap-console.js';
import type { RrMode, RvreplayLaunchArguments } from './launch-arguments.js';

export interface OpenedEngine {
  engine: DebugEngine;
  /** The log: read by the timeline (a recording's grows). */
  rrfile: string;
  /** Writes what the recorder holds of the log, so a reader of the file sees it all (a recording). */
  flushLog(): void;
  /** Sends the guest output collected so far as one output event. */
  flushOutput(): void;
  /** The guest's console (to type into while recording). */
  console: DapConsole;
  close(): Promise<void>;
}

const MODES: readonly RrMode[] = ['record', 'replay', 'none'];

export async function openEngine(args: RvreplayLaunchArguments, output: (text: string) => void): Promise<OpenedEngine> {
  if (typeof args.program !== 'string' || args.program === '') {
    throw new Error('the launch configuration needs "program": the RV32 ELF file of the guest to debug');
  }
  const mode = args.rr ?? 'record';
  if (!MODES.includes(mode)) throw new Error(`"rr" is ${JSON.stringify(mode)}; it must be one of ${MODES.map((m) => `"${m}"`).join(', ')}`);
  const map: unknown = args.sourceMap;
  if (map !== undefined && (typeof map !== 'object' || map === null || Array.isArray(map) || Object.values(map).some((v) => typeof v !== 'string'))) {
    throw new Error('"sourceMap" maps build-tree path prefixes to paths here, e.g. {"/build/fw": "${workspaceFolder}"}');
  }
  const rrfile = args.rrfile ?? `${args.program}.rr`;
  const console = new DapConsole(output, mode === 'record');
  try {
    if (mode === 'replay') return openReplay(args, rrfile, console);
    if (mode === 'record') return await openRecord(args, rrfile, console);
    throw new Error('"rr": "none" is not available yet in the debugger: use "record" (the recording is what lets you go back)');
  } catch (e) {
    // The CLI's checks say what is wrong with a file in one line: that line is the message.
    if (e instanceof CliError) throw new Error(e.message);
    throw e;
  }
}

/** A recording with time travel, as `rvreplay record --gdb` makes: the log is finished when the session ends. */
async function openRecord(args: RvreplayLaunchArguments, rrfile: string, console: DapConsole): Promise<OpenedEngine> {
  const argv = [args.program, '--rrfile', rrfile, ...cliOptions(args)];
  const { options } = parseCommand(RECORD_COMMAND, argv);
  const config = machineConfigFrom(options);
  const guest = loadGuestFile(args.program);
  const devices = new LiveDevices(config.devices!, options);
  try {
    const digestInterval = DEFAULT_DIGEST_INTERVAL;
    const start = await startRecording({ guest, rrfile, config, console, devices, digestInterval, rrsnapshot: args.rrsnapshot, timeTravel: true });
    const recording = new TimeTravelRecording({
      machine: start.machine, guest, console, devices, header: start.header, digestInterval, keyframes: keyframeOptions(args),
      recording: { recorder: start.recorder, sink: start.sink, rrfile, history: start.history!, startSnapshot: start.startSnapshot },
    });
    return {
      engine: recording.handle,
      get rrfile() {
        return recording.current.rrfile;
      },
      flushLog: () => recording.current.recorder.flush(),
      flushOutput: () => console.flush(),
      console,
      close: async () => {
        await recording.finish('user');
        await devices.close();
        await console.close();
      },
    };
  } catch (e) {
    await devices.close();
    throw e;
  }
}

/** The launch attributes that are the CLI's machine and device options, as its arguments. */
function cliOptions(args: RvreplayLaunchArguments): string[] {
  const argv: string[] = [];
  if (args.ram !== undefined) argv.push('--ram', String(args.ram));
  if (args.icountShift !== undefined) argv.push('--icount-shift', String(args.icountShift));
  for (const d of args.drives ?? []) argv.push('--drive', d);
  if (args.net !== undefined) argv.push('--net', args.net);
  if (args.keyboard !== undefined) argv.push('--keyboard', args.keyboard);
  if (args.mouse !== undefined) argv.push('--mouse', args.mouse);
  return argv;
}

function openReplay(args: RvreplayLaunchArguments, rrfile: string, console: DapConsole): OpenedEngine {
  const shown = new NewOutputFilter(console);
  const session = openReplaySession(args.program, rrfile, {
    ramMiB: args.ram,
    icountShift: args.icountShift,
    drives: args.drives,
    console: shown,
  });
  const engine = new ReplayEngine(session.machine, session.replayer, shown, keyframeOptions(args));
  return {
    engine,
    rrfile,
    flushLog: () => {},
    flushOutput: () => console.flush(),
    console,
    close: async () => {
      for (const d of session.disks) d.close();
    },
  };
}

function keyframeOptions(args: RvreplayLaunchArguments): KeyframeOptions {
  return {
    interval: args.keyframeInterval ?? DEFAULT_KEYFRAMES.interval,
    budgetBytes: args.keyframeBudget === undefined ? DEFAULT_KEYFRAMES.budgetBytes : args.keyframeBudget * 2 ** 20,
  };
}
