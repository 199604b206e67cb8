// The one-line text form of an event, as `rvreplay dump` prints it (and the grammar in
// syntaxes/rvreplay-dump.tmLanguage.json colours it): icount, kind name, then the kind's fields
// as name=value. Serial bytes read as an escaped string, clock values as ns and UTC time,
// digests as counts and one checksum, so two dumps can be compared line by line.

import { crc32 } from '../../emu/crc32.js';
import { BLOCK_OP_NAMES, DEBUG_WRITE_PC, DebugWriteTarget, EventKind, EVENT_KIND_NAMES, ShutdownReason, type LogEvent } from '../../shared/log-events.js';
import { ByteWriter } from './byte-writer.js';

const SHUTDOWN_NAMES = new Map<number, string>([
  [ShutdownReason.HostSignal, 'host-signal'],
  [ShutdownReason.User, 'user'],
  [ShutdownReason.Budget, 'budget'],
]);

export function formatEvent(e: LogEvent): string {
  const name = EVENT_KIND_NAMES.get(e.kind) ?? `kind-${String(e.kind)}`;
  const fields = eventFields(e);
  return fields === '' ? `${e.icount} ${name}` : `${e.icount} ${name} ${fields}`;
}

function eventFields(e: LogEvent): string {
  switch (e.kind) {
    case EventKind.IcountStamp:
    case EventKind.Checkpoint:
    case EventKind.End:
      return '';
    case EventKind.Interrupt:
    case EventKind.Exception:
      return `cause=${e.cause}`;
    case EventKind.SerialInput:
      return `dev=${e.device} ${quoteBytes(e.bytes)}`;
    case EventKind.SerialWrite:
      return `dev=${e.device} count=${e.count}`;
    case EventKind.ClockRead:
      return `clock=${e.clock} ns=${e.valueNs} time=${utcTime(e.valueNs)}`;
    case EventKind.BlockComplete:
      return `dev=${e.device} req=${e.request} status=${e.status}`;
    case EventKind.NetReceive:
      return `dev=${e.device} ${hexData(e.frame)}`;
    case EventKind.InputEvent:
      return `dev=${e.device} type=${e.type} code=${e.code} value=${e.value}`;
    case EventKind.Entropy:
      return `dev=${e.device} ${hexData(e.bytes)}`;
    case EventKind.TimerCallback:
      return `timer=${e.timer}`;
    case EventKind.Shutdown:
      return `reason=${SHUTDOWN_NAMES.get(e.reason) ?? e.reason}`;
    case EventKind.Digest:
      return `regions=${e.regions.length} pages=${e.pages.length} sum=${hex32(digestSum(e.regions, e.pages))}`;
    case EventKind.Snapshot:
      return `name=${JSON.stringify(e.name)}`;
    case EventKind.NetTransmit:
      return `dev=${e.device} len=${e.length} crc=${hex32(e.crc)}`;
    case EventKind.BlockRequest:
      return `dev=${e.device} req=${e.request} op=${BLOCK_OP_NAMES[e.op] ?? e.op} offset=${e.offset} len=${e.length}`;
    case EventKind.DebugWrite:
      return e.target === DebugWriteTarget.Memory
        ? `memory=0x${e.address.toString(16)} ${hexData(e.bytes)}`
        : `register=${e.address === DEBUG_WRITE_PC ? 'pc' : `x${e.address}`} ${hexData(e.bytes)}`;
  }
}

/** Printable ASCII as is; quote, backslash and the usual controls as C escapes; the rest \xHH. */
export function quoteBytes(bytes: Uint8Array): string {
  let s = '"';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b === 0x0a) s += '\\n';
    else if (b === 0x0d) s += '\\r';
    else if (b === 0x09) s += '\\t';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return s + '"';
}

function hexData(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'len=0';
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return `len=${bytes.length} data=0x${hex}`;
}

function hex32(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/** One CRC over the digest's contents: equal digests print equal sums. */
function digestSum(regions: number[], pages: { page: number; hash: number }[]): number {
  const w = new ByteWriter(8 + regions.length * 4 + pages.length * 12);
  for (const h of regions) w.u32(h);
  for (const p of pages) {
    w.u64(p.page);
    w.u32(p.hash);
  }
  return crc32(w.contents());
}

const NS_PER_SECOND = 1_000_000_000n;
const SECONDS_PER_DAY = 86_400;
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

/**
 * ns since the Unix epoch as ISO 8601 UTC with all nine digits. Computed by walking years and
 * months from 1970 (an i64 of ns spans only 1677–2262), not with Date: this code reads no clock
 * and needs no ns-precision Date.
 */
export function utcTime(ns: bigint): string {
  let seconds = ns / NS_PER_SECOND;
  let fraction = ns % NS_PER_SECOND;
  if (fraction < 0n) {
    fraction += NS_PER_SECOND;
    seconds -= 1n;
  }
  const secs = Number(seconds);
  let days = Math.floor(secs / SECONDS_PER_DAY);
  const daySeconds = secs - days * SECONDS_PER_DAY;
  let year = 1970;
  while (days < 0) days += isLeap(--year) ? 366 : 365;
  while (days >= (isLeap(year) ? 366 : 365)) days -= isLeap(year++) ? 366 : 365;
  let month = 0;
  for (;;) {
    const length = month === 1 && isLeap(year) ? 29 : MONTH_DAYS[month];
    if (days < length) break;
    days -= length;
    month++;
  }
  const two = (n: number): string => String(n).padStart(2, '0');
  const time = `${two(Math.floor(daySeconds / 3600))}:${two(Math.floor(daySeconds / 60) % 60)}:${two(daySeconds % 60)}`;
  return `${String(year).padStart(4, '0')}-${two(month + 1)}-${two(days + 1)}T${time}.${String(fraction).padStart(9, '0')}Z`;
}
