// Draws the timeline on its canvas: the ruler (icount, and virtual time below it), one row per
// lane (marks for events with their labels where there is room, bars for per-bucket counts), the
// range selection, and the position, cursor, live edge and hover lines across every row.

import { bucketStart, LaneKind, type LaneInfo, type LaneWindow, type TimelineInfoBody, type TimelineWindowBody } from '../../src/shared/timeline-protocol.js';
import { compactIcount, formatNs, groupDigits, printableLabel, virtualTime } from './format.js';
import { niceStep, ticks } from './ruler.js';
import type { Palette } from './theme.js';
import type { Viewport } from './viewport.js';

export const RULER_HEIGHT = 36;
export const ROW_HEIGHT = 26;

export interface PaintState {
  viewport: Viewport;
  rows: readonly LaneInfo[];
  data: TimelineWindowBody | undefined;
  time: TimelineInfoBody['time'];
  position?: number;
  cursor?: number;
  liveEdge?: number;
  hoverX?: number;
  selection?: { from: number; to: number };
  focusedRow: number;
}

export function paint(ctx: CanvasRenderingContext2D, s: PaintState, p: Palette): void {
  const width = s.viewport.width;
  const height = RULER_HEIGHT + s.rows.length * ROW_HEIGHT;
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, width, height);
  paintRuler(ctx, s, p, height);
  const byLane = new Map((s.data?.lanes ?? []).map((l) => [l.lane, l]));
  s.rows.forEach((row, i) => {
    const top = RULER_HEIGHT + i * ROW_HEIGHT;
    if (i === s.focusedRow) {
      ctx.fillStyle = p.focusRow;
      ctx.fillRect(0, top, width, ROW_HEIGHT);
    }
    ctx.fillStyle = p.grid;
    ctx.globalAlpha = 0.5;
    ctx.fillRect(0, top + ROW_HEIGHT - 1, width, 1);
    ctx.globalAlpha = 1;
    const lane = byLane.get(row.id);
    if (row.kind === LaneKind.Position) paintMarkerRow(ctx, s, p, top, s.position, p.position);
    else if (row.kind === LaneKind.LiveEdge) paintMarkerRow(ctx, s, p, top, s.liveEdge, p.liveEdge);
    else if (lane !== undefined && s.data !== undefined) paintLane(ctx, s, p, row, lane, s.data, top);
  });
  if (s.selection !== undefined) {
    const x0 = s.viewport.xOf(s.selection.from);
    const x1 = s.viewport.xOf(s.selection.to);
    ctx.fillStyle = p.selection;
    ctx.globalAlpha = 0.45;
    ctx.fillRect(Math.min(x0, x1), RULER_HEIGHT, Math.max(1, Math.abs(x1 - x0)), height - RULER_HEIGHT);
    ctx.globalAlpha = 1;
  }
  if (s.liveEdge !== undefined) verticalLine(ctx, s.viewport.xOf(s.liveEdge), height, p.liveEdge, 1, [4, 3]);
  if (s.cursor !== undefined && s.cursor !== s.position) verticalLine(ctx, s.viewport.xOf(s.cursor), height, p.cursor, 1, [2, 2]);
  if (s.position !== undefined) verticalLine(ctx, s.viewport.xOf(s.position), height, p.position, 2, []);
  if (s.hoverX !== undefined) verticalLine(ctx, s.hoverX, height, p.hover, 1, []);
}

function paintRuler(ctx: CanvasRenderingContext2D, s: PaintState, p: Palette, height: number): void {
  const vp = s.viewport;
  const step = niceStep(vp.span, vp.width, 110);
  ctx.textBaseline = 'top';
  for (const t of ticks(vp.from, vp.to, step)) {
    const x = Math.round(vp.xOf(t)) + 0.5;
    ctx.fillStyle = p.grid;
    ctx.globalAlpha = 0.35;
    ctx.fillRect(x, RULER_HEIGHT - 6, 1, height - RULER_HEIGHT + 6);
    ctx.globalAlpha = 1;
    ctx.fillStyle = p.foreground;
    ctx.font = p.font;
    ctx.fillText(compactIcount(t, step), x + 3, 3);
    const vt = virtualTime(t, s.time);
    ctx.fillStyle = p.muted;
    ctx.font = p.smallFont;
    ctx.fillText(`${vt.exact ? '' : '≥'}${formatNs(vt.ns)}`, x + 3, 19);
  }
  ctx.fillStyle = p.grid;
  ctx.fillRect(0, RULER_HEIGHT - 1, vp.width, 1);
}

function paintLane(ctx: CanvasRenderingContext2D, s: PaintState, p: Palette, row: LaneInfo, lane: LaneWindow, data: TimelineWindowBody, top: number): void {
  const vp = s.viewport;
  ctx.fillStyle = p.laneColor(row.id, row.kind);
  if (lane.mode === 'counts') {
    let max = 0;
    for (const n of lane.counts) max = Math.max(max, n);
    for (let b = 0; b < lane.counts.length; b++) {
      const n = lane.counts[b];
      if (n === 0) continue;
      // Whole pixels: no antialiasing to rasterize, and no seams between neighbours.
      const x0 = Math.floor(vp.xOf(bucketStart(data.fromIcount, data.toIcount, data.buckets, b)));
      const x1 = Math.floor(vp.xOf(bucketStart(data.fromIcount, data.toIcount, data.buckets, b + 1)));
      // A log scale, so one event still shows beside a thousand.
      const h = Math.round((ROW_HEIGHT - 6) * (0.3 + (0.7 * Math.log1p(n)) / Math.log1p(max)));
      ctx.fillRect(x0, top + ROW_HEIGHT - 3 - h, Math.max(1, x1 - x0), h);
    }
    return;
  }
  const events = lane.events;
  const diamonds = new Path2D();
  for (const e of events) {
    const x = vp.xOf(e.icount);
    if (x < -8 || x > vp.width + 8) continue;
    if (row.kind === LaneKind.Snapshots) diamond(diamonds, x, top + ROW_HEIGHT / 2, 5);
    else ctx.fillRect(Math.round(x) - 1, top + 4, 3, ROW_HEIGHT - 9);
    if (p.contrastBorder !== '') {
      ctx.strokeStyle = p.contrastBorder;
      ctx.strokeRect(Math.round(x) - 1.5, top + 3.5, 4, ROW_HEIGHT - 8);
    }
  }
  ctx.fill(diamonds);
  ctx.font = p.smallFont;
  ctx.textBaseline = 'middle';
  for (let k = 0; k < events.length; k++) {
    const e = events[k];
    const x = vp.xOf(e.icount);
    if (x < -50 || x > vp.width + 1) continue;
    // The label (serial bytes as text) when it fits before the next mark.
    const label = e.text !== undefined ? printableLabel(e.text) : e.label;
    if (label === '') continue;
    const room = (k + 1 < events.length ? vp.xOf(events[k + 1].icount) : vp.width) - x - 8;
    if (room < 12) continue;
    ctx.fillStyle = p.foreground;
    const fitted = fit(ctx, label, room);
    if (fitted !== '') ctx.fillText(fitted, x + 5, top + ROW_HEIGHT / 2);
  }
}

function paintMarkerRow(ctx: CanvasRenderingContext2D, s: PaintState, p: Palette, top: number, icount: number | undefined, color: string): void {
  if (icount === undefined) return;
  const x = s.viewport.xOf(icount);
  ctx.fillStyle = color;
  ctx.beginPath();
  ctx.moveTo(x - 6, top + 4);
  ctx.lineTo(x + 6, top + 4);
  ctx.lineTo(x, top + 13);
  ctx.closePath();
  ctx.fill();
  ctx.fillStyle = p.foreground;
  ctx.font = p.smallFont;
  ctx.textBaseline = 'middle';
  const text = `icount ${groupDigits(icount)}`;
  const w = ctx.measureText(text).width;
  ctx.fillText(text, x + 10 + w > s.viewport.width ? x - 10 - w : x + 10, top + ROW_HEIGHT / 2);
}

function verticalLine(ctx: CanvasRenderingContext2D, x: number, height: number, color: string, width: number, dash: number[]): void {
  ctx.save();
  ctx.strokeStyle = color;
  ctx.lineWidth = width;
  ctx.setLineDash(dash);
  ctx.beginPath();
  ctx.moveTo(Math.round(x) + (width % 2) / 2, RULER_HEIGHT - 6);
  ctx.lineTo(Math.round(x) + (width % 2) / 2, height);
  ctx.stroke();
  ctx.restore();
}

function diamond(path: Path2D, x: number, y: number, r: number): void {
  path.moveTo(x, y - r);
  path.lineTo(x + r, y);
  path.lineTo(x, y + r);
  path.lineTo(x - r, y);
  path.closePath();
}

/** The label, shortened with an ellipsis to fit `room` pixels ('' when not even that fits). */
function fit(ctx: CanvasRenderingContext2D, label: string, room: number): string {
  if (ctx.measureText(label).width <= room) return label;
  for (let n = Math.min(label.length - 1, Math.floor(room / 4)); n > 0; n--) {
    const s = `${label.slice(0, n)}…`;
    if (ctx.measureText(s).width <= room) return s;
  }
  return '';
}
