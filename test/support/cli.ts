// Test helper: runs the built CLI (dist/cli.js) as a user would, and builds small bare-metal
// guests from assembly text with the RISC-V toolchain.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GCC, RV32_FLAGS, run } from './toolchain.js';

export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliInput {
  /** Chunks written to stdin, each after waiting its delay (ms) since the previous one. */
  chunks?: { delayMs: number; text: string }[];
  /** Kill the process after this long (a hang fails the test instead of stalling it). */
  timeoutMs?: number;
}

/** Runs `node dist/cli.js ...args`; stdin gets the chunks, then end of input. */
export function runCli(args: string[], input: CliInput = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
    child.stdin.on('error', () => {}); // the guest may finish before it reads everything
    void (async () => {
      for (const c of input.chunks ?? []) {
        await new Promise((r) => setTimeout(r, c.delayMs));
        child.stdin.write(c.text);
      }
      child.stdin.end();
    })();
  });
}

/** Assembles and links a bare-metal RV32 guest (text at `textAddr`) and returns the ELF's path. */
export function buildAsmGuest(dir: string, name: string, source: string, textAddr = 0x8000_0000, extraFlags: string[] = RV32_FLAGS): string {
  const src = join(dir, `${name}.S`);
  const elf = join(dir, `${name}.elf`);
  writeFileSync(src, source);
  run(GCC, [...extraFlags, `-Wl,-Ttext=0x${textAddr.toString(16)}`, '-o', elf, src]);
  return elf;
}
