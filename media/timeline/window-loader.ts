// Asks the host for the window the view shows, at most one request in flight per settle: zoom
// and pan move the view at once (the old data is redrawn at the new scale), and the request for
// the new range goes out once the input has paused. A response older than the one shown is dropped.

import { TimelineRequest, type LaneId, type TimelineWindowArgs, type TimelineWindowBody } from '../../src/shared/timeline-protocol.js';
import type { HostChannel } from './host-channel.js';

/** How long input must pause before the window is asked for. */
const SETTLE_MS = 40;

export class WindowLoader {
  /** The newest window received. */
  current: TimelineWindowBody | undefined;
  onData: (body: TimelineWindowBody) => void = () => {};
  onError: (message: string) => void = () => {};
  private timer: number | undefined;
  private lastKey = '';
  private sent = 0;
  private shown = 0;
  maxEventsPerBucket: number | undefined;

  constructor(private readonly channel: HostChannel) {}

  /** Wants the window [from, to) in `buckets` columns; `now` skips the settle delay. */
  want(from: number, to: number, buckets: number, lanes: readonly LaneId[], now = false): void {
    const args: TimelineWindowArgs = { fromIcount: from, toIcount: to, buckets, lanes: [...lanes] };
    if (this.maxEventsPerBucket !== undefined) args.maxEventsPerBucket = this.maxEventsPerBucket;
    const key = JSON.stringify(args);
    if (key === this.lastKey) return;
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = undefined;
    if (now) this.send(args, key);
    else this.timer = window.setTimeout(() => this.send(args, key), SETTLE_MS);
  }

  /** Forgets the last request, so the same range is asked for again (the log grew). */
  invalidate(): void {
    this.lastKey = '';
  }

  private send(args: TimelineWindowArgs, key: string): void {
    this.timer = undefined;
    this.lastKey = key;
    const seq = ++this.sent;
    this.channel.request(TimelineRequest.Window, args).then(
      (body) => {
        if (seq < this.shown) return;
        this.shown = seq;
        this.current = body;
        this.onData(body);
      },
      (err: Error) => this.onError(err.message),
    );
  }
}
