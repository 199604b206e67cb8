// The Node side of the stand-in for VS Code: plays the extension host's part of the timeline
// protocol (answers `ready` with `configure`, relays data requests to a real TimelineSource as
// the adapter would answer them, turns `seek` into a new position and a `changed` message) and
// keeps every message the webview sent, so tests can assert on them.

import type { HostToWebview, TimelineSettings, WebviewToHost } from '../../src/shared/timeline-protocol.js';
import { answerTimelineRequest, timelineHandlers, type TimelineHandlers } from '../../src/replay/timeline/timeline-requests.js';
import type { TimelineSource } from '../../src/replay/timeline/timeline-source.js';

type Waiter = { match: (m: WebviewToHost) => boolean; resolve: (m: WebviewToHost) => void };

export class FakeTimelineHost {
  /** Every message the webview sent, in order. */
  readonly received: WebviewToHost[] = [];
  /** Delivers a message to the webview (set by whoever opened the page). */
  send: (message: HostToWebview) => Promise<void> = async () => {};
  private readonly handlers: TimelineHandlers;
  private waiters: Waiter[] = [];

  constructor(
    readonly source: TimelineSource,
    private readonly settings: TimelineSettings = {},
  ) {
    this.handlers = timelineHandlers(() => source, ({ icount }) => {
      source.setPosition(icount);
      return { icount };
    });
  }

  async receive(message: WebviewToHost): Promise<void> {
    this.received.push(message);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(message)) return true;
      w.resolve(message);
      return false;
    });
    switch (message.type) {
      case 'ready':
        await this.send({ type: 'configure', info: this.source.info(), settings: this.settings });
        break;
      case 'request':
        try {
          const body = await answerTimelineRequest(this.handlers, message.command, message.args);
          await this.send({ type: 'response', requestId: message.requestId, command: message.command, ok: true, body } as HostToWebview);
        } catch (err) {
          await this.send({ type: 'response', requestId: message.requestId, command: message.command, ok: false, message: (err as Error).message });
        }
        break;
      case 'seek':
        this.source.setPosition(message.icount);
        await this.send({ type: 'changed', info: this.source.info() });
        break;
    }
  }

  /** The next message (from now on) that matches, or a rejection after timeoutMs. */
  next<T extends WebviewToHost>(match: (m: WebviewToHost) => m is T, timeoutMs = 5000): Promise<T> {
    const since = this.received.length;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        const seen = this.received.slice(since).map((m) => JSON.stringify(m).slice(0, 120));
        reject(new Error(`no matching message from the webview within ${timeoutMs} ms; it sent ${seen.length === 0 ? 'nothing' : seen.join(', ')}`));
      }, timeoutMs);
      this.waiters.push({ match, resolve: (m) => {
        clearTimeout(timer);
        resolve(m as T);
      } });
    });
  }

  /** Tells the webview the log or the position changed. */
  async changed(): Promise<void> {
    await this.send({ type: 'changed', info: this.source.info() });
  }
}
