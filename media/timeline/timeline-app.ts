// The timeline panel's controller: holds what is shown (the log's info, the view, the newest
// window of data, the cursor, the selection), turns input into view changes, window requests and
// seeks, and repaints once per animation frame. The data always comes from the host, a window at
// a time; nothing here holds the whole log.

import { isMarkerLane, TimelineRequest, type LaneInfo, type TimelineInfoBody, type TimelineSettings, type TimelineWindowBody } from '../../src/shared/timeline-protocol.js';
import { ConsolePane } from './console-pane.js';
import { EventDetails } from './event-details.js';
import { formatNs, groupDigits, virtualTime } from './format.js';
import type { HostChannel } from './host-channel.js';
import { hitTest, type Hit } from './hit-test.js';
import { attachKeyboardInput, type KeyActions } from './keyboard-input.js';
import { LaneList } from './lane-list.js';
import type { Layout } from './layout.js';
import { paint, ROW_HEIGHT, RULER_HEIGHT } from './painter.js';
import { attachPointerInput, type PointerActions } from './pointer-input.js';
import { measured } from './perf-marks.js';
import { SelectionSummary } from './selection-summary.js';
import { readPalette, type Palette } from './theme.js';
import { Tooltip } from './tooltip.js';
import { Viewport } from './viewport.js';
import { WindowLoader } from './window-loader.js';

/** What the panel remembers across being hidden and shown (VS Code's webview state). */
interface SavedState {
  from: number;
  to: number;
  lane?: string;
}

export class TimelineApp implements PointerActions, KeyActions {
  private info: TimelineInfoBody | undefined;
  private readonly vp = new Viewport();
  private readonly loader: WindowLoader;
  private readonly lanes: LaneList;
  private readonly console: ConsolePane;
  private readonly summary: SelectionSummary;
  private readonly tooltip: Tooltip;
  private readonly details: EventDetails;
  private palette: Palette;
  private cursor: number | undefined;
  private selection: { from: number; to: number } | undefined;
  private hoverX: number | undefined;
  private frame: number | undefined;
  private firstDataPainted = false;

  constructor(
    private readonly ui: Layout,
    private readonly channel: HostChannel,
  ) {
    this.loader = new WindowLoader(channel);
    this.loader.onData = (body) => measured('apply-window', () => this.windowArrived(body));
    this.loader.onError = (message) => this.announce(`Could not read the log: ${message}`);
    this.lanes = new LaneList(ui.labels);
    this.lanes.onFocus = () => this.render();
    this.lanes.colorOf = (lane) => this.palette.laneColor(lane.id, lane.kind);
    this.console = new ConsolePane(channel, ui.consoleHeader, ui.consoleText);
    this.console.onSeek = (icount) => this.travel(icount, 'console');
    this.summary = new SelectionSummary(channel, ui.selection);
    this.tooltip = new Tooltip(ui.tooltip);
    this.details = new EventDetails(channel);
    this.palette = readPalette(document.body);
    channel.onConfigure = (info, settings) => this.configure(info, settings);
    channel.onChanged = (info) => this.changed(info);
    attachPointerInput(ui.canvas, this);
    attachKeyboardInput(ui.labels, this);
    ui.zoomIn.addEventListener('click', () => this.zoomKey(2));
    ui.zoomOut.addEventListener('click', () => this.zoomKey(0.5));
    ui.fit.addEventListener('click', () => this.fit());
    ui.toPosition.addEventListener('click', () => this.showPosition());
    new ResizeObserver(() => this.viewChanged()).observe(ui.plot);
    // VS Code changes the body's theme class (and the variables) when the theme changes.
    const themeWatch = new MutationObserver(() => {
      this.palette = readPalette(document.body);
      this.lanes.recolor();
      this.render();
    });
    themeWatch.observe(document.body, { attributes: true, attributeFilter: ['class'] });
    themeWatch.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });
  }

  // ---- from the host

  private configure(info: TimelineInfoBody, settings: TimelineSettings): void {
    this.loader.maxEventsPerBucket = settings.maxEventsPerBucket;
    if (settings.consoleMaxBytes !== undefined) this.console.maxBytes = settings.consoleMaxBytes;
    const saved = this.channel.state as SavedState | undefined;
    this.setInfo(info, saved?.lane);
    this.vp.setBounds(info.start, info.end);
    if (saved !== undefined && saved.from >= info.start && saved.to <= info.end) this.vp.set(saved.from, saved.to);
    else this.vp.fit();
    this.cursor = info.position;
    this.viewChanged(true);
    this.console.showAt(this.consoleIcount(), true);
  }

  private changed(info: TimelineInfoBody): void {
    const before = this.info;
    // While recording, a view that shows the live edge follows it: a view of the whole log
    // stays whole, a zoomed view keeps its span and slides.
    const following = before?.liveEdge !== undefined && this.vp.to >= before.end;
    const whole = before !== undefined && this.vp.from <= before.start && this.vp.to >= before.end;
    this.setInfo(info);
    this.vp.setBounds(info.start, info.end);
    if (following && whole) this.vp.fit();
    else if (following) this.vp.set(info.end - this.vp.span, info.end);
    if (info.position !== before?.position) this.cursor = info.position;
    this.loader.invalidate();
    this.viewChanged(true);
    this.console.showAt(this.consoleIcount());
    if (info.position !== undefined && info.position !== before?.position) this.announce(`Position: icount ${groupDigits(info.position)}`);
  }

  private setInfo(info: TimelineInfoBody, preferredLane?: string): void {
    const lanesChanged = JSON.stringify(info.lanes) !== JSON.stringify(this.info?.lanes);
    this.info = info;
    this.ui.title.textContent = info.title;
    this.ui.title.title = [info.damage, info.serial.note].filter((s) => s !== undefined).join('\n');
    if (lanesChanged) this.lanes.setLanes(info.lanes, preferredLane);
    this.lanes.describe(this.loader.current, { position: info.position, liveEdge: info.liveEdge });
    if (info.damage !== undefined) this.announce(`This log is damaged: ${info.damage}`);
  }

  private windowArrived(body: TimelineWindowBody): void {
    this.lanes.describe(body, { position: this.info?.position, liveEdge: this.info?.liveEdge });
    this.render();
  }

  // ---- view changes

  zoomAt(scale: number, x: number): void {
    measured('input', () => {
      this.vp.zoomAt(scale, x);
      this.viewChanged();
    });
  }

  panPx(dx: number): void {
    measured('input', () => {
      this.vp.panPx(dx);
      this.viewChanged();
    });
  }

  zoomKey(scale: number): void {
    const anchor = this.cursor !== undefined && this.vp.contains(this.cursor) ? this.vp.xOf(this.cursor) : this.vp.width / 2;
    this.zoomAt(scale, anchor);
  }

  panFraction(fraction: number): void {
    this.panPx(fraction * this.vp.width);
  }

  fit(): void {
    this.vp.fit();
    this.viewChanged();
  }

  showPosition(): void {
    const at = this.info?.position ?? this.cursor;
    if (at === undefined) return;
    this.vp.centerOn(at);
    this.viewChanged();
  }

  /** After any change of the view: size the canvas, ask for the window, remember, repaint. */
  private viewChanged(now = false): void {
    if (this.info === undefined) return;
    // Whole pixels, so the canvas maps one to one onto the screen and marks stay sharp.
    const width = Math.floor(this.ui.plot.getBoundingClientRect().width);
    if (width > 0) this.vp.width = width;
    const lanes = this.dataRows().map((l) => l.id);
    this.loader.want(this.vp.from, this.vp.to, Math.max(1, Math.round(this.vp.width)), lanes, now || this.loader.current === undefined);
    this.channel.state = { from: this.vp.from, to: this.vp.to, lane: this.lanes.focusedLane?.id } satisfies SavedState;
    const range = `icount ${groupDigits(this.vp.from)} to ${groupDigits(this.vp.to)}`;
    this.ui.range.textContent = range;
    this.ui.canvas.setAttribute('aria-label', `Timeline of ${this.info.title} from ${range}`);
    this.ui.canvas.dataset.from = String(this.vp.from);
    this.ui.canvas.dataset.to = String(this.vp.to);
    this.render();
  }

  // ---- pointer

  hover(x: number, y: number, clientX: number, clientY: number): void {
    this.hoverX = x;
    const row = this.rowAt(y);
    const hit = row === undefined ? undefined : this.hitAt(row, x);
    const icount = this.vp.icountAt(x);
    const lines: string[] = [];
    if (row !== undefined) lines.push(row.label);
    if (hit?.kind === 'event' && row !== undefined) {
      // When the detail arrives, show it if the pointer has not moved since.
      const again = () => {
        if (this.hoverX === x) this.hover(x, y, clientX, clientY);
      };
      lines.push(this.details.get(row.id, hit.event, again) ?? hit.event.label);
    }
    if (hit?.kind === 'bucket') lines.push(`${groupDigits(hit.count)} events in icount ${groupDigits(hit.from)} to ${groupDigits(hit.to)}`, 'a click goes to the first');
    lines.push(this.timeText(hit?.kind === 'event' ? hit.event.icount : icount));
    this.tooltip.show(lines.join('\n'), clientX, clientY);
    this.render();
  }

  leave(): void {
    this.hoverX = undefined;
    this.tooltip.hide();
    this.render();
  }

  click(x: number, y: number): void {
    const row = this.rowAt(y);
    const hit = row === undefined ? undefined : this.hitAt(row, x);
    if (hit?.kind === 'bucket' && row !== undefined) {
      // The bucket's first event, asked for now (windows carry only counts).
      this.channel.request(TimelineRequest.Find, { lane: row.id, icount: hit.from - 1, direction: 'next' }).then(
        (body) => this.travel(body.event !== undefined && body.event.icount < hit.to ? body.event.icount : hit.from, 'click'),
        (err: Error) => this.announce(err.message),
      );
      return;
    }
    const icount = hit?.kind === 'event' ? hit.event.icount : this.vp.icountAt(x);
    this.travel(Math.min(Math.max(icount, this.vp.bounds.start), this.vp.bounds.end), 'click');
  }

  select(fromX: number, toX: number, done: boolean): void {
    const a = this.vp.icountAt(Math.min(fromX, toX));
    const b = this.vp.icountAt(Math.max(fromX, toX));
    this.selection = { from: a, to: Math.max(b, a + 1) };
    if (done && this.info !== undefined) this.summary.show(this.selection.from, this.selection.to, this.info.lanes, this.info.time);
    this.render();
  }

  clearSelection(): void {
    this.selection = undefined;
    this.summary.clear();
    this.render();
  }

  // ---- keyboard

  moveFocus(delta: number): void {
    this.lanes.move(delta);
  }

  step(direction: 'next' | 'previous'): void {
    const lane = this.lanes.focusedLane;
    if (lane === undefined || isMarkerLane(lane.kind)) return;
    const from = this.cursor ?? (direction === 'next' ? this.vp.from - 1 : this.vp.to);
    this.channel.request(TimelineRequest.Find, { lane: lane.id, icount: from, direction }).then(
      (body) => {
        if (body.event === undefined) {
          this.announce(`No ${direction} event in ${lane.label}`);
          return;
        }
        if (!this.vp.contains(body.event.icount)) this.vp.centerOn(body.event.icount);
        this.travel(body.event.icount, 'keyboard');
        this.announce(`${lane.label}: ${(body.event.detail ?? body.event.label).split('\n')[0]} at icount ${groupDigits(body.event.icount)}`);
        this.viewChanged();
      },
      (err: Error) => this.announce(err.message),
    );
  }

  travelToCursor(): void {
    if (this.cursor !== undefined) this.travel(this.cursor, 'keyboard');
  }

  // ---- travel, status, painting

  /** Moves the cursor; with a debug session, asks the host to seek there. */
  private travel(icount: number, reason: 'click' | 'keyboard' | 'console'): void {
    this.cursor = icount;
    if (this.info?.canSeek) {
      this.channel.seek(icount, reason);
      this.announce(`Going to icount ${groupDigits(icount)}`);
    } else {
      this.announce(`Cursor at icount ${groupDigits(icount)} (browsing a log: no session to travel with)`);
    }
    this.console.showAt(icount);
    this.render();
  }

  private announce(text: string): void {
    this.ui.status.textContent = text;
  }

  private timeText(icount: number): string {
    if (this.info === undefined) return '';
    const t = virtualTime(icount, this.info.time);
    return `icount ${groupDigits(icount)} · virtual time ${t.exact ? '' : '≥ '}${formatNs(t.ns)}`;
  }

  private consoleIcount(): number {
    return this.cursor ?? this.info?.position ?? this.info?.end ?? 0;
  }

  private dataRows(): LaneInfo[] {
    return (this.info?.lanes ?? []).filter((l) => !isMarkerLane(l.kind));
  }

  private rowAt(y: number): LaneInfo | undefined {
    if (y < RULER_HEIGHT) return undefined;
    return this.info?.lanes[Math.floor((y - RULER_HEIGHT) / ROW_HEIGHT)];
  }

  private hitAt(row: LaneInfo, x: number): Hit | undefined {
    const data = this.loader.current;
    return hitTest(this.vp, data, data?.lanes.find((l) => l.lane === row.id), x);
  }

  private render(): void {
    if (this.frame !== undefined) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = undefined;
      measured('paint', () => this.paintNow());
    });
  }

  private paintNow(): void {
    const info = this.info;
    if (info === undefined) return;
    const canvas = this.ui.canvas;
    const dpr = window.devicePixelRatio || 1;
    const height = RULER_HEIGHT + info.lanes.length * ROW_HEIGHT;
    const w = Math.round(this.vp.width * dpr);
    const h = Math.round(height * dpr);
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
      canvas.style.width = `${this.vp.width}px`;
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d');
    if (ctx === null) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const data = this.loader.current;
    paint(ctx, {
      viewport: this.vp, rows: info.lanes, data, time: info.time,
      position: info.position, cursor: this.cursor, liveEdge: info.liveEdge,
      hoverX: this.hoverX, selection: this.selection, focusedRow: this.lanes.focused,
    }, this.palette);
    if (data !== undefined) {
      canvas.dataset.dataFrom = String(data.fromIcount);
      canvas.dataset.dataTo = String(data.toIcount);
      performance.mark('rvreplay:data-paint', { detail: { from: data.fromIcount, to: data.toIcount } });
      if (!this.firstDataPainted) {
        this.firstDataPainted = true;
        performance.mark('rvreplay:first-data-paint');
      }
    }
  }
}
