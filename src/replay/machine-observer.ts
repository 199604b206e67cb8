// Turns what the machine does into the log's observation events, the same way in record and in
// replay: traps taken, runs of serial output, block requests submitted, network frames sent, and
// state digests at fixed icounts. Recording writes these events; replay produces them again and
// compares. Everything here happens at
// points that do not depend on how a run is cut into slices: a run of serial output is closed
// only by the next event or digest, never by a slice boundary.

import { hashRamPage, digestRegions } from '../emu/state-digest.js';
import { crc32 } from '../emu/crc32.js';
import type { BlockHost, CharSink, NetHost } from '../emu/host/ports.js';
import type { VirtMachine } from '../emu/machine.js';
import { BlockOp, EventKind, type LogEvent } from '../shared/log-events.js';

/** UART0 is serial device 0 in events. */
export const SERIAL_UART0 = 0;

/** Where the observer is between two events: restored with a keyframe. */
export interface ObserverState {
  serialCount: number;
  serialIcount: number;
  lastDigest: number;
}

export class MachineObserver {
  private machine: VirtMachine | undefined;
  private serialCount = 0;
  private serialIcount = 0;
  private lastDigest = 0;

  constructor(
    private readonly emit: (event: LogEvent) => void,
    readonly digestInterval: number,
  ) {}

  /** The console the machine writes to: counts output runs, then passes the bytes on. */
  console(out: CharSink): CharSink {
    return {
      write: (byte: number) => {
        if (this.serialCount === 0) this.serialIcount = this.icount;
        this.serialCount++;
        out.write(byte);
      },
    };
  }

  attach(machine: VirtMachine): void {
    this.machine = machine;
    this.lastDigest = machine.icount;
    this.observeTraps();
    machine.ram.startDirtyTracking();
  }

  /** Makes this observer the one the hart tells of traps (a recording's replayer and recorder take turns). */
  observeTraps(): void {
    this.machine!.cpu.trapObserver = this.onTrap;
  }

  private readonly onTrap = (cause: number, interrupt: boolean): void => {
    this.flushSerial();
    this.emit({ kind: interrupt ? EventKind.Interrupt : EventKind.Exception, icount: this.icount, cause });
  };

  get icount(): number {
    return this.machine?.icount ?? 0;
  }

  saveState(): ObserverState {
    return { serialCount: this.serialCount, serialIcount: this.serialIcount, lastDigest: this.lastDigest };
  }

  restoreState(state: ObserverState): void {
    this.serialCount = state.serialCount;
    this.serialIcount = state.serialIcount;
    this.lastDigest = state.lastDigest;
  }

  /** The icount of the next state digest. */
  get nextDigestAt(): number {
    return this.lastDigest + this.digestInterval;
  }

  /** The host's block port, watched: each request the guest submits is an event before it reaches `host`. */
  block(host: BlockHost | undefined): BlockHost {
    return {
      submit: (device, request, info) => {
        if (info.again !== true) {
          this.flushSerial();
          const op = info.op === 'read' ? BlockOp.Read : info.op === 'write' ? BlockOp.Write : BlockOp.Flush;
          this.emit({ kind: EventKind.BlockRequest, icount: this.icount, device, request, op, offset: info.offset, length: info.length });
        }
        host?.submit(device, request, info);
      },
    };
  }

  /** The host's network port, watched: each frame the guest sends is an event before it reaches `host`. */
  net(host: NetHost | undefined): NetHost {
    return {
      transmit: (device, frame) => {
        this.flushSerial();
        this.emit({ kind: EventKind.NetTransmit, icount: this.icount, device, length: frame.length, crc: crc32(frame) });
        host?.transmit(device, frame);
      },
    };
  }

  /** Closes the current run of serial output, if any, as one SerialWrite event. */
  flushSerial(): void {
    if (this.serialCount === 0) return;
    const count = this.serialCount;
    this.serialCount = 0;
    this.emit({ kind: EventKind.SerialWrite, icount: this.serialIcount, device: SERIAL_UART0, count });
  }

  /** Emits a Digest of the state now: every arena region, and each RAM page written since the last. */
  digest(): void {
    const m = this.machine!;
    this.flushSerial();
    const pages = m.ram.dirtyPages().map((page) => ({ page, hash: hashRamPage(m.ram, page) }));
    this.emit({ kind: EventKind.Digest, icount: m.icount, regions: digestRegions(m.arena), pages });
    m.ram.startDirtyTracking();
    this.lastDigest = m.icount;
  }
}
