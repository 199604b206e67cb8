// How the panel writes numbers: icounts with grouped digits or compact (1.25 M), virtual time
// in the unit that suits it, and serial bytes as readable text.

import type { TimelineInfoBody } from '../../src/shared/timeline-protocol.js';

/** 1234567 → "1,234,567". */
export function groupDigits(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A ruler label: one unit for every tick (k, M or G, by the step between ticks) with the
 * decimals the step needs; exact digits when ticks are less than a thousand apart. */
export function compactIcount(n: number, step: number): string {
  if (step < 1000) return groupDigits(n);
  const scale = [1e9, 1e6, 1e3].find((s) => s <= step * 10)!;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step / scale) - 1e-9));
  return `${(n / scale).toFixed(decimals)} ${{ 1e9: 'G', 1e6: 'M', 1e3: 'k' }[scale]}`;
}

/** Virtual time at an icount: exact after an anchor, otherwise icount × 2^shift, a lower bound. */
export function virtualTime(icount: number, time: TimelineInfoBody['time']): { ns: number; exact: boolean } {
  const perInstruction = 2 ** time.icountShift;
  let anchor: { icount: number; ns: number } | undefined;
  for (const a of time.anchors) {
    if (a.icount > icount) break;
    anchor = a;
  }
  if (anchor === undefined) return { ns: icount * perInstruction, exact: false };
  return { ns: anchor.ns + (icount - anchor.icount) * perInstruction, exact: true };
}

/** 1234567 ns → "1.234567 ms": the unit that keeps the integer part small, ns resolution. */
export function formatNs(ns: number): string {
  const units: [number, string][] = [[1e9, 's'], [1e6, 'ms'], [1e3, 'µs']];
  for (const [scale, unit] of units) {
    if (Math.abs(ns) >= scale) return `${(ns / scale).toFixed(Math.round(Math.log10(scale)))} ${unit}`.replace(/\.?0+ /, ' ');
  }
  return `${Math.round(ns)} ns`;
}

/** Serial bytes (one char each) for a one-line label: controls as escapes. */
export function printableLabel(text: string): string {
  let s = '';
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (ch === '\n') s += '\\n';
    else if (ch === '\r') s += '\\r';
    else if (ch === '\t') s += '\\t';
    else if (c < 0x20 || c === 0x7f) s += `\\x${c.toString(16).padStart(2, '0')}`;
    else s += ch;
  }
  return s;
}
