// Test helper: a DebugEngine over a real VirtMachine running a real guest, forward only, for
// driving the gdb stub without the time-travel engine. The position can still go back by
// re-execution (restore the state saved at the start of history and run to the target: the
// guests here take no input, so that is exact), which gives seek and snapshots real effects.
// Reverse motions answer history-begin and do not move (with `stepBack`, reverseStepi goes back
// one instruction by re-execution).
//
// Breakpoints are found by single-stepping (machine.run(icount + 1)) and testing the pc before
// each instruction; write and access watchpoints by comparing the watched bytes after each
// step, so a store of the value already there is not seen and read watchpoints never fire.
// Writes are allowed at the live edge (the furthest position reached) and refused behind it
// (as inside recorded history), or everywhere with `readOnly`. A slice of steps is followed by a
// turn of Node's event loop, so cancel() (the stub's Ctrl-C) is noticed.

import { loadGuestFile, loadInto } from '../../src/cli/guest-file.js';
import {
  EngineError, type DebugEngine, type EngineInfo, type EngineStop, type SnapshotEntry, type StopReason, type WatchKind,
} from '../../src/engine/debug-engine.js';
import { DEFAULT_CONFIG, VirtMachine } from '../../src/emu/machine.js';
import { loadSnapshot, saveSnapshot } from '../../src/emu/snapshot.js';

export interface ForwardEngineOptions {
  /** Refuse every register and memory write, as a replay does inside its history. */
  readOnly?: boolean;
  /** Instructions between turns of the event loop while continuing. */
  sliceSteps?: number;
  /**
   * reverseStepi goes back one instruction by re-execution (the stub steps back over a watched
   * access that way); without it, reverse motions answer history-begin and do not move.
   */
  stepBack?: boolean;
}

interface Watch {
  address: number;
  length: number;
  kind: WatchKind;
  last: Uint8Array;
}

export class ForwardEngine implements DebugEngine {
  readonly machine: VirtMachine;
  /** What the guest wrote to its console, as text. */
  output = '';
  /** Every motion started, by name, in order (for tests that check what gdb asked for). */
  readonly motions: string[] = [];
  /** The last continue started, until it resolves (for tests that wait for a cancelled one). */
  running: Promise<EngineStop> | undefined;
  private startState: Uint8Array;
  private historyStart: number;
  private liveEdge: number;
  private readonly breakpoints = new Set<number>();
  private watches: Watch[] = [];
  private icountBreak: number | undefined;
  private cancelled = false;
  private readonly named = new Map<string, { icount: number; state: Uint8Array }>();
  private readonly sliceSteps: number;

  constructor(
    elfPath: string,
    private readonly options: ForwardEngineOptions = {},
  ) {
    this.machine = new VirtMachine(DEFAULT_CONFIG, {
      console: { write: (b) => (this.output += String.fromCharCode(b)) },
      wallClock: { nowNs: () => 0n },
    });
    loadInto(this.machine, loadGuestFile(elfPath));
    this.startState = saveSnapshot(this.machine, 'start');
    this.historyStart = this.machine.icount;
    this.liveEdge = this.machine.icount;
    this.sliceSteps = options.sliceSteps ?? 20_000;
  }

  get icount(): number {
    return this.machine.icount;
  }

  info(): EngineInfo {
    return {
      mode: 'record',
      icount: this.icount,
      virtualTimeNs: this.machine.nowNs(),
      historyStart: this.historyStart,
      historyEnd: this.liveEdge,
      atLiveEdge: this.icount === this.liveEdge && !this.options.readOnly,
      keyframes: { count: 1, bytes: this.startState.length, icounts: [this.historyStart] },
      icountBreak: this.icountBreak,
    };
  }

  readMemory(address: number, length: number): Uint8Array {
    const out: number[] = [];
    for (let i = 0; i < length; i++) {
      const va = address + i;
      if (va > 0xffff_ffff) break;
      const pa = this.machine.cpu.inspectTranslation(va);
      if (pa === undefined || !this.machine.ram.contains(pa)) break;
      out.push(this.machine.ram.u8[pa - this.machine.ram.base]);
    }
    return Uint8Array.from(out);
  }

  writeMemory(address: number, bytes: Uint8Array): void {
    this.checkWritable();
    for (let i = 0; i < bytes.length; i++) {
      const pa = this.machine.cpu.inspectTranslation(address + i);
      if (pa === undefined || !this.machine.ram.contains(pa)) {
        throw new EngineError(`cannot write memory at 0x${(address + i).toString(16)}: not RAM`);
      }
    }
    bytes.forEach((b, i) => this.machine.ram.write(this.machine.cpu.inspectTranslation(address + i)!, Uint8Array.of(b)));
    this.changedAtLiveEdge();
  }

  writeRegister(index: number, value: number): void {
    this.checkWritable();
    if (index >= 1 && index < 32) this.machine.cpu.x[index] = value | 0;
    else if (index === 32) this.machine.cpu.pc = value;
    else throw new EngineError(`there is no register ${index} to write`);
    this.changedAtLiveEdge();
  }

  addBreakpoint(pc: number): void {
    this.breakpoints.add(pc >>> 0);
  }

  removeBreakpoint(pc: number): void {
    this.breakpoints.delete(pc >>> 0);
  }

  /** The addresses with a breakpoint, for tests. */
  get breakpointAddresses(): number[] {
    return [...this.breakpoints];
  }

  addWatchpoint(address: number, length: number, kind: WatchKind): void {
    this.watches.push({ address, length, kind, last: this.readMemory(address, length) });
  }

  removeWatchpoint(address: number, length: number, kind: WatchKind): void {
    const i = this.watches.findIndex((w) => w.address === address && w.length === length && w.kind === kind);
    if (i >= 0) this.watches.splice(i, 1);
  }

  get watchCount(): number {
    return this.watches.length;
  }

  breakOnTraps(kinds: { exceptions: boolean; interrupts: boolean }): void {
    this.machine.cpu.debug.breakOnTraps = { ...kinds };
  }

  breakAtIcount(icount: number | undefined): void {
    this.icountBreak = icount;
  }

  async stepi(): Promise<EngineStop> {
    this.motions.push('stepi');
    const reason = this.step();
    return this.stop(reason ?? this.watchHit() ?? { kind: 'done' });
  }

  async reverseStepi(): Promise<EngineStop> {
    this.motions.push('reverseStepi');
    if (!this.options.stepBack || this.icount === this.historyStart) return this.stop({ kind: 'history-begin' });
    return this.moveTo(this.icount - 1);
  }

  continue(): Promise<EngineStop> {
    this.motions.push('continue');
    this.cancelled = false;
    this.running = this.run();
    return this.running;
  }

  private async run(): Promise<EngineStop> {
    let first = true;
    for (;;) {
      for (let i = 0; i < this.sliceSteps; i++) {
        const pc = this.machine.cpu.pc;
        if (!first && this.breakpoints.has(pc)) return this.stop({ kind: 'breakpoint', pc });
        first = false;
        const reason = this.step();
        if (reason !== undefined) return this.stop(reason);
        const watch = this.watchHit();
        if (watch !== undefined) return this.stop(watch);
        if (this.icount === this.icountBreak) return this.stop({ kind: 'icount', icount: this.icount });
      }
      await new Promise((resolve) => setImmediate(resolve));
      if (this.cancelled) return this.stop({ kind: 'interrupted' });
    }
  }

  async reverseContinue(): Promise<EngineStop> {
    this.motions.push('reverseContinue');
    return this.stop({ kind: 'history-begin' });
  }

  async seek(icount: number): Promise<EngineStop> {
    this.motions.push(`seek ${icount}`);
    return this.moveTo(icount);
  }

  private moveTo(icount: number): EngineStop {
    const target = Math.max(icount, this.historyStart);
    if (target < this.icount) this.restore(this.startState);
    while (this.icount < target) {
      const reason = this.step();
      if (reason !== undefined) return this.stop(reason);
    }
    this.refreshWatches();
    return this.stop(icount < this.historyStart ? { kind: 'history-begin' } : { kind: 'done' });
  }

  cancel(): void {
    this.cancelled = true;
  }

  saveSnapshot(name: string): SnapshotEntry {
    this.named.set(name, { icount: this.icount, state: saveSnapshot(this.machine, name) });
    return { name, icount: this.icount };
  }

  async loadSnapshot(name: string): Promise<EngineStop> {
    const s = this.named.get(name);
    if (s === undefined) throw new EngineError(`there is no snapshot named "${name}"`);
    this.restore(s.state);
    this.refreshWatches();
    return this.stop({ kind: 'done' });
  }

  snapshots(): SnapshotEntry[] {
    return [...this.named].map(([name, s]) => ({ name, icount: s.icount })).sort((a, b) => a.icount - b.icount);
  }

  deleteSnapshot(name: string): boolean {
    return this.named.delete(name);
  }

  /** One instruction or trap entry; a reason when the machine cannot go on. */
  private step(): StopReason | undefined {
    const exit = this.machine.exit;
    if (exit !== undefined) return { kind: 'history-end', exit };
    const r = this.machine.run(this.icount + 1);
    this.liveEdge = Math.max(this.liveEdge, this.icount);
    if (r === 'exit') return { kind: 'history-end', exit: this.machine.exit };
    if (r === 'idle') return { kind: 'idle' };
    return undefined;
  }

  private watchHit(): StopReason | undefined {
    for (const w of this.watches) {
      if (w.kind === 'read') continue;
      const now = this.readMemory(w.address, w.length);
      const changed = now.some((b, i) => b !== w.last[i]);
      w.last = now;
      if (changed) return { kind: 'watchpoint', watch: w.kind, address: w.address, access: 'write' };
    }
    return undefined;
  }

  private refreshWatches(): void {
    for (const w of this.watches) w.last = this.readMemory(w.address, w.length);
  }

  private restore(state: Uint8Array): void {
    loadSnapshot(this.machine, state);
  }

  private checkWritable(): void {
    if (this.options.readOnly || this.icount !== this.liveEdge) {
      throw new EngineError(`writes are refused inside recorded history (icount ${this.icount}, live edge ${this.liveEdge})`);
    }
  }

  /** A write at the live edge cannot be re-executed from the start: history begins again here. */
  private changedAtLiveEdge(): void {
    this.startState = saveSnapshot(this.machine, 'start');
    this.historyStart = this.icount;
    this.refreshWatches();
  }

  private stop(reason: StopReason): EngineStop {
    return { reason, icount: this.icount, pc: this.machine.cpu.pc };
  }
}
