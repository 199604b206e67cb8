// The serial console as it was at the cursor: the guest's output (and, marked apart, what was
// typed to it) up to that icount, asked for from the host as the cursor moves. Clicking a
// character travels to the moment it was written or read: its own icount when the source knows
// it, its run's otherwise. Output whose bytes are not known shows as a count.

import { TimelineRequest, type SerialSegment, type SerialTextBody } from '../../src/shared/timeline-protocol.js';
import { groupDigits } from './format.js';
import type { HostChannel } from './host-channel.js';

const SETTLE_MS = 60;

/** Bytes a screen shows as they are; other control bytes as a middle dot. */
function visible(text: string): string {
  let s = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '\r') continue;
    s += ch === '\n' || ch === '\t' || (c >= 0x20 && c !== 0x7f) ? ch : '·';
  }
  return s;
}

export class ConsolePane {
  onSeek: (icount: number) => void = () => {};
  maxBytes = 65536;
  private timer: number | undefined;
  private wanted: number | undefined;
  private shown: number | undefined;
  private sequence = 0;
  private segments: SerialSegment[] = [];

  constructor(
    private readonly channel: HostChannel,
    private readonly header: HTMLElement,
    private readonly text: HTMLElement,
  ) {
    text.addEventListener('click', (event) => this.clicked(event));
  }

  /** Shows the console at `icount` (soon: requests settle first). */
  showAt(icount: number, now = false): void {
    if (icount === this.wanted) return;
    this.wanted = icount;
    if (this.timer !== undefined) window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.load(icount), now ? 0 : SETTLE_MS);
  }

  /** Asks again for the same icount (the log grew, the output source changed). */
  refresh(): void {
    const at = this.wanted;
    this.wanted = undefined;
    if (at !== undefined) this.showAt(at, true);
  }

  get shownIcount(): number | undefined {
    return this.shown;
  }

  private load(icount: number): void {
    this.timer = undefined;
    const seq = ++this.sequence;
    this.channel.request(TimelineRequest.SerialText, { toIcount: icount, maxBytes: this.maxBytes }).then(
      (body) => {
        if (seq === this.sequence) this.render(icount, body);
      },
      (err: Error) => {
        if (seq === this.sequence) this.header.textContent = `Serial console: ${err.message}`;
      },
    );
  }

  private render(icount: number, body: SerialTextBody): void {
    this.shown = icount;
    this.segments = body.segments;
    const from = { replay: 'replayed output', captured: 'output captured while recording', log: 'the log alone (output counts only)' }[body.source];
    const omitted = body.omittedBytes > 0 ? ` · ${groupDigits(body.omittedBytes)} earlier bytes not shown` : '';
    this.header.textContent = `Serial console at icount ${groupDigits(icount)} · from ${from}${omitted}`;
    this.header.title = body.note ?? '';
    this.text.dataset.icount = String(icount);
    const fragment = document.createDocumentFragment();
    body.segments.forEach((s, i) => {
      const span = document.createElement('span');
      span.dataset.segment = String(i);
      span.className = s.direction === 'in' ? 'console-in' : s.text === undefined ? 'console-unknown' : 'console-out';
      span.textContent = s.text === undefined ? `⟨${s.count} byte${s.count === 1 ? '' : 's'}⟩` : visible(s.text);
      span.title = `${s.direction === 'in' ? 'Read' : 'Written'} at icount ${groupDigits(s.icount)}: click to go there`;
      fragment.append(span);
    });
    this.text.replaceChildren(fragment);
    if (body.note !== undefined && body.segments.length === 0) this.text.textContent = body.note;
    this.text.scrollTop = this.text.scrollHeight;
  }

  private clicked(event: MouseEvent): void {
    const span = (event.target as HTMLElement).closest<HTMLElement>('span[data-segment]');
    if (span === null) return;
    const segment = this.segments[Number(span.dataset.segment)];
    if (segment === undefined) return;
    let icount = segment.icount;
    if (segment.byteIcounts !== undefined) {
      const offset = characterOffset(span, event);
      if (offset !== undefined) icount = segment.byteIcounts[Math.min(byteIndex(segment.text ?? '', offset), segment.byteIcounts.length - 1)];
    }
    this.onSeek(icount);
  }
}

/** The offset of the clicked character in the span's text. */
function characterOffset(span: HTMLElement, event: MouseEvent): number | undefined {
  const range = document.caretRangeFromPoint?.(event.clientX, event.clientY);
  if (range === null || range === undefined || !span.contains(range.startContainer)) return undefined;
  return range.startOffset;
}

/** Maps an offset in the shown text (carriage returns dropped) back to the byte index. */
function byteIndex(text: string, shownOffset: number): number {
  let shown = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\r') continue;
    if (shown === shownOffset) return i;
    shown++;
  }
  return Math.max(0, text.length - 1);
}
