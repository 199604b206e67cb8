// The debug adapter as VS Code runs it (dist/adapter.js, a separate Node process), driven by
// Microsoft's DAP test client, for the adapter's tests and benchmarks.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

export const ADAPTER = join(__dirname, '..', '..', 'dist', 'adapter.js');

/** Runs `body` with a started client and stops the adapter afterwards, whatever happened. */
export async function withClient(body: (dc: DebugClient) => Promise<void>): Promise<void> {
  const dc = new DebugClient('node', ADAPTER, 'rvreplay');
  dc.defaultTimeout = 30_000;
  await dc.start();
  try {
    await body(dc);
  } finally {
    await dc.stop();
  }
}

/** Runs a motion request and waits for the stop it causes; returns the top frame. */
export async function stopAfter(dc: DebugClient, request: Promise<unknown>, reason: string): Promise<DebugProtocol.StackFrame> {
  const [, stopped] = await Promise.all([request, dc.waitForEvent('stopped')]);
  assert.equal((stopped as DebugProtocol.StoppedEvent).body.reason, reason, JSON.stringify(stopped.body));
  const trace = await dc.stackTraceRequest({ threadId: 1 });
  return trace.body.stackFrames[0];
}

/** The 1-based number of the first line of `file` that contains `text`. */
export function lineIn(file: string, text: string): number {
  const line = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
  assert.ok(line > 0, `${file} has a line with ${text}`);
  return line;
}
