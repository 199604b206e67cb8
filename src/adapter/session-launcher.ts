// Opens the engine a launch configuration asks for, with the guest's console turned into DAP
// output: a recording with time travel (the CLI's `record --gdb` session), a replay of an
// existing log, or a run with no log (`rvreplay run`, forward only). The launch attributes are the CLI's options, checked by the CLI's own parser,
// so a bad value gets the same one-line message the command line gives.

import { CliError } from '../cli/cli-error.js';
import { loadGuestFile, loadInto } from '../cli/guest-file.js';
import { LiveDevices } from '../cli/host-devices.js';
import { parseCommand } from '../cli/options.js';
import { DEFAULT_DIGEST_INTERVAL, RECORD_COMMAND } from '../cli/record-command.js';
import { startRecording } from '../cli/recording-setup.js';
import { openReplaySession } from '../cli/replay-session.js';
import { deliverHostInput, machineConfigFrom, RUN_COMMAND } from '../cli/run-command.js';
import { TimeTravelRecording } from '../cli/time-travel-recording.js';
import { HostEntropy } from '../emu/host/host-entropy.js';
import { HostWallClock } from '../emu/host/host-wall-clock.js';
import { VirtMachine } from '../emu/machine.js';
import type { DebugEngine } from '../engine/debug-engine.js';
import { LiveEngine } from '../engine/live-engine.js';
import { NewOutputFilter } from '../engine/new-output-filter.js';
import type { LiveHost } from '../engine/record-engine.js';
import { DEFAULT_KEYFRAMES, ReplayEngine, type KeyframeOptions } from '../engine/replay-engine.js';
import { DapConsole } from './dap-console.js';
import type { RrMode, RvreplayLaunchArguments } from './launch-arguments.js';

export interface OpenedEngine {
  engine: DebugEngine;
  /** The log: read by the timeline (a recording's grows); none for a run without one. */
  rrfile: string | undefined;
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
  const console = new DapConsole(output, mode !== 'replay');
  try {
    if (mode === 'replay') return openReplay(args, rrfile, console);
    if (mode === 'record') return await openRecord(args, rrfile, console);
    return await openLive(args, console);
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
    console.icount = () => start.machine.icount;
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

/** A run with no log ("rr": "none"): forward only, as `rvreplay run`. */
async function openLive(args: RvreplayLaunchArguments, console: DapConsole): Promise<OpenedEngine> {
  if (args.rrsnapshot !== undefined) throw new Error('"rrsnapshot" saves the start of a recording: it needs "rr": "record"');
  const { options } = parseCommand(RUN_COMMAND, [args.program, ...cliOptions(args)]);
  const config = machineConfigFrom(options);
  const guest = loadGuestFile(args.program);
  const devices = new LiveDevices(config.devices!, options);
  const machine = new VirtMachine(config, { console, wallClock: new HostWallClock(), entropy: new HostEntropy(), ...devices.ports });
  loadInto(machine, guest);
  console.icount = () => machine.icount;
  try {
    await devices.open();
  } catch (e) {
    await devices.close();
    throw e;
  }
  const live: LiveHost = {
    checkpoint: () => deliverHostInput(machine, console, devices),
    get inputMayCome() {
      return console.inputOpen || devices.inputOpen;
    },
    get busy() {
      return devices.busy;
    },
    waitForInput: () => Promise.race([console.waitForInput(), ...(devices.inputOpen ? [devices.wait()] : [])]),
    between: () => {},
  };
  return {
    engine: new LiveEngine(machine, live, () => devices.restart()),
    rrfile: undefined,
    flushLog: () => {},
    flushOutput: () => console.flush(),
    console,
    close: async () => {
      await devices.close();
      await console.close();
    },
  };
}

function openReplay(args: RvreplayLaunchArguments, rrfile: string, console: DapConsole): OpenedEngine {
  const shown = new NewOutputFilter(console);
  const session = openReplaySession(args.program, rrfile, {
    ramMiB: args.ram,
    icountShift: args.icountShift,
    drives: args.drives,
    console: shown,
  });
  console.icount = () => session.machine.icount;
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
