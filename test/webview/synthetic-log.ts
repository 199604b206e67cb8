// A synthetic log of a chosen size written with the real LogWriter: events of every kind a
// timeline lane shows, spread over an icount span in bursts (as real guests produce them), so
// the timeline's scale (10^6 events over 10^9 instructions) can be tested and measured without
// recording for minutes. Deterministic: the same options give the same bytes.

import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import type { LogHeader } from '../../src/replay/log-header.js';
import { LogWriter } from '../../src/replay/log/log-writer.js';

export interface SyntheticLogOptions {
  events: number;
  /** The icount of the End event. */
  span: number;
  seed?: number;
  chunkBytes?: number;
}

export const SYNTHETIC_HEADER: LogHeader = {
  writer: 'rvreplay synthetic',
  created: '2024-01-01T00:00:00.000Z',
  machine: { board: 'virt', isa: 'rv32imac_zicsr_zifencei', ramMiB: 128, icountShift: 0 },
  guest: { path: 'synthetic.elf', sha256: '00'.repeat(32), bytes: 0 },
  disks: [],
  stateLayout: [{ name: 'hart0.x', bytes: 128 }],
  digestInterval: 20_000_000,
};

/** xorshift32: no Math.random, so a failure reproduces. */
class Xorshift {
  constructor(private state: number) {}
  next(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state / 0x1_0000_0000;
  }
}

/** Cumulative weights of the kinds drawn: timer interrupts dominate, as they do. */
const MIX: [number, (icount: number, r: Xorshift) => LogEvent][] = [
  [0.40, (icount) => ({ kind: EventKind.Interrupt, icount, cause: 7 })],
  [0.45, (icount) => ({ kind: EventKind.Interrupt, icount, cause: 11 })],
  [0.55, (icount, r) => ({ kind: EventKind.Exception, icount, cause: r.next() < 0.8 ? 8 : 13 })],
  [0.80, (icount, r) => ({ kind: EventKind.SerialWrite, icount, device: 0, count: 1 + Math.floor(r.next() * 40) })],
  [0.83, (icount, r) => ({ kind: EventKind.SerialInput, icount, device: 0, bytes: Uint8Array.of(0x61 + Math.floor(r.next() * 26)) })],
  [0.88, (icount) => ({ kind: EventKind.Checkpoint, icount })],
  [0.91, (icount, r) => ({ kind: EventKind.ClockRead, icount, clock: 0, valueNs: 1_700_000_000_000_000_000n + BigInt(Math.floor(r.next() * 1e9)) })],
  [0.93, (icount, r) => ({ kind: EventKind.Entropy, icount, device: 7, bytes: Uint8Array.of(Math.floor(r.next() * 256), 1, 2, 3) })],
  [0.96, (icount, r) => ({ kind: EventKind.BlockComplete, icount, device: 6, request: Math.floor(r.next() * 1000), status: 0 })],
  [0.98, (icount, r) => ({ kind: EventKind.NetReceive, icount, device: 5, frame: new Uint8Array(14 + Math.floor(r.next() * 50)) })],
  [1.00, (icount, r) => ({ kind: EventKind.InputEvent, icount, device: 4, type: 1, code: 30, value: r.next() < 0.5 ? 1 : 0 })],
];

/** The events, in icount order, End included. */
export function syntheticEvents(options: SyntheticLogOptions): LogEvent[] {
  const r = new Xorshift(options.seed ?? 0x2545f491);
  const { events: n, span } = options;
  // Bursts: each tenth of the events falls in a stretch of random length, so some windows are
  // dense and others nearly empty.
  const icounts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const burst = Math.floor(r.next() * 64);
    const centre = ((burst * 0.618034) % 1) * span;
    const width = span / (8 + burst * 4);
    icounts[i] = Math.min(span - 1, Math.max(1, Math.floor(r.next() < 0.5 ? centre + (r.next() - 0.5) * width : r.next() * span)));
  }
  icounts.sort();
  const out: LogEvent[] = [{ kind: EventKind.Snapshot, icount: 0, name: 'boot' }];
  for (let i = 0; i < n - 2; i++) {
    const pick = r.next();
    const make = MIX.find(([w]) => pick < w)![1];
    out.push(make(icounts[i], r));
  }
  out.push({ kind: EventKind.End, icount: span });
  return out;
}

/** The bytes of a complete log holding syntheticEvents(options). */
export function writeSyntheticLog(options: SyntheticLogOptions): Uint8Array {
  const parts: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => parts.push(b) }, SYNTHETIC_HEADER, { chunkBytes: options.chunkBytes });
  for (const e of syntheticEvents(options)) writer.append(e);
  writer.close();
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}
