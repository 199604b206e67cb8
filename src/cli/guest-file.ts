// Reads a guest ELF from disk and turns it into a loadable image for the virt machine, with one
// clear line for each way a file can be unsuitable.

import { readFileSync } from 'node:fs';
import { Elf, ElfError } from '../emu/elf.js';
import type { GuestImage } from '../emu/machine.js';
import { CliError } from './cli-error.js';

export function loadGuestFile(path: string): GuestImage {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new CliError(`cannot read ${path}: ${why}`);
  }
  let elf: Elf;
  try {
    elf = Elf.parse(bytes);
  } catch (e) {
    if (e instanceof ElfError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
  return guestImage(elf, path);
}

export function guestImage(elf: Elf, path: string): GuestImage {
  if (elf.class !== 32) {
    throw new CliError(`${path}: this is an ELF64 (RV64) executable; rvreplay runs RV32 guests (build with -march=rv32... -mabi=ilp32)`);
  }
  const loadable = elf.segments.filter((s) => s.header.memsz > 0);
  if (loadable.length === 0) throw new CliError(`${path}: the ELF file has no loadable segment`);
  const tohost = elf.symbol('tohost');
  const fromhost = elf.symbol('fromhost');
  return {
    entry: elf.entry,
    segments: loadable.map((s) => ({ paddr: s.header.paddr, data: s.data, memsz: s.header.memsz })),
    tohost: tohost && fromhost ? tohost.value : undefined,
    fromhost: tohost && fromhost ? fromhost.value : undefined,
  };
}
