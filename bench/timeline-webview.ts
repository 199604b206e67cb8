// The timeline webview's figures, measured in Debian's chromium: time to the first paint with
// data, and the cost of each zoom and pan step. Two measures of main-thread work:
// - script: the panel's own work, from its performance.measure entries (rvreplay:input,
//   rvreplay:apply-window, rvreplay:paint): handling input, taking in a window, drawing;
// - all tasks: the renderer's TaskDuration less DevToolsCommandDuration (Chrome DevTools Protocol
//   Performance metrics): everything on the page's main thread, style, layout and, with
//   --disable-gpu, the software raster and compositing that VS Code's GPU process would do,
//   without the tasks that serve the measuring itself.
// Latency is from the input to the paint of the new window, through the settle delay and the host.

import type { Page } from 'playwright-core';
import type { TimelineSource } from '../src/replay/timeline/timeline-source.js';
import { launchBrowser, openTimeline, type Browser } from '../test/webview/browser.js';
import { FakeTimelineHost } from '../test/webview/fake-host.js';
import { startHarnessServer, type HarnessServer } from '../test/webview/harness-server.js';

export interface StepFigures {
  /** Per step, ms. */
  script: number[];
  tasks: number[];
  latency: number[];
}

export interface WebviewFigures {
  /** The first paint with data, from navigation: with the host's first summary of the log in a
   * browser just started (cold), the same in a browser that has shown a page (hostCold: VS Code's
   * renderer is running when a panel opens), and with a host that had read the log (warm). */
  firstPaint: { cold: StepFigures; hostCold: StepFigures; warm: StepFigures };
  zoom: StepFigures;
  pan: StepFigures;
}

const STEPS = 8;

function empty(): StepFigures {
  return { script: [], tasks: [], latency: [] };
}

/** `open` gives a source that has not read its log yet (each call a fresh one). */
export async function measureWebview(open: () => TimelineSource): Promise<WebviewFigures> {
  const server = await startHarnessServer();
  const browser = await launchBrowser();
  try {
    const cold = empty();
    const hostCold = empty();
    const warm = empty();
    await firstPaint(browser, server, open(), cold);
    for (let i = 0; i < 3; i++) await firstPaint(browser, server, open(), hostCold);
    const source = open();
    for (let i = 0; i < 4; i++) await firstPaint(browser, server, source, i === 0 ? empty() : warm);
    const { page, taskMs, close } = await openPage(browser, server, source);
    const box = await page.$eval('canvas.plot-canvas', (c) => c.getBoundingClientRect().toJSON() as { left: number; top: number; width: number });
    const step = async (into: StepFigures, act: () => Promise<void>): Promise<void> => {
      const before = await taskMs();
      const t0 = await page.evaluate(() => performance.now());
      await act();
      await settled(page);
      const [script, painted] = await page.evaluate((since) => {
        const d = document.querySelector<HTMLCanvasElement>('canvas.plot-canvas')!.dataset;
        const paint = performance.getEntriesByName('rvreplay:data-paint').find((m) => {
          const detail = (m as PerformanceMark).detail as { from: number; to: number };
          return m.startTime >= since && String(detail.from) === d.from && String(detail.to) === d.to;
        });
        const end = paint?.startTime ?? Infinity;
        const work = performance.getEntriesByType('measure')
          .filter((m) => m.name.startsWith('rvreplay:') && m.startTime >= since && m.startTime <= end)
          .reduce((sum, m) => sum + m.duration, 0);
        return [work, end - since];
      }, t0);
      into.script.push(script);
      into.tasks.push((await taskMs()) - before);
      into.latency.push(painted);
    };
    const zoom = empty();
    const pan = empty();
    await page.mouse.move(box.left + box.width * 0.37, box.top + 80);
    for (let i = 0; i < STEPS; i++) await step(zoom, () => page.mouse.wheel(0, -300));
    for (let i = 0; i < STEPS; i++) {
      await step(pan, async () => {
        await page.mouse.move(box.left + box.width * 0.7, box.top + 80);
        await page.mouse.down();
        await page.mouse.move(box.left + box.width * 0.4, box.top + 80, { steps: 3 });
        await page.mouse.up();
      });
    }
    await close();
    return { firstPaint: { cold, hostCold, warm }, zoom, pan };
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Opens the page over `source` and waits for its first paint with data. */
async function openPage(browser: Browser, server: HarnessServer, source: TimelineSource): Promise<{ page: Page; taskMs: () => Promise<number>; close: () => Promise<void> }> {
  const { page, errors } = await openTimeline(browser, server, new FakeTimelineHost(source));
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskMs = async (): Promise<number> => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const seconds = (name: string): number => metrics.find((m) => m.name === name)?.value ?? NaN;
    return (seconds('TaskDuration') - seconds('DevToolsCommandDuration')) * 1000;
  };
  await settled(page);
  return {
    page, taskMs,
    close: async () => {
      await page.close();
      if (errors.length > 0) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    },
  };
}

/** The first paint's script work and time. Not its task total: the renderer's counters are
 * shared by the pages of one site and were not read before the page loaded. */
async function firstPaint(browser: Browser, server: HarnessServer, source: TimelineSource, into: StepFigures): Promise<void> {
  const { page, close } = await openPage(browser, server, source);
  const [script, painted] = await page.evaluate(() => {
    const end = performance.getEntriesByName('rvreplay:first-data-paint')[0]?.startTime ?? NaN;
    const work = performance.getEntriesByType('measure').filter((m) => m.name.startsWith('rvreplay:') && m.startTime <= end).reduce((sum, m) => sum + m.duration, 0);
    return [work, end];
  });
  into.script.push(script);
  into.latency.push(painted);
  await close();
}

/** Waits in the page (no polling, which would add work) for the current view's data painted. */
async function settled(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => {
    const done = (): boolean => {
      const d = document.querySelector<HTMLCanvasElement>('canvas.plot-canvas')?.dataset;
      return d !== undefined && d.from !== undefined && d.dataFrom === d.from && d.dataTo === d.to;
    };
    if (done()) return resolve();
    const observer = new PerformanceObserver(() => {
      if (!done()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe({ entryTypes: ['mark'] });
  }));
}
