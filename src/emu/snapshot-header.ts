// The JSON header of a snapshot file: what the machine must agree with before the state can be
// loaded into it (board, ISA, RAM size, icount shift, the state arena's layout, HTIF), and what
// a reader shows without loading (name, icount, the caller's `extra` fields such as the guest's
// sha256). Parsing checks every field's type, so the loader can trust the shape.

import type { GuestExit } from './machine.js';
import { SnapshotError } from './snapshot-error.js';

export interface SnapshotHeader {
  /** The name the snapshot was saved under (QEMU's rrsnapshot=name). */
  name: string;
  /** icount at the moment of the snapshot. */
  icount: number;
  machine: {
    board: 'virt';
    isa: string;
    ramMiB: number;
    icountShift: number;
    /** virtio-mmio transport version 1 (QEMU's default) rather than 2; absent means true. */
    virtioLegacy?: boolean;
  };
  /** The state arena's regions in order; a loader must have exactly these. */
  stateLayout: { name: string; offset: number; bytes: number }[];
  /** Bytes of the arena stored (its used part). */
  arenaBytes: number;
  /** Nonzero RAM pages stored; the others are zero. */
  ramPages: number;
  /** The disks, in slot order: the base image's digest, and overlay blocks stored for each. */
  disks: { slot: number; image: string; blocks: number }[];
  /** Whether HTIF was attached (the guest defines tohost and fromhost). */
  htif: boolean;
  /** How the guest had ended, if it had (informational: the arena holds it too). */
  exit: GuestExit | null;
  /** The caller's fields, stored and returned as given (e.g. guest: the image's sha256). */
  extra: Record<string, string>;
}

function malformed(field: string): SnapshotError {
  return new SnapshotError('corrupt', `corrupt snapshot: the header's ${field} field is missing or malformed`);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw malformed(field);
  return v;
}

function text(v: unknown, field: string): string {
  if (typeof v !== 'string') throw malformed(field);
  return v;
}

function guestExit(v: unknown): GuestExit | null {
  if (v === null) return null;
  if (!isObject(v)) throw malformed('exit');
  switch (v.kind) {
    case 'pass':
      return { kind: 'pass' };
    case 'reset':
      return { kind: 'reset' };
    case 'fail':
      return { kind: 'fail', code: count(v.code, 'exit.code') };
    default:
      throw malformed('exit.kind');
  }
}

/** The header from its JSON text; a wrong shape is a 'corrupt' SnapshotError naming the field. */
export function parseSnapshotHeader(json: string): SnapshotHeader {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    throw new SnapshotError('corrupt', 'corrupt snapshot: the header is not valid JSON');
  }
  if (!isObject(v)) throw malformed('top-level');
  const m = v.machine;
  if (!isObject(m)) throw malformed('machine');
  if (m.board !== 'virt') {
    throw new SnapshotError('config', `snapshot is for board ${JSON.stringify(m.board)}; this machine is virt`);
  }
  if (!Array.isArray(v.stateLayout)) throw malformed('stateLayout');
  const stateLayout = v.stateLayout.map((r: unknown, i) => {
    if (!isObject(r)) throw malformed(`stateLayout[${i}]`);
    return {
      name: text(r.name, `stateLayout[${i}].name`),
      offset: count(r.offset, `stateLayout[${i}].offset`),
      bytes: count(r.bytes, `stateLayout[${i}].bytes`),
    };
  });
  if (typeof v.htif !== 'boolean') throw malformed('htif');
  if (!Array.isArray(v.disks)) throw malformed('disks');
  const disks = v.disks.map((d: unknown, i) => {
    if (!isObject(d)) throw malformed(`disks[${i}]`);
    return { slot: count(d.slot, `disks[${i}].slot`), image: text(d.image, `disks[${i}].image`), blocks: count(d.blocks, `disks[${i}].blocks`) };
  });
  if (!isObject(v.extra)) throw malformed('extra');
  const extra: Record<string, string> = {};
  for (const [k, x] of Object.entries(v.extra)) extra[k] = text(x, `extra.${k}`);
  return {
    name: text(v.name, 'name'),
    icount: count(v.icount, 'icount'),
    machine: {
      board: 'virt',
      isa: text(m.isa, 'machine.isa'),
      ramMiB: count(m.ramMiB, 'machine.ramMiB'),
      icountShift: count(m.icountShift, 'machine.icountShift'),
      virtioLegacy: m.virtioLegacy === undefined ? true : flag(m.virtioLegacy, 'machine.virtioLegacy'),
    },
    stateLayout,
    arenaBytes: count(v.arenaBytes, 'arenaBytes'),
    ramPages: count(v.ramPages, 'ramPages'),
    disks,
    htif: v.htif,
    exit: guestExit(v.exit),
    extra,
  };
}

function flag(v: unknown, field: string): boolean {
  if (typeof v !== 'boolean') throw malformed(field);
  return v;
}
