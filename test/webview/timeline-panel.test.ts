// The timeline webview in a real browser (Debian's chromium, driven by playwright-core), served
// with its real HTML, CSP and bundle, talking to a stand-in host that answers from a real
// recording of a test guest: the lanes render, zoom and pan change the window asked for, a click
// seeks to the icount under it, the console shows the output up to the cursor, the keyboard
// works, a selection counts its events, the panel follows a growing log, and screenshots in
// light and dark themes go to test-artifacts/.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { LogWriter } from '../../src/replay/log/log-writer.js';
import { capturedSerialOutput } from '../../src/replay/timeline/serial-output.js';
import { TimelineSource } from '../../src/replay/timeline/timeline-source.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { TimelineRequest, type TimelineSettings, type TimelineWindowArgs, type WebviewToHost } from '../../src/shared/timeline-protocol.js';
import { tempDir } from '../support/toolchain.js';
import { launchBrowser, openTimeline, type Browser } from './browser.js';
import { FakeTimelineHost } from './fake-host.js';
import { startHarnessServer, type HarnessServer } from './harness-server.js';
import { ROOT } from './paths.js';
import { THEMES } from './themes.js';
import { recordTimelineGuest, type TimelineRecording } from './timeline-guest.js';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const tmp = tempDir('webview');
let recording: TimelineRecording;
let events: LogEvent[];
let server: HarnessServer;
let browser: Browser;

before(async () => {
  recording = await recordTimelineGuest(tmp.dir);
  events = [...LogReader.open(readFileSync(recording.log)).events()];
  server = await startHarnessServer();
  browser = await launchBrowser();
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
  tmp.cleanup();
});

function newHost(settings: TimelineSettings = {}): FakeTimelineHost {
  const bytes = readFileSync(recording.log);
  return new FakeTimelineHost(TimelineSource.open(bytes, { canSeek: true, serialOutput: capturedSerialOutput(Buffer.from(recording.stdout, 'latin1')) }), settings);
}

type WindowRequest = Extract<WebviewToHost, { type: 'request'; command: typeof TimelineRequest.Window }>;
type SeekMessage = Extract<WebviewToHost, { type: 'seek' }>;
const isWindow = (m: WebviewToHost): m is WindowRequest => m.type === 'request' && m.command === TimelineRequest.Window;
const isSeek = (m: WebviewToHost): m is SeekMessage => m.type === 'seek';

/** The view and the plot's place on the page, as the webview has them now. */
async function view(page: Page): Promise<{ from: number; to: number; left: number; top: number; width: number }> {
  return page.$eval('canvas.plot-canvas', (c) => {
    const r = c.getBoundingClientRect();
    const d = (c as HTMLCanvasElement).dataset;
    return { from: Number(d.from), to: Number(d.to), left: r.left, top: r.top, width: r.width };
  });
}

/** Waits until the data of the current view has been painted. */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const d = document.querySelector<HTMLCanvasElement>('canvas.plot-canvas')?.dataset;
    return d !== undefined && d.from !== undefined && d.dataFrom === d.from && d.dataTo === d.to;
  });
}

/** The vertical middle of a lane's row on the page. */
async function laneY(page: Page, lane: string): Promise<number> {
  return page.$eval(`[data-lane="${lane}"]`, (e) => {
    const r = e.getBoundingClientRect();
    return r.top + r.height / 2;
  });
}

/** The page x of an icount's mark. */
function xOf(v: { from: number; to: number; left: number; width: number }, icount: number): number {
  return v.left + ((icount - v.from) / (v.to - v.from)) * v.width;
}

async function pixel(page: Page, x: number, y: number): Promise<[number, number, number]> {
  return page.$eval('canvas.plot-canvas', (c, [px, py]) => {
    const r = c.getBoundingClientRect();
    const ctx = (c as HTMLCanvasElement).getContext('2d')!;
    const d = ctx.getImageData(Math.floor(px - r.left), Math.floor(py - r.top), 1, 1).data;
    return [d[0], d[1], d[2]] as [number, number, number];
  }, [x, y]);
}

function rgb(hex: string): [number, number, number] {
  return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

const ofKind = <K extends LogEvent['kind']>(kind: K) => events.filter((e): e is Extract<LogEvent, { kind: K }> => e.kind === kind);

test('the lanes render: one focusable label per lane with its counts, and marks where the events are', async () => {
  const host = newHost();
  const { page, errors } = await openTimeline(browser, server, host);
  await settled(page);
  const info = host.source.info();
  assert.deepEqual(await page.$$eval('[role=option][data-lane]', (es) => es.map((e) => e.getAttribute('data-lane'))), info.lanes.map((l) => l.id));
  const label = await page.getAttribute('[data-lane="exceptions"]', 'aria-label');
  assert.match(label ?? '', /^Exceptions, 40 events in the recording, 40 in view$/);
  assert.equal(await page.$$eval('[role=option][tabindex="0"]', (es) => es.length), 1, 'one lane in the tab order (roving tabindex)');

  // Every exception has its mark, in the exceptions colour, at its icount.
  const v = await view(page);
  const y = await laneY(page, 'exceptions');
  const red = rgb(THEMES.dark.variables['--vscode-charts-red']);
  const exceptions = ofKind(EventKind.Exception);
  // A mark covers the three pixels around its icount's: sample the one left of centre (the
  // last exception sits at the right edge).
  for (const e of exceptions) assert.deepEqual(await pixel(page, v.left + Math.round(xOf(v, e.icount) - v.left) - 0.5, y), red, `the mark of the exception at ${e.icount}`);
  // And there is no red away from them.
  const xs = exceptions.map((e) => xOf(v, e.icount));
  for (let x = v.left + 2; x < v.left + v.width - 2; x += 7) {
    if (xs.some((ex) => Math.abs(ex - x) < 40)) continue;
    assert.notDeepEqual(await pixel(page, x, y), red, `no mark at x=${x}`);
  }
  assert.deepEqual(errors, []);
  await page.close();
});

test('wheel zoom and drag pan change the window the panel asks for', async () => {
  const host = newHost();
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  const v = await view(page);
  const first = host.received.filter(isWindow).pop()!.args;
  assert.deepEqual([first.fromIcount, first.toIcount], [v.from, v.to], 'the first window is the whole view');
  assert.equal(first.buckets, Math.round(v.width), 'one bucket per pixel column');

  // Zoom in 2× (300 wheel pixels per doubling) around x = 300: the icount there stays put.
  const px = 300;
  const next = host.next(isWindow);
  await page.mouse.move(v.left + px, v.top + 60);
  await page.mouse.wheel(0, -300);
  const zoomed: TimelineWindowArgs = (await next).args;
  const span = v.to - v.from;
  const anchor = v.from + (px / v.width) * span;
  assert.ok(Math.abs(zoomed.toIcount - zoomed.fromIcount - span / 2) <= 1, `span ${zoomed.toIcount - zoomed.fromIcount} is half of ${span}`);
  assert.ok(Math.abs(zoomed.fromIcount + (px / v.width) * (zoomed.toIcount - zoomed.fromIcount) - anchor) <= 2, 'the icount under the pointer stayed there');
  await settled(page);

  // Drag 200 px to the left: the view moves 200 px worth of icounts to the right. On a loaded
  // machine the input can pause long enough mid-drag for a window to go out; the one that counts
  // is the window for where the drag ended, which the view shows once settled.
  const windowsBefore = host.received.filter(isWindow).length;
  await page.mouse.move(v.left + 600, v.top + 60);
  await page.mouse.down();
  await page.mouse.move(v.left + 500, v.top + 60, { steps: 4 });
  await page.mouse.move(v.left + 400, v.top + 60, { steps: 4 });
  await page.mouse.up();
  await settled(page);
  const windows = host.received.filter(isWindow);
  assert.ok(windows.length > windowsBefore, 'the drag asked for a window');
  const panned = windows[windows.length - 1].args;
  const zspan = zoomed.toIcount - zoomed.fromIcount;
  assert.equal(panned.toIcount - panned.fromIcount, zspan, 'a pan keeps the span');
  const moved = panned.fromIcount - zoomed.fromIcount;
  assert.ok(Math.abs(moved - (200 / v.width) * zspan) <= 8, `moved ${moved} icounts for 200 px`);
  assert.equal(host.received.filter(isSeek).length, 0, 'a drag does not seek');
  await page.close();
});

test('a click seeks to the event under the pointer, or to the icount under it', async () => {
  const host = newHost();
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  const v = await view(page);
  // Near (2 px right of) the 10th exception's mark: snaps to that exception.
  const exception = ofKind(EventKind.Exception)[9];
  let seek = host.next(isSeek);
  await page.mouse.click(Math.round(xOf(v, exception.icount)) + 2, await laneY(page, 'exceptions'));
  assert.deepEqual(await seek, { type: 'seek', icount: exception.icount, reason: 'click' });
  // The host moved the position there; the position lane says where it is now.
  const positionSays = (n: number) => page.waitForFunction((text) => document.querySelector('[data-lane="position"]')?.getAttribute('aria-label') === text, `Position, icount ${n.toLocaleString('en-US')}`);
  await positionSays(exception.icount);

  // In the serial-in lane, away from any mark: the icount under the pointer.
  const inputs = ofKind(EventKind.SerialInput).map((e) => xOf(v, e.icount));
  let x = Math.round(v.left + 37);
  while (inputs.some((ix) => Math.abs(ix - x) < 8)) x += 13;
  seek = host.next(isSeek);
  await page.mouse.click(x, await laneY(page, 'serial-in'));
  const expected = Math.floor(v.from + ((x - v.left) / v.width) * (v.to - v.from));
  assert.equal((await seek).icount, expected);
  await positionSays(expected);
  await page.close();
});

test('a click on a lane drawn as counts travels to the first event of the bucket under the pointer', async () => {
  // Every lane as counts (no event lists): the window says how many, the click asks which.
  const host = newHost({ maxEventsPerBucket: 0 });
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  const v = await view(page);
  const window = host.received.filter(isWindow).pop()!;
  assert.ok(window.args.maxEventsPerBucket === 0);
  const exceptions = ofKind(EventKind.Exception);
  const target = exceptions[20];
  const x = Math.round(xOf(v, target.icount));
  const find = host.next((m): m is Extract<WebviewToHost, { type: 'request' }> => m.type === 'request' && m.command === TimelineRequest.Find);
  const seek = host.next(isSeek);
  await page.mouse.click(x, await laneY(page, 'exceptions'));
  const asked = (await find).args as { lane: string; icount: number; direction: string };
  assert.equal(asked.lane, 'exceptions');
  assert.equal(asked.direction, 'next');
  const travelled = (await seek).icount;
  // The first exception at or after the bucket's start: the one under the pointer, or one before
  // it in the same pixel column.
  const first = exceptions.find((e) => e.icount > asked.icount)!;
  assert.equal(travelled, first.icount);
  assert.ok(Math.abs(xOf(v, travelled) - x) <= 1.5, `the travel stays in the clicked column (${xOf(v, travelled)} vs ${x})`);
  await page.close();
});

test('the console shows the output and input up to the cursor; clicking a character travels to it', async () => {
  const host = newHost();
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  // Seek to the 30th output run through the host, as the debugger would report a stop there.
  const run = ofKind(EventKind.SerialWrite)[30];
  host.source.setPosition(run.icount);
  await host.changed();
  // What the console should hold: every run and input up to there, in log order.
  let expected = '';
  let printed = 0;
  for (const e of events) {
    if (e.icount > run.icount) break;
    if (e.kind === EventKind.SerialInput) expected += Buffer.from(e.bytes).toString('latin1');
    if (e.kind === EventKind.SerialWrite) {
      expected += recording.stdout.slice(printed, printed + e.count);
      printed += e.count;
    }
  }
  await page.waitForFunction((n) => document.querySelector<HTMLElement>('.console-text')?.dataset.icount === String(n), run.icount);
  assert.equal(await page.textContent('.console-text'), expected);
  assert.match(await page.textContent('.console-header') ?? '', /from output captured while recording/);

  // The typed 'h' was read at its SerialInput's icount: clicking it goes there.
  const h = ofKind(EventKind.SerialInput).find((e) => Buffer.from(e.bytes).toString('latin1') === 'h');
  assert.ok(h !== undefined && h.icount <= run.icount, 'the h was typed before the 30th run');
  const seek = host.next(isSeek);
  await page.click('.console-in >> text=h');
  assert.deepEqual(await seek, { type: 'seek', icount: h.icount, reason: 'console' });
  await page.close();
});

test('keyboard: arrows choose a lane, N and P go to its events, + and - zoom, Home fits', async () => {
  const host = newHost();
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  await page.focus('[data-lane="exceptions"]');
  const selected = () => page.$eval('[aria-selected="true"]', (e) => e.getAttribute('data-lane'));
  assert.equal(await selected(), 'exceptions');
  await page.keyboard.press('ArrowDown');
  assert.equal(await selected(), 'serial-out');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-lane')), 'serial-out');
  await page.keyboard.press('ArrowUp');

  const exceptions = ofKind(EventKind.Exception);
  for (const [key, want] of [['n', exceptions[0]], ['n', exceptions[1]], ['n', exceptions[2]], ['p', exceptions[1]]] as const) {
    const seek = host.next(isSeek);
    await page.keyboard.press(key);
    assert.deepEqual(await seek, { type: 'seek', icount: want.icount, reason: 'keyboard' }, `${key} goes to the exception at ${want.icount}`);
  }

  const v = await view(page);
  let next = host.next(isWindow);
  await page.keyboard.press('+');
  const zoomed = (await next).args;
  assert.ok(Math.abs(zoomed.toIcount - zoomed.fromIcount - (v.to - v.from) / 2) <= 1, 'plus halves the span');
  next = host.next(isWindow);
  await page.keyboard.press('ArrowRight');
  const panned = (await next).args;
  assert.ok(panned.fromIcount > zoomed.fromIcount, 'right arrow pans to later icounts');
  next = host.next(isWindow);
  await page.keyboard.press('Home');
  assert.deepEqual([(await next).args.fromIcount, (await view(page)).to], [v.from, v.to], 'Home shows everything');
  await page.close();
});

test('shift-drag selects a range and shows how many events of each lane it holds', async () => {
  const host = newHost();
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  const v = await view(page);
  const [x0, x1] = [Math.round(v.left + 150), Math.round(v.left + 650)];
  const next = host.next((m): m is WindowRequest => isWindow(m) && m.args.buckets === 1);
  await page.keyboard.down('Shift');
  await page.mouse.move(x0, v.top + 100);
  await page.mouse.down();
  await page.mouse.move(x1, v.top + 100, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  const request = (await next).args;
  const icountAt = (x: number) => Math.floor(v.from + ((x - v.left) / v.width) * (v.to - v.from));
  assert.deepEqual([request.fromIcount, request.toIcount], [icountAt(x0), icountAt(x1)]);
  await page.waitForSelector('.selection-counts li');
  const shown = Object.fromEntries(await page.$$eval('.selection-counts li', (es) => es.map((e) => [e.getAttribute('data-lane'), Number(e.getAttribute('data-count'))])));
  const inside = events.filter((e) => e.icount >= request.fromIcount && e.icount < request.toIcount);
  assert.equal(shown['exceptions'], inside.filter((e) => e.kind === EventKind.Exception).length);
  assert.equal(shown['interrupts:7'], inside.filter((e) => e.kind === EventKind.Interrupt && e.cause === 7).length);
  assert.equal(shown['serial-out'], inside.filter((e) => e.kind === EventKind.SerialWrite).length);
  assert.ok(shown['exceptions'] > 0);
  await page.keyboard.press('Escape');
  await page.close();
});

test('while recording, the panel follows the live edge as the log grows', async () => {
  // The recording's events rewritten into small chunks, first only half of them (as a recorder
  // that is still running leaves the file), then all.
  const reader = LogReader.open(readFileSync(recording.log));
  const write = (upTo: number): Uint8Array => {
    const parts: Uint8Array[] = [];
    const w = new LogWriter({ write: (b) => parts.push(b) }, reader.header, { chunkBytes: 64 });
    for (const e of events.slice(0, upTo)) w.append(e);
    if (upTo === events.length) w.close();
    else w.flushChunk();
    return Buffer.concat(parts);
  };
  const half = Math.floor(events.length / 2);
  const partial = write(half);
  const source = TimelineSource.open(partial, { canSeek: true });
  source.setLiveEdge(events[half - 1].icount);
  const host = new FakeTimelineHost(source);
  const { page } = await openTimeline(browser, server, host);
  await settled(page);
  assert.equal((await view(page)).to, events[half - 1].icount);
  const whole = write(events.length);
  source.update(LogReader.open(whole), whole);
  source.setLiveEdge(events[events.length - 1].icount);
  const next = host.next((m): m is WindowRequest => isWindow(m) && m.args.toIcount === events[events.length - 1].icount);
  await host.changed();
  await next;
  await settled(page);
  assert.equal((await view(page)).to, events[events.length - 1].icount, 'the view followed the live edge');
  assert.ok(await page.$('[data-lane="live-edge"]'), 'the live edge has its lane');
  await page.close();
});

test('light, dark and high contrast themes: colours from the theme variables, codicons, no CSP violation; screenshots kept', async () => {
  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    const host = newHost();
    host.source.setPosition(ofKind(EventKind.SerialWrite)[40].icount);
    const { page, errors } = await openTimeline(browser, server, host, theme);
    await settled(page);
    const v = await view(page);
    assert.deepEqual(await pixel(page, v.left + v.width - 3, v.top + 3), rgb(THEMES[theme].variables['--vscode-editor-background']), `${theme} background`);
    const bodyColor = await page.$eval('.toolbar .title', (e) => getComputedStyle(e).color);
    const [r, g, b] = rgb(THEMES[theme].variables['--vscode-foreground']);
    assert.equal(bodyColor, `rgb(${r}, ${g}, ${b})`, `${theme} foreground`);
    // The toolbar's icons are codicons, VS Code's own font, loaded under the CSP.
    assert.equal(await page.$eval('.tool.zoom-in .codicon', (e) => getComputedStyle(e).fontFamily), 'codicon');
    assert.ok(await page.evaluate(async () => (await document.fonts.load('16px codicon')).length > 0), 'the icon font loaded');
    // Hover an exception so the tooltip shows in the picture.
    const e = ofKind(EventKind.Exception)[12];
    await page.mouse.move(Math.round(xOf(v, e.icount)) + 1, await laneY(page, 'exceptions'));
    await page.waitForSelector('.tooltip:not([hidden])');
    // Windows list events without details: the tooltip asks for this one's.
    await page.waitForFunction(() => /Exception 11 \(ecall from M-mode\)\ncause=11/.test(document.querySelector('.tooltip')?.textContent ?? ''));
    // High contrast outlines each mark in the theme's contrast border; the others do not.
    const border = rgb(THEMES['high-contrast'].variables['--vscode-contrastActiveBorder']);
    const x = Math.round(xOf(v, e.icount));
    const y = (await laneY(page, 'exceptions')) + 6;
    const around = await Promise.all([-3, -2, -1, 0, 1, 2, 3].map((dx) => pixel(page, x + dx, y)));
    assert.equal(around.some((c) => c.join() === border.join()), theme === 'high-contrast', `${theme}: the mark's outline`);
    await page.screenshot({ path: join(ARTIFACTS, `timeline-${theme}.png`) });
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), [], 'no CSP violation');
    assert.deepEqual(errors, []);
    await page.close();
  }
});
