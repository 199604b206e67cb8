// What the engines share about the hart's debug triggers: a watchpoint's range as the hart holds
// it, and a trigger the hart hit as the stop reason a front end sees.

import type { DebugHit, WatchRange } from '../emu/cpu/hart-debug.js';
import type { StopReason, WatchKind } from './debug-engine.js';

/** The hart's watch range for `length` bytes at `address` watched for `kind`. */
export function watchRange(address: number, length: number, kind: WatchKind): WatchRange {
  const start = address >>> 0;
  return { start, end: start + length, read: kind !== 'write', write: kind !== 'read' };
}

export function hitReason(hit: DebugHit): StopReason {
  if (hit.kind === 'breakpoint') return { kind: 'breakpoint', pc: hit.pc };
  if (hit.kind === 'trap') return { kind: 'trap', cause: hit.cause, interrupt: hit.interrupt };
  const w = hit.range;
  const watch: WatchKind = w.read && w.write ? 'access' : w.write ? 'write' : 'read';
  return { kind: 'watchpoint', watch, address: hit.address, access: hit.access };
}
