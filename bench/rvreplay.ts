// Runs the rvreplay CLI under measurement. The CLI's `--stats` contract: one line on stderr,
//   rvreplay: icount=<N> wall_ms=<M> mips=<X> [rss_mib=<R>]
// where wall_ms/mips cover emulation only; the exit status is the guest's.
import type { BenchContext } from './case.js';
import { timedRun, type TimedRun } from './timed-run.js';

export interface CliStats {
  icount: number;
  /** Emulation time as the CLI measured it, without Node start-up and loading. */
  coreWallMs: number;
  coreMips: number;
  /** Peak RSS the CLI reported itself, when it does. */
  rssMib: number | undefined;
}

export interface RvreplayRun {
  run: TimedRun;
  stats: CliStats | undefined;
  /** Peak RSS in MiB: the CLI's own figure (exact), else the sampled VmHWM. */
  peakRssMib: number | undefined;
  /** stderr without the stats line, for problem reports. */
  otherStderr: string;
}

const STATS_LINE = /^rvreplay: icount=(\d+) wall_ms=([\d.]+) mips=([\d.]+)(?: rss_mib=([\d.]+))?.*$/m;

/**
 * The environment rvreplay runs in: the bench's own, without NODE_EXTRA_CA_CERTS. With it, Node
 * reads a CA bundle before any of rvreplay's code runs (40–80 ms on the 2-core machine where the
 * variable is set for npm), for TLS that rvreplay never uses.
 */
export const RVREPLAY_ENV: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_EXTRA_CA_CERTS'));

/** Runs `node <cli> <args...>`; callers add `--stats` where they want figures. */
export async function runRvreplay(ctx: BenchContext, args: readonly string[]): Promise<RvreplayRun> {
  const run = await timedRun(process.execPath, [ctx.cliPath, ...args], { timeoutMs: ctx.timeoutMs, env: RVREPLAY_ENV });
  const stats = parseStats(run.stderr);
  const sampledKib = run.sampledPeakRssKib;
  const peakRssMib = stats?.rssMib ?? (sampledKib === undefined ? undefined : sampledKib / 1024);
  return { run, stats, peakRssMib, otherStderr: run.stderr.replace(STATS_LINE, '').trim() };
}

export function parseStats(stderr: string): CliStats | undefined {
  const m = STATS_LINE.exec(stderr);
  if (!m) return undefined;
  return { icount: Number(m[1]), coreWallMs: Number(m[2]), coreMips: Number(m[3]), rssMib: m[4] === undefined ? undefined : Number(m[4]) };
}
