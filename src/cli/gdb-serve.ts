// `--gdb PORT`: a time-travel session served to one gdb on 127.0.0.1:PORT. The engine waits, at
// its first position, for gdb to connect (QEMU's -s -S); the command ends when gdb detaches,
// kills the target or goes away, or when a signal (Ctrl-C in rvreplay's terminal) arrives.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EngineError, type DebugEngine } from '../engine/debug-engine.js';
import type { VirtMachine } from '../emu/machine.js';
import { saveSnapshot } from '../emu/snapshot.js';
import type { GuestFile } from './guest-file.js';
import { snapshotPath } from './snapshot-file.js';
import { DEFAULT_KEYFRAMES, type KeyframeOptions } from '../engine/replay-engine.js';
import { startGdbServer } from '../gdbstub/gdb-server.js';
import { CliError } from './cli-error.js';
import { integerOption, type OptionSpec } from './options.js';

export const GDB_OPTIONS: OptionSpec<unknown>[] = [
  integerOption('gdb', 'PORT', 'serve the session to gdb on 127.0.0.1:PORT (0: any free port), waiting for it first', 0, 65535),
  integerOption('keyframe-interval', 'N', 'instructions between automatic keyframes', 10_000, Number.MAX_SAFE_INTEGER),
  integerOption('keyframe-budget', 'MiB', 'memory keyframes may hold before old ones are thinned', 16, 1 << 20),
];

/** The keyframe options as given (--keyframe-interval, --keyframe-budget), defaults elsewhere. */
export function keyframeOptions(options: Map<string, unknown>): KeyframeOptions {
  const interval = options.get('keyframe-interval') as number | undefined;
  const budgetMiB = options.get('keyframe-budget') as number | undefined;
  return {
    interval: interval ?? DEFAULT_KEYFRAMES.interval,
    budgetBytes: budgetMiB === undefined ? DEFAULT_KEYFRAMES.budgetBytes : budgetMiB * 2 ** 20,
  };
}

/**
 * Named snapshots of a session written beside its log as <log>.<name>.snap, full snapshots a new
 * recording can start from (`record --from-snapshot`). The log's own start snapshot keeps its name.
 */
export function snapshotsBesideLog(rrfile: string, machine: VirtMachine, guest: GuestFile, startSnapshot: string | undefined): (name: string) => string {
  return (name) => {
    if (name === startSnapshot) throw new EngineError(`"${name}" is the snapshot the log starts from: choose another name`);
    const path = snapshotPath(rrfile, name);
    try {
      writeFileSync(path, saveSnapshot(machine, name, { guestSha256: guest.sha256 }));
    } catch (e) {
      throw new EngineError(`cannot write ${path}: ${(e as Error).message}`);
    }
    return path;
  };
}

/** gdb/rvreplay.gdb, which makes gdb read registers again after monitor commands, beside the bundle (dist/) if it is there. */
function gdbScript(): string | undefined {
  const path = join(__dirname, '..', 'gdb', 'rvreplay.gdb');
  return existsSync(path) ? path : undefined;
}

/** How a gdb session ended: gdb detached, killed the target or went away, or rvreplay got a signal. */
export type GdbEnd = 'detach' | 'kill' | 'disconnect' | 'signal';

/** Serves `engine` until the gdb session ends. */
export async function serveToGdb(engine: DebugEngine, port: number): Promise<GdbEnd> {
  let server;
  try {
    server = await startGdbServer(engine, { port, log: (line) => process.stderr.write(`rvreplay: ${line}\n`) });
  } catch (e) {
    throw new CliError(`cannot serve gdb on 127.0.0.1:${port}: ${(e as Error).message}`);
  }
  const script = gdbScript();
  process.stderr.write(`rvreplay: waiting for gdb on 127.0.0.1:${server.port} at icount ${engine.icount} ` +
    `(in gdb: target remote :${server.port}${script === undefined ? '' : `; source ${script} to see where monitor seeks land`})\n`);
  let signalled = false;
  const onSignal = (): void => {
    signalled = true;
    void server.close();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const { how } = await server.closed;
    if (signalled) {
      process.stderr.write('rvreplay: stopped by a signal\n');
      return 'signal';
    }
    process.stderr.write(`rvreplay: gdb ${how === 'detach' ? 'detached' : how === 'kill' ? 'ended the session' : 'went away'} at icount ${engine.icount}\n`);
    return how;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
