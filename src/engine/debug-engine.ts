// What a debugger front end (the gdb stub, the DAP adapter) sees of a time-travel session: a
// position in time (icount) it can move forward and backward, breakpoints and watchpoints that
// work in both directions, the machine's registers and memory at the current position, and named
// snapshots. The front ends translate their protocols to these calls and nothing else; they never
// touch the recorder, the replayer or the keyframes.

import type { VirtMachine } from '../emu/machine.js';

export type WatchKind = 'write' | 'read' | 'access';

/** Why a motion stopped. */
export type StopReason =
  /** A step, a seek or a run to an icount ended where it was asked to. */
  | { kind: 'done' }
  /** The hart is about to execute an instruction at a breakpoint's address. */
  | { kind: 'breakpoint'; pc: number }
  /**
   * A load or store touched a watched range. Forward, the position is just after the accessing
   * instruction; in reverse, just before it (the instruction that made the change is the next
   * one to execute), as gdb expects of both.
   */
  | { kind: 'watchpoint'; watch: WatchKind; address: number; access: 'read' | 'write' }
  /**
   * The guest took a trap of a kind set with breakOnTraps. Forward, the position is the handler's
   * first instruction; in reverse, the instruction that trapped (or was interrupted).
   */
  | { kind: 'trap'; cause: number; interrupt: boolean }
  /** The position reached the icount set with breakAtIcount (QEMU's replay_break). */
  | { kind: 'icount'; icount: number }
  /** A reverse motion reached the start of history: nothing before this can be seen. */
  | { kind: 'history-begin' }
  /** A forward motion reached the end of recorded history (replay), or the guest finished. */
  | { kind: 'history-end'; exit?: { kind: 'pass' } | { kind: 'fail'; code: number } | { kind: 'reset' } }
  /** The hart waits for an interrupt only host input could bring, and none can come. */
  | { kind: 'idle' }
  /** cancel() was called: the position is where the motion had got to (forward) or where it began (reverse). */
  | { kind: 'interrupted' }
  /** The replay does not do what the log says: the message names the icount and what differs. */
  | { kind: 'diverged'; message: string };

export interface EngineStop {
  reason: StopReason;
  /** The position after the stop. */
  icount: number;
  pc: number;
}

/** record: a recording with time travel; replay: a log; live: a run with no log ("rr": "none"). */
export type EngineMode = 'record' | 'replay' | 'live';

export interface EngineInfo {
  mode: EngineMode;
  icount: number;
  /** Virtual time at the position, in nanoseconds (a function of icount). */
  virtualTimeNs: number;
  /** The first position that can be reached (the recording's start or its start snapshot). */
  historyStart: number;
  /** The last position in history: the log's end (replay) or the live edge (record). */
  historyEnd: number;
  /** True when the position is the live edge of a recording, where new input is recorded. */
  atLiveEdge: boolean;
  keyframes: { count: number; bytes: number; icounts: number[] };
  /** The icount set with breakAtIcount, if any. */
  icountBreak: number | undefined;
}

export interface SnapshotEntry {
  name: string;
  icount: number;
  /** Where it was also written, when the session keeps snapshots in files (to start a recording from). */
  file?: string;
}

/** A refusal the user can act on (a write inside history, an unknown snapshot): its message says why. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
}

/** Whether a breakpoint hit at `pc` counts, judged with the machine at the hit. */
export type BreakpointFilter = (pc: number) => boolean;

export interface DebugEngine {
  /**
   * The machine at the current position: read registers (cpu.x, cpu.pc, cpu.s / csrRead) and
   * memory (readMemory below) from it. Never write to it directly: use writeRegister and
   * writeMemory, which know whether the position allows it. After any motion the same object
   * holds the new position's state.
   */
  readonly machine: VirtMachine;
  readonly icount: number;
  info(): EngineInfo;

  /**
   * Guest memory as the hart would see it now (virtual addresses translated with the current
   * satp and privilege; physical when paging is off). Bytes that cannot be read (unmapped, or
   * outside RAM and not a device register that can be read without side effects) end the result
   * early: the array is shorter than `length`, empty when the first byte fails.
   */
  readMemory(address: number, length: number): Uint8Array;
  /** Throws EngineError inside recorded history (a write there would make the replay diverge). */
  writeMemory(address: number, bytes: Uint8Array): void;
  /** x1–x31 by number (x0 cannot be written), or 32 for the pc. Throws EngineError inside history. */
  writeRegister(index: number, value: number): void;

  addBreakpoint(pc: number): void;
  removeBreakpoint(pc: number): void;
  addWatchpoint(address: number, length: number, kind: WatchKind): void;
  removeWatchpoint(address: number, length: number, kind: WatchKind): void;
  /** Stops forward and reverse motions at traps the guest takes: its exceptions, interrupts, or both. */
  breakOnTraps(kinds: { exceptions: boolean; interrupts: boolean }): void;
  /** Stops forward and reverse motions when they reach `icount`; undefined clears it. */
  breakAtIcount(icount: number | undefined): void;

  /** One instruction (or trap entry) forward. */
  stepi(): Promise<EngineStop>;
  /** One instruction (or trap entry) back. At the start of history: history-begin, position unchanged. */
  reverseStepi(): Promise<EngineStop>;
  /** Forward until a breakpoint, watchpoint, the icount break, the end of history or cancel(). */
  continue(): Promise<EngineStop>;
  /**
   * Backward to the last breakpoint/watchpoint/icount-break hit before now, or to the start of
   * history. `accept`, called with the machine at each breakpoint hit on the way (the scan
   * forward passes each), may pass over a hit: a temporary breakpoint in another frame, found in
   * the same scan rather than one reverse-continue after another.
   */
  reverseContinue(accept?: BreakpointFilter): Promise<EngineStop>;
  /** To exactly `icount` (clamped to history; beyond the end is refused with EngineError in replay). */
  seek(icount: number): Promise<EngineStop>;
  /** Asks the motion in progress to stop soon (safe to call when none is). */
  cancel(): void;

  /** Saves the state now under `name` (replacing one of that name), associated with this icount. */
  saveSnapshot(name: string): SnapshotEntry;
  /** Moves to the snapshot's position and state. Throws EngineError when there is no such snapshot. */
  loadSnapshot(name: string): Promise<EngineStop>;
  /** Named snapshots by icount. */
  snapshots(): SnapshotEntry[];
  /** Removes a named snapshot; false when there was none. */
  deleteSnapshot(name: string): boolean;

  /**
   * Where the session can: discards the recorded future and records on from the position, into
   * a new log `log` that starts from a snapshot of this moment (a default name when absent).
   * The position becomes the live edge. Throws EngineError when it cannot.
   */
  goLive?(log?: string): Promise<{ log: string; icount: number }>;
}
