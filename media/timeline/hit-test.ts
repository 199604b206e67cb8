// What is under the pointer in a lane row: the nearest event within a few pixels, or the bucket of
// counts under it. Clicks snap to what this finds; the tooltip describes it.

import { bucketOf, type LaneWindow, type TimelineEventInfo, type TimelineWindowBody } from '../../src/shared/timeline-protocol.js';
import type { Viewport } from './viewport.js';

/** How far from a mark the pointer may be and still be on it. */
export const SNAP_PX = 4;

export type Hit =
  | { kind: 'event'; event: TimelineEventInfo }
  | { kind: 'bucket'; count: number; from: number; to: number };

export function hitTest(vp: Viewport, data: TimelineWindowBody | undefined, lane: LaneWindow | undefined, x: number): Hit | undefined {
  if (data === undefined || lane === undefined) return undefined;
  if (lane.mode === 'events') {
    let best: TimelineEventInfo | undefined;
    let bestDistance = SNAP_PX + 0.5;
    for (const e of lane.events) {
      const d = Math.abs(vp.xOf(e.icount) - x);
      if (d < bestDistance) {
        best = e;
        bestDistance = d;
      }
    }
    return best === undefined ? undefined : { kind: 'event', event: best };
  }
  const icount = vp.icountAt(x);
  if (icount < data.fromIcount || icount >= data.toIcount) return undefined;
  const b = bucketOf(data.fromIcount, data.toIcount, data.buckets, icount);
  if (lane.counts[b] === 0) return undefined;
  const from = Math.ceil(data.fromIcount + ((data.toIcount - data.fromIcount) * b) / data.buckets);
  const to = Math.ceil(data.fromIcount + ((data.toIcount - data.fromIcount) * (b + 1)) / data.buckets);
  return { kind: 'bucket', count: lane.counts[b], from, to };
}
