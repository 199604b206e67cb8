// Runs a program to completion for the oracle test: no stdin, stdout kept as raw bytes (the
// comparison is byte for byte), stderr kept for failure messages, killed after a time limit so
// a hung guest fails the test instead of stalling it.

import { spawn } from 'node:child_process';

export interface ProcessResult {
  stdout: Buffer;
  stderr: string;
  /** Exit status, or null when the process ended by a signal. */
  status: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export function runProcess(command: string, args: readonly string[], timeoutMs: number): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr, status, signal, timedOut });
    });
  });
}

/** One line for assertion messages: how the process ended and what it said on stderr. */
export function describeEnd(r: ProcessResult): string {
  const how = r.timedOut ? 'timed out' : r.signal !== null ? `killed by ${r.signal}` : `exit status ${r.status}`;
  const err = r.stderr.trim();
  return err === '' ? how : `${how}; stderr: ${err.slice(0, 2000)}`;
}
