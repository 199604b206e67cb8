// The timeline's data: answers the panel's requests (info, windows, find, serial text) from a
// log, through its chunk index. A window decodes only the chunks its range overlaps, and each of
// those once: per-chunk summaries (sorted icounts per lane) are kept, so later windows count
// events with binary searches whatever the zoom. What the log cannot say comes from whoever owns
// the session: the position, the live edge, keyframes, breakpoint hits, virtual-time anchors and
// the bytes of the serial output (a SerialOutputSource). Pure: the caller reads the file.

import { LogReader } from '../log/log-reader.js';
import {
  isMarkerLane, LaneKind,
  type LaneId, type LaneWindow, type SerialTextArgs, type SerialTextBody, type SnapshotPosition, type TimelineEventInfo,
  type TimelineFindArgs, type TimelineFindBody, type TimelineInfoBody, type TimelineWindowArgs, type TimelineWindowBody,
} from '../../shared/timeline-protocol.js';
import { ChunkStore } from './chunk-store.js';
import { compareLanes, laneInfo, laneKindOf } from './lane-of-event.js';
import { LogLaneSeries, MarkerLaneSeries, MergedLaneSeries, type LaneSeries } from './lane-series.js';
import type { SerialOutputSource } from './serial-output.js';
import { SerialTextBuilder } from './serial-text.js';

export interface TimelineSourceOptions {
  /** The panel's title (default: the guest's file name from the log header). */
  title?: string;
  /** Whether the panel may seek (a debug session is attached); false for browsing a log. */
  canSeek?: boolean;
  serialOutput?: SerialOutputSource;
}

/** A lane turns to counts past this many events per bucket, unless the request says otherwise. */
const DEFAULT_MAX_EVENTS_PER_BUCKET = 2;
/** Limits on a window request, so a bad request cannot ask for gigabytes. */
const MAX_BUCKETS = 1 << 16;
const MAX_LANES = 256;

export class TimelineSource {
  private store: ChunkStore;
  private serial: SerialTextBuilder;
  private readonly title: string;
  private readonly canSeek: boolean;
  private serialOutput: SerialOutputSource | undefined;
  private position: number | undefined;
  private liveEdge: number | undefined;
  private keyframes = new MarkerLaneSeries([]);
  private breakpoints = new MarkerLaneSeries([]);
  private anchors: { icount: number; ns: number }[] = [];

  constructor(reader: LogReader, bytes: Uint8Array, options: TimelineSourceOptions = {}) {
    this.store = new ChunkStore(reader, bytes);
    this.serial = new SerialTextBuilder(this.store);
    this.title = options.title ?? reader.header.guest.path.split(/[\\/]/).pop() ?? 'recording';
    this.canSeek = options.canSeek ?? false;
    this.serialOutput = options.serialOutput;
  }

  /** A source over the bytes of a log file (LogReader.open's errors pass through). */
  static open(bytes: Uint8Array, options: TimelineSourceOptions = {}): TimelineSource {
    return new TimelineSource(LogReader.open(bytes), bytes, options);
  }

  /** Chunk payloads decoded so far. */
  get chunksDecoded(): number {
    return this.store.chunksDecoded;
  }

  /**
   * The log grew (a recording in progress): read it from its new bytes. Chunks already summarized
   * keep their summaries (a written chunk never changes), so only new chunks are decoded.
   */
  update(reader: LogReader, bytes: Uint8Array): void {
    const old = this.store.reader.chunks;
    const reuse = this.store.builtSummaries.map((summary, i) => {
      const a = old[i];
      const b = reader.chunks[i];
      const same = b !== undefined && a.offset === b.offset && a.firstIcount === b.firstIcount && a.lastIcount === b.lastIcount && a.events === b.events;
      return same ? summary : undefined;
    });
    const decoded = this.store.chunksDecoded;
    this.store = new ChunkStore(reader, bytes, reuse);
    this.store.chunksDecoded = decoded;
    this.serial = new SerialTextBuilder(this.store);
  }

  setPosition(icount: number | undefined): void {
    this.position = icount;
  }

  setLiveEdge(icount: number | undefined): void {
    this.liveEdge = icount;
  }

  setKeyframes(icounts: readonly number[]): void {
    this.keyframes = new MarkerLaneSeries(icounts.map((icount) => ({ icount, label: 'keyframe', detail: `Keyframe at icount ${icount}\nthe debugger restores it to seek near here` })));
  }

  /** Breakpoint hits found so far (by the adapter's replays), with what to say about each. */
  setBreakpointHits(hits: readonly TimelineEventInfo[]): void {
    this.breakpoints = new MarkerLaneSeries(hits);
  }

  setTimeAnchors(anchors: readonly { icount: number; ns: number }[]): void {
    this.anchors = [...anchors].sort((a, b) => a.icount - b.icount);
  }

  setSerialOutput(output: SerialOutputSource | undefined): void {
    this.serialOutput = output;
  }

  /** Bounds, lanes and markers. Summarizes every chunk the first time (the lane counts need it). */
  info(): TimelineInfoBody {
    this.store.summarizeAll();
    const reader = this.store.reader;
    const counts = new Map<LaneId, number>();
    for (let i = 0; i < this.store.chunks.length; i++) {
      for (const [lane, column] of this.store.summary(i)?.lanes ?? []) counts.set(lane, (counts.get(lane) ?? 0) + column.icounts.length);
    }
    if (this.keyframes.size > 0) counts.set(LaneKind.Snapshots, (counts.get(LaneKind.Snapshots) ?? 0) + this.keyframes.size);
    if (this.breakpoints.size > 0 || this.canSeek) counts.set(LaneKind.Breakpoints, this.breakpoints.size);
    const lanes = [...counts.keys()].sort(compareLanes).map((id) => laneInfo(id, counts.get(id)));
    if (this.liveEdge !== undefined) lanes.unshift(laneInfo(LaneKind.LiveEdge));
    if (this.position !== undefined) lanes.unshift(laneInfo(LaneKind.Position));

    const chunks = this.store.chunks;
    const start = reader.header.snapshot !== undefined ? (chunks[0]?.firstIcount ?? 0) : 0;
    const last = chunks.length > 0 ? chunks[chunks.length - 1].lastIcount : start;
    const end = Math.max(reader.endIcount ?? last, this.liveEdge ?? 0, start + 1);
    const info: TimelineInfoBody = {
      title: this.title, start, end, lanes,
      snapshots: this.snapshotPositions(start, end),
      time: { icountShift: reader.header.machine.icountShift, anchors: this.anchors },
      serial: { source: this.serialOutput?.kind ?? 'log' },
      canSeek: this.canSeek,
    };
    if (this.position !== undefined) info.position = this.position;
    if (this.liveEdge !== undefined) info.liveEdge = this.liveEdge;
    const damage = this.damage();
    if (damage !== undefined) info.damage = damage;
    if (this.serialOutput === undefined) info.serial.note = 'output bytes are not in the log: counts only';
    return info;
  }

  /** The lanes asked for over [from, to): their events, or per-bucket counts where too dense. */
  window(args: TimelineWindowArgs): TimelineWindowBody {
    const { fromIcount: from, toIcount: to, buckets } = args;
    checkWindow(args);
    const limit = (args.maxEventsPerBucket ?? DEFAULT_MAX_EVENTS_PER_BUCKET) * buckets;
    const lanes: LaneWindow[] = args.lanes.map((lane) => {
      const series = this.series(lane);
      const total = series?.count(from, to) ?? 0;
      if (series === undefined || total <= limit) return { lane, mode: 'events', total, events: this.withText(lane, series?.events(from, to) ?? [], from, to) };
      const counts = new Array<number>(buckets).fill(0);
      series.addBucketCounts(from, to, buckets, counts);
      return { lane, mode: 'counts', total, counts };
    });
    return { fromIcount: from, toIcount: to, buckets, lanes };
  }

  /** Serial output events carry their bytes when the output source has them (drawn as text). */
  private withText(lane: LaneId, events: TimelineEventInfo[], from: number, to: number): TimelineEventInfo[] {
    if (lane !== LaneKind.SerialOut) return events;
    const texts = this.serial.outputTexts(from, to, this.serialOutput);
    if (texts?.length !== events.length) return events;
    events.forEach((e, k) => {
      if (texts[k] !== undefined) e.text = texts[k];
    });
    return events;
  }

  find(args: TimelineFindArgs): TimelineFindBody {
    if (!Number.isFinite(args.icount)) throw new RangeError(`find: icount must be a number, not ${String(args.icount)}`);
    if (args.direction !== 'next' && args.direction !== 'previous') throw new RangeError(`find: direction must be next or previous, not ${String(args.direction)}`);
    const event = this.series(args.lane)?.find(args.icount, args.direction);
    return event === undefined ? {} : { event };
  }

  serialText(args: SerialTextArgs): SerialTextBody {
    if (!Number.isFinite(args.toIcount)) throw new RangeError(`serialText: toIcount must be a number, not ${String(args.toIcount)}`);
    if (!Number.isInteger(args.maxBytes) || args.maxBytes < 0) throw new RangeError(`serialText: maxBytes must be a non-negative integer, not ${String(args.maxBytes)}`);
    return this.serial.build(args, this.serialOutput);
  }

  /** The first damage known, in one line. A log still being recorded has no End event and no
   * index yet: that is not damage. */
  private damage(): string | undefined {
    if (this.store.damage !== undefined) return this.store.damage;
    const found = this.store.reader.damage;
    if (found === undefined || (this.liveEdge !== undefined && found.chunk === undefined)) return undefined;
    return found.message;
  }

  private series(lane: LaneId): LaneSeries | undefined {
    const kind = laneKindOf(lane);
    if (isMarkerLane(kind)) return undefined;
    if (kind === LaneKind.Breakpoints) return this.breakpoints;
    const logged = new LogLaneSeries(this.store, lane);
    return kind === LaneKind.Snapshots && this.keyframes.size > 0 ? new MergedLaneSeries([logged, this.keyframes]) : logged;
  }

  private snapshotPositions(start: number, end: number): SnapshotPosition[] {
    const snapshots: SnapshotPosition[] = new LogLaneSeries(this.store, LaneKind.Snapshots)
      .events(start, end + 1)
      .map((e) => ({ icount: e.icount, kind: 'snapshot', name: e.label }));
    const keyframes: SnapshotPosition[] = this.keyframes.events(-Infinity, Infinity).map((e) => ({ icount: e.icount, kind: 'keyframe' }));
    return [...snapshots, ...keyframes].sort((a, b) => a.icount - b.icount);
  }
}

function checkWindow(args: TimelineWindowArgs): void {
  const { fromIcount: from, toIcount: to, buckets, lanes } = args;
  if (!Number.isFinite(from) || !Number.isFinite(to) || !(from < to)) throw new RangeError(`window: want fromIcount < toIcount, got [${String(from)}, ${String(to)})`);
  if (!Number.isInteger(buckets) || buckets < 1 || buckets > MAX_BUCKETS) throw new RangeError(`window: buckets must be an integer from 1 to ${MAX_BUCKETS}, not ${String(buckets)}`);
  if (!Array.isArray(lanes) || lanes.length > MAX_LANES) throw new RangeError(`window: lanes must be a list of at most ${MAX_LANES} lane ids`);
}
