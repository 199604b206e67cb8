// Reads a guest ELF from disk and turns it into a loadable image for the virt machine, with one
// clear line for each way a file can be unsuitable; also its digest, which a log records.

import { createHash } from 'node:crypto';
import { Elf, ElfError, SHF_ALLOC, type ElfSegment } from '../emu/elf.js';
import type { GuestImage, VirtMachine } from '../emu/machine.js';
import { CliError } from './cli-error.js';
import { readInputFile } from './read-input-file.js';

export interface GuestFile {
  path: string;
  image: GuestImage;
  sha256: string;
  bytes: number;
}

export function loadGuestFile(path: string): GuestFile {
  const bytes = readInputFile(path);
  let elf: Elf;
  try {
    elf = Elf.parse(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
  return { path, image: guestImage(elf, path), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** Loads the guest into the machine; a segment outside its RAM is the user's error, said in one line. */
export function loadInto(machine: VirtMachine, guest: GuestFile): void {
  try {
    machine.load(guest.image);
  } catch (e) {
    if (e instanceof RangeError) throw new CliError(`${guest.path}: ${e.message}`);
    throw e;
  }
}

export function guestImage(elf: Elf, path: string): GuestImage {
  if (elf.class !== 32) {
    throw new CliError(`${path}: this is an ELF64 (RV64) executable; rvreplay runs RV32 guests (build with -march=rv32... -mabi=ilp32)`);
  }
  const segments = elf.segments.map((s) => trimToSections(elf, s)).filter((s) => s.memsz > 0);
  if (segments.length === 0) throw new CliError(`${path}: the ELF file has no loadable segment`);
  const tohost = elf.symbol('tohost');
  const fromhost = elf.symbol('fromhost');
  return {
    entry: elf.entry,
    segments,
    tohost: tohost && fromhost ? tohost.value : undefined,
    fromhost: tohost && fromhost ? fromhost.value : undefined,
  };
}

/**
 * The part of a segment that holds allocated sections. A plain `-Ttext=0x80000000` link puts the
 * ELF and program headers at the start of the first segment, below RAM; QEMU loads them into
 * nothing, and so do we. Without section headers the whole segment is kept.
 */
function trimToSections(elf: Elf, seg: ElfSegment): { paddr: number; data: Uint8Array; memsz: number } {
  const h = seg.header;
  const inside = elf.sections.filter((s) => (s.flags & SHF_ALLOC) !== 0 && s.size > 0 &&
    s.addr >= h.vaddr && s.addr + s.size <= h.vaddr + h.memsz);
  if (inside.length === 0) return { paddr: h.paddr, data: seg.data, memsz: h.memsz };
  const start = Math.min(...inside.map((s) => s.addr)) - h.vaddr;
  const end = Math.max(...inside.map((s) => s.addr + s.size)) - h.vaddr;
  return { paddr: h.paddr + start, data: seg.data.subarray(Math.min(start, seg.data.length), Math.min(end, seg.data.length)), memsz: end - start };
}
