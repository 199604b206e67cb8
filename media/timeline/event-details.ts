// Tooltip text for events: windows list events without it (to stay small), so the text of the
// one under the pointer is asked for with rvreplay/timelineFind and kept for the next hover.

import { TimelineRequest, type LaneId, type TimelineEventInfo } from '../../src/shared/timeline-protocol.js';
import type { HostChannel } from './host-channel.js';

/** Details kept; plenty for hovering around. */
const KEPT = 500;

export class EventDetails {
  private readonly known = new Map<string, string>();
  private readonly asked = new Set<string>();

  constructor(private readonly channel: HostChannel) {}

  /** The event's detail if known; otherwise asks for it and calls `ready` when it arrives. */
  get(lane: LaneId, event: TimelineEventInfo, ready: () => void): string | undefined {
    if (event.detail !== undefined) return event.detail;
    const key = `${lane}@${event.icount}`;
    const found = this.known.get(key);
    if (found !== undefined || this.asked.has(key)) return found;
    this.asked.add(key);
    // The first event of the lane after icount − 1 is the first at icount.
    this.channel.request(TimelineRequest.Find, { lane, icount: event.icount - 1, direction: 'next' }).then(
      (body) => {
        this.asked.delete(key);
        if (body.event?.detail === undefined) return;
        if (this.known.size >= KEPT) this.known.delete(this.known.keys().next().value!);
        this.known.set(key, body.event.detail);
        ready();
      },
      () => this.asked.delete(key),
    );
    return undefined;
  }
}
