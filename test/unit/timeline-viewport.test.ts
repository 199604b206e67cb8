// The webview's view arithmetic and number formats, outside the browser: zoom keeps the icount
// under the pointer, pan moves by pixels, both stay inside the log; ruler steps leave room for
// their labels; virtual time is a lower bound until an anchor says more.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Viewport } from '../../media/timeline/viewport.js';
import { niceStep, ticks } from '../../media/timeline/ruler.js';
import { compactIcount, formatNs, virtualTime } from '../../media/timeline/format.js';

function viewport(start: number, end: number, width: number): Viewport {
  const vp = new Viewport();
  vp.width = width;
  vp.setBounds(start, end);
  vp.fit();
  return vp;
}

test('zoom keeps the icount under the pointer and stays inside the bounds', () => {
  const vp = viewport(0, 1_000_000_000, 1000);
  const at = vp.icountAt(250);
  vp.zoomAt(2, 250);
  assert.equal(vp.span, 500_000_000);
  assert.ok(Math.abs(vp.icountAt(250) - at) <= 1);
  for (let i = 0; i < 100; i++) vp.zoomAt(2, 250);
  assert.equal(vp.span, 8, 'no narrower than a few instructions');
  for (let i = 0; i < 100; i++) vp.zoomAt(0.5, 900);
  assert.deepEqual([vp.from, vp.to], [0, 1_000_000_000], 'no wider than the log');
});

test('pan moves by pixels worth of icounts and stops at the ends', () => {
  const vp = viewport(100, 10_100, 500);
  vp.set(1100, 2100);
  vp.panPx(50);
  assert.deepEqual([vp.from, vp.to], [1200, 2200]);
  vp.panPx(-1e6);
  assert.deepEqual([vp.from, vp.to], [100, 1100]);
  vp.panPx(1e6);
  assert.deepEqual([vp.from, vp.to], [9100, 10_100]);
  assert.equal(vp.icountAt(0), 9100);
  assert.equal(vp.icountAt(499.99), 10_099);
  assert.equal(vp.xOf(9600), 250);
});

test('ruler steps are 1, 2 or 5 × 10^k and at least the asked pixels apart', () => {
  for (const span of [10, 999, 12_345, 1e9, 3.3e10]) {
    for (const width of [200, 1000, 3000]) {
      const step = niceStep(span, width, 100);
      assert.match(String(step), /^[125]0*$/);
      assert.ok(step === 1 || (step / span) * width >= 100, `step ${step} for ${span} over ${width}px`);
      assert.ok((step / span) * width < 500 || step === 1, 'and not much more');
    }
  }
  assert.deepEqual(ticks(95, 130, 10), [100, 110, 120]);
});

test('labels: one unit per ruler, exact digits for close ticks; time in its unit, a lower bound without anchors', () => {
  assert.deepEqual([0, 2e6, 4e6].map((n) => compactIcount(n, 2e6)), ['0 M', '2 M', '4 M']);
  assert.deepEqual([1e6, 1.5e6].map((n) => compactIcount(n, 5e5)), ['1.0 M', '1.5 M']);
  assert.equal(compactIcount(12_345_010, 10), '12,345,010');
  assert.deepEqual([999, 1000, 1_234_567, 2.5e9].map(formatNs), ['999 ns', '1 µs', '1.234567 ms', '2.5 s']);
  const time = { icountShift: 2, anchors: [{ icount: 1000, ns: 90_000 }] };
  assert.deepEqual(virtualTime(500, time), { ns: 2000, exact: false });
  assert.deepEqual(virtualTime(1500, time), { ns: 92_000, exact: true });
});
