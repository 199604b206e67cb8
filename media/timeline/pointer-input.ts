// Mouse and wheel on the canvas: the wheel zooms around the pointer (a sideways or shift wheel
// pans), a drag pans, a shift-drag selects a range, a click without movement travels, and the
// pointer's position drives the hover line and tooltip.

/** What the pointer can do to the timeline. */
export interface PointerActions {
  zoomAt(scale: number, x: number): void;
  panPx(dx: number): void;
  hover(x: number, y: number, clientX: number, clientY: number): void;
  leave(): void;
  click(x: number, y: number): void;
  select(fromX: number, toX: number, done: boolean): void;
}

/** Movement (px) below which a press and release is a click, not a drag. */
const CLICK_SLOP = 3;
/** Wheel pixels per doubling of the zoom. */
const WHEEL_PX_PER_DOUBLING = 300;

export function attachPointerInput(canvas: HTMLCanvasElement, actions: PointerActions): void {
  const local = (e: MouseEvent): { x: number; y: number } => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  let press: { x: number; lastX: number; shift: boolean; dragging: boolean } | undefined;

  canvas.addEventListener('wheel', (e) => {
    e.preventDefault();
    const { x } = local(e);
    // Lines or pages: a rough pixel equivalent, so every device zooms at a similar rate.
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? 400 : 1;
    const sideways = e.shiftKey || Math.abs(e.deltaX) > Math.abs(e.deltaY);
    if (sideways) actions.panPx((e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX) * unit);
    else actions.zoomAt(2 ** ((-e.deltaY * unit) / WHEEL_PX_PER_DOUBLING), x);
  }, { passive: false });

  canvas.addEventListener('pointerdown', (e) => {
    if (e.button !== 0) return;
    canvas.setPointerCapture(e.pointerId);
    const { x } = local(e);
    press = { x, lastX: x, shift: e.shiftKey, dragging: false };
  });

  canvas.addEventListener('pointermove', (e) => {
    const { x, y } = local(e);
    if (press === undefined) {
      actions.hover(x, y, e.clientX, e.clientY);
      return;
    }
    if (!press.dragging && Math.abs(x - press.x) < CLICK_SLOP) return;
    press.dragging = true;
    if (press.shift) actions.select(press.x, x, false);
    else actions.panPx(press.lastX - x);
    press.lastX = x;
  });

  canvas.addEventListener('pointerup', (e) => {
    if (press === undefined) return;
    const { x, y } = local(e);
    if (!press.dragging) actions.click(x, y);
    else if (press.shift) actions.select(press.x, x, true);
    press = undefined;
  });

  canvas.addEventListener('pointercancel', () => {
    press = undefined;
  });
  canvas.addEventListener('pointerleave', () => {
    if (press === undefined) actions.leave();
  });
}
