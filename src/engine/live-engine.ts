// Debugging without a recording (the debugger's "rr": "none", QEMU's plain -icount run under
// gdb): the machine runs live on its host ports, forward only. Breakpoints, watchpoints, trap
// breaks and the icount break work as in the other engines; registers and memory can always be
// written (nothing has to follow a log); named snapshots are kept in memory and loading one puts
// the machine back in that state, as QEMU's loadvm does. There is no history: a reverse motion is
// refused with the reason.

import { setImmediate as yieldToHost } from 'node:timers/promises';
import type { VirtMachine } from '../emu/machine.js';
import { loadSnapshot, saveSnapshot } from '../emu/snapshot.js';
import {
  EngineError, type BreakpointFilter, type DebugEngine, type EngineInfo, type EngineStop, type SnapshotEntry, type StopReason, type WatchKind,
} from './debug-engine.js';
import { physicalPieces, readGuestMemory } from './guest-memory.js';
import { hitReason, watchRange } from './hart-hits.js';
import type { LiveHost } from './record-engine.js';

/** Instructions per slice, and while host I/O is in flight (as in the CLI's live loop). */
const SLICE = 1_000_000;
const SLICE_WHILE_BUSY = 20_000;

const NO_HISTORY = 'this session keeps no history ("rr": "none"): record it ("rr": "record") to go back';

export class LiveEngine implements DebugEngine {
  private readonly named = new Map<string, { icount: number; state: Uint8Array }>();
  private icountBreak: number | undefined;
  private cancelRequested = false;
  private wakeOnCancel: (() => void) | undefined;

  constructor(
    readonly machine: VirtMachine,
    private readonly live: LiveHost,
    /** Host I/O started for the state a snapshot replaces must not complete into it. */
    private readonly restartHost: () => void,
  ) {}

  get icount(): number {
    return this.machine.icount;
  }

  info(): EngineInfo {
    const icount = this.icount;
    return {
      mode: 'live', icount, virtualTimeNs: this.machine.nowNs(), historyStart: icount, historyEnd: icount, atLiveEdge: true,
      keyframes: { count: 0, bytes: 0, icounts: [] }, icountBreak: this.icountBreak,
    };
  }

  readMemory(address: number, length: number): Uint8Array {
    return readGuestMemory(this.machine, address, length);
  }

  writeMemory(address: number, bytes: Uint8Array): void {
    const ram = this.machine.ram;
    for (const [pa, piece] of physicalPieces(this.machine, address, bytes)) ram.write(pa, piece);
  }

  writeRegister(index: number, value: number): void {
    if (!Number.isInteger(index) || index < 1 || index > 32) throw new EngineError(`register ${index} cannot be written (x1–x31, or 32 for the pc)`);
    if (index === 32) this.machine.cpu.pc = value | 0;
    else this.machine.cpu.x[index] = value | 0;
  }

  addBreakpoint(pc: number): void {
    this.machine.cpu.debug.addBreakpoint(pc);
  }

  removeBreakpoint(pc: number): void {
    this.machine.cpu.debug.removeBreakpoint(pc);
  }

  addWatchpoint(address: number, length: number, kind: WatchKind): void {
    this.machine.cpu.debug.addWatch(watchRange(address, length, kind));
  }

  removeWatchpoint(address: number, length: number, kind: WatchKind): void {
    const w = watchRange(address, length, kind);
    this.machine.cpu.debug.removeWatch(w.start, w.end, w.read, w.write);
  }

  breakOnTraps(kinds: { exceptions: boolean; interrupts: boolean }): void {
    this.machine.cpu.debug.breakOnTraps = { ...kinds };
  }

  breakAtIcount(icount: number | undefined): void {
    this.icountBreak = icount;
  }

  cancel(): void {
    this.cancelRequested = true;
    this.wakeOnCancel?.();
  }

  stepi(): Promise<EngineStop> {
    return this.motion(() => this.run(this.icount + 1, true, { kind: 'done' }));
  }

  continue(): Promise<EngineStop> {
    const b = this.icountBreak;
    const target = b !== undefined && b > this.icount ? b : Infinity;
    return this.motion(() => this.run(target, true, { kind: 'icount', icount: target }));
  }

  /** Forward only: to a later icount, without stopping at breakpoints on the way. */
  seek(icount: number): Promise<EngineStop> {
    if (!Number.isSafeInteger(icount) || icount < 0) throw new EngineError(`${icount} is not an icount`);
    if (icount < this.icount) throw new EngineError(`icount ${icount} is in the past, and ${NO_HISTORY}`);
    return this.motion(() => this.run(icount, false, { kind: 'done' }));
  }

  reverseStepi(): Promise<EngineStop> {
    return Promise.reject(new EngineError(NO_HISTORY));
  }

  reverseContinue(_accept?: BreakpointFilter): Promise<EngineStop> {
    return Promise.reject(new EngineError(NO_HISTORY));
  }

  saveSnapshot(name: string): SnapshotEntry {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new EngineError(`'${name}': a snapshot name may use letters, digits, '.', '_' and '-'`);
    this.named.set(name, { icount: this.icount, state: saveSnapshot(this.machine, name) });
    return { name, icount: this.icount };
  }

  loadSnapshot(name: string): Promise<EngineStop> {
    const snapshot = this.named.get(name);
    if (snapshot === undefined) return Promise.reject(new EngineError(`there is no snapshot named '${name}'`));
    return this.motion(async () => {
      this.restartHost();
      loadSnapshot(this.machine, snapshot.state);
      return { kind: 'done' };
    });
  }

  snapshots(): SnapshotEntry[] {
    return [...this.named].map(([name, s]) => ({ name, icount: s.icount })).sort((a, b) => a.icount - b.icount || a.name.localeCompare(b.name));
  }

  deleteSnapshot(name: string): boolean {
    return this.named.delete(name);
  }

  private async motion(body: () => Promise<StopReason>): Promise<EngineStop> {
    this.cancelRequested = false;
    this.wakeOnCancel = undefined;
    const reason = await body();
    this.machine.cpu.debug.armed = true;
    return { reason, icount: this.icount, pc: this.machine.cpu.pc };
  }

  /** Runs to `target` in slices with host input delivered between them; `reached` is the reason when it gets there. */
  private async run(target: number, armed: boolean, reached: StopReason): Promise<StopReason> {
    const m = this.machine;
    const debug = m.cpu.debug;
    debug.armed = armed;
    debug.resumeIcount = m.icount;
    for (;;) {
      if (m.exit !== undefined) return { kind: 'history-end', exit: m.exit };
      if (m.icount >= target) return reached;
      this.live.checkpoint();
      const reason = m.run(Math.min(target, m.icount + (this.live.busy ? SLICE_WHILE_BUSY : SLICE)));
      this.live.between();
      if (reason === 'debug') return hitReason(debug.hit!);
      if (reason === 'idle') {
        if (!this.live.inputMayCome || !m.externalInterruptsEnabled) return { kind: 'idle' };
        // Input held back for want of a buffer may fit now; else wait for some to come.
        if (!this.live.checkpoint()) {
          await Promise.race([this.live.waitForInput(), new Promise<void>((resolve) => (this.wakeOnCancel = resolve))]);
        }
      } else {
        await yieldToHost();
      }
      if (this.cancelRequested) return { kind: 'interrupted' };
    }
  }
}
