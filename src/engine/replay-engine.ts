// Time travel over a recorded log: the position is an icount anywhere in the recording's history,
// and every motion is "restore a keyframe, replay forward". Keyframes are taken as replay first
// passes each stretch of history; a seek restores the latest one at or before its target.
//
// Reverse motions scan forward: reverse-continue replays the keyframe interval before the
// position with breakpoints and watchpoints armed, noting every hit, and seeks to the last one;
// with no hit it scans the interval before, down to the start of history. Each interval is
// replayed once to scan and once to seek, whatever the number of hits.
//
// Positions are canonical: at an icount, the log's inputs due there have been delivered (a stop
// at a breakpoint delivers them too), so a seek and a breakpoint stop at the same icount show the
// same state.

import { setImmediate as yieldToHost } from 'node:timers/promises';
import type { DebugHit } from '../emu/cpu/hart-debug.js';
import type { VirtMachine } from '../emu/machine.js';
import { DivergenceError } from '../replay/divergence-error.js';
import type { Replayer, ReplayPosition, ReplayStop } from '../replay/replayer.js';
import {
  EngineError, type BreakpointFilter, type DebugEngine, type EngineInfo, type EngineStop, type SnapshotEntry, type StopReason, type WatchKind,
} from './debug-engine.js';
import { readGuestMemory } from './guest-memory.js';
import { hitReason, watchRange } from './hart-hits.js';
import { KeyframeStore, type Keyframe } from './keyframe-store.js';
import type { NewOutputFilter } from './new-output-filter.js';

export interface KeyframeOptions {
  /** Instructions between automatic keyframes. */
  interval: number;
  /** Memory the keyframes may hold before older ones are thinned. */
  budgetBytes: number;
}

export const DEFAULT_KEYFRAMES: KeyframeOptions = { interval: 2_000_000, budgetBytes: 256 * 1024 * 1024 };

/** Instructions per slice of a long motion, between which cancel() and the host's events are seen. */
const SLICE = 1_000_000;
/**
 * A seek that replays further than this from its keyframe keeps a keyframe this far short of its
 * target on the way: stepping back from there again (reverse-stepi, reverse-next) then replays
 * at most this much.
 */
const NEAR_KEYFRAME = 100_000;

/** How a forward run ended. */
export type RunEnd =
  | { kind: 'reached' }
  | { kind: 'hit'; hit: DebugHit }
  | { kind: 'end'; stop: ReplayStop }
  | { kind: 'cancelled' }
  | { kind: 'idle' }
  | { kind: 'diverged'; message: string };

export class ReplayEngine implements DebugEngine {
  readonly historyStart: number;
  protected readonly keyframes: KeyframeStore<ReplayPosition>;
  private readonly named = new Map<string, Keyframe<ReplayPosition>>();
  protected cancelRequested = false;
  private wakeOnCancel: (() => void) | undefined;
  private icountBreak: number | undefined;
  /** The guest's exit, once replay has reached the end of a recording where it finished. */
  protected finalStop: ReplayStop | undefined;
  /**
   * Writes a named snapshot of the state now to a file too, returning where (the CLI puts it
   * beside the log, so `record --from-snapshot` can start a new recording from that moment).
   */
  persistSnapshot: ((name: string) => string) | undefined;

  constructor(
    readonly machine: VirtMachine,
    protected readonly replayer: Replayer,
    private readonly output: NewOutputFilter | undefined,
    protected readonly options: KeyframeOptions = DEFAULT_KEYFRAMES,
  ) {
    if (output !== undefined) output.icount = () => machine.icount;
    this.keyframes = new KeyframeStore(machine, options.budgetBytes);
    this.historyStart = machine.icount;
    // The inputs due at the first icount go in first: positions are after their inputs.
    this.noteEnd(replayer.run(machine.icount));
    this.keyframes.take(replayer.savePosition());
    output?.reached(machine.icount);
  }

  get icount(): number {
    return this.machine.icount;
  }

  get historyEnd(): number {
    return this.replayer.endIcount;
  }

  info(): EngineInfo {
    return {
      mode: this.atLiveEdge === undefined ? 'replay' : 'record',
      icount: this.icount,
      virtualTimeNs: this.machine.nowNs(),
      historyStart: this.historyStart,
      historyEnd: this.historyEnd,
      atLiveEdge: this.atLiveEdge ?? false,
      keyframes: { count: this.keyframes.count, bytes: this.keyframes.bytes, icounts: this.keyframes.icounts },
      icountBreak: this.icountBreak,
    };
  }

  readMemory(address: number, length: number): Uint8Array {
    return readGuestMemory(this.machine, address, length);
  }

  writeMemory(_address: number, _bytes: Uint8Array): void {
    throw new EngineError('memory cannot be changed in a replay: the position is inside recorded history, and the replay would no longer follow the log');
  }

  writeRegister(_index: number, _value: number): void {
    throw new EngineError('registers cannot be changed in a replay: the position is inside recorded history, and the replay would no longer follow the log');
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

  /** Whether the position is a recording's live edge; undefined in a replay, which has none. */
  protected get atLiveEdge(): boolean | undefined {
    return undefined;
  }

  /** Resolves when cancel() is called during the current motion (for waits on host input). */
  protected cancelled(): Promise<void> {
    return new Promise((resolve) => (this.wakeOnCancel = resolve));
  }

  async stepi(): Promise<EngineStop> {
    return this.motion(async () => {
      if (this.atEnd) return this.endReason();
      this.machine.cpu.debug.resumeIcount = this.icount;
      const r = await this.runTo(this.icount + 1, true);
      return r.kind === 'reached' ? { kind: 'done' } : this.forwardReason(r);
    });
  }

  async reverseStepi(): Promise<EngineStop> {
    return this.motion(async () => {
      if (this.icount <= this.historyStart) return { kind: 'history-begin' };
      return this.moveTo(this.icount - 1);
    });
  }

  async continue(): Promise<EngineStop> {
    return this.motion(async () => {
      if (this.atEnd) return this.endReason();
      const b = this.icountBreak;
      const target = b !== undefined && b > this.icount ? b : Infinity;
      this.machine.cpu.debug.resumeIcount = this.icount;
      const r = await this.runTo(target, true);
      if (r.kind === 'reached') return { kind: 'icount', icount: this.icount };
      return this.forwardReason(r);
    });
  }

  async reverseContinue(accept?: BreakpointFilter): Promise<EngineStop> {
    return this.motion(async () => {
      const from = this.icount;
      let end = from;
      while (end > this.historyStart) {
        const frame = this.keyframes.atOrBefore(end - 1)!;
        this.restore(frame);
        const found = await this.scan(end, accept);
        if (found === 'cancelled') {
          await this.moveTo(from);
          return { kind: 'interrupted' };
        }
        if (typeof found === 'string') return { kind: 'diverged', message: found };
        if (found !== undefined) {
          const stop = await this.moveTo(found.position);
          return stop.kind === 'done' ? found.reason : stop;
        }
        end = frame.icount;
      }
      await this.moveTo(this.historyStart);
      return { kind: 'history-begin' };
    });
  }

  async seek(icount: number): Promise<EngineStop> {
    if (!Number.isSafeInteger(icount) || icount < 0) throw new EngineError(`${icount} is not an icount`);
    if (icount > this.historyEnd) {
      throw new EngineError(`icount ${icount} is beyond the end of the recording (icount ${this.historyEnd})`);
    }
    return this.motion(() => this.moveTo(Math.max(icount, this.historyStart)));
  }

  saveSnapshot(name: string): SnapshotEntry {
    if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new EngineError(`'${name}': a snapshot name may use letters, digits, '.', '_' and '-'`);
    const file = this.persistSnapshot?.(name);
    const old = this.named.get(name);
    const frame = this.keyframes.take(this.positionNow(), true);
    this.named.set(name, frame);
    if (old !== undefined && old !== frame && ![...this.named.values()].includes(old)) this.keyframes.unpin(old);
    return file === undefined ? { name, icount: frame.icount } : { name, icount: frame.icount, file };
  }

  async loadSnapshot(name: string): Promise<EngineStop> {
    const frame = this.named.get(name);
    if (frame === undefined) throw new EngineError(`there is no snapshot named '${name}'${this.namedList()}`);
    return this.motion(() => this.moveTo(frame.icount));
  }

  snapshots(): SnapshotEntry[] {
    return [...this.named].map(([name, k]) => ({ name, icount: k.icount })).sort((a, b) => a.icount - b.icount || a.name.localeCompare(b.name));
  }

  deleteSnapshot(name: string): boolean {
    const frame = this.named.get(name);
    if (frame === undefined) return false;
    this.named.delete(name);
    if (![...this.named.values()].includes(frame)) this.keyframes.unpin(frame);
    return true;
  }

  /** Runs one motion: cancel() applies to it alone, and the output frontier follows it. */
  private async motion(body: () => Promise<StopReason>): Promise<EngineStop> {
    this.cancelRequested = false;
    this.wakeOnCancel = undefined;
    const reason = await body();
    this.machine.cpu.debug.armed = true;
    this.output?.reached(this.icount);
    return { reason, icount: this.icount, pc: this.machine.cpu.pc };
  }

  protected get atEnd(): boolean {
    return this.replayer.finished || this.icount >= this.historyEnd;
  }

  protected endReason(): StopReason {
    const exit = this.finalStop?.kind === 'exit' ? this.machine.exit : undefined;
    return exit !== undefined ? { kind: 'history-end', exit } : { kind: 'history-end' };
  }

  /** To exactly `target` (within history), from the best keyframe; no breakpoint stops on the way. */
  private async moveTo(target: number): Promise<StopReason> {
    const frame = this.keyframes.atOrBefore(target);
    if (frame !== undefined && (target < this.icount || frame.icount > this.icount)) this.restore(frame);
    const near = target - NEAR_KEYFRAME;
    if (near > this.icount + NEAR_KEYFRAME) {
      const r = await this.runTo(near, false);
      if (r.kind !== 'reached') return this.forwardReason(r);
      if (this.mayTakeKeyframe()) this.keyframes.take(this.positionNow());
    }
    const r = await this.runTo(target, false);
    if (r.kind === 'reached') return { kind: 'done' };
    return this.forwardReason(r);
  }

  protected restore(frame: Keyframe<ReplayPosition>): void {
    this.replayer.restorePosition(this.keyframes.restore(frame));
  }

  /**
   * Replays from the position up to `end` with breakpoints and watchpoints armed and returns the
   * last hit before `end` (and the icount break, if it lies on the way), undefined when there is
   * none, 'cancelled', or a divergence's message.
   */
  private async scan(end: number, accept?: BreakpointFilter): Promise<{ position: number; reason: StopReason } | undefined | 'cancelled' | string> {
    const b = this.icountBreak;
    let last: { position: number; reason: StopReason } | undefined =
      b !== undefined && b >= this.icount && b < end ? { position: b, reason: { kind: 'icount', icount: b } } : undefined;
    const debug = this.machine.cpu.debug;
    debug.resumeIcount = -1;
    for (;;) {
      const r = await this.runTo(end, true);
      switch (r.kind) {
        case 'reached':
        case 'end':
        case 'idle':
          return last;
        case 'cancelled':
          return 'cancelled';
        case 'diverged':
          return r.message;
        case 'hit': {
          // A watched access is seen, in reverse, from just before the instruction that made it.
          const position = r.hit.icount;
          const passed = r.hit.kind === 'breakpoint' && accept !== undefined && !accept(r.hit.pc);
          if (!passed && position < end && (last === undefined || position >= last.position)) {
            last = { position, reason: hitReason(r.hit) };
          }
          debug.resumeIcount = this.icount;
          break;
        }
      }
    }
  }

  /**
   * Replays forward to `target` in slices, keeping keyframes as it goes: passing those that exist,
   * taking new ones where history has none yet. Stops early at a hit (when armed), at the end of
   * the log, on cancel() or on a divergence.
   */
  protected async runTo(target: number, armed: boolean): Promise<RunEnd> {
    const m = this.machine;
    const debug = m.cpu.debug;
    debug.armed = armed;
    for (;;) {
      const ahead = this.keyframes.after(m.icount);
      const due = ahead?.icount ?? this.keyframes.last!.icount + this.options.interval;
      const limit = Math.min(target, due, m.icount + SLICE);
      let stop: ReplayStop;
      try {
        stop = this.replayer.run(limit);
      } catch (e) {
        if (e instanceof DivergenceError) return { kind: 'diverged', message: e.message };
        throw e;
      }
      this.noteEnd(stop);
      if (ahead !== undefined && m.icount === ahead.icount) this.reachedKeyframe(ahead);
      else if (ahead === undefined && m.icount >= due && this.mayTakeKeyframe()) this.keyframes.take(this.positionNow());
      switch (stop.kind) {
        case 'debug':
          return { kind: 'hit', hit: debug.hit! };
        case 'limit':
          if (m.icount >= target) return { kind: 'reached' };
          break;
        default:
          return m.icount >= target ? { kind: 'reached' } : { kind: 'end', stop };
      }
      // Between slices the host's events (a gdb Ctrl-C, a socket) get in.
      await yieldToHost();
      if (this.cancelRequested) return { kind: 'cancelled' };
    }
  }

  /** Where the replay is now, for a keyframe taken here. */
  protected positionNow(): ReplayPosition {
    return this.replayer.savePosition();
  }

  /**
   * A forward run reached a keyframe's icount. Its state is the keyframe's, unless the keyframe
   * was taken before more input was logged at that icount (a recording stopped there and went
   * on): then the keyframe is restored and that input delivered again, which keeps the store's
   * base exact.
   */
  private reachedKeyframe(frame: Keyframe<ReplayPosition>): void {
    if (this.replayer.savePosition().next === frame.extra.next) {
      this.keyframes.passed(frame);
      return;
    }
    this.restore(frame);
    this.noteEnd(this.replayer.run(frame.icount));
  }

  /** Whether a keyframe may be kept at the position now (a recording's live edge may not be final yet). */
  protected mayTakeKeyframe(): boolean {
    return true;
  }

  private noteEnd(stop: ReplayStop): void {
    if (stop.kind !== 'limit' && stop.kind !== 'debug') this.finalStop = stop;
  }

  private forwardReason(r: Exclude<RunEnd, { kind: 'reached' }>): StopReason {
    switch (r.kind) {
      case 'hit':
        return hitReason(r.hit);
      case 'end':
        return this.endReason();
      case 'cancelled':
        return { kind: 'interrupted' };
      case 'idle':
        return { kind: 'idle' };
      case 'diverged':
        return { kind: 'diverged', message: r.message };
    }
  }

  private namedList(): string {
    const names = [...this.named.keys()];
    return names.length === 0 ? ' (none has been saved)' : ` (there are: ${names.join(', ')})`;
  }
}
