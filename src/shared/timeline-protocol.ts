// The timeline panel's protocol, declared once for the three parties that speak it: the webview
// (media/timeline), its host in the extension (src/extension), and the debug adapter that answers
// the data requests (or, for log-only browsing, a TimelineSource in the extension host).
//
// Two layers:
// - Custom DAP requests (`rvreplay/...`) that the host forwards to the adapter unchanged: the
//   log's bounds and lanes, windows of it by icount range (individual events, or per-bucket counts
//   at coarse zoom), the next/previous event of a lane, the serial console text, and seek.
// - Messages between the webview and its host (hexeditor style: discriminated unions on `type`),
//   opened by a `ready` → `configure` handshake. The webview's data requests travel as a
//   `request` message naming the DAP command, so the host relays them without knowing them.
//
// Every icount range here is half-open, [from, to), like the log reader's.

/** The custom DAP requests of the timeline, each name declared once. */
export const TimelineRequest = {
  /** The log's bounds, lanes, position, live edge, snapshots and keyframes. */
  Info: 'rvreplay/timelineInfo',
  /** The events of some lanes in an icount range, aggregated per bucket when too dense. */
  Window: 'rvreplay/timelineWindow',
  /** The next or previous event of one lane from an icount (it may lie outside any window). */
  Find: 'rvreplay/timelineFind',
  /** The guest's serial console text up to an icount, with where each byte came from. */
  SerialText: 'rvreplay/serialText',
  /** Travel: the debugger stops at exactly this icount. */
  Seek: 'rvreplay/seek',
} as const;

export type TimelineRequestName = (typeof TimelineRequest)[keyof typeof TimelineRequest];

/** The custom DAP event the adapter sends when the log grows, the lanes change or it moves. */
export const TimelineDapEvent = {
  Changed: 'rvreplay/timelineChanged',
} as const;

/**
 * What a lane shows. Most lanes hold log events of some kinds; `breakpoints` holds hits the
 * adapter found; `position` and `live-edge` hold no events, only a marker drawn across all lanes.
 */
export const LaneKind = {
  /** Where queued host input was delivered (Checkpoint), and host shutdown requests. */
  Checkpoints: 'checkpoints',
  /** Named snapshots in the log and the engine's keyframes. */
  Snapshots: 'snapshots',
  /** Interrupts taken; one lane per cause. */
  Interrupts: 'interrupts',
  /** Exceptions taken, every cause in one lane. */
  Exceptions: 'exceptions',
  /** Runs of serial output (the log counts the bytes; see SerialTextBody for the text). */
  SerialOut: 'serial-out',
  /** Serial bytes received from the host. */
  SerialIn: 'serial-in',
  /** Block request completions. */
  Block: 'block',
  /** Network frames received. */
  Net: 'net',
  /** Keyboard and mouse events. */
  Input: 'input',
  /** Entropy handed to the guest, wall-clock reads and host timer callbacks. */
  EntropyClock: 'entropy-clock',
  /** Breakpoint hits found so far (supplied by the adapter). */
  Breakpoints: 'breakpoints',
  /** The debuggee's current icount. */
  Position: 'position',
  /** How far a recording in progress has got. */
  LiveEdge: 'live-edge',
} as const;

export type LaneKindName = (typeof LaneKind)[keyof typeof LaneKind];

/** A lane's id: its kind, or for per-cause interrupt lanes `interrupts:<cause>`. */
export type LaneId = string;

export function interruptLaneId(cause: number): LaneId {
  return `${LaneKind.Interrupts}:${cause}`;
}

/** Marker lanes draw a line from TimelineInfoBody, not events from windows. */
export function isMarkerLane(kind: LaneKindName): boolean {
  return kind === LaneKind.Position || kind === LaneKind.LiveEdge;
}

export interface LaneInfo {
  id: LaneId;
  kind: LaneKindName;
  /** For people and screen readers: "Interrupts: machine timer (7)". */
  label: string;
  /** Events in the whole log; undefined for marker lanes. */
  count?: number;
}

/** One event as the panel shows it: where it is, a short label to draw, the tooltip text. */
export interface TimelineEventInfo {
  icount: number;
  /** A few characters drawn beside the mark when there is room ("7", "12 B", "boot"). */
  label: string;
  /**
   * The tooltip: what happened, in words, then the event's fields. Find results carry it;
   * windows leave it out of log events (thousands of them would be most of the payload): the
   * panel asks rvreplay/timelineFind (icount − 1, next) for the one under the pointer.
   */
  detail?: string;
  /** Serial bytes, one character per byte (Latin-1), drawn as text when zoomed in. */
  text?: string;
}

export interface SnapshotPosition {
  icount: number;
  /** A named snapshot in the log, or a keyframe the engine keeps for seeking. */
  kind: 'snapshot' | 'keyframe';
  name?: string;
}

/** What the console pane can show: see SerialTextBody.source. */
export type SerialTextSourceKind = 'replay' | 'captured' | 'log';

// ---- rvreplay/timelineInfo

export type TimelineInfoArgs = Record<string, never>;

export interface TimelineInfoBody {
  /** What is being shown, for the panel's title (the guest's file name). */
  title: string;
  /** The first icount of the run (0, or where a recording from a snapshot began). */
  start: number;
  /** The icount of the End event, or how far the log goes while it is still being written. */
  end: number;
  /** The lanes worth showing, in display order (lanes with no event are left out). */
  lanes: LaneInfo[];
  /** The debuggee's current icount; undefined when a log is browsed without a session. */
  position?: number;
  /** While recording: the icount recorded so far; undefined once the recording has ended. */
  liveEdge?: number;
  snapshots: SnapshotPosition[];
  /**
   * Virtual time is icount × 2^icountShift ns plus the time the hart spent idle in WFI, which the
   * log does not hold. Anchors (icount, virtual ns) come from whoever knows (a replay); without
   * one at or before an icount, icount × 2^shift is a lower bound of its virtual time.
   */
  time: { icountShift: number; anchors: { icount: number; ns: number }[] };
  /** Whether the serial console can show output bytes, and why not. */
  serial: { source: SerialTextSourceKind; note?: string };
  /** Whether seek can travel (a debug session), or the panel only browses a log. */
  canSeek: boolean;
  /** The log's damage in one line, when it has some: the panel shows what is readable. */
  damage?: string;
}

// ---- rvreplay/timelineWindow

export interface TimelineWindowArgs {
  fromIcount: number;
  toIcount: number;
  /** How many equal buckets [from, to) is cut into: the panel asks for one per pixel column. */
  buckets: number;
  lanes: LaneId[];
  /** A lane with more events than this × buckets in the range comes back as counts (default 2). */
  maxEventsPerBucket?: number;
}

/** A lane of a window: few enough events to list, or how many fell in each bucket. */
export type LaneWindow =
  | { lane: LaneId; mode: 'events'; total: number; events: TimelineEventInfo[] }
  | {
      lane: LaneId;
      mode: 'counts';
      total: number;
      /** Events per bucket (a click on a bucket asks timelineFind for its first event: sending
       * every bucket's would more than double a window). */
      counts: number[];
    };

export interface TimelineWindowBody {
  fromIcount: number;
  toIcount: number;
  buckets: number;
  lanes: LaneWindow[];
}

/** Where bucket `b` of `buckets` over [from, to) begins (bucket b is [start(b), start(b + 1))).
 * Shared so that the adapter's counts and the panel's drawing agree to the icount. */
export function bucketStart(fromIcount: number, toIcount: number, buckets: number, b: number): number {
  return fromIcount + ((toIcount - fromIcount) * b) / buckets;
}

/** The bucket holding `icount`, for an icount inside [from, to). */
export function bucketOf(fromIcount: number, toIcount: number, buckets: number, icount: number): number {
  let b = Math.floor(((icount - fromIcount) * buckets) / (toIcount - fromIcount));
  // Floating point may put an icount that sits on a boundary one bucket off: settle it with
  // bucketStart, the definition.
  if (b > 0 && bucketStart(fromIcount, toIcount, buckets, b) > icount) b--;
  else if (b + 1 < buckets && bucketStart(fromIcount, toIcount, buckets, b + 1) <= icount) b++;
  return Math.min(Math.max(b, 0), buckets - 1);
}

// ---- rvreplay/timelineFind

export interface TimelineFindArgs {
  lane: LaneId;
  icount: number;
  /** `next`: the first event after icount; `previous`: the last event before it. */
  direction: 'next' | 'previous';
}

export interface TimelineFindBody {
  /** Undefined when the lane has no event that way. */
  event?: TimelineEventInfo;
}

// ---- rvreplay/serialText

export interface SerialTextArgs {
  /** The console as it was at this icount: bytes written or read at it or before (inclusive). */
  toIcount: number;
  /** At most this many bytes, the latest ones (the console's tail). */
  maxBytes: number;
  /** Whether bytes received from the host are interleaved with the output (default true). */
  includeInput?: boolean;
}

/** Consecutive bytes of one direction, from one log event. */
export interface SerialSegment {
  direction: 'out' | 'in';
  /** Where the run began: the icount of its log event. */
  icount: number;
  /** Bytes in the segment. */
  count: number;
  /** The bytes, one character each (Latin-1); undefined when the source cannot tell them. */
  text?: string;
  /** Each byte's own icount, when the source knows them (a replay does; a captured file does
   * not: its bytes carry the icount of their run). */
  byteIcounts?: number[];
}

export interface SerialTextBody {
  /**
   * Where the output bytes came from. The log counts output bytes but does not keep them, so:
   * `replay`: regenerated by replaying the log (exact bytes and per-byte icounts);
   * `captured`: a file of the output captured while recording, matched to the logged runs by
   * position (exact bytes, icounts per run);
   * `log`: the log alone: output segments have counts and no text (input bytes are in the log).
   */
  source: SerialTextSourceKind;
  segments: SerialSegment[];
  /** Bytes at or before toIcount left out before the first segment (maxBytes). */
  omittedBytes: number;
  /** Why some text is missing, for the user (e.g. the captured file is shorter than the log). */
  note?: string;
}

// ---- rvreplay/seek

export interface SeekArgs {
  icount: number;
}

export interface SeekBody {
  /** Where the debuggee stopped (the icount asked for, unless it lies outside the log). */
  icount: number;
}

/** Each request's arguments and response body, by name. */
export interface TimelineRequests {
  [TimelineRequest.Info]: { args: TimelineInfoArgs; body: TimelineInfoBody };
  [TimelineRequest.Window]: { args: TimelineWindowArgs; body: TimelineWindowBody };
  [TimelineRequest.Find]: { args: TimelineFindArgs; body: TimelineFindBody };
  [TimelineRequest.SerialText]: { args: SerialTextArgs; body: SerialTextBody };
  [TimelineRequest.Seek]: { args: SeekArgs; body: SeekBody };
}

export type RequestArgs<K extends TimelineRequestName> = TimelineRequests[K]['args'];
export type RequestBody<K extends TimelineRequestName> = TimelineRequests[K]['body'];

/** The body of the rvreplay/timelineChanged DAP event: the info as it is now. */
export type TimelineChangedBody = TimelineInfoBody;

// ---- webview ⇄ host messages

/** A data request from the webview, relayed by the host as the DAP request it names. */
export type WebviewRequest = {
  [K in TimelineRequestName]: { type: 'request'; requestId: number; command: K; args: RequestArgs<K> };
}[TimelineRequestName];

export type WebviewToHost =
  /** The script has loaded and listens: the host answers with `configure`. */
  | { type: 'ready' }
  | WebviewRequest
  /** The user asked to travel to an icount (a click, a key, a console character). */
  | { type: 'seek'; icount: number; reason: 'click' | 'keyboard' | 'console' };

/** Settings the host passes at configure time. */
export interface TimelineSettings {
  /** Bytes of console text asked for at a time (default 65536). */
  consoleMaxBytes?: number;
  /** A lane turns to counts past this many events per bucket (default 2). */
  maxEventsPerBucket?: number;
}

export type RequestResponse = {
  [K in TimelineRequestName]:
    | { type: 'response'; requestId: number; command: K; ok: true; body: RequestBody<K> }
    | { type: 'response'; requestId: number; command: K; ok: false; message: string };
}[TimelineRequestName];

export type HostToWebview =
  /** The answer to `ready`: what to show and how. */
  | { type: 'configure'; info: TimelineInfoBody; settings: TimelineSettings }
  | RequestResponse
  /** The log grew, a lane appeared, the position moved: the info as it is now. */
  | { type: 'changed'; info: TimelineInfoBody };
