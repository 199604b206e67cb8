// Starting from, and saving, machine snapshots on the command line: `--save-snapshot N:FILE`
// saves the exact state at icount N (after boot, say) and goes on; `--from-snapshot FILE` starts
// there instead of at the ELF entry. A recording started from a snapshot keeps a copy of it
// beside its log, so its replay starts from the same state.

import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { writeFileSync } from 'node:fs';
import type { VirtMachine } from '../emu/machine.js';
import { loadSnapshot, saveSnapshot } from '../emu/snapshot.js';
import { CliError } from './cli-error.js';
import type { GuestFile } from './guest-file.js';
import { stringOption, type OptionSpec } from './options.js';
import { readInputFile } from './read-input-file.js';

export const SNAPSHOT_OPTIONS: OptionSpec<unknown>[] = [
  stringOption('from-snapshot', 'FILE', 'start from the machine state in FILE (saved by --save-snapshot) instead of booting'),
  stringOption('save-snapshot', 'N:FILE', 'save the machine state at icount N to FILE, then go on'),
];

export interface SnapshotStart {
  /** The snapshot's own name (from its header). */
  name: string;
  bytes: Uint8Array;
  sha256: string;
}

export interface SnapshotSave {
  icount: number;
  path: string;
}

export function parseSaveSnapshot(text: string | undefined): SnapshotSave | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d[\d_]*):(.+)$/.exec(text);
  if (m === null) throw new CliError(`--save-snapshot takes N:FILE (an icount and a file), not '${text}'`);
  const icount = Number(m[1].replace(/_/g, ''));
  if (!Number.isSafeInteger(icount)) throw new CliError(`--save-snapshot: ${m[1]} is not an icount`);
  return { icount, path: m[2] };
}

/** Restores the snapshot in `path` into a machine that has `guest` loaded. */
export function startFromSnapshot(machine: VirtMachine, path: string, guest: GuestFile): SnapshotStart {
  const bytes = readInputFile(path);
  let info;
  try {
    info = loadSnapshot(machine, bytes);
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message}`);
  }
  const made = info.extra.guestSha256;
  if (made !== undefined && made !== guest.sha256) {
    throw new CliError(`${path} was saved from another guest image than ${guest.path}`);
  }
  return { name: info.name, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** A save point before the start (a snapshot's icount) would never be reached. */
export function checkSaveAfterStart(save: SnapshotSave | undefined, startIcount: number): void {
  if (save !== undefined && save.icount < startIcount) {
    throw new CliError(`--save-snapshot: icount ${save.icount} is before the snapshot's icount ${startIcount}, where this run starts`);
  }
}

/** Says that the run ended (at `endIcount`) without saving. */
export function noteUnsaved(save: SnapshotSave, endIcount: number): void {
  process.stderr.write(`rvreplay: the run ended at icount ${endIcount}; no snapshot was saved (--save-snapshot ${save.icount})\n`);
}

/** Saves the machine's state now to `save.path`, named after the file; returns the name. */
export function saveSnapshotNow(machine: VirtMachine, save: SnapshotSave, guest: GuestFile): string {
  const name = basename(save.path).replace(/\.snap$/, '');
  try {
    writeFileSync(save.path, saveSnapshot(machine, name, { guestSha256: guest.sha256 }));
  } catch (e) {
    throw new CliError(`cannot write ${save.path}: ${(e as Error).message}`);
  }
  process.stderr.write(`rvreplay: saved the state at icount ${machine.icount} to ${save.path}\n`);
  return name;
}
