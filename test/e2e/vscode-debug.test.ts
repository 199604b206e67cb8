// The user's door, end to end: a real VS Code (code-server in Debian's chromium) with the
// packaged extension installed opens the bundled example, sets a breakpoint in hello.c, presses
// F5 on its launch.json ("rr": "record"), stops at the breakpoint (the guest's console in its
// terminal), steps back and sees the stopped line move up, opens the timeline panel, clicks in
// it and travels, and stops.
// Screenshots of each moment are kept in test-artifacts/ (e2e-*.png).

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { openVsCode, waitFor, type VsCode } from '../support/code-server.js';
import { tempDir } from '../support/toolchain.js';
import { ROOT } from '../webview/paths.js';

const tmp = tempDir('e2e');
let vscode: VsCode | undefined;
after(async () => {
  await vscode?.close();
  tmp.cleanup();
});

/** The packaged extension, as a user installs it. */
function packageExtension(): string {
  const vsix = join(tmp.dir, 'rvreplay.vsix');
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vsce'),
    ['package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `vsce package: ${r.stderr}${r.stdout}`);
  return vsix;
}

/** The top frame of the call stack view: "cmd_ticks" and its line, as VS Code shows them. */
async function topFrame(page: Page): Promise<{ name: string; line: number } | undefined> {
  const row = page.locator('.debug-call-stack .monaco-list-row .stack-frame').first();
  if (!(await row.isVisible().catch(() => false))) return undefined;
  const name = (await row.locator('.expression').first().textContent())?.trim() ?? '';
  const position = (await row.locator('.line-number').first().textContent())?.trim() ?? '';
  const line = Number(/^(\d+)/.exec(position)?.[1] ?? NaN);
  return Number.isNaN(line) ? undefined : { name, line };
}

test('F5 on the example records and stops at a breakpoint; step back moves the line up; a click on the timeline travels', async () => {
  const folder = join(tmp.dir, 'hello');
  cpSync(join(ROOT, 'examples', 'hello'), folder, { recursive: true });
  const source = readFileSync(join(folder, 'hello.c'), 'utf8').split('\n');
  const line = source.findIndex((l) => l.includes('printf("waited %u timer ticks')) + 1;
  assert.ok(line > 0);

  vscode = await openVsCode(packageExtension(), folder);
  try {
    await debugTheExample(vscode, line);
  } catch (e) {
    await vscode.screenshot('e2e-failure'); // what the workbench showed when the test gave up
    throw e;
  }
});

async function debugTheExample(vscode: VsCode, line: number): Promise<void> {
  const { page } = vscode;

  // hello.c in the editor, the cursor on the line, a breakpoint there.
  await vscode.command('Go to File');
  await page.keyboard.type('hello.c');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'hello.c' }).first().click({ timeout: 30_000 });
  await page.locator('.tab.active', { hasText: 'hello.c' }).waitFor({ timeout: 30_000 });
  await page.locator('.monaco-editor .view-lines').first().click();
  await vscode.command('Go to Line/Column');
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await waitFor(async () => (await page.locator('.statusbar-item', { hasText: `Ln ${line},` }).count()) > 0, 30_000, () => `the cursor on line ${line}`);
  await page.keyboard.press('F9');
  await page.locator('.codicon-debug-breakpoint').first().waitFor({ timeout: 30_000 });

  // F5: the first launch configuration, "Record and debug hello".
  await page.locator('.monaco-editor .view-lines').first().click();
  await page.keyboard.press('F5');
  let stopped: { name: string; line: number } | undefined;
  await waitFor(async () => {
    stopped = await topFrame(page);
    return stopped !== undefined;
  }, 120_000, () => 'the debugger to stop at the breakpoint (a frame in the call stack view)');
  assert.deepEqual(stopped, { name: 'cmd_ticks', line });
  await page.waitForTimeout(1000); // the editor takes focus and scrolls to the line
  await vscode.screenshot('e2e-1-breakpoint');

  // The guest's console is also a terminal (its text is drawn on a canvas: the screenshot shows it).
  await vscode.command('Terminal: Focus Terminal');
  await page.locator('.part.panel').getByText('Guest: Record and debug hello').first().waitFor({ timeout: 30_000 });
  await page.waitForTimeout(500);
  await vscode.screenshot('e2e-1b-guest-terminal');

  // Step back (the debug toolbar's button): the stopped line moves up, still in cmd_ticks.
  await page.locator('.codicon-debug-step-back').first().click();
  let back: { name: string; line: number } | undefined;
  await waitFor(async () => {
    back = await topFrame(page);
    return back !== undefined && back.line !== line;
  }, 60_000, () => `the stopped line to move from ${line} (now ${JSON.stringify(back)})`);
  assert.equal(back!.name, 'cmd_ticks');
  assert.ok(back!.line < line, `step back went up, from line ${line} to ${back!.line}`);
  await page.waitForTimeout(1000);
  await vscode.screenshot('e2e-2-step-back');

  // The timeline of the recording beside the editor; a click on it travels in time.
  await vscode.command('rvreplay: Show Timeline');
  await page.locator('.tab', { hasText: 'Timeline: Record and debug hello' }).waitFor({ timeout: 60_000 });
  const canvas = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame').locator('canvas').first();
  await canvas.waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1500); // the first windows of the log arrive and are drawn
  await vscode.screenshot('e2e-3-timeline');
  const status = page.locator('.statusbar-item', { hasText: /icount [\d,]+/ }).first();
  const before = await status.textContent();
  const box = (await canvas.boundingBox())!;
  await canvas.click({ position: { x: box.width * 0.3, y: box.height * 0.5 } });
  await waitFor(async () => (await status.textContent()) !== before, 60_000, () => `a click on the timeline to move the position from "${before}"`);
  await page.waitForTimeout(1000);
  // The stop's source opens beside the timeline, not over it.
  assert.ok(await page.locator('.tab.active', { hasText: 'Timeline: Record and debug hello' }).isVisible(), 'the timeline is still shown');
  // The call stack's header says where the travel stopped (not the step back's stop before it).
  const travelled = (await status.textContent())?.match(/icount ([\d,]+)/)?.[1]?.replace(/,/g, '');
  const header = page.locator('.call-stack-state-message').first();
  let said: string | null = null;
  await waitFor(async () => (said = await header.textContent()) === `goto, icount ${travelled}, in history`, 30_000,
    () => `the call stack header to say the travel's stop (icount ${travelled}), not "${said}"`);
  await vscode.screenshot('e2e-4-travelled');

  await vscode.command('Debug: Stop');
  await waitFor(async () => (await topFrame(page)) === undefined, 60_000, () => 'the debug session to end');
}
