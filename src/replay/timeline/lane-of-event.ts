// Which lane each kind of log event is drawn in, the lanes' display order and their labels. The
// one place that maps the log's event kinds onto the timeline's lanes.

import { INTERRUPT_NAMES } from '../describe-event.js';
import { EventKind, type LogEvent } from '../../shared/log-events.js';
import { interruptLaneId, LaneKind, type LaneId, type LaneInfo, type LaneKindName } from '../../shared/timeline-protocol.js';

/** The lane an event belongs to, or undefined for events no lane shows (digests, framing, End). */
export function laneOfEvent(e: LogEvent): LaneId | undefined {
  return laneOfKind(e.kind, e.kind === EventKind.Interrupt ? e.cause : 0);
}

/** The lane of an event of `kind` (with its cause, for an interrupt), from a skim of the log. */
export function laneOfKind(kind: number, cause: number): LaneId | undefined {
  switch (kind) {
    case EventKind.Interrupt: return interruptLane(cause);
    case EventKind.Exception: return LaneKind.Exceptions;
    case EventKind.SerialWrite: return LaneKind.SerialOut;
    case EventKind.SerialInput: return LaneKind.SerialIn;
    case EventKind.ClockRead:
    case EventKind.Entropy:
    case EventKind.TimerCallback: return LaneKind.EntropyClock;
    case EventKind.BlockComplete:
    case EventKind.BlockRequest: return LaneKind.Block;
    case EventKind.NetReceive:
    case EventKind.NetTransmit: return LaneKind.Net;
    case EventKind.InputEvent: return LaneKind.Input;
    case EventKind.Checkpoint:
    case EventKind.Shutdown:
    case EventKind.DebugWrite: return LaneKind.Checkpoints;
    case EventKind.Snapshot: return LaneKind.Snapshots;
    default: return undefined;
  }
}

/** Interrupt lane ids by cause, made once each (summarizing asks for one per interrupt). */
const interruptLanes = new Map<number, LaneId>();

function interruptLane(cause: number): LaneId {
  let id = interruptLanes.get(cause);
  if (id === undefined) interruptLanes.set(cause, (id = interruptLaneId(cause)));
  return id;
}

/** The lane kind of an id (`interrupts:7` is an interrupts lane). */
export function laneKindOf(id: LaneId): LaneKindName {
  const colon = id.indexOf(':');
  return (colon < 0 ? id : id.slice(0, colon)) as LaneKindName;
}

/** The cause of a per-cause interrupt lane. */
function laneCause(id: LaneId): number {
  return Number(id.slice(id.indexOf(':') + 1));
}

/** Top to bottom: where you are first, then the host's hand in the run, then what the guest did. */
const ORDER: readonly LaneKindName[] = [
  LaneKind.Position, LaneKind.LiveEdge, LaneKind.Breakpoints, LaneKind.Snapshots, LaneKind.Checkpoints,
  LaneKind.Interrupts, LaneKind.Exceptions, LaneKind.SerialOut, LaneKind.SerialIn, LaneKind.Block,
  LaneKind.Net, LaneKind.Input, LaneKind.EntropyClock,
];

/** Orders lane ids for display (interrupt lanes by cause). */
export function compareLanes(a: LaneId, b: LaneId): number {
  const ka = laneKindOf(a);
  const kb = laneKindOf(b);
  if (ka !== kb) return ORDER.indexOf(ka) - ORDER.indexOf(kb);
  return ka === LaneKind.Interrupts ? laneCause(a) - laneCause(b) : 0;
}

const LABELS: Record<LaneKindName, string> = {
  [LaneKind.Checkpoints]: 'Checkpoints',
  [LaneKind.Snapshots]: 'Snapshots and keyframes',
  [LaneKind.Interrupts]: 'Interrupts',
  [LaneKind.Exceptions]: 'Exceptions',
  [LaneKind.SerialOut]: 'Serial out',
  [LaneKind.SerialIn]: 'Serial in',
  [LaneKind.Block]: 'Block',
  [LaneKind.Net]: 'Network',
  [LaneKind.Input]: 'Input',
  [LaneKind.EntropyClock]: 'Entropy and clock',
  [LaneKind.Breakpoints]: 'Breakpoint hits',
  [LaneKind.Position]: 'Position',
  [LaneKind.LiveEdge]: 'Live edge',
};

export function laneInfo(id: LaneId, count?: number): LaneInfo {
  const kind = laneKindOf(id);
  const label = kind === LaneKind.Interrupts ? `Interrupts: ${interruptName(laneCause(id))}` : LABELS[kind];
  return count === undefined ? { id, kind, label } : { id, kind, label, count };
}

/** "machine timer (7)", with the names divergence messages use. */
function interruptName(cause: number): string {
  const words = INTERRUPT_NAMES.get(cause);
  return words === undefined ? `cause ${cause}` : `${words} (${cause})`;
}
