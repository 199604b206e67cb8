// The range selection's summary: how many events of each lane fall in it, asked for as a window
// of one bucket (so every lane comes back as a total), shown under the lanes.

import { TimelineRequest, type LaneInfo, type TimelineInfoBody } from '../../src/shared/timeline-protocol.js';
import { formatNs, groupDigits, virtualTime } from './format.js';
import type { HostChannel } from './host-channel.js';

export class SelectionSummary {
  private sequence = 0;

  constructor(
    private readonly channel: HostChannel,
    private readonly element: HTMLElement,
  ) {}

  show(from: number, to: number, lanes: readonly LaneInfo[], time: TimelineInfoBody['time']): void {
    const seq = ++this.sequence;
    const span = to - from;
    const duration = virtualTime(to, time).ns - virtualTime(from, time).ns;
    const head = `Selection: icount ${groupDigits(from)} to ${groupDigits(to)} (${groupDigits(span)} instructions, ${formatNs(duration)} without idle time)`;
    this.element.hidden = false;
    this.element.textContent = `${head}: counting…`;
    const ids = lanes.filter((l) => l.count !== undefined).map((l) => l.id);
    this.channel.request(TimelineRequest.Window, { fromIcount: from, toIcount: Math.max(to, from + 1), buckets: 1, lanes: ids, maxEventsPerBucket: 0 }).then(
      (body) => {
        if (seq !== this.sequence) return;
        const label = new Map(lanes.map((l) => [l.id, l.label]));
        const found = body.lanes.filter((l) => l.total > 0);
        this.element.replaceChildren();
        const title = document.createElement('span');
        title.className = 'selection-title';
        title.textContent = head;
        const list = document.createElement('ul');
        list.className = 'selection-counts';
        for (const l of found) {
          const item = document.createElement('li');
          item.dataset.lane = l.lane;
          item.dataset.count = String(l.total);
          item.textContent = `${label.get(l.lane)}: ${groupDigits(l.total)}`;
          list.append(item);
        }
        if (found.length === 0) list.textContent = 'no events';
        this.element.append(title, list);
      },
      (err: Error) => {
        if (seq === this.sequence) this.element.textContent = `${head}: ${err.message}`;
      },
    );
  }

  clear(): void {
    this.sequence++;
    this.element.hidden = true;
    this.element.replaceChildren();
  }
}
