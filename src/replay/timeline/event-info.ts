// A log event as the timeline shows it: a short label drawn beside its mark, and (for the one
// under the pointer) a tooltip that says what happened in words and then lists the event's
// fields as `rvreplay dump` prints them.

import { describeEvent } from '../describe-event.js';
import { formatEvent } from '../log/event-text.js';
import { BLOCK_OP_NAMES, EventKind, type LogEvent } from '../../shared/log-events.js';
import type { TimelineEventInfo } from '../../shared/timeline-protocol.js';

/** The event as a window lists it: its place, its label, its bytes when it has some. */
export function eventMark(e: LogEvent): TimelineEventInfo {
  const mark: TimelineEventInfo = { icount: e.icount, label: shortLabel(e) };
  if (e.kind === EventKind.SerialInput) mark.text = latin1(e.bytes);
  return mark;
}

/** The event with its tooltip text (a find result). */
export function eventInfo(e: LogEvent): TimelineEventInfo {
  // describeEvent ends with "at icount N" and the dump line starts with the icount and kind: the
  // panel shows the icount itself, so each gives only what the other does not.
  const words = describeEvent(e).replace(/ at icount \d+$/, '');
  const fields = formatEvent(e).split(' ').slice(2).join(' ');
  const headline = `${words[0].toUpperCase()}${words.slice(1)}`;
  return { ...eventMark(e), detail: fields === '' ? headline : `${headline}\n${fields}` };
}

/** Bytes as a string of one character per byte. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

function shortLabel(e: LogEvent): string {
  switch (e.kind) {
    case EventKind.Interrupt:
    case EventKind.Exception: return String(e.cause);
    case EventKind.SerialWrite: return `${e.count} B`;
    case EventKind.SerialInput: return `${e.bytes.length} B`;
    case EventKind.ClockRead: return 'clock';
    case EventKind.Entropy: return `rng ${e.bytes.length} B`;
    case EventKind.TimerCallback: return `timer ${e.timer}`;
    case EventKind.BlockComplete: return `req ${e.request} done`;
    case EventKind.BlockRequest: return `req ${e.request} ${BLOCK_OP_NAMES[e.op] ?? e.op}`;
    case EventKind.NetReceive: return `in ${e.frame.length} B`;
    case EventKind.NetTransmit: return `out ${e.length} B`;
    case EventKind.InputEvent: return `${e.type}/${e.code}`;
    case EventKind.Shutdown: return 'shutdown';
    case EventKind.Snapshot: return e.name;
    case EventKind.DebugWrite: return 'debugger write';
    default: return '';
  }
}
