// Reads the defined symbols of a 32-bit little-endian ELF file (its .symtab), so the oracle
// test can tell HTIF guests (they define `tohost`) from virt-board guests without a toolchain.

import { readFileSync } from 'node:fs';

export interface ElfSymbol {
  value: number;
  size: number;
}

const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const SHT_SYMTAB = 2;
const SHN_UNDEF = 0;
const SECTION_HEADER_SIZE = 40;
const SYMBOL_SIZE = 16;

export function readElfSymbols(path: string): Map<string, ElfSymbol> {
  const bytes = readFileSync(path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.readUInt32BE(0) !== 0x7f454c46) throw new Error(`${path}: not an ELF file`);
  if (bytes[4] !== ELFCLASS32 || bytes[5] !== ELFDATA2LSB) throw new Error(`${path}: not a 32-bit little-endian ELF`);
  const shoff = view.getUint32(0x20, true);
  const shnum = view.getUint16(0x30, true);
  const section = (i: number) => {
    const at = shoff + i * SECTION_HEADER_SIZE;
    return {
      type: view.getUint32(at + 4, true),
      offset: view.getUint32(at + 16, true),
      size: view.getUint32(at + 20, true),
      link: view.getUint32(at + 24, true),
    };
  };
  const symbols = new Map<string, ElfSymbol>();
  for (let i = 0; i < shnum; i++) {
    const symtab = section(i);
    if (symtab.type !== SHT_SYMTAB) continue;
    const strtab = section(symtab.link);
    for (let at = symtab.offset; at + SYMBOL_SIZE <= symtab.offset + symtab.size; at += SYMBOL_SIZE) {
      const nameOffset = view.getUint32(at, true);
      const shndx = view.getUint16(at + 14, true);
      if (nameOffset === 0 || shndx === SHN_UNDEF) continue;
      const start = strtab.offset + nameOffset;
      const end = bytes.indexOf(0, start);
      const name = bytes.toString('latin1', start, end);
      symbols.set(name, { value: view.getUint32(at + 4, true), size: view.getUint32(at + 8, true) });
    }
  }
  return symbols;
}
