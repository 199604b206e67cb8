// The lane labels beside the canvas: one focusable option per lane (a roving tabindex, so Tab
// enters the list once and arrows move within it), each labelled for screen readers with what it
// holds and how many of its events are in view.

import { isMarkerLane, LaneKind, type LaneInfo, type TimelineWindowBody } from '../../src/shared/timeline-protocol.js';
import { groupDigits } from './format.js';
import { ROW_HEIGHT, RULER_HEIGHT } from './painter.js';

export class LaneList {
  focused = 0;
  onFocus: (row: number) => void = () => {};
  /** The colour of a lane's marks, for its swatch (the canvas's colour, from the theme). */
  colorOf: (lane: LaneInfo) => string = () => '';
  private items: HTMLElement[] = [];
  private lanes: readonly LaneInfo[] = [];

  constructor(private readonly container: HTMLElement) {}

  /** Shows these lanes, keeping the focused one (or focusing `preferred`, a lane id) if present. */
  setLanes(lanes: readonly LaneInfo[], preferred?: string): void {
    const focusedId = preferred ?? this.lanes[this.focused]?.id;
    // Rebuilding removes the focused label: give the focus back to its successor.
    const hadFocus = this.container.contains(document.activeElement);
    this.lanes = lanes;
    const spacer = document.createElement('div');
    spacer.className = 'ruler-spacer';
    spacer.style.height = `${RULER_HEIGHT}px`;
    spacer.setAttribute('aria-hidden', 'true');
    this.items = lanes.map((lane, i) => {
      const item = document.createElement('div');
      item.className = `lane-label lane-${lane.kind}`;
      item.id = `lane-${lane.id.replace(/[^a-z0-9-]/gi, '-')}`;
      item.setAttribute('role', 'option');
      item.dataset.lane = lane.id;
      item.style.height = `${ROW_HEIGHT}px`;
      const swatch = document.createElement('span');
      swatch.className = `swatch swatch-${lane.kind}`;
      swatch.setAttribute('aria-hidden', 'true');
      swatch.style.background = this.colorOf(lane);
      const name = document.createElement('span');
      name.className = 'lane-name';
      name.textContent = lane.label;
      item.append(swatch, name);
      item.addEventListener('focus', () => this.setFocused(i, false));
      item.addEventListener('click', () => this.setFocused(i, true));
      return item;
    });
    this.container.replaceChildren(spacer, ...this.items);
    const again = this.lanes.findIndex((l) => l.id === focusedId);
    this.setFocused(again >= 0 ? again : this.firstDataLane(), hadFocus);
    this.describe(undefined, {});
  }

  /** Moves the focus by `delta` lanes (arrow keys). */
  move(delta: number): void {
    this.setFocused(Math.min(Math.max(this.focused + delta, 0), this.items.length - 1), true);
  }

  get focusedLane(): LaneInfo | undefined {
    return this.lanes[this.focused];
  }

  /** Updates each label's accessible text: its events in the recording and in view, or where
   * its marker is. */
  describe(window: TimelineWindowBody | undefined, markers: { position?: number; liveEdge?: number }): void {
    const inView = new Map((window?.lanes ?? []).map((l) => [l.lane, l.total]));
    this.lanes.forEach((lane, i) => {
      const parts = [lane.label];
      const at = lane.kind === LaneKind.Position ? markers.position : lane.kind === LaneKind.LiveEdge ? markers.liveEdge : undefined;
      if (at !== undefined) parts.push(`icount ${groupDigits(at)}`);
      if (lane.count !== undefined) parts.push(`${groupDigits(lane.count)} events in the recording`);
      const n = inView.get(lane.id);
      if (n !== undefined) parts.push(`${groupDigits(n)} in view`);
      this.items[i].setAttribute('aria-label', parts.join(', '));
      this.items[i].title = parts.join(', ');
    });
  }

  private setFocused(row: number, moveFocus: boolean): void {
    if (this.items.length === 0) return;
    this.focused = row;
    this.items.forEach((item, i) => {
      item.tabIndex = i === row ? 0 : -1;
      item.setAttribute('aria-selected', String(i === row));
    });
    if (moveFocus) this.items[row].focus();
    this.onFocus(row);
  }

  /** Recolours the swatches (the theme changed). */
  recolor(): void {
    this.items.forEach((item, i) => {
      const swatch = item.querySelector<HTMLElement>('.swatch');
      if (swatch !== null) swatch.style.background = this.colorOf(this.lanes[i]);
    });
  }

  /** The lane focused first: the first with events. */
  private firstDataLane(): number {
    const i = this.lanes.findIndex((l) => !isMarkerLane(l.kind) && (l.count ?? 0) > 0);
    return i < 0 ? 0 : i;
  }
}
