// `rvreplay run <elf> --cross-check`: the guest runs twice side by side, interpreted (the
// reference) and compiled, their whole state compared every CHUNK instructions; in the first
// chunk that differs, a bisection finds the first instruction after which they differ
// (emu/lockstep.ts). For a suspected fault in compiled code, the answer is an icount, a pc and
// what differs. Both machines get the same host: no input, the serial output dropped, one
// wall-clock reading for the RTC; options that need more of the host are refused.

import { HostWallClock } from '../emu/host/host-wall-clock.js';
import { runLockstep, type LockstepResult } from '../emu/lockstep.js';
import { VirtMachine, type Execution, type MachineConfig } from '../emu/machine.js';
import { CliError } from './cli-error.js';
import { EXIT_BUDGET, EXIT_DIVERGED, EXIT_INTERRUPTED, EXIT_STUCK } from './exit-codes.js';
import { loadInto, type GuestFile } from './guest-file.js';

/**
 * Instructions between comparisons: each compares the machines' state regions and the RAM pages
 * either wrote since the last, and the interpreted machine takes ~0.05 s for 4 M instructions.
 */
const CHUNK = 4_000_000;

/**
 * Options a cross-check cannot honour: each contradicts it or needs the host. (--virtio-modern
 * only changes what empty virtio slots report, the same on both machines.)
 */
const REFUSED = ['interpret', 'trace', 'stats', 'from-snapshot', 'save-snapshot'];

/** Runs the cross-check of `guest` on the machine `config` describes; returns the exit status. */
export function crossCheck(guest: GuestFile, config: MachineConfig, options: Map<string, unknown>): number {
  for (const name of REFUSED) {
    const value = options.get(name);
    if (value !== undefined && value !== false) throw new CliError(`--cross-check does not go with --${name}`);
  }
  if ((config.devices ?? []).length > 0) {
    throw new CliError('--cross-check runs guests without virtio devices: their input comes from the host, and both machines must get the same');
  }
  const serial = options.get('serial');
  if (serial !== 'stdio' && serial !== 'none') {
    throw new CliError(`--cross-check gives the guest no input and shows no output: --serial ${String(serial)} is refused`);
  }
  const budget = (options.get('max-insns') as number | undefined) ?? Infinity;
  const now = new HostWallClock().nowNs();
  const make = (execution: Execution): VirtMachine => {
    const m = new VirtMachine({ ...config, execution }, { console: { write: () => {} }, wallClock: { nowNs: () => now } });
    loadInto(m, guest);
    return m;
  };
  const [code, message] = crossCheckOutcome(runLockstep(make, budget, CHUNK), budget);
  process.stderr.write(`rvreplay: ${message}\n`);
  return code;
}

/** The exit status a cross-check ends with (as `run`'s for the same end), and its line. */
export function crossCheckOutcome(r: LockstepResult, budget: number): [number, string] {
  const d = r.difference;
  if (d !== undefined) return [EXIT_DIVERGED, `cross-check: compiled code and the interpreter differ from icount ${d.icount} on: ${d.what}`];
  const agree = `cross-check: compiled code and the interpreter agree over ${r.icount.toLocaleString('en-US')} instructions`;
  switch (r.exit?.kind) {
    case 'pass': return [0, `${agree}; the guest passed`];
    case 'fail': return [r.exit.code & 0xff, `${agree}; the guest failed with code ${r.exit.code}`];
    case 'reset': return [EXIT_INTERRUPTED, `${agree}, up to the guest's reset, which a cross-check does not follow`];
  }
  if (r.icount >= budget) return [EXIT_BUDGET, `${agree}: the budget of --max-insns ${budget}`];
  return [EXIT_STUCK, `${agree}, until the guest waited for an interrupt that cannot come (a cross-check gives it no input)`];
}
