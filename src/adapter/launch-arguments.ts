// The launch configuration of an rvreplay debug session, as `launch.json` writes it: the same
// choices as the command line (`rvreplay record|replay|run`). Declared once: the adapter reads
// these, and package.json's `configurationAttributes` describes the same names to VS Code.

import type { DebugProtocol } from '@vscode/debugprotocol';

export type RrMode = 'record' | 'replay' | 'none';

export interface RvreplayLaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** The guest: an RV32 ELF with debug information. */
  program: string;
  /** record (the default): run and record, with time travel; replay: replay rrfile; none: run without a log (no going back). */
  rr?: RrMode;
  /** The log to write (record) or read (replay); default: the program's path + `.rr`. */
  rrfile?: string;
  /** Save the state at the start as snapshot NAME beside the log (QEMU's rrsnapshot). */
  rrsnapshot?: string;
  /** Stop at the first instruction (true) or run to the first breakpoint (false, the default). */
  stopOnEntry?: boolean;
  /** Guest RAM in MiB (128). */
  ram?: number;
  /** Virtual time per instruction is 2^icountShift ns (0). */
  icountShift?: number;
  /** virtio-blk disk images, in slot order (--drive). */
  drives?: string[];
  /** virtio-net over UDP: `udp:LOCAL:REMOTE` (--net). */
  net?: string;
  /** virtio-input devices: `file:PATH` or `tcp:PORT` (--keyboard, --mouse). */
  keyboard?: string;
  mouse?: string;
  /** Instructions between automatic keyframes, and the memory they may use (MiB). */
  keyframeInterval?: number;
  keyframeBudget?: number;
  /**
   * Where the sources are when the ELF was built elsewhere: build-tree path prefixes (as the
   * debug information spells them) to paths here. Relative paths are under the ELF's folder.
   */
  sourceMap?: Record<string, string>;
}
