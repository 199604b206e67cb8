// Record mode: runs the machine and writes every input it receives from the host, and every
// observation replay will check, to the log. Host input reaches the machine only through this
// class: at checkpoints between execution slices (serial bytes, and the async queue's block
// completions, network frames and input events), or through the ports it wraps (the wall clock,
// entropy), which the machine reads synchronously.

import type { BlockHost, CharSink, EntropySource, NetHost, WallClock } from '../emu/host/ports.js';
import type { MachineHost, StopReason, VirtMachine } from '../emu/machine.js';
import { EventKind, type LogEvent } from '../shared/log-events.js';
import type { AsyncQueue, Delivered } from './async-queue.js';
import { MachineObserver, SERIAL_UART0 } from './machine-observer.js';
import { applyDebugWrite, type DebugWriteEvent } from './debug-write.js';

/** Where events go: the log writer (or anything that takes them in order). */
export interface EventLog {
  append(event: LogEvent): void;
  /** Ends the open chunk so it reaches the file (a killed recorder loses at most one chunk). */
  flushChunk(): void;
  close(): void;
}

export class Recorder {
  readonly observer: MachineObserver;
  private machine: VirtMachine | undefined;
  private log: EventLog | undefined;
  private finished = false;

  /** Build the machine with ports(), then attach() it with the log: no event comes before. */
  constructor(digestInterval: number) {
    this.observer = new MachineObserver((e) => this.log!.append(e), digestInterval);
  }

  /** The host ports to build the machine with: output counted, clock reads, entropy, block requests and frames sent logged. */
  ports(console: CharSink, wallClock: WallClock, entropy?: EntropySource, block?: BlockHost, net?: NetHost): MachineHost {
    return {
      console: this.observer.console(console),
      block: this.observer.block(block),
      net: this.observer.net(net),
      wallClock: {
        nowNs: () => {
          const valueNs = wallClock.nowNs();
          this.append({ kind: EventKind.ClockRead, icount: this.icount, clock: 0, valueNs });
          return valueNs;
        },
      },
      entropy: entropy && {
        fill: (bytes, device) => {
          entropy.fill(bytes, device);
          this.append({ kind: EventKind.Entropy, icount: this.icount, device, bytes: bytes.slice() });
        },
      },
    };
  }

  attach(machine: VirtMachine, log: EventLog): void {
    this.machine = machine;
    this.log = log;
    this.observer.attach(machine);
  }

  get icount(): number {
    return this.machine?.icount ?? 0;
  }

  /**
   * Runs up to `limit`, stopping at each digest point on the way to take the digest. The chunk
   * closes there too, so a killed recorder loses at most one digest interval of the log.
   */
  run(limit: number): StopReason {
    const m = this.machine!;
    for (;;) {
      const next = Math.min(limit, this.observer.nextDigestAt);
      const reason = m.run(next);
      if (reason === 'limit' && m.icount === this.observer.nextDigestAt) {
        this.observer.digest();
        this.log!.flushChunk();
      }
      if (reason !== 'limit' || m.icount >= limit) return reason;
    }
  }

  /**
   * A checkpoint (between slices): host input reaches the machine here and only here. Serial
   * bytes waiting in the backend go to UART0 as far as it has room (`take` hands them over until
   * one is refused), then the async queue's completions and arrivals go to their devices. What
   * was delivered is logged after a Checkpoint marker, with the icount it was delivered at.
   * Returns whether anything was delivered.
   */
  checkpoint(take: (accept: (byte: number) => boolean) => void, queue: AsyncQueue): boolean {
    const m = this.machine!;
    const taken: number[] = [];
    take((byte) => {
      if (!m.uart.receive(byte)) return false;
      taken.push(byte);
      return true;
    });
    const delivered = queue.deliver(m);
    if (taken.length === 0 && delivered.length === 0) return false;
    const icount = m.icount;
    this.append({ kind: EventKind.Checkpoint, icount });
    if (taken.length > 0) this.append({ kind: EventKind.SerialInput, icount, device: SERIAL_UART0, bytes: Uint8Array.from(taken) });
    for (const d of delivered) this.append(inputEvent(icount, d));
    return true;
  }

  /**
   * A debugger's write, made now (between slices): applied to the machine and logged, so replay
   * makes it at the same icount. Returns why it cannot be made, or undefined.
   */
  debugWrite(target: number, address: number, bytes: Uint8Array): string | undefined {
    const event: DebugWriteEvent = { kind: EventKind.DebugWrite, icount: this.icount, target, address, bytes: bytes.slice() };
    const why = applyDebugWrite(this.machine!, event);
    if (why === undefined) this.append(event);
    return why;
  }

  /** Writes a named snapshot's marker (the snapshot itself is a file beside the log). */
  snapshotTaken(name: string): void {
    this.append({ kind: EventKind.Snapshot, icount: this.icount, name });
  }

  flush(): void {
    this.log!.flushChunk();
  }

  /**
   * Ends the log: a last state digest (so replay checks the final state too), the Shutdown when
   * the host stopped the run (a signal, the user, the budget), the End event, the index.
   * Safe to call twice.
   */
  finish(shutdownReason?: number): void {
    if (this.finished) return;
    this.finished = true;
    if (this.machine !== undefined) this.observer.digest();
    if (shutdownReason !== undefined) this.append({ kind: EventKind.Shutdown, icount: this.icount, reason: shutdownReason });
    this.append({ kind: EventKind.End, icount: this.icount });
    this.log!.close();
  }

  private append(event: LogEvent): void {
    this.observer.flushSerial();
    this.log!.append(event);
  }
}

/** The log event for an async input delivered at `icount`. */
function inputEvent(icount: number, { input, status }: Delivered): LogEvent {
  switch (input.kind) {
    case 'block':
      return { kind: EventKind.BlockComplete, icount, device: input.device, request: input.request, status: status ?? 0 };
    case 'net':
      return { kind: EventKind.NetReceive, icount, device: input.device, frame: input.frame };
    case 'input':
      return { kind: EventKind.InputEvent, icount, device: input.device, type: input.type, code: input.code, value: input.value };
  }
}
