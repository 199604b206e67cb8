// A real VS Code for the end-to-end test: code-server (installed by scripts/ensure-code-server.sh
// into .cache/) serving the workbench on 127.0.0.1, with the packaged extension installed, in a
// fresh profile, driven through Debian's chromium by playwright-core. code-server runs in its own
// process group and is stopped as a group: stopping only its wrapper would leave the extension
// hosts running.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type Browser } from '../webview/browser.js';
import { ROOT } from '../webview/paths.js';

export const CODE_SERVER = join(ROOT, '.cache', 'code-server', 'node_modules', '.bin', 'code-server');
export const ARTIFACTS = join(ROOT, 'test-artifacts');

export interface VsCode {
  page: Page;
  /** Saves a screenshot of the workbench as test-artifacts/NAME.png. */
  screenshot(name: string): Promise<void>;
  /** Runs a command from the palette by its title, retrying until the palette offers it. */
  command(title: string): Promise<void>;
  close(): Promise<void>;
}

/** Starts code-server with the .vsix installed and opens `folder` in chromium. */
export async function openVsCode(vsix: string, folder: string): Promise<VsCode> {
  if (!existsSync(CODE_SERVER)) throw new Error(`${CODE_SERVER} is missing: run scripts/ensure-code-server.sh (npm test does)`);
  const home = mkdtempSync(join(tmpdir(), 'rvreplay-vscode-'));
  const dirs = { data: join(home, 'data'), extensions: join(home, 'extensions'), xdg: join(home, 'xdg') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  const config = join(home, 'config.yaml');
  mkdirSync(join(dirs.data, 'User'), { recursive: true });
  writeFileSync(join(dirs.data, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'security.workspace.trust.enabled': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'window.commandCenter': false,
    'debug.toolBarLocation': 'docked',
    'rvreplay.guestTerminal': true,
  }));
  writeFileSync(config, 'bind-addr: 127.0.0.1:0\nauth: none\ncert: false\n');
  const env = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(dirs.xdg, 'config'), XDG_DATA_HOME: join(dirs.xdg, 'data'), XDG_CACHE_HOME: join(dirs.xdg, 'cache') };
  const common = ['--user-data-dir', dirs.data, '--extensions-dir', dirs.extensions, '--config', config];
  const install = spawnSync(CODE_SERVER, [...common, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`installing ${vsix} failed: ${install.stderr || install.stdout}`);

  const port = await freePort();
  const server = spawn(CODE_SERVER, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', folder], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  server.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  server.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  let browser: Browser | undefined;
  const stop = async (): Promise<void> => {
    await browser?.close().catch(() => {});
    stopGroup(server);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)), 30_000, () => `code-server to answer on port ${port}: ${log}`);
    browser = await launchBrowser();
    const page = await browser.context.newPage();
    await page.setViewportSize({ width: 1400, height: 860 });
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    return {
      page,
      screenshot: async (name) => {
        await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
      },
      command: async (title) => {
        await waitFor(async () => {
          await page.keyboard.press('Escape');
          await page.keyboard.press('F1');
          const input = page.locator('.quick-input-widget input');
          await input.waitFor({ timeout: 5_000 });
          await input.fill(`>${title}`);
          const item = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
          if (!(await item.isVisible().catch(() => false))) {
            await page.waitForTimeout(500);
            if (!(await item.isVisible().catch(() => false))) return false;
          }
          await item.click();
          return true;
        }, 60_000, () => `the command palette to offer "${title}"`);
      },
      close: stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** Polls `ready` until it holds or `ms` pass; the error says what was awaited. */
export async function waitFor(ready: () => Promise<boolean>, ms: number, what: () => string): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    if (await ready().catch(() => false)) return;
    if (Date.now() > end) throw new Error(`gave up after ${ms / 1000} s waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

function stopGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
