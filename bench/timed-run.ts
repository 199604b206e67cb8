// Runs one program to completion and measures it: wall time from spawn to exit, its output,
// and its peak resident set. Node gives no rusage of children, so the peak comes from
// /proc/<pid>/status VmHWM (a high-water mark the kernel keeps), sampled while the child runs.
// Programs that can report their own peak (rvreplay --stats) give the exact figure instead.
// stdout goes to a temporary file, not a pipe: QEMU 7.2 recording (-icount rr=record) with the
// UART on a pipe spins forever once a write meets a full pipe, and a file never pushes back on
// either program, so the serial-heavy guest measures the emulators, not this process's reading.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

export interface TimedRunOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
}

export interface TimedRun {
  /** Exit status, or undefined if a signal ended it. */
  exitCode: number | undefined;
  signal: string | undefined;
  timedOut: boolean;
  wallMs: number;
  stdout: string;
  stderr: string;
  /** Peak resident set in KiB from the last VmHWM sample, undefined if none was taken. */
  sampledPeakRssKib: number | undefined;
}

/** VmHWM only grows, so a coarse sampling period loses little but the last moments. */
const RSS_SAMPLE_MS = 50;

export function timedRun(command: string, args: readonly string[], options: TimedRunOptions): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    const outDir = mkdtempSync(join(tmpdir(), 'rvreplay-bench-out-'));
    const outPath = join(outDir, 'stdout');
    const outFd = openSync(outPath, 'w');
    const cleanUp = (): void => {
      closeSync(outFd);
      rmSync(outDir, { recursive: true, force: true });
    };
    const start = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', outFd, 'pipe'], env: options.env ?? process.env });
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (b: Buffer) => stderr.push(b));

    let peak: number | undefined;
    const sample = (): void => {
      const hwm = child.pid === undefined ? undefined : readVmHwmKib(child.pid);
      if (hwm !== undefined) peak = Math.max(peak ?? 0, hwm);
    };
    const sampler = setInterval(sample, RSS_SAMPLE_MS);
    let timedOut = false;
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);

    let wallMs = 0;
    child.on('exit', () => {
      wallMs = performance.now() - start;
    });
    child.on('error', (err) => {
      clearInterval(sampler);
      clearTimeout(killer);
      cleanUp();
      reject(err);
    });
    // 'close' comes after 'exit' once stderr has drained; the child's stdout file is complete.
    child.on('close', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(killer);
      const stdout = readFileSync(outPath).toString('latin1');
      cleanUp();
      resolve({
        exitCode: code ?? undefined,
        signal: signal ?? undefined,
        timedOut,
        wallMs,
        stdout,
        stderr: Buffer.concat(stderr).toString('utf8'),
        sampledPeakRssKib: peak,
      });
    });
  });
}

function readVmHwmKib(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // already gone, or not Linux
  }
}

/** How a run ended, in words, for problem reports. */
export function describeEnd(run: TimedRun): string {
  if (run.timedOut) return `timed out after ${(run.wallMs / 1000).toFixed(1)} s`;
  if (run.signal !== undefined) return `killed by ${run.signal}`;
  return `exit status ${run.exitCode}`;
}
