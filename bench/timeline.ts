// Case `timeline/scale`: the timeline at scale, on a synthetic log of 10^6 events over 10^9
// instructions written with the real LogWriter. Two tables: the data side in Node (the
// TimelineSource answering info, windows and find, as the adapter will), and the webview in
// chromium (first paint, zoom and pan steps; see timeline-webview.ts). Targets, not checks:
// first paint ≤ 500 ms, a zoom or pan step ≤ 50 ms of main-thread work; missing one is a note.

import { existsSync } from 'node:fs';
import { TimelineSource } from '../src/replay/timeline/timeline-source.js';
import { CHROMIUM } from '../test/webview/browser.js';
import { writeSyntheticLog } from '../test/webview/synthetic-log.js';
import type { BenchCase, CaseResult, Cell } from './case.js';
import { fixed, grouped, median } from './figures.js';
import { measureWebview, type StepFigures } from './timeline-webview.js';

const EVENTS = 1_000_000;
const SPAN = 1_000_000_000;
const BUCKETS = 1000;
const SOURCE_TABLE = `timeline source (Node): ${grouped(EVENTS)} events over ${grouped(SPAN)} instructions`;
const WEBVIEW_TABLE = 'timeline webview (chromium, same log)';

function row(table: string, what: string, cells: Cell[], notes: string[] = []): CaseResult {
  return { table, cells: [{ header: 'measure', value: what, align: 'left' }, ...cells], problems: [], notes };
}

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const result = work();
  return [result, performance.now() - start];
}

export function timelineCase(): BenchCase {
  return {
    name: 'timeline/scale',
    async run(ctx) {
      ctx.log(`timeline: writing a synthetic log of ${grouped(EVENTS)} events`);
      const bytes = writeSyntheticLog({ events: EVENTS, span: SPAN });
      const rows: CaseResult[] = [];
      const ms = (header: string, value: number | undefined): Cell => ({ header, value: fixed(value, 1) });

      // The data side: cold (every chunk summarized once), then warm windows at every zoom.
      const [source, openMs] = timed(() => TimelineSource.open(bytes));
      const [info, infoMs] = timed(() => source.info());
      const lanes = info.lanes.map((l) => l.id);
      rows.push(row(SOURCE_TABLE, `open + info, cold (${source.chunksDecoded} chunks decoded once)`, [ms('median ms', openMs + infoMs), ms('max ms', openMs + infoMs)]));
      const windowMs: number[] = [];
      for (let zoom = 0; zoom < 20; zoom++) {
        const span = SPAN / 2 ** zoom;
        const from = (SPAN - span) * 0.37;
        for (let rep = 0; rep < ctx.reps; rep++) windowMs.push(timed(() => source.window({ fromIcount: from, toIcount: from + span, buckets: BUCKETS, lanes }))[1]);
      }
      rows.push(row(SOURCE_TABLE, `window of ${lanes.length} lanes × ${BUCKETS} buckets, 20 zoom levels, warm`, [ms('median ms', median(windowMs)), ms('max ms', Math.max(...windowMs))]));
      const findMs = Array.from({ length: 200 }, (_, i) => timed(() => source.find({ lane: lanes[i % lanes.length], icount: (SPAN / 200) * i, direction: i % 2 === 0 ? 'next' : 'previous' }))[1]);
      rows.push(row(SOURCE_TABLE, 'find next/previous, 200 lookups', [ms('median ms', median(findMs)), ms('max ms', Math.max(...findMs))]));
      const textMs = Array.from({ length: 50 }, (_, i) => timed(() => source.serialText({ toIcount: (SPAN / 50) * (i + 1), maxBytes: 65536 }))[1]);
      rows.push(row(SOURCE_TABLE, 'serial console, 64 KiB tail, 50 positions', [ms('median ms', median(textMs)), ms('max ms', Math.max(...textMs))]));

      if (!existsSync(CHROMIUM)) {
        rows.push({ ...row(WEBVIEW_TABLE, 'webview', []), problems: [`timeline: ${CHROMIUM} is missing (apt-get install chromium)`] });
        return rows;
      }
      ctx.log('timeline: measuring the webview in chromium');
      // Fresh sources, so first paints include the host's cold summary of the log.
      const figures = await measureWebview(() => TimelineSource.open(bytes));
      const webviewRow = (what: string, f: StepFigures, target: string, limit: number, limitOf: 'script' | 'latency'): CaseResult => {
        const worst = Math.max(...f[limitOf]);
        const notes = worst > limit ? [`timeline: ${what}: ${worst.toFixed(1)} ms of ${limitOf === 'script' ? 'script work' : 'time to paint'} (target ${limit} ms)`] : [];
        return row(WEBVIEW_TABLE, what, [
          ms('script ms (median)', median(f.script)), ms('script ms (max)', Math.max(...f.script)),
          ms('all tasks ms (median)', median(f.tasks)), ms('to painted ms (median)', median(f.latency)),
          { header: 'target', value: target, align: 'left' },
        ], notes);
      };
      rows.push(webviewRow('first paint, browser and host cold', figures.firstPaint.cold, 'first paint ≤ 500 ms', 500, 'latency'));
      rows.push(webviewRow(`first paint, host cold (${figures.firstPaint.hostCold.script.length} loads)`, figures.firstPaint.hostCold, 'first paint ≤ 500 ms', 500, 'latency'));
      rows.push(webviewRow(`first paint, host warm (${figures.firstPaint.warm.script.length} loads)`, figures.firstPaint.warm, 'first paint ≤ 500 ms', 500, 'latency'));
      rows.push(webviewRow(`zoom step (wheel, 2×), ${figures.zoom.script.length} steps`, figures.zoom, '≤ 50 ms main thread', 50, 'script'));
      rows.push(webviewRow(`pan step (drag), ${figures.pan.script.length} steps`, figures.pan, '≤ 50 ms main thread', 50, 'script'));
      return rows;
    },
  };
}
