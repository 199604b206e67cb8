// Test helper for the timeline tests: what a window, a find or a console should hold, computed
// the slow, obvious way from the full list of events, to compare with TimelineSource's answers
// (which come from chunk summaries and binary searches).

import { bucketStart, type LaneId, type LaneWindow, type TimelineWindowArgs } from '../../src/shared/timeline-protocol.js';
import type { LogEvent } from '../../src/shared/log-events.js';
import { eventMark } from '../../src/replay/timeline/event-info.js';
import { laneOfEvent } from '../../src/replay/timeline/lane-of-event.js';

const byLaneCache = new WeakMap<readonly LogEvent[], Map<LaneId, LogEvent[]>>();

export function eventsOfLane(events: readonly LogEvent[], lane: LaneId): LogEvent[] {
  let byLane = byLaneCache.get(events);
  if (byLane === undefined) {
    byLane = new Map();
    for (const e of events) {
      const l = laneOfEvent(e);
      if (l === undefined) continue;
      const list = byLane.get(l);
      if (list === undefined) byLane.set(l, [e]);
      else list.push(e);
    }
    byLaneCache.set(events, byLane);
  }
  return byLane.get(lane) ?? [];
}

/** The bucket of an icount by its definition: the last bucket whose start is at or before it. */
function bucketByDefinition(args: TimelineWindowArgs, icount: number): number {
  let lo = 0;
  let hi = args.buckets - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (bucketStart(args.fromIcount, args.toIcount, args.buckets, mid) <= icount) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function expectedWindow(events: readonly LogEvent[], args: TimelineWindowArgs): LaneWindow[] {
  const limit = (args.maxEventsPerBucket ?? 2) * args.buckets;
  return args.lanes.map((lane) => {
    const inRange = eventsOfLane(events, lane).filter((e) => e.icount >= args.fromIcount && e.icount < args.toIcount);
    if (inRange.length <= limit) return { lane, mode: 'events', total: inRange.length, events: inRange.map(eventMark) };
    const counts = new Array<number>(args.buckets).fill(0);
    for (const e of inRange) {
      const b = bucketByDefinition(args, e.icount);
      counts[b]++;
    }
    return { lane, mode: 'counts', total: inRange.length, counts };
  });
}

export function expectedFind(events: readonly LogEvent[], lane: LaneId, icount: number, direction: 'next' | 'previous'): LogEvent | undefined {
  const list = eventsOfLane(events, lane);
  return direction === 'next' ? list.find((e) => e.icount > icount) : list.filter((e) => e.icount < icount).pop();
}

/** Every lane id the events use. */
export function lanesOf(events: readonly LogEvent[]): LaneId[] {
  return [...new Set(events.map(laneOfEvent).filter((l): l is LaneId => l !== undefined))];
}
