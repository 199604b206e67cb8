// Opens the time-travel engine a launch configuration asks for, with the guest's console turned
// into DAP output: a replay of an existing log, or (later) a recording. Every check of the
// arguments and files happens here, with messages the user can act on.

import type { CharSink } from '../emu/host/ports.js';
import { CliError } from '../cli/cli-error.js';
import { openReplaySession } from '../cli/replay-session.js';
import type { DebugEngine } from '../engine/debug-engine.js';
import { NewOutputFilter } from '../engine/new-output-filter.js';
import { DEFAULT_KEYFRAMES, ReplayEngine, type KeyframeOptions } from '../engine/replay-engine.js';
import type { RrMode, RvreplayLaunchArguments } from './launch-arguments.js';

export interface OpenedEngine {
  engine: DebugEngine;
  /** Sends the guest output collected so far as one output event. */
  flushOutput(): void;
  close(): Promise<void>;
}

const MODES: readonly RrMode[] = ['record', 'replay', 'none'];

export async function openEngine(args: RvreplayLaunchArguments, output: (text: string) => void): Promise<OpenedEngine> {
  if (typeof args.program !== 'string' || args.program === '') {
    throw new Error('the launch configuration needs "program": the RV32 ELF file of the guest to debug');
  }
  const mode = args.rr ?? 'record';
  if (!MODES.includes(mode)) throw new Error(`"rr" is ${JSON.stringify(mode)}; it must be one of ${MODES.map((m) => `"${m}"`).join(', ')}`);
  const rrfile = args.rrfile ?? `${args.program}.rr`;
  const console = new ConsoleOutput(output);
  try {
    if (mode === 'replay') return openReplay(args, rrfile, console);
    throw new Error(`"rr": "${mode}" is not available yet in the debugger; record with \`rvreplay record ${args.program} --rrfile ${rrfile}\` and launch with "rr": "replay"`);
  } catch (e) {
    // The CLI's checks say what is wrong with a file in one line: that line is the message.
    if (e instanceof CliError) throw new Error(e.message);
    throw e;
  }
}

function openReplay(args: RvreplayLaunchArguments, rrfile: string, console: ConsoleOutput): OpenedEngine {
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
    flushOutput: () => console.flush(),
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

/** The guest's console bytes, sent as text in output events (between motions, and when lines end). */
class ConsoleOutput implements CharSink {
  private bytes: number[] = [];

  constructor(private readonly send: (text: string) => void) {}

  write(byte: number): void {
    this.bytes.push(byte);
    if (this.bytes.length >= 4096) this.flush();
  }

  flush(): void {
    if (this.bytes.length === 0) return;
    const text = new TextDecoder().decode(Uint8Array.from(this.bytes));
    this.bytes = [];
    this.send(text);
  }
}
