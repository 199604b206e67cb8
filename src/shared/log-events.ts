// The events of a record/replay log, declared once for the recorder, the replayer, the log
// tools (info, dump) and, later, the debugger and the timeline. Every event carries the icount
// at which it happened; what else it carries depends on its kind.
//
// Two families: inputs, which replay feeds back into the machine (serial bytes, clock reads,
// block completions, packets, input events, entropy, host timer callbacks, shutdown), and
// observations, which replay checks against what the machine does (interrupts, exceptions,
// serial output counts, block requests submitted, network frames sent, state digests).
// Checkpoints mark where queued asynchronous input was delivered.

export const EventKind = {
  /** An absolute icount, carried where a reader may start (each chunk begins with one). */
  IcountStamp: 1,
  /** An interrupt was taken: its cause number. */
  Interrupt: 2,
  /** An exception was taken: its cause number. */
  Exception: 3,
  /** Bytes a serial device received from its host backend. */
  SerialInput: 4,
  /** Bytes a serial device sent that its backend accepted (output is not replayed, only counted). */
  SerialWrite: 5,
  /** A read of a host clock (the RTC's wall clock): the value returned, in ns. */
  ClockRead: 6,
  /** A block request completed (the data comes from the disk image on replay). */
  BlockComplete: 7,
  /** A network frame received. */
  NetReceive: 8,
  /** A keyboard or mouse event. */
  InputEvent: 9,
  /** Entropy bytes handed to the guest. */
  Entropy: 10,
  /** A host timer callback that reached the machine through the async queue. */
  TimerCallback: 11,
  /** Queued asynchronous input was delivered here. */
  Checkpoint: 12,
  /** The host asked the machine to stop (Ctrl-C, a signal, the user). */
  Shutdown: 13,
  /** Digests of the machine state, for divergence detection. */
  Digest: 14,
  /** A named snapshot was taken at this icount. */
  Snapshot: 15,
  /** The recording ended here. */
  End: 16,
  /** A debugger changed memory or a register (at a recording's live edge): replayed as an input. */
  DebugWrite: 17,
  /** The guest submitted a block request (read, write or flush of a byte range): an observation. */
  BlockRequest: 18,
  /** The guest sent a network frame: its length and CRC-32 (the frame itself is output, not replayed). */
  NetTransmit: 19,
} as const;

export type EventKindName = keyof typeof EventKind;
export type EventKindCode = (typeof EventKind)[EventKindName];

/** The name of each kind, as `rvreplay dump --kind` and the timeline spell them. */
export const EVENT_KIND_NAMES: ReadonlyMap<number, string> = new Map([
  [EventKind.IcountStamp, 'icount'],
  [EventKind.Interrupt, 'interrupt'],
  [EventKind.Exception, 'exception'],
  [EventKind.SerialInput, 'serial-in'],
  [EventKind.SerialWrite, 'serial-out'],
  [EventKind.ClockRead, 'clock'],
  [EventKind.BlockComplete, 'block'],
  [EventKind.NetReceive, 'net-rx'],
  [EventKind.InputEvent, 'input'],
  [EventKind.Entropy, 'entropy'],
  [EventKind.TimerCallback, 'timer'],
  [EventKind.Checkpoint, 'checkpoint'],
  [EventKind.Shutdown, 'shutdown'],
  [EventKind.Digest, 'digest'],
  [EventKind.Snapshot, 'snapshot'],
  [EventKind.End, 'end'],
  [EventKind.DebugWrite, 'debug-write'],
  [EventKind.BlockRequest, 'block-req'],
  [EventKind.NetTransmit, 'net-tx'],
]);

/** Why the host stopped the machine. */
export const ShutdownReason = {
  /** Ctrl-C or SIGINT/SIGTERM while recording. */
  HostSignal: 1,
  /** The user quit (Ctrl-A x, the debugger). */
  User: 2,
  /** The instruction budget ran out. */
  Budget: 3,
} as const;

/** What a BlockRequest asks of the disk. */
export const BlockOp = {
  Read: 0,
  Write: 1,
  Flush: 2,
} as const;

/** The name of each BlockOp, as the dump and the timeline spell it. */
export const BLOCK_OP_NAMES: readonly string[] = ['read', 'write', 'flush'];

/** What a DebugWrite changed: guest RAM at a physical address, or a register (1–31, 32 the pc). */
export const DebugWriteTarget = {
  Memory: 0,
  Register: 1,
} as const;

/** The register number of the pc in DebugWrite events (x1–x31 are 1–31). */
export const DEBUG_WRITE_PC = 32;

export type LogEvent =
  | { kind: typeof EventKind.IcountStamp; icount: number }
  | { kind: typeof EventKind.Interrupt; icount: number; cause: number }
  | { kind: typeof EventKind.Exception; icount: number; cause: number }
  | { kind: typeof EventKind.SerialInput; icount: number; device: number; bytes: Uint8Array }
  | { kind: typeof EventKind.SerialWrite; icount: number; device: number; count: number }
  | { kind: typeof EventKind.ClockRead; icount: number; clock: number; valueNs: bigint }
  | { kind: typeof EventKind.BlockComplete; icount: number; device: number; request: number; status: number }
  | { kind: typeof EventKind.NetReceive; icount: number; device: number; frame: Uint8Array }
  | { kind: typeof EventKind.InputEvent; icount: number; device: number; type: number; code: number; value: number }
  | { kind: typeof EventKind.Entropy; icount: number; device: number; bytes: Uint8Array }
  | { kind: typeof EventKind.TimerCallback; icount: number; timer: number }
  | { kind: typeof EventKind.Checkpoint; icount: number }
  | { kind: typeof EventKind.Shutdown; icount: number; reason: number }
  | {
      kind: typeof EventKind.Digest;
      icount: number;
      /** One hash per state-arena region, in the arena's order. */
      regions: number[];
      /** RAM pages written since the previous digest: page number and the hash of its contents. */
      pages: { page: number; hash: number }[];
    }
  | { kind: typeof EventKind.Snapshot; icount: number; name: string }
  | { kind: typeof EventKind.End; icount: number }
  | { kind: typeof EventKind.DebugWrite; icount: number; target: number; address: number; bytes: Uint8Array }
  /** `request` is the number BlockComplete names it by; offset and length in bytes of the disk. */
  | { kind: typeof EventKind.BlockRequest; icount: number; device: number; request: number; op: number; offset: number; length: number }
  | { kind: typeof EventKind.NetTransmit; icount: number; device: number; length: number; crc: number };
