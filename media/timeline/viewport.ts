// The visible icount range [from, to) and its mapping to pixels. Zoom keeps the icount under
// the pointer where it is; pan moves by pixels; both stay inside the log's bounds. The range is
// kept in whole icounts so the window the panel asks for is exactly the one it draws.

/** The narrowest view: a few instructions across the whole width. */
const MIN_SPAN = 8;

export class Viewport {
  from = 0;
  to = 1;
  /** Width of the plot in CSS pixels. */
  width = 1;
  private start = 0;
  private end = 1;

  get span(): number {
    return this.to - this.from;
  }

  /** The log's bounds; the view is clamped into them. */
  setBounds(start: number, end: number): void {
    this.start = start;
    this.end = Math.max(end, start + 1);
    this.set(this.from, this.to);
  }

  get bounds(): { start: number; end: number } {
    return { start: this.start, end: this.end };
  }

  fit(): void {
    this.set(this.start, this.end);
  }

  /** Shows [from, to), clamped to the bounds and to the narrowest span. */
  set(from: number, to: number): void {
    const whole = this.end - this.start;
    let span = Math.min(Math.max(Math.round(to - from), Math.min(MIN_SPAN, whole)), whole);
    let f = Math.round(from);
    if (f < this.start) f = this.start;
    if (f + span > this.end) f = this.end - span;
    if (span < 1) span = 1;
    this.from = f;
    this.to = f + span;
  }

  /** Zooms by `scale` (2 shows half the span) keeping the icount at pixel x in place. */
  zoomAt(scale: number, x: number): void {
    const fraction = Math.min(Math.max(x / this.width, 0), 1);
    const anchor = this.from + fraction * this.span;
    const span = this.span / scale;
    this.set(anchor - fraction * span, anchor - fraction * span + span);
  }

  /** Moves the view right by dx pixels (the content moves left). */
  panPx(dx: number): void {
    const d = (dx / this.width) * this.span;
    this.set(this.from + d, this.to + d);
  }

  /** Centers an icount, keeping the span. */
  centerOn(icount: number): void {
    const span = this.span;
    this.set(icount - span / 2, icount - span / 2 + span);
  }

  /** The icount under pixel x (x from the plot's left edge). */
  icountAt(x: number): number {
    return Math.floor(this.from + (x / this.width) * this.span);
  }

  /** The pixel of an icount's left edge. */
  xOf(icount: number): number {
    return ((icount - this.from) / this.span) * this.width;
  }

  contains(icount: number): boolean {
    return icount >= this.from && icount < this.to;
  }
}
