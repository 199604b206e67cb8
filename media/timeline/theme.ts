// The canvas's colours and font, read from the CSS custom properties timeline.css derives from
// VS Code's theme variables. VS Code swaps the variables (and the body's vscode-light,
// vscode-dark or vscode-high-contrast class) when the theme changes; the app reads them again then.

import { LaneKind, type LaneId, type LaneKindName } from '../../src/shared/timeline-protocol.js';

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  selection: string;
  focusRow: string;
  position: string;
  cursor: string;
  liveEdge: string;
  hover: string;
  /** Drawn around marks in high contrast themes; empty otherwise. */
  contrastBorder: string;
  font: string;
  smallFont: string;
  laneColor(id: LaneId, kind: LaneKindName): string;
}

/** Interrupt lanes take turns through these (by cause), so neighbours differ. */
const INTERRUPT_COLORS = ['--rv-interrupt-1', '--rv-interrupt-2', '--rv-interrupt-3', '--rv-interrupt-4'];

export function readPalette(element: HTMLElement): Palette {
  const style = getComputedStyle(element);
  const v = (name: string, fallback = ''): string => style.getPropertyValue(name).trim() || fallback;
  const foreground = v('--rv-foreground', 'CanvasText');
  const family = v('--rv-font-family', style.fontFamily);
  const size = parseFloat(v('--rv-font-size', '13')) || 13;
  const lanes = new Map<string, string>();
  return {
    background: v('--rv-background', 'Canvas'),
    foreground,
    muted: v('--rv-muted', foreground),
    grid: v('--rv-grid', foreground),
    selection: v('--rv-selection', foreground),
    focusRow: v('--rv-focus-row', 'transparent'),
    position: v('--rv-position', foreground),
    cursor: v('--rv-cursor', foreground),
    liveEdge: v('--rv-live-edge', foreground),
    hover: v('--rv-hover', foreground),
    contrastBorder: v('--rv-contrast-border'),
    font: `${size}px ${family}`,
    smallFont: `${Math.max(9, size - 2)}px ${family}`,
    laneColor(id, kind) {
      let color = lanes.get(id);
      if (color === undefined) {
        const cause = Number(id.split(':')[1] ?? 0);
        const name = kind === LaneKind.Interrupts ? INTERRUPT_COLORS[(cause >> 1) % INTERRUPT_COLORS.length] : `--rv-lane-${kind}`;
        color = v(name, foreground);
        lanes.set(id, color);
      }
      return color;
    },
  };
}
