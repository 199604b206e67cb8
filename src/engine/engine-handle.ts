// The engine a front end holds for a whole session, when the session may replace the engine under
// it: going live from a moment in history starts a new recording with a new engine on the same
// machine, and the gdb session (or the debug adapter) goes on with it unaware. Every call goes
// to the current engine.

import type { VirtMachine } from '../emu/machine.js';
import type { BreakpointFilter, DebugEngine, EngineInfo, EngineStop, SnapshotEntry, WatchKind } from './debug-engine.js';

export class EngineHandle implements DebugEngine {
  goLive?: (log?: string) => Promise<{ log: string; icount: number }>;

  constructor(public current: DebugEngine) {}

  get machine(): VirtMachine {
    return this.current.machine;
  }

  get icount(): number {
    return this.current.icount;
  }

  info(): EngineInfo {
    return this.current.info();
  }

  readMemory(address: number, length: number): Uint8Array {
    return this.current.readMemory(address, length);
  }

  writeMemory(address: number, bytes: Uint8Array): void {
    this.current.writeMemory(address, bytes);
  }

  writeRegister(index: number, value: number): void {
    this.current.writeRegister(index, value);
  }

  addBreakpoint(pc: number): void {
    this.current.addBreakpoint(pc);
  }

  removeBreakpoint(pc: number): void {
    this.current.removeBreakpoint(pc);
  }

  addWatchpoint(address: number, length: number, kind: WatchKind): void {
    this.current.addWatchpoint(address, length, kind);
  }

  removeWatchpoint(address: number, length: number, kind: WatchKind): void {
    this.current.removeWatchpoint(address, length, kind);
  }

  breakOnTraps(kinds: { exceptions: boolean; interrupts: boolean }): void {
    this.current.breakOnTraps(kinds);
  }

  breakAtIcount(icount: number | undefined): void {
    this.current.breakAtIcount(icount);
  }

  stepi(): Promise<EngineStop> {
    return this.current.stepi();
  }

  reverseStepi(): Promise<EngineStop> {
    return this.current.reverseStepi();
  }

  continue(): Promise<EngineStop> {
    return this.current.continue();
  }

  reverseContinue(accept?: BreakpointFilter): Promise<EngineStop> {
    return this.current.reverseContinue(accept);
  }

  seek(icount: number): Promise<EngineStop> {
    return this.current.seek(icount);
  }

  cancel(): void {
    this.current.cancel();
  }

  saveSnapshot(name: string): SnapshotEntry {
    return this.current.saveSnapshot(name);
  }

  loadSnapshot(name: string): Promise<EngineStop> {
    return this.current.loadSnapshot(name);
  }

  snapshots(): SnapshotEntry[] {
    return this.current.snapshots();
  }

  deleteSnapshot(name: string): boolean {
    return this.current.deleteSnapshot(name);
  }
}
