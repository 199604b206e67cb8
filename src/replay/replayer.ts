// Replay mode: runs the machine from the log alone. Inputs (serial bytes, clock values, entropy,
// shutdown) come from the log at their recorded icounts; observations (traps, serial output
// runs, block requests, frames sent, state digests) are produced again by the same
// MachineObserver as in recording and must equal the logged ones, in order. The first
// difference stops replay with a DivergenceError.

import type { AsyncInput } from '../emu/async-input.js';
import type { CharSink } from '../emu/host/ports.js';
import type { MachineHost, VirtMachine } from '../emu/machine.js';
import { PAGE_SIZE } from '../emu/memory/ram.js';
import { describeRegion } from '../emu/state-digest.js';
import { EventKind, type LogEvent } from '../shared/log-events.js';
import { DivergenceError } from './divergence-error.js';
import { LOG_FORMAT_VERSION } from './log/log-format.js';
import { describeEvent } from './describe-event.js';
import { MachineObserver, type ObserverState } from './machine-observer.js';
import { applyDebugWrite } from './debug-write.js';

export type ReplayStop =
  | { kind: 'limit' } // icount reached the caller's limit
  | { kind: 'debug' } // a breakpoint or watchpoint stopped the hart (machine.cpu.debug.hit); the inputs due here are in
  | { kind: 'exit' } // the guest finished where the recording did
  | { kind: 'end' } // the log's End: the recording stopped here (the guest had not finished)
  | { kind: 'shutdown'; reason: number } // the host stopped the recording here
  | { kind: 'log-ended' }; // the events ran out without an End (a damaged log)

/** Where a replay is in its log, kept with each keyframe so a restore resumes the replay there. */
export interface ReplayPosition {
  /** Index of the next event to deliver or check. */
  next: number;
  observer: ObserverState;
}

/** Events the machine produces itself during an instruction: due one step after their icount. */
const PRODUCED: ReadonlySet<number> = new Set([EventKind.Interrupt, EventKind.Exception, EventKind.ClockRead, EventKind.Entropy, EventKind.BlockRequest, EventKind.NetTransmit]);

export class Replayer {
  readonly observer: MachineObserver;
  private machine: VirtMachine | undefined;
  private readonly events: LogEvent[];
  private i = 0;
  /** The log is still being written (a recording's own history): past its last event, run on. */
  private readonly openEnded: boolean;

  constructor(
    events: Iterable<LogEvent>,
    /** State-arena region names, to name what a digest mismatch is about. */
    private readonly regionNames: string[],
    /**
     * The log is a recording in progress: `events` is the recorder's own array, read as it grows
     * (it has no IcountStamps), and past its last event the machine runs on to the caller's
     * limit, which must not pass the recording's live edge.
     */
    recording = false,
    /** The log's format version: before 3, block requests and frames sent were not logged, so not checked. */
    private readonly formatVersion = LOG_FORMAT_VERSION,
  ) {
    if (recording && !Array.isArray(events)) throw new TypeError('a recording in progress is replayed from its event array');
    this.events = recording ? (events as LogEvent[]) : [...events].filter((e) => e.kind !== EventKind.IcountStamp);
    this.openEnded = recording;
    this.observer = new MachineObserver((e) => this.check(e), Infinity);
  }

  /** The host ports to build the machine with: output counted and passed on, the clock and entropy from the log. */
  ports(console: CharSink): MachineHost {
    return {
      console: this.observer.console(console),
      wallClock: { nowNs: () => this.clockRead() },
      entropy: { fill: (bytes, device) => this.entropyRead(bytes, device) },
      // Requests are checked against the log and go nowhere: when each completes is the log's BlockComplete.
      block: this.formatVersion >= 3 ? this.observer.block(undefined) : { submit: () => {} },
      // Frames sent are checked (length and CRC) and go nowhere: the network is not replayed.
      net: this.formatVersion >= 3 ? this.observer.net(undefined) : { transmit: () => {} },
    };
  }

  attach(machine: VirtMachine): void {
    this.machine = machine;
    this.observer.attach(machine);
  }

  savePosition(): ReplayPosition {
    return { next: this.i, observer: this.observer.saveState() };
  }

  restorePosition(p: ReplayPosition): void {
    this.i = p.next;
    this.observer.restoreState(p.observer);
  }

  /** True once the log's last event (its End) has been replayed. */
  get finished(): boolean {
    return this.i >= this.events.length;
  }

  /** The icount of the last event in the log (the end of recorded history). */
  get endIcount(): number {
    return this.events.length > 0 ? this.events[this.events.length - 1].icount : 0;
  }

  run(limit: number): ReplayStop {
    const m = this.machine!;
    // After a breakpoint or watchpoint, the inputs due at the same icount still go in, so the
    // state where the hart stopped is the state a seek to that icount shows.
    let debugStop = false;
    const reached = (): ReplayStop => (debugStop ? { kind: 'debug' } : { kind: 'limit' });
    for (;;) {
      // A run of serial output is closed by whatever comes after it: aim at that.
      let j = this.i;
      while (this.events[j]?.kind === EventKind.SerialWrite) j++;
      const next = this.events[j];
      if (next === undefined && this.openEnded) {
        if (m.icount >= limit) return reached();
        const reason = m.run(limit);
        if (reason === 'debug') return { kind: 'debug' };
        if (reason === 'limit' || reason === 'yield' || m.icount >= limit) continue;
        throw new DivergenceError(m.icount, `the machine stopped (${reason}) before the point the recording has reached`);
      }
      if (next === undefined) {
        if (j > this.i && m.icount < limit) {
          // Output at the very end of a damaged log: run up to where the log stops.
          const last = this.events[j - 1];
          const end = Math.min(limit, last.icount);
          while (m.icount < end) {
            const reason = m.run(end);
            if (reason === 'debug') return { kind: 'debug' };
            if (reason !== 'yield') break;
          }
        }
        return m.icount >= limit ? reached() : { kind: 'log-ended' };
      }
      const produced = PRODUCED.has(next.kind);
      const target = produced ? next.icount + 1 : next.icount;
      if (m.icount > target || (produced && m.icount === target && this.i <= j)) {
        throw new DivergenceError(m.icount, `the log records ${describeEvent(next)}, which did not happen`);
      }
      if (m.icount < target) {
        if (m.exit !== undefined) {
          this.observer.flushSerial();
          throw new DivergenceError(m.icount, `the guest finished here, but the log goes on with ${describeEvent(this.events[this.i])}`);
        }
        if (m.icount >= limit) return reached();
        const reason = m.run(Math.min(limit, target)); // 'yield' needs nothing: the log has the host's part
        if (reason === 'debug') {
          debugStop = true;
          limit = m.icount;
          continue;
        }
        if (reason === 'idle' && m.icount < target) {
          throw new DivergenceError(m.icount, `the guest waits for an interrupt, but the log's next event is ${describeEvent(next)}`);
        }
        continue;
      }
      if (produced) continue; // consumed while running: loop on to the next event
      this.observer.flushSerial();
      if (this.i !== j) {
        throw new DivergenceError(m.icount, `the log records ${describeEvent(this.events[this.i])}, which did not happen`);
      }
      switch (next.kind) {
        case EventKind.Digest:
          this.observer.digest(); // checked like any observation
          continue;
        case EventKind.SerialInput:
          for (const byte of next.bytes) {
            if (!m.uart.receive(byte)) {
              throw new DivergenceError(m.icount, 'the UART had no room for the recorded input byte');
            }
          }
          break;
        case EventKind.BlockComplete:
          this.deliver({ kind: 'block', device: next.device, request: next.request }, next, next.status);
          break;
        case EventKind.NetReceive:
          this.deliver({ kind: 'net', device: next.device, frame: next.frame }, next);
          break;
        case EventKind.InputEvent:
          this.deliver({ kind: 'input', device: next.device, type: next.type, code: next.code, value: next.value }, next);
          break;
        case EventKind.Shutdown:
          this.i++;
          return { kind: 'shutdown', reason: next.reason };
        case EventKind.End:
          this.i++;
          return { kind: m.exit !== undefined ? 'exit' : 'end' };
        case EventKind.Checkpoint:
        case EventKind.Snapshot:
          break;
        case EventKind.DebugWrite: {
          const why = applyDebugWrite(m, next);
          if (why !== undefined) throw new DivergenceError(m.icount, `the log's ${describeEvent(next)} cannot be applied: ${why}`);
          break;
        }
        default:
          throw new DivergenceError(m.icount, `this rvreplay cannot replay ${describeEvent(next)} yet`);
      }
      this.i++;
    }
  }

  /** Delivers a recorded async input; the device must take it as it did in the recording. */
  private deliver(input: AsyncInput, event: LogEvent, status?: number): void {
    const m = this.machine!;
    const result = m.deliver(input);
    if (!result.taken) {
      const why = result.retry ? 'the device had no room for it' : result.why;
      throw new DivergenceError(m.icount, `the log delivers ${describeEvent(event)} here, but ${why}`);
    }
    if (status !== undefined && result.status !== status) {
      throw new DivergenceError(m.icount, `${describeEvent(event)} ended with status ${result.status ?? 'none'} in the replay`);
    }
  }

  /** The RTC read the wall clock: the value is the one recorded at this icount. */
  private clockRead(): bigint {
    this.observer.flushSerial();
    const icount = this.machine!.icount;
    const ev = this.events[this.i];
    if (ev?.kind !== EventKind.ClockRead || ev.icount !== icount) {
      throw new DivergenceError(icount, `the guest read the wall clock, but the log has ${describeEvent(ev)}`);
    }
    this.i++;
    return ev.valueNs;
  }

  /** A virtio-rng device asked for entropy: the bytes are those recorded at this icount, for it. */
  private entropyRead(bytes: Uint8Array, device: number): void {
    this.observer.flushSerial();
    const icount = this.machine!.icount;
    const ev = this.events[this.i];
    if (ev?.kind !== EventKind.Entropy || ev.icount !== icount || ev.device !== device || ev.bytes.length !== bytes.length) {
      throw new DivergenceError(icount, `device ${device} asked for ${bytes.length} bytes of entropy, but the log has ${describeEvent(ev)}`);
    }
    bytes.set(ev.bytes);
    this.i++;
  }

  /** An observation the machine just produced must be the log's next event. */
  private check(actual: LogEvent): void {
    const expected = this.events[this.i];
    const why = difference(expected, actual, this.regionNames, this.machine!.ram.base);
    if (why !== undefined) throw new DivergenceError(actual.icount, why);
    this.i++;
  }
}

/** Why two events differ, or undefined when they are the same. */
function difference(expected: LogEvent | undefined, actual: LogEvent, regionNames: string[], ramBase: number): string | undefined {
  if (expected === undefined) return `the machine produced ${describeEvent(actual)} after the end of the log`;
  if (expected.kind !== actual.kind || expected.icount !== actual.icount) {
    return `the log records ${describeEvent(expected)}, but the machine produced ${describeEvent(actual)}`;
  }
  if (expected.kind === EventKind.Digest && actual.kind === EventKind.Digest) {
    const region = expected.regions.findIndex((h, i) => h !== actual.regions[i]);
    if (region >= 0) return `the machine state differs in ${describeRegion(regionNames[region] ?? `region ${region}`)}`;
    const recorded = new Map(expected.pages.map((p) => [p.page, p.hash]));
    for (const p of actual.pages) {
      if (recorded.get(p.page) !== p.hash) return `memory page ${pageAddress(ramBase, p.page)} differs`;
      recorded.delete(p.page);
    }
    const [missing] = recorded.keys();
    if (missing !== undefined) return `memory page ${pageAddress(ramBase, missing)} was written in the recording but not in the replay`;
    return undefined;
  }
  return describeEvent(expected) === describeEvent(actual)
    ? undefined
    : `the log records ${describeEvent(expected)}, but the machine produced ${describeEvent(actual)}`;
}

function pageAddress(ramBase: number, page: number): string {
  return `0x${(ramBase + page * PAGE_SIZE).toString(16)}`;
}
