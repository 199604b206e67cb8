// What one gdb has inserted with Z0–Z4, kept beside the engine's own lists: the engine has one
// kind of breakpoint, so this remembers whether gdb asked for a software (Z0) or hardware (Z1)
// one at each address (the stop reply names the kind); gdb's inserts and removes are idempotent,
// as the manual asks, so the engine sees each address or range once; and when the session ends
// everything this gdb inserted is taken out of the engine, which may serve another front end.
// Breakpoints are always engine breakpoints, never an ebreak written into guest memory: writes
// inside history are refused, and the engine stops at them in both directions.

import type { DebugEngine, WatchKind } from '../engine/debug-engine.js';

/** Z/z types: 0 software breakpoint, 1 hardware breakpoint, 2 write, 3 read, 4 access watchpoint. */
export type ZType = 0 | 1 | 2 | 3 | 4;

const WATCH_KINDS: Record<2 | 3 | 4, WatchKind> = { 2: 'write', 3: 'read', 4: 'access' };

export class GdbBreakpoints {
  private readonly software = new Set<number>();
  private readonly hardware = new Set<number>();
  private readonly watches = new Map<string, { address: number; length: number; kind: WatchKind }>();

  constructor(private readonly engine: DebugEngine) {}

  /** Z TYPE,ADDR,KIND: KIND is the breakpoint's size (ignored) or the watched length. */
  insert(type: ZType, address: number, kind: number): void {
    if (type === 0 || type === 1) {
      const [mine, other] = type === 0 ? [this.software, this.hardware] : [this.hardware, this.software];
      if (mine.has(address)) return;
      if (!other.has(address)) this.engine.addBreakpoint(address);
      mine.add(address);
      return;
    }
    const watch = { address, length: kind, kind: WATCH_KINDS[type] };
    const key = keyOf(watch);
    if (this.watches.has(key)) return;
    this.engine.addWatchpoint(address, kind, watch.kind);
    this.watches.set(key, watch);
  }

  remove(type: ZType, address: number, kind: number): void {
    if (type === 0 || type === 1) {
      const [mine, other] = type === 0 ? [this.software, this.hardware] : [this.hardware, this.software];
      if (!mine.has(address)) return;
      if (!other.has(address)) this.engine.removeBreakpoint(address);
      mine.delete(address);
      return;
    }
    const key = keyOf({ address, length: kind, kind: WATCH_KINDS[type] });
    const watch = this.watches.get(key);
    if (watch === undefined) return;
    this.engine.removeWatchpoint(watch.address, watch.length, watch.kind);
    this.watches.delete(key);
  }

  /** Which kinds gdb inserted at `pc`. */
  kindsAt(pc: number): { software: boolean; hardware: boolean } {
    return { software: this.software.has(pc >>> 0), hardware: this.hardware.has(pc >>> 0) };
  }

  /** Takes everything out of the engine and forgets it. */
  removeAll(): void {
    try {
      for (const pc of new Set([...this.software, ...this.hardware])) this.engine.removeBreakpoint(pc);
      for (const w of this.watches.values()) this.engine.removeWatchpoint(w.address, w.length, w.kind);
    } finally {
      this.software.clear();
      this.hardware.clear();
      this.watches.clear();
    }
  }
}

function keyOf(w: { address: number; length: number; kind: WatchKind }): string {
  return `${w.kind}:${w.address}:${w.length}`;
}
