// A lane's events as a sorted series the window and find requests query: count a range, add
// per-bucket counts, list the events of a range, find the next or previous event. Three kinds:
// a lane of the log (over the chunk summaries), a lane of markers the adapter supplies
// (keyframes, breakpoint hits), and a merge of several (the snapshots lane holds both).

import { bucketOf, bucketStart, type TimelineEventInfo } from '../../shared/timeline-protocol.js';
import type { ChunkStore } from './chunk-store.js';
import type { LaneColumn } from './chunk-summary.js';
import { eventInfo, eventMark } from './event-info.js';
import { lowerBound, upperBound } from './sorted-search.js';

export interface LaneSeries {
  /** Events in [from, to). */
  count(from: number, to: number): number;
  /** Adds the events of [from, to) into `counts` by bucket. */
  addBucketCounts(from: number, to: number, buckets: number, counts: number[]): void;
  /** The events of [from, to), in order, without details (asked for only when there are few). */
  events(from: number, to: number): TimelineEventInfo[];
  /** The first event after `icount`, or the last before it. */
  find(icount: number, direction: 'next' | 'previous'): TimelineEventInfo | undefined;
}

/**
 * Counts the sorted icounts [lo, end) into buckets. Empty buckets are skipped by jumping to the
 * bucket of the next icount, so the cost follows the buckets that have events, not all of them.
 */
function addSortedCounts(icounts: Float64Array, lo: number, end: number, from: number, to: number, buckets: number, counts: number[]): void {
  while (lo < end) {
    const b = bucketOf(from, to, buckets, icounts[lo]);
    const bucketEnd = b + 1 === buckets ? to : bucketStart(from, to, buckets, b + 1);
    // At least one: bucketOf put icounts[lo] before bucketEnd (a guard against a rounding loop).
    const hi = Math.max(lo + 1, lowerBound(icounts, bucketEnd, lo, end));
    counts[b] += hi - lo;
    lo = hi;
  }
}

/** A lane of the log: its events come from the chunks, through their summaries. */
export class LogLaneSeries implements LaneSeries {
  constructor(
    private readonly store: ChunkStore,
    private readonly lane: string,
  ) {}

  count(from: number, to: number): number {
    let n = 0;
    this.eachColumn(from, to, (column) => {
      n += lowerBound(column.icounts, to) - lowerBound(column.icounts, from);
    });
    return n;
  }

  addBucketCounts(from: number, to: number, buckets: number, counts: number[]): void {
    this.eachColumn(from, to, (column) => {
      const lo = lowerBound(column.icounts, from);
      addSortedCounts(column.icounts, lo, lowerBound(column.icounts, to, lo), from, to, buckets, counts);
    });
  }

  events(from: number, to: number): TimelineEventInfo[] {
    const out: TimelineEventInfo[] = [];
    this.eachColumn(from, to, (column, chunk) => {
      const lo = lowerBound(column.icounts, from);
      const hi = lowerBound(column.icounts, to, lo);
      if (lo === hi) return;
      for (let k = lo; k < hi; k++) out.push(eventMark(this.store.laneEvent(chunk, column, k)));
    });
    return out;
  }

  find(icount: number, direction: 'next' | 'previous'): TimelineEventInfo | undefined {
    const chunks = this.store.chunks;
    if (direction === 'next') {
      for (let i = this.store.firstChunkEndingAtOrAfter(icount + 1); i < chunks.length; i++) {
        const column = this.column(i);
        if (column === null) return undefined;
        if (column === undefined) continue;
        const k = upperBound(column.icounts, icount);
        if (k < column.icounts.length) return eventInfo(this.store.laneEvent(i, column, k));
      }
      return undefined;
    }
    for (let i = Math.min(this.store.firstChunkEndingAtOrAfter(icount), chunks.length - 1); i >= 0; i--) {
      const column = this.column(i);
      if (column === null || column === undefined) continue;
      const k = lowerBound(column.icounts, icount) - 1;
      if (k >= 0) return eventInfo(this.store.laneEvent(i, column, k));
    }
    return undefined;
  }

  /** The lane's column in chunk i: undefined when the chunk has none of its events, null when
   * the chunk cannot be read. */
  private column(i: number): LaneColumn | undefined | null {
    const summary = this.store.summary(i);
    return summary === undefined ? null : summary.lanes.get(this.lane);
  }

  /** Calls `f` with the lane's column in each readable chunk that overlaps [from, to). */
  private eachColumn(from: number, to: number, f: (column: LaneColumn, chunk: number) => void): void {
    const chunks = this.store.chunks;
    for (let i = this.store.firstChunkEndingAtOrAfter(from); i < chunks.length && chunks[i].firstIcount < to; i++) {
      const column = this.column(i);
      if (column === null) return;
      if (column !== undefined) f(column, i);
    }
  }
}

/** Markers the adapter supplies (keyframes, breakpoint hits), kept sorted in memory. */
export class MarkerLaneSeries implements LaneSeries {
  private readonly markers: TimelineEventInfo[];
  private readonly icounts: Float64Array;

  constructor(markers: readonly TimelineEventInfo[]) {
    this.markers = [...markers].sort((a, b) => a.icount - b.icount);
    this.icounts = Float64Array.from(this.markers, (m) => m.icount);
  }

  get size(): number {
    return this.markers.length;
  }

  count(from: number, to: number): number {
    return lowerBound(this.icounts, to) - lowerBound(this.icounts, from);
  }

  addBucketCounts(from: number, to: number, buckets: number, counts: number[]): void {
    const lo = lowerBound(this.icounts, from);
    addSortedCounts(this.icounts, lo, lowerBound(this.icounts, to, lo), from, to, buckets, counts);
  }

  events(from: number, to: number): TimelineEventInfo[] {
    return this.markers.slice(lowerBound(this.icounts, from), lowerBound(this.icounts, to));
  }

  find(icount: number, direction: 'next' | 'previous'): TimelineEventInfo | undefined {
    return direction === 'next' ? this.markers[upperBound(this.icounts, icount)] : this.markers[lowerBound(this.icounts, icount) - 1];
  }
}

/** Several series drawn as one lane. */
export class MergedLaneSeries implements LaneSeries {
  constructor(private readonly parts: readonly LaneSeries[]) {}

  count(from: number, to: number): number {
    return this.parts.reduce((n, p) => n + p.count(from, to), 0);
  }

  addBucketCounts(from: number, to: number, buckets: number, counts: number[]): void {
    for (const p of this.parts) p.addBucketCounts(from, to, buckets, counts);
  }

  events(from: number, to: number): TimelineEventInfo[] {
    return this.parts.flatMap((p) => p.events(from, to)).sort((a, b) => a.icount - b.icount);
  }

  find(icount: number, direction: 'next' | 'previous'): TimelineEventInfo | undefined {
    let best: TimelineEventInfo | undefined;
    for (const p of this.parts) {
      const e = p.find(icount, direction);
      if (e !== undefined && (best === undefined || (direction === 'next' ? e.icount < best.icount : e.icount > best.icount))) best = e;
    }
    return best;
  }
}
