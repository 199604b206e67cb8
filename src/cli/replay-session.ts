// Opening a recording for replay: the log, the guest it was recorded with, its disk images and
// start snapshot, and a machine built as the log's header says, attached to a Replayer. Every
// check happens here, before anything runs: the guest's digest, the machine settings given on
// the command line, the state layout of the rvreplay that wrote the log, the start snapshot's
// digest. Shared by `replay` and its gdb server.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { checkVirtioSlots } from '../emu/devices/virtio-devices.js';
import type { DiskImage, CharSink } from '../emu/host/ports.js';
import { VirtMachine, type MachineConfig } from '../emu/machine.js';
import { loadSnapshot } from '../emu/snapshot.js';
import type { LogHeader } from '../replay/log-header.js';
import type { LogReader } from '../replay/log/log-reader.js';
import { Replayer } from '../replay/replayer.js';
import { CliError } from './cli-error.js';
import { loadGuestFile, loadInto, type GuestFile } from './guest-file.js';
import { openReplayDisks } from './host-devices.js';
import { openLogFile } from './log-file.js';
import { snapshotPath } from './snapshot-file.js';

export interface ReplaySessionOptions {
  /** --ram and --icount-shift as given: each must agree with the log. */
  ramMiB?: number;
  icountShift?: number;
  /** --drive copies of the recorded disk images. */
  drives?: string[];
  /** --interpret: every instruction in the interpreter. */
  interpret?: boolean;
  /** Where the guest's output goes. */
  console: CharSink;
}

export interface ReplaySession {
  guest: GuestFile;
  reader: LogReader;
  machine: VirtMachine;
  replayer: Replayer;
  disks: (DiskImage & { close(): void })[];
}

export function openReplaySession(elfPath: string, rrfile: string, o: ReplaySessionOptions): ReplaySession {
  const guest = loadGuestFile(elfPath);
  const reader = openLogFile(rrfile);
  const header = reader.header;
  const config: MachineConfig = { ...machineConfig(header, o.ramMiB, o.icountShift), execution: o.interpret === true ? 'interpreted' : 'compiled' };
  checkGuest(header, guest);
  if (reader.damage !== undefined) {
    const upTo = reader.damage.lastGoodIcount;
    process.stderr.write(`rvreplay: warning: ${rrfile} is damaged (${reader.damage.message}); ` +
      (upTo === undefined ? 'nothing in it can be replayed\n' : `replaying up to icount ${upTo}\n`));
  }
  const disks = openReplayDisks(header, o.drives);
  try {
    const replayer = new Replayer(reader.events(), header.stateLayout.map((r) => r.name), false, reader.version);
    const machine = new VirtMachine(config, { ...replayer.ports(o.console), disks });
    loadInto(machine, guest);
    checkLayout(header, machine);
    if (header.snapshot !== undefined) restoreSnapshot(machine, rrfile, header.snapshot);
    replayer.attach(machine);
    return { guest, reader, machine, replayer, disks };
  } catch (e) {
    for (const d of disks) d.close();
    throw e;
  }
}

function machineConfig(header: LogHeader, ram: number | undefined, shift: number | undefined): MachineConfig {
  const m = header.machine;
  if (ram !== undefined && ram !== m.ramMiB) {
    throw new CliError(`--ram ${ram} contradicts the log, which was recorded with ${m.ramMiB} MiB`);
  }
  if (shift !== undefined && shift !== m.icountShift) {
    throw new CliError(`--icount-shift ${shift} contradicts the log, which was recorded with shift ${m.icountShift}`);
  }
  // The virtio devices are the log's (a log from before virtio has none).
  const devices = m.devices ?? [];
  try {
    checkVirtioSlots(devices);
  } catch (e) {
    throw new CliError(`the log's machine has devices this rvreplay cannot build: ${(e as Error).message}`);
  }
  return { ramMiB: m.ramMiB, icountShift: m.icountShift, devices, virtioLegacy: m.virtioLegacy ?? true };
}

function checkGuest(header: LogHeader, guest: GuestFile): void {
  if (header.guest.sha256 !== guest.sha256) {
    throw new CliError(
      `${guest.path} is not the guest this log was recorded with (${header.guest.path}, ` +
      `sha256 ${header.guest.sha256.slice(0, 12)}…; this file has ${guest.sha256.slice(0, 12)}…)`);
  }
}

function checkLayout(header: LogHeader, machine: VirtMachine): void {
  const ours = machine.arena.regions;
  const theirs = header.stateLayout;
  const same = ours.length === theirs.length && ours.every((r, i) => r.name === theirs[i].name && r.bytes === theirs[i].bytes);
  if (!same) {
    throw new CliError(`the log was written by ${header.writer}, whose machine state has another layout; replay it with that version`);
  }
}

function restoreSnapshot(machine: VirtMachine, rrfile: string, snap: NonNullable<LogHeader['snapshot']>): void {
  const path = snapshotPath(rrfile, snap.name);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new CliError(`the log starts from snapshot '${snap.name}', but ${path} cannot be read`);
  }
  if (createHash('sha256').update(bytes).digest('hex') !== snap.sha256) {
    throw new CliError(`${path} is not the snapshot '${snap.name}' this log starts from (its digest differs)`);
  }
  try {
    loadSnapshot(machine, bytes);
  } catch (e) {
    throw new CliError(`${path}: ${(e as Error).message}`);
  }
}
