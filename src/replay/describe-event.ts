// One event in words, for divergence messages: "interrupt 7 (machine timer) at icount 5000".

import { BLOCK_OP_NAMES, BlockOp, EVENT_KIND_NAMES, EventKind, type LogEvent } from '../shared/log-events.js';

/** Interrupt causes by number, as the privileged spec names them. */
export const INTERRUPT_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'supervisor software'], [3, 'machine software'], [5, 'supervisor timer'],
  [7, 'machine timer'], [9, 'supervisor external'], [11, 'machine external'],
]);

/** Exception causes by number, as the privileged spec names them. */
export const EXCEPTION_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'instruction address misaligned'], [1, 'instruction access fault'], [2, 'illegal instruction'],
  [3, 'breakpoint'], [4, 'load address misaligned'], [5, 'load access fault'],
  [6, 'store/AMO address misaligned'], [7, 'store/AMO access fault'], [8, 'ecall from U-mode'],
  [9, 'ecall from S-mode'], [11, 'ecall from M-mode'], [12, 'instruction page fault'],
  [13, 'load page fault'], [15, 'store/AMO page fault'],
]);

/** A trap in words: "the machine timer interrupt (cause 7)", "an illegal instruction exception (cause 2)". */
export function trapName(cause: number, interrupt: boolean): string {
  const name = (interrupt ? INTERRUPT_NAMES : EXCEPTION_NAMES).get(cause) ?? 'unknown';
  return interrupt ? `the ${name} interrupt (cause ${cause})` : `a ${name} exception (cause ${cause})`;
}

/** "read of 4096 bytes at sector 2048", "flush". */
export function blockRequestWords(e: Extract<LogEvent, { kind: typeof EventKind.BlockRequest }>): string {
  const op = BLOCK_OP_NAMES[e.op] ?? `operation ${e.op}`;
  return e.op === BlockOp.Flush ? op : `${op} of ${e.length} bytes at sector ${e.offset / SECTOR_BYTES}`;
}

/** Sectors as virtio-blk counts them. */
const SECTOR_BYTES = 512;

export function describeEvent(e: LogEvent | undefined): string {
  if (e === undefined) return 'nothing more (the log ends)';
  const at = `at icount ${e.icount}`;
  switch (e.kind) {
    case EventKind.Interrupt: return `interrupt ${e.cause} (${INTERRUPT_NAMES.get(e.cause) ?? 'unknown'}) ${at}`;
    case EventKind.Exception: return `exception ${e.cause} (${EXCEPTION_NAMES.get(e.cause) ?? 'unknown'}) ${at}`;
    case EventKind.SerialWrite: return `${e.count} byte(s) of serial output from ${at}`;
    case EventKind.SerialInput: return `${e.bytes.length} byte(s) of serial input ${at}`;
    case EventKind.ClockRead: return `a wall-clock read ${at}`;
    case EventKind.Entropy: return `${e.bytes.length} byte(s) of entropy for virtio slot ${e.device} ${at}`;
    case EventKind.BlockComplete: return `the completion of block request ${e.request} of virtio slot ${e.device} ${at}`;
    case EventKind.BlockRequest: return `block request ${e.request} of virtio slot ${e.device} (${blockRequestWords(e)}) ${at}`;
    case EventKind.NetReceive: return `a ${e.frame.length}-byte frame for virtio slot ${e.device} ${at}`;
    case EventKind.NetTransmit: return `a ${e.length}-byte frame sent by virtio slot ${e.device} (CRC-32 0x${e.crc.toString(16).padStart(8, '0')}) ${at}`;
    case EventKind.InputEvent: return `input event ${e.type}/${e.code}/${e.value} for virtio slot ${e.device} ${at}`;
    case EventKind.Checkpoint: return `a checkpoint ${at}`;
    case EventKind.Digest: return `a state digest ${at}`;
    case EventKind.Shutdown: return `a shutdown ${at}`;
    case EventKind.End: return `the end of the recording ${at}`;
    case EventKind.DebugWrite: return `a debugger's write of ${e.bytes.length} byte(s) to ${e.target === 0 ? `memory at 0x${e.address.toString(16)}` : `register ${e.address}`} ${at}`;
    default: return `a ${EVENT_KIND_NAMES.get(e.kind) ?? `kind-${(e as LogEvent).kind}`} event ${at}`;
  }
}
