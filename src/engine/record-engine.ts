// Time travel while recording (beyond QEMU, which reverses only in replay): the position may go
// back into the history recorded so far, and forward motion replays the recorder's own event
// list until it reaches the live edge, where recording resumes: nothing recorded is lost or
// written twice. Inside history the machine's ports are the replayer's (HostSwitch); at the
// edge they are the recorder's, and host input (serial bytes, the async queue) goes in only
// there, at checkpoints, as in a plain recording.
//
// Keyframes taken live are taken right after a checkpoint and kept only if the machine then
// leaves that icount: once it has, no later input can be logged at it, and a replay that reaches
// the icount reaches the same state. For the same reason no keyframe is taken at the edge while
// replaying up to it.

import { setImmediate as yieldToHost } from 'node:timers/promises';
import type { VirtMachine } from '../emu/machine.js';
import type { Recorder } from '../replay/recorder.js';
import type { Replayer, ReplayPosition } from '../replay/replayer.js';
import { DEBUG_WRITE_PC, DebugWriteTarget, type LogEvent } from '../shared/log-events.js';
import { EngineError } from './debug-engine.js';
import { physicalPieces } from './guest-memory.js';
import type { HostSwitch } from './host-switch.js';
import type { Keyframe } from './keyframe-store.js';
import type { NewOutputFilter } from './new-output-filter.js';
import { ReplayEngine, type KeyframeOptions, type RunEnd } from './replay-engine.js';

/** What the engine needs of the live side of a recording (the CLI's console and devices). */
export interface LiveHost {
  /** Hands the host input waiting now to the guest through the recorder; true if any went in. */
  checkpoint(): boolean;
  /** True while host input may still come to wake an idle guest. */
  readonly inputMayCome: boolean;
  /** True while host I/O is in flight (slices shrink so its completion goes in soon). */
  readonly busy: boolean;
  /** Resolves when host input may have come. */
  waitForInput(): Promise<void>;
  /** Called between live slices (the log is flushed now and then). */
  between(): void;
}

/** Instructions per live slice, and while host I/O is in flight (as in the CLI's live loop). */
const LIVE_SLICE = 1_000_000;
const LIVE_SLICE_WHILE_BUSY = 20_000;

export class RecordEngine extends ReplayEngine {
  /** The live edge while the position is inside history. */
  private edge: number;

  constructor(
    machine: VirtMachine,
    private readonly recorder: Recorder,
    /** The recorder's events, as the replayer reads them. */
    private readonly events: readonly LogEvent[],
    replayer: Replayer,
    private readonly host: HostSwitch,
    private readonly live: LiveHost,
    output: NewOutputFilter | undefined,
    options?: KeyframeOptions,
  ) {
    super(machine, atRecorderPosition(replayer, events, recorder), output, options);
    this.edge = machine.icount;
    this.recorder.observer.observeTraps();
  }

  override get historyEnd(): number {
    return this.host.isLive ? this.machine.icount : this.edge;
  }

  protected override get atLiveEdge(): boolean {
    return this.host.isLive;
  }

  protected override get atEnd(): boolean {
    return this.host.isLive && this.machine.exit !== undefined;
  }

  /** At the live edge the write is made and recorded (a DebugWrite event), so replay makes it too. */
  override writeMemory(address: number, bytes: Uint8Array): void {
    this.mustBeLive('memory');
    for (const [pa, part] of physicalPieces(this.machine, address, bytes)) this.recorded(this.recorder.debugWrite(DebugWriteTarget.Memory, pa, part));
  }

  override writeRegister(index: number, value: number): void {
    this.mustBeLive('registers');
    if (!Number.isInteger(index) || index < 1 || index > DEBUG_WRITE_PC) throw new EngineError(`register ${index} cannot be written (x1–x31, or 32 for the pc)`);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setInt32(0, value | 0, true);
    this.recorded(this.recorder.debugWrite(DebugWriteTarget.Register, index, bytes));
  }

  private mustBeLive(what: string): void {
    if (!this.host.isLive) throw new EngineError(`${what} cannot be changed inside recorded history: the replay would no longer follow the log (go to the live edge first)`);
  }

  private recorded(why: string | undefined): void {
    if (why !== undefined) throw new EngineError(why);
  }

  /** Leaving the live edge for history: the replayer's ports take over until the edge is reached again. */
  protected override restore(frame: Keyframe<ReplayPosition>): void {
    if (this.host.isLive) {
      this.edge = this.machine.icount;
      this.live.between();
      this.host.toReplay();
      this.replayer.observer.observeTraps();
    }
    super.restore(frame);
  }

  /** Goes back to the live edge (to end the recording there, or to go on without a debugger). */
  async returnToEdge(): Promise<void> {
    if (!this.host.isLive) await this.seek(this.edge);
  }

  protected override positionNow(): ReplayPosition {
    return this.host.isLive ? this.livePosition() : super.positionNow();
  }

  /** At the live edge the replayer is not following: the position is past every event so far. */
  private livePosition(): ReplayPosition {
    return { next: this.events.length, observer: this.recorder.observer.saveState() };
  }

  protected override mayTakeKeyframe(): boolean {
    return this.host.isLive || this.machine.icount < this.edge;
  }

  protected override async runTo(target: number, armed: boolean): Promise<RunEnd> {
    if (!this.host.isLive) {
      const r = await super.runTo(Math.min(target, this.edge), armed);
      if (r.kind !== 'reached' || this.machine.icount < this.edge) return r;
      // The edge: the state the recording left here. Recording resumes from it.
      this.host.toLive();
      this.recorder.observer.observeTraps();
      if (target <= this.edge) return r;
    }
    return this.runLive(target, armed);
  }

  /** Records forward from the live edge, with host input delivered at checkpoints between slices. */
  private async runLive(target: number, armed: boolean): Promise<RunEnd> {
    const m = this.machine;
    m.cpu.debug.armed = armed;
    for (;;) {
      if (m.exit !== undefined) {
        this.finalStop = { kind: 'exit' };
        return { kind: 'end', stop: this.finalStop };
      }
      if (m.icount >= target) return { kind: 'reached' };
      this.live.checkpoint();
      const provisional = m.icount >= this.keyframes.last!.icount + this.options.interval ? m.icount : undefined;
      if (provisional !== undefined) this.keyframes.take(this.livePosition());
      const reason = this.recorder.run(Math.min(target, m.icount + (this.live.busy ? LIVE_SLICE_WHILE_BUSY : LIVE_SLICE)));
      // A keyframe stays only once the machine has left its icount: until then more input (a
      // checkpoint after a stop, a debugger write) can still be logged there.
      if (provisional !== undefined && m.icount === provisional) this.keyframes.dropLast();
      this.live.between();
      if (reason === 'debug') return { kind: 'hit', hit: m.cpu.debug.hit! };
      if (reason === 'idle') {
        if (!this.live.inputMayCome || !m.externalInterruptsEnabled) return { kind: 'idle' };
        // Input held back for want of a buffer may fit now; else wait for some to come.
        if (!this.live.checkpoint()) await Promise.race([this.live.waitForInput(), this.cancelled()]);
      } else {
        await yieldToHost();
      }
      if (this.cancelRequested) return { kind: 'cancelled' };
    }
  }
}

/**
 * The replayer, put where the recording is now: past every event so far (the machine's state
 * includes their inputs), its observer in the recorder's observer's state.
 */
function atRecorderPosition(replayer: Replayer, events: readonly LogEvent[], recorder: Recorder): Replayer {
  replayer.restorePosition({ next: events.length, observer: recorder.observer.saveState() });
  return replayer;
}
