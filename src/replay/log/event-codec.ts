// The compact encoding of one event inside a chunk payload: u8 kind, varint icount delta from
// the previous event of the chunk, then the kind's fields (the table is in docs/LOG-FORMAT.md,
// "Event encodings"). Both directions live here so the two cannot drift apart, and so does the
// skim that steps over events without building them.

import { EventKind, type LogEvent } from '../../shared/log-events.js';
import type { ByteReader } from './byte-reader.js';
import type { ByteWriter } from './byte-writer.js';
import { LogError } from './log-error.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Appends `e` to `w`; `previousIcount` is the icount the delta is taken from. */
export function encodeEvent(w: ByteWriter, e: LogEvent, previousIcount: number): void {
  w.u8(e.kind);
  w.varint(e.icount - previousIcount);
  switch (e.kind) {
    case EventKind.IcountStamp:
      w.varint(e.icount);
      break;
    case EventKind.Interrupt:
    case EventKind.Exception:
      w.varint(e.cause);
      break;
    case EventKind.SerialInput:
    case EventKind.Entropy:
      w.varint(e.device);
      w.lengthPrefixed(e.bytes);
      break;
    case EventKind.SerialWrite:
      w.varint(e.device);
      w.varint(e.count);
      break;
    case EventKind.ClockRead:
      w.varint(e.clock);
      w.i64(e.valueNs);
      break;
    case EventKind.BlockComplete:
      w.varint(e.device);
      w.varint(e.request);
      w.varint(e.status);
      break;
    case EventKind.NetReceive:
      w.varint(e.device);
      w.lengthPrefixed(e.frame);
      break;
    case EventKind.InputEvent:
      w.varint(e.device);
      w.varint(e.type);
      w.varint(e.code);
      w.zigzag(e.value);
      break;
    case EventKind.TimerCallback:
      w.varint(e.timer);
      break;
    case EventKind.Checkpoint:
    case EventKind.End:
      break;
    case EventKind.Shutdown:
      w.varint(e.reason);
      break;
    case EventKind.Digest:
      w.varint(e.regions.length);
      for (const h of e.regions) w.u32(h);
      w.varint(e.pages.length);
      for (const p of e.pages) {
        w.varint(p.page);
        w.u32(p.hash);
      }
      break;
    case EventKind.Snapshot:
      w.lengthPrefixed(utf8Encoder.encode(e.name));
      break;
    case EventKind.DebugWrite:
      w.varint(e.target);
      w.varint(e.address);
      w.lengthPrefixed(e.bytes);
      break;
    case EventKind.BlockRequest:
      w.varint(e.device);
      w.varint(e.request);
      w.varint(e.op);
      w.varint(e.offset);
      w.varint(e.length);
      break;
    case EventKind.NetTransmit:
      w.varint(e.device);
      w.varint(e.length);
      w.u32(e.crc);
      break;
    default:
      throw new RangeError(`cannot encode an event of unknown kind ${(e as { kind: unknown }).kind}`);
  }
}

/** Reads one event from `r`; throws LogError when the bytes are not a valid event. */
export function decodeEvent(r: ByteReader, previousIcount: number): LogEvent {
  const kindOffset = r.pos;
  const kind = r.u8();
  const icount = previousIcount + r.varint();
  if (!Number.isSafeInteger(icount)) throw new LogError(`the icount at offset 0x${kindOffset.toString(16)} exceeds 2^53`);
  return decodeFields(r, kind, icount, kindOffset);
}

/** Reads the event whose kind byte is at `r.pos` when its icount is already known (from a
 * skim of its chunk): one event out of the middle of a payload, without those before it. */
export function decodeEventAt(r: ByteReader, icount: number): LogEvent {
  const kindOffset = r.pos;
  const kind = r.u8();
  r.varint();
  return decodeFields(r, kind, icount, kindOffset);
}

/** What a skim keeps of an event: enough to place it in a timeline lane and size it. */
export interface SkimmedEvent {
  kind: number;
  icount: number;
  /** Interrupt and Exception: the cause; SerialWrite: the count; SerialInput: the byte length;
   * otherwise 0. */
  value: number;
}

/**
 * Steps `r` over one event, filling `out`, without building it: the timeline summarizes every
 * chunk of a log this way. It checks what decodeEvent checks for the kinds it skips over cheaply,
 * and decodes the rare kinds whole (their checks are decodeEvent's own).
 */
export function skimEvent(r: ByteReader, previousIcount: number, out: SkimmedEvent): void {
  const kindOffset = r.pos;
  const kind = r.u8();
  const icount = previousIcount + r.varint();
  if (!Number.isSafeInteger(icount)) throw new LogError(`the icount at offset 0x${kindOffset.toString(16)} exceeds 2^53`);
  out.kind = kind;
  out.icount = icount;
  out.value = 0;
  switch (kind) {
    case EventKind.Interrupt:
    case EventKind.Exception:
      out.value = r.varint();
      return;
    case EventKind.SerialInput:
      r.varint();
      out.value = r.skip(r.varint());
      return;
    case EventKind.Entropy:
    case EventKind.NetReceive:
      r.varint();
      r.skip(r.varint());
      return;
    case EventKind.SerialWrite:
      r.varint();
      out.value = r.varint();
      return;
    case EventKind.ClockRead:
      r.varint();
      r.skip(8);
      return;
    case EventKind.BlockComplete:
      r.varint();
      r.varint();
      r.varint();
      return;
    case EventKind.InputEvent:
      r.varint();
      r.varint();
      r.varint();
      r.varint();
      return;
    case EventKind.BlockRequest:
      for (let k = 0; k < 5; k++) r.varint();
      return;
    case EventKind.NetTransmit:
      r.varint();
      r.varint();
      r.skip(4);
      return;
    case EventKind.TimerCallback:
      r.varint();
      return;
    case EventKind.Checkpoint:
    case EventKind.End:
      return;
    default:
      decodeFields(r, kind, icount, kindOffset);
  }
}

/** The fields of an event of `kind` (its kind byte at kindOffset, for messages). */
function decodeFields(r: ByteReader, kind: number, icount: number, kindOffset: number): LogEvent {
  switch (kind) {
    case EventKind.IcountStamp: {
      const stamped = r.varint();
      if (stamped !== icount) throw new LogError(`the icount stamp at offset 0x${kindOffset.toString(16)} says ${stamped} where the deltas say ${icount}`);
      return { kind, icount };
    }
    case EventKind.Interrupt:
    case EventKind.Exception:
      return { kind, icount, cause: r.varint() };
    case EventKind.SerialInput:
    case EventKind.Entropy:
      return { kind, icount, device: r.varint(), bytes: r.lengthPrefixed() };
    case EventKind.SerialWrite:
      return { kind, icount, device: r.varint(), count: r.varint() };
    case EventKind.ClockRead:
      return { kind, icount, clock: r.varint(), valueNs: r.i64() };
    case EventKind.BlockComplete:
      return { kind, icount, device: r.varint(), request: r.varint(), status: r.varint() };
    case EventKind.NetReceive:
      return { kind, icount, device: r.varint(), frame: r.lengthPrefixed() };
    case EventKind.InputEvent:
      return { kind, icount, device: r.varint(), type: r.varint(), code: r.varint(), value: r.zigzag() };
    case EventKind.TimerCallback:
      return { kind, icount, timer: r.varint() };
    case EventKind.Checkpoint:
    case EventKind.End:
      return { kind, icount };
    case EventKind.Shutdown:
      return { kind, icount, reason: r.varint() };
    case EventKind.Digest: {
      const regions: number[] = new Array<number>(boundedCount(r, 4));
      for (let i = 0; i < regions.length; i++) regions[i] = r.u32();
      const pages: { page: number; hash: number }[] = new Array<{ page: number; hash: number }>(boundedCount(r, 5));
      for (let i = 0; i < pages.length; i++) pages[i] = { page: r.varint(), hash: r.u32() };
      return { kind, icount, regions, pages };
    }
    case EventKind.Snapshot: {
      const nameBytes = r.lengthPrefixed();
      try {
        return { kind, icount, name: utf8Decoder.decode(nameBytes) };
      } catch {
        throw new LogError(`the snapshot name at offset 0x${kindOffset.toString(16)} is not UTF-8`);
      }
    }
    case EventKind.DebugWrite:
      return { kind, icount, target: r.varint(), address: r.varint(), bytes: r.lengthPrefixed() };
    case EventKind.BlockRequest:
      return { kind, icount, device: r.varint(), request: r.varint(), op: r.varint(), offset: r.varint(), length: r.varint() };
    case EventKind.NetTransmit:
      return { kind, icount, device: r.varint(), length: r.varint(), crc: r.u32() };
    default:
      throw new LogError(`unknown event kind ${kind} at offset 0x${kindOffset.toString(16)}`);
  }
}

/** A count of items of at least `minBytes` each, refused before allocating if the rest of the
 * payload cannot hold them (a damaged count must not allocate gigabytes). */
function boundedCount(r: ByteReader, minBytes: number): number {
  const n = r.varint();
  if (n * minBytes > r.remaining) throw new LogError(`a count of ${n} at offset 0x${r.pos.toString(16)} runs past the end of its chunk`);
  return n;
}
