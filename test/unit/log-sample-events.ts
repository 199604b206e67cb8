// Test helper for the log tests: a seeded generator of events of every kind with varied field
// values (edge values included), a sample header, and an in-memory sink. Deterministic: the same
// seed gives the same events, so a failure can be reproduced.

import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import type { LogHeader } from '../../src/replay/log-header.js';
import { LogWriter, type LogWriterOptions } from '../../src/replay/log/log-writer.js';

/** A small xorshift32 generator: enough variety for tests, and no Math.random. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  u32(): number {
    let x = this.state;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.state = x >>> 0;
    return this.state;
  }

  /** An integer in [0, n). */
  below(n: number): number {
    return n <= 0x1_0000_0000 ? this.u32() % n : (this.u32() * 0x1_0000_0000 + this.u32()) % n;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.below(items.length)];
  }

  bytes(n: number): Uint8Array {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }

  /** Mostly small values, sometimes the extremes a field can hold. */
  uint(): number {
    return this.pick([0, 1, 127, 128, 300, 16383, 16384, 0xffff_ffff, 2 ** 40 + 3, Number.MAX_SAFE_INTEGER, this.below(1000), this.u32()]);
  }

  int(): number {
    return this.pick([0, -1, 1, -64, 64, -(2 ** 31), 2 ** 31 - 1, -(2 ** 51), 2 ** 51, this.below(1000) - 500]);
  }
}

export const SAMPLE_HEADER: LogHeader = {
  writer: 'rvreplay test',
  created: '2024-01-02T03:04:05.000Z',
  machine: { board: 'virt', isa: 'rv32imac_zicsr_zifencei', ramMiB: 128, icountShift: 2 },
  guest: { path: 'guest.elf', sha256: 'ab'.repeat(32), bytes: 4096 },
  disks: [{ path: 'disk.img', sha256: 'cd'.repeat(32), bytes: 1 << 20 }],
  stateLayout: [{ name: 'hart0.x', bytes: 128 }, { name: 'uart0.regs', bytes: 16 }],
  digestInterval: 1_000_000,
  snapshot: { name: 'boot', sha256: 'ef'.repeat(32) },
};

/** Every kind except End, with random fields, at `icount`. */
export function randomEvent(rng: SeededRandom, icount: number): LogEvent {
  const kinds = [...Object.values(EventKind)].filter((k) => k !== EventKind.End);
  const kind = rng.pick(kinds);
  const len = (): number => rng.pick([0, 1, 2, 7, 127, 128, 300]);
  switch (kind) {
    case EventKind.IcountStamp: return { kind, icount };
    case EventKind.Interrupt: return { kind, icount, cause: rng.uint() };
    case EventKind.Exception: return { kind, icount, cause: rng.uint() };
    case EventKind.SerialInput: return { kind, icount, device: rng.uint(), bytes: rng.bytes(len()) };
    case EventKind.SerialWrite: return { kind, icount, device: rng.uint(), count: rng.uint() };
    case EventKind.ClockRead: return { kind, icount, clock: rng.uint(), valueNs: rng.pick([0n, -1n, (1n << 63n) - 1n, -(1n << 63n), 1_700_000_000_123_456_789n, BigInt(rng.u32()) * 1_000_003n]) };
    case EventKind.BlockComplete: return { kind, icount, device: rng.uint(), request: rng.uint(), status: rng.uint() };
    case EventKind.NetReceive: return { kind, icount, device: rng.uint(), frame: rng.bytes(len()) };
    case EventKind.InputEvent: return { kind, icount, device: rng.uint(), type: rng.uint(), code: rng.uint(), value: rng.int() };
    case EventKind.Entropy: return { kind, icount, device: rng.uint(), bytes: rng.bytes(len()) };
    case EventKind.TimerCallback: return { kind, icount, timer: rng.uint() };
    case EventKind.Checkpoint: return { kind, icount };
    case EventKind.Shutdown: return { kind, icount, reason: rng.uint() };
    case EventKind.Digest: return {
      kind, icount,
      regions: Array.from({ length: rng.below(20) }, () => rng.u32()),
      pages: Array.from({ length: rng.below(20) }, () => ({ page: rng.uint(), hash: rng.u32() })),
    };
    case EventKind.Snapshot: return { kind, icount, name: rng.pick(['boot', '', 'après-ski ☃', 'a"b\\c\n']) };
    case EventKind.DebugWrite: return { kind, icount, target: rng.pick([0, 1]), address: rng.uint(), bytes: rng.bytes(len()) };
    case EventKind.NetTransmit: return { kind, icount, device: rng.uint(), length: rng.uint(), crc: rng.u32() };
    case EventKind.BlockRequest: return { kind, icount, device: rng.uint(), request: rng.uint(), op: rng.pick([0, 1, 2, 7]), offset: rng.uint(), length: rng.uint() };
    default: throw new Error(`no generator for kind ${kind}`);
  }
}

/** `n` random events in icount order (repeated icounts and large jumps included), then End. */
export function sampleEvents(seed: number, n: number): LogEvent[] {
  const rng = new SeededRandom(seed);
  const events: LogEvent[] = [];
  let icount = rng.pick([0, 5, 2 ** 33]);
  for (let i = 0; i < n; i++) {
    icount += rng.pick([0, 0, 1, 2, 100, 5000, 1 << 20, rng.below(1 << 16)]);
    events.push(randomEvent(rng, icount));
  }
  events.push({ kind: EventKind.End, icount: icount + rng.below(10) });
  return events;
}

/** Writes `events` (the last one End) to an in-memory log and returns its bytes. */
export function writeLog(events: readonly LogEvent[], options: LogWriterOptions & { close?: boolean } = {}): Uint8Array {
  const parts: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => parts.push(b) }, SAMPLE_HEADER, options);
  for (const e of events) writer.append(e);
  if (options.close ?? true) writer.close();
  else writer.flushChunk();
  return concat(parts);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
