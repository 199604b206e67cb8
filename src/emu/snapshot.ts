// Machine snapshots as bytes: the state arena plus RAM plus a header, which is everything the
// machine is (the rest is derived and rebuilt by machine.afterRestore()). Loading checks the whole
// snapshot before it touches the machine, so a refused snapshot leaves the machine as it was.
//
// Format, version 2. All integers are unsigned 32-bit little-endian; CRCs are CRC-32 (crc32.ts).
//
//   offset     size      field
//   0          8         magic "RVRSNAP\0" (52 56 52 53 4e 41 50 00)
//   8          4         format version (1)
//   12         4         H: header length in bytes
//   16         H         header: UTF-8 JSON, a SnapshotHeader (snapshot-header.ts): name, icount,
//                        machine {board, isa, ramMiB, icountShift, virtioLegacy}, stateLayout
//                        [{name, offset, bytes}], arenaBytes, ramPages, disks [{slot, image,
//                        blocks}], htif, exit, extra
//   16+H       4         CRC of the H header bytes
//   then the state arena:
//              4         A: arena length in bytes (equals header.arenaBytes)
//              A         the arena's bytes [0, A) (arena.usedBytes)
//              4         CRC of the A arena bytes
//   then RAM:
//              4         P: number of page records (equals header.ramPages)
//              P×4100    page records in increasing page order, each: page index (u32, page 0 at
//                        the RAM base) then that page's 4096 bytes. Pages that are all zero are
//                        left out, so a mostly idle 128 MiB guest makes a small snapshot.
//              4         CRC of the P×4100 record bytes
//   then, for each disk of header.disks in order, its overlay (the blocks the guest wrote):
//              4         B: number of block records (equals the disk's blocks)
//              B×4100    block records in increasing block order: block index (u32), 4096 bytes
//              4         CRC of the B×4100 record bytes
//   then       8         end tag "RVRSEND\0" (52 56 52 53 45 4e 44 00); nothing may follow.

import { crc32 } from './crc32.js';
import { ISA_STRING, type VirtMachine } from './machine.js';
import { DISK_BLOCK_SIZE } from './devices/disk-overlay.js';
import { PAGE_SHIFT, PAGE_SIZE, type Ram } from './memory/ram.js';
import { checkSnapshotFits } from './snapshot-compat.js';
import { SnapshotError } from './snapshot-error.js';
import { parseSnapshotHeader, type SnapshotHeader } from './snapshot-header.js';

export const SNAPSHOT_MAGIC = Uint8Array.of(0x52, 0x56, 0x52, 0x53, 0x4e, 0x41, 0x50, 0x00);
export const SNAPSHOT_END_TAG = Uint8Array.of(0x52, 0x56, 0x52, 0x53, 0x45, 0x4e, 0x44, 0x00);
export const SNAPSHOT_FORMAT_VERSION = 2;

const PREAMBLE_BYTES = 16;
const PAGE_RECORD_BYTES = 4 + PAGE_SIZE;
const BLOCK_RECORD_BYTES = 4 + DISK_BLOCK_SIZE;

/** What a snapshot says about itself (returned by loadSnapshot and readSnapshotInfo). */
export interface SnapshotInfo {
  name: string;
  icount: number;
  machine: SnapshotHeader['machine'];
  /** Nonzero RAM pages stored. */
  ramPages: number;
  htif: boolean;
  exit: SnapshotHeader['exit'];
  extra: Record<string, string>;
  /** Size of the snapshot in bytes. */
  bytes: number;
}

/** The snapshot of `machine` now, as bytes. `extra` is stored in the header and returned on load. */
export function saveSnapshot(machine: VirtMachine, name: string, extra: Record<string, string> = {}): Uint8Array {
  const ram = machine.ram;
  const pages = ram.nonzeroPages();
  const arena = machine.arena;
  const disks = machine.disks.map((d) => ({ slot: d.slot, image: d.overlay.image.digest, blocks: d.overlay.snapshotBlocks() }));
  const header: SnapshotHeader = {
    name,
    icount: machine.icount,
    machine: {
      board: 'virt', isa: ISA_STRING, ramMiB: machine.config.ramMiB, icountShift: machine.config.icountShift,
      virtioLegacy: machine.config.virtioLegacy ?? true,
    },
    stateLayout: arena.regions.map((r) => ({ name: r.name, offset: r.offset, bytes: r.bytes })),
    arenaBytes: arena.usedBytes,
    ramPages: pages.length,
    disks: disks.map((d) => ({ slot: d.slot, image: d.image, blocks: d.blocks.length })),
    htif: machine.hasHtif,
    exit: machine.exit ?? null,
    extra: { ...extra },
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const diskBytes = disks.reduce((n, d) => n + 8 + d.blocks.length * BLOCK_RECORD_BYTES, 0);
  const total = PREAMBLE_BYTES + json.length + 4 + 4 + arena.usedBytes + 4 + 4 + pages.length * PAGE_RECORD_BYTES + 4 +
    diskBytes + SNAPSHOT_END_TAG.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  let at = 0;
  const u32 = (v: number): void => {
    view.setUint32(at, v, true);
    at += 4;
  };
  const bytes = (b: Uint8Array): void => {
    out.set(b, at);
    at += b.length;
  };

  bytes(SNAPSHOT_MAGIC);
  u32(SNAPSHOT_FORMAT_VERSION);
  u32(json.length);
  bytes(json);
  u32(crc32(json));

  const arenaBytes = new Uint8Array(arena.buffer, 0, arena.usedBytes);
  u32(arenaBytes.length);
  bytes(arenaBytes);
  u32(crc32(arenaBytes));

  u32(pages.length);
  const recordsStart = at;
  for (const p of pages) {
    u32(p);
    bytes(ram.u8.subarray(p * PAGE_SIZE, (p + 1) * PAGE_SIZE));
  }
  u32(crc32(out.subarray(recordsStart, at)));
  for (const d of disks) {
    u32(d.blocks.length);
    const start = at;
    for (const [index, data] of d.blocks) {
      u32(index);
      bytes(data);
    }
    u32(crc32(out.subarray(start, at)));
  }
  bytes(SNAPSHOT_END_TAG);
  return out;
}

/**
 * Restores `machine` to the snapshot in `bytes` and returns what the snapshot says about itself.
 * Everything is checked first: on any SnapshotError the machine is untouched.
 */
export function loadSnapshot(machine: VirtMachine, bytes: Uint8Array): SnapshotInfo {
  const { header, headerEnd } = readHeader(bytes);
  checkSnapshotFits(header, machine);
  const body = readBody(bytes, headerEnd, header, machine.ram);

  new Uint8Array(machine.arena.buffer, 0, header.arenaBytes).set(body.arena);
  restoreRam(machine.ram, body.records, body.pageIndices);
  header.disks.forEach((d, k) => machine.disks.find((x) => x.slot === d.slot)!.overlay.restoreBlocks(body.disks[k]));
  machine.afterRestore();
  return infoOf(header, bytes.length);
}

/** What a snapshot says about itself, without a machine: its preamble and header are checked. */
export function readSnapshotInfo(bytes: Uint8Array): SnapshotInfo {
  return infoOf(readHeader(bytes).header, bytes.length);
}

function infoOf(h: SnapshotHeader, size: number): SnapshotInfo {
  return { name: h.name, icount: h.icount, machine: h.machine, ramPages: h.ramPages, htif: h.htif, exit: h.exit, extra: h.extra, bytes: size };
}

/**
 * Copies the stored pages in and zeroes every other page that is not zero already. Pages this
 * changes are noted as written, so dirty-page tracking sees them; pages already zero are only
 * read, which keeps a fresh machine's untouched RAM uncommitted.
 */
function restoreRam(ram: Ram, records: Uint8Array, pageIndices: number[]): void {
  const zeroUpTo = (from: number, to: number): void => {
    for (let p = from; p < to; p++) {
      if (ram.pageIsZero(p)) continue;
      ram.u8.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      ram.noteWrite(ram.base + p * PAGE_SIZE);
    }
  };
  let next = 0; // first page not yet restored
  pageIndices.forEach((p, k) => {
    zeroUpTo(next, p);
    const at = k * PAGE_RECORD_BYTES + 4;
    ram.u8.set(records.subarray(at, at + PAGE_SIZE), p * PAGE_SIZE);
    ram.noteWrite(ram.base + p * PAGE_SIZE);
    next = p + 1;
  });
  zeroUpTo(next, ram.size >>> PAGE_SHIFT);
}

function truncated(part: string, need: number, have: number): SnapshotError {
  return new SnapshotError('truncated', `snapshot is truncated: it ends in the ${part} (${have} bytes; at least ${need} needed)`);
}

function corrupt(part: string): SnapshotError {
  return new SnapshotError('corrupt', `corrupt snapshot: the ${part} fails its checksum`);
}

function u32At(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
}

/** Checks magic, version and the header's bounds and CRC, and parses it. */
function readHeader(bytes: Uint8Array): { header: SnapshotHeader; headerEnd: number } {
  const magicSeen = bytes.subarray(0, SNAPSHOT_MAGIC.length);
  if (bytes.length === 0 || magicSeen.some((b, i) => b !== SNAPSHOT_MAGIC[i])) {
    throw new SnapshotError('not-snapshot', 'not an rvreplay snapshot (it does not start with the snapshot magic)');
  }
  if (bytes.length < PREAMBLE_BYTES) throw truncated('preamble', PREAMBLE_BYTES, bytes.length);
  const version = u32At(bytes, 8);
  if (version !== SNAPSHOT_FORMAT_VERSION) {
    throw new SnapshotError('version', `snapshot format version ${version} is not supported (this rvreplay reads version ${SNAPSHOT_FORMAT_VERSION})`);
  }
  const length = u32At(bytes, 12);
  const headerEnd = PREAMBLE_BYTES + length + 4;
  if (bytes.length < headerEnd) throw truncated('header', headerEnd, bytes.length);
  const json = bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + length);
  if (crc32(json) !== u32At(bytes, PREAMBLE_BYTES + length)) throw corrupt('header');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(json);
  } catch {
    throw new SnapshotError('corrupt', 'corrupt snapshot: the header is not UTF-8');
  }
  return { header: parseSnapshotHeader(text), headerEnd };
}

interface SnapshotBody {
  arena: Uint8Array;
  /** The page records as stored (index + bytes each). */
  records: Uint8Array;
  pageIndices: number[];
  /** Each disk's overlay blocks, in header.disks order. */
  disks: [number, Uint8Array][][];
}

/** Checks the arena and RAM sections and the end tag against the header and their CRCs. */
function readBody(bytes: Uint8Array, start: number, header: SnapshotHeader, ram: Ram): SnapshotBody {
  let at = start;
  const need = (part: string, n: number): void => {
    if (bytes.length < at + n) throw truncated(part, at + n, bytes.length);
  };

  need('machine state', 4);
  const arenaLength = u32At(bytes, at);
  if (arenaLength !== header.arenaBytes) {
    throw new SnapshotError('corrupt', `corrupt snapshot: the machine state is ${arenaLength} bytes; its header says ${header.arenaBytes}`);
  }
  at += 4;
  need('machine state', arenaLength + 4);
  const arena = bytes.subarray(at, at + arenaLength);
  at += arenaLength;
  if (crc32(arena) !== u32At(bytes, at)) throw corrupt('machine state');
  at += 4;

  need('RAM pages', 4);
  const pageCount = u32At(bytes, at);
  if (pageCount !== header.ramPages) {
    throw new SnapshotError('corrupt', `corrupt snapshot: it stores ${pageCount} RAM pages; its header says ${header.ramPages}`);
  }
  at += 4;
  need('RAM pages', pageCount * PAGE_RECORD_BYTES + 4);
  const records = bytes.subarray(at, at + pageCount * PAGE_RECORD_BYTES);
  at += records.length;
  if (crc32(records) !== u32At(bytes, at)) throw corrupt('RAM pages');
  at += 4;
  const ramPages = ram.size >>> PAGE_SHIFT;
  const pageIndices: number[] = [];
  for (let k = 0; k < pageCount; k++) {
    const p = u32At(records, k * PAGE_RECORD_BYTES);
    if (p >= ramPages || (k > 0 && p <= pageIndices[k - 1])) {
      throw new SnapshotError('corrupt', `corrupt snapshot: RAM page record ${k} names page ${p} (out of order or beyond ${ramPages} pages)`);
    }
    pageIndices.push(p);
  }

  const disks = header.disks.map((d) => {
    const part = `overlay of the disk in virtio slot ${d.slot}`;
    need(part, 4);
    const n = u32At(bytes, at);
    if (n !== d.blocks) throw new SnapshotError('corrupt', `corrupt snapshot: it stores ${n} blocks of the ${part}; its header says ${d.blocks}`);
    at += 4;
    need(part, n * BLOCK_RECORD_BYTES + 4);
    const records = bytes.subarray(at, at + n * BLOCK_RECORD_BYTES);
    at += records.length;
    if (crc32(records) !== u32At(bytes, at)) throw corrupt(part);
    at += 4;
    const blocks: [number, Uint8Array][] = [];
    for (let k = 0; k < n; k++) {
      const index = u32At(records, k * BLOCK_RECORD_BYTES);
      if (k > 0 && index <= blocks[k - 1][0]) throw new SnapshotError('corrupt', `corrupt snapshot: the ${part}'s blocks are out of order`);
      blocks.push([index, records.subarray(k * BLOCK_RECORD_BYTES + 4, (k + 1) * BLOCK_RECORD_BYTES)]);
    }
    return blocks;
  });

  need('end tag', SNAPSHOT_END_TAG.length);
  if (SNAPSHOT_END_TAG.some((b, i) => bytes[at + i] !== b)) {
    throw new SnapshotError('corrupt', 'corrupt snapshot: the end tag is wrong');
  }
  at += SNAPSHOT_END_TAG.length;
  if (at !== bytes.length) {
    throw new SnapshotError('corrupt', `corrupt snapshot: ${bytes.length - at} unexpected bytes after the end tag`);
  }
  return { arena, records, pageIndices, disks };
}
