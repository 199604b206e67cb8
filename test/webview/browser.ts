// Debian's chromium driven by playwright-core, never a downloaded browser: headless, no sandbox
// (tests run as root), nothing that reaches the network, a fresh profile each launch. Opens the
// timeline page wired to a FakeTimelineHost.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { HostToWebview, WebviewToHost } from '../../src/shared/timeline-protocol.js';
import type { FakeTimelineHost } from './fake-host.js';
import type { HarnessServer } from './harness-server.js';
import type { ThemeName } from './themes.js';
import { TO_HOST_BINDING } from './vscode-stub.js';

export const CHROMIUM = '/usr/bin/chromium';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'rvreplay-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1200, height: 760 },
    deviceScaleFactor: 1,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface TimelinePage {
  page: Page;
  /** Page errors and console errors seen so far. */
  errors: string[];
}

/** Opens the timeline in a new page, its messages going to and from `host`. */
export async function openTimeline(browser: Browser, server: HarnessServer, host: FakeTimelineHost, theme: ThemeName = 'dark'): Promise<TimelinePage> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.exposeFunction(TO_HOST_BINDING, (message: WebviewToHost) => void host.receive(message));
  // As JSON text: playwright's own serialization of a large object argument is far slower than
  // JSON.parse, and would be counted against the panel.
  host.send = async (message: HostToWebview) => {
    if (!page.isClosed()) await page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify(message));
  };
  await page.goto(server.url(theme));
  return { page, errors };
}
