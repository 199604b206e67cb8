// ELF reader for RISC-V executables: headers, loadable segments, sections and the symbol table,
// parsed from bytes already in memory (the caller reads the file). Accepts ELF32 and ELF64
// little-endian executables for EM_RISCV and reports the class; the caller decides which class
// it can run. Anything else is an ElfError with a one-line message a user can act on.
// Addresses are plain numbers (exact to 2^53), like everywhere else in the machine.

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const ET_CORE = 4;

export const EM_RISCV = 243;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;
export const PT_RISCV_ATTRIBUTES = 0x70000003;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_NOBITS = 8;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const EF_RISCV_RVC = 0x1;
export const EF_RISCV_FLOAT_ABI = 0x6;
export const EF_RISCV_FLOAT_ABI_SOFT = 0x0;
export const EF_RISCV_FLOAT_ABI_SINGLE = 0x2;
export const EF_RISCV_FLOAT_ABI_DOUBLE = 0x4;
export const EF_RISCV_FLOAT_ABI_QUAD = 0x6;
export const EF_RISCV_RVE = 0x8;
export const EF_RISCV_TSO = 0x10;

const ELFMAG = [0x7f, 0x45, 0x4c, 0x46]; // "\x7fELF"
const EI_NIDENT = 16;
const EI_CLASS = 4;
const EI_DATA = 5;
const EI_VERSION = 6;

/** Header and table entry sizes per class, as the ELF specification lays them out. */
const LAYOUT = {
  32: { ehsize: 52, phentsize: 32, shentsize: 40, symentsize: 16 },
  64: { ehsize: 64, phentsize: 56, shentsize: 64, symentsize: 24 },
} as const;

/** Names for the machines a user is most likely to hand us by mistake. */
const MACHINE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'no machine (EM_NONE)'], [2, 'SPARC'], [3, 'x86 (i386)'], [4, 'Motorola 68000'], [8, 'MIPS'],
  [20, 'PowerPC'], [21, 'PowerPC64'], [22, 'IBM S/390'], [40, 'ARM'], [42, 'SuperH'],
  [43, 'SPARC V9'], [50, 'IA-64'], [62, 'x86-64'], [83, 'AVR'], [94, 'Xtensa'],
  [183, 'AArch64'], [247, 'BPF'], [258, 'LoongArch'],
]);

const TYPE_NAMES: ReadonlyMap<number, string> = new Map([
  [ET_NONE, 'ET_NONE, no file type'], [ET_REL, 'ET_REL, a relocatable object (.o)'],
  [ET_DYN, 'ET_DYN, a shared object or position-independent executable'], [ET_CORE, 'ET_CORE, a core dump'],
]);

export class ElfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ElfError';
  }
}

export type ElfFloatAbi = 'soft' | 'single' | 'double' | 'quad';

export interface ElfFlags {
  /** e_flags as stored. */
  readonly raw: number;
  /** EF_RISCV_RVC: the file contains compressed instructions. */
  readonly rvc: boolean;
  readonly floatAbi: ElfFloatAbi;
  /** EF_RISCV_RVE: built for the E base (16 registers). */
  readonly rve: boolean;
  /** EF_RISCV_TSO: requires the RVTSO memory model. */
  readonly tso: boolean;
}

export interface ElfProgramHeader {
  readonly type: number;
  readonly flags: number;
  readonly offset: number;
  readonly vaddr: number;
  readonly paddr: number;
  readonly filesz: number;
  readonly memsz: number;
  readonly align: number;
}

export interface ElfSegment {
  readonly header: ElfProgramHeader;
  /** The segment's file bytes (filesz long), a view into the input; memsz − filesz more are zero. */
  readonly data: Uint8Array;
}

export interface ElfSection {
  readonly index: number;
  readonly name: string;
  readonly type: number;
  readonly flags: number;
  readonly addr: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly addralign: number;
  readonly entsize: number;
}

export interface ElfSymbol {
  readonly name: string;
  readonly value: number;
  readonly size: number;
  /** STT_* */
  readonly type: number;
  /** STB_* */
  readonly binding: number;
  /** Index of the section the symbol is defined in, or SHN_UNDEF / SHN_ABS / SHN_COMMON. */
  readonly shndx: number;
}

/** Little-endian field reader over the input, class-aware for address-sized fields. */
class Reader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array, readonly elfClass: 32 | 64) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8(offset: number): number {
    return this.view.getUint8(offset);
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, true);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, true);
  }

  /** A 64-bit field as a number, refused when it exceeds what a number holds exactly. */
  u64(offset: number, what: string): number {
    const value = this.view.getBigUint64(offset, true);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ElfError(`${what} is 0x${value.toString(16)}, beyond the 2^53 addresses rvreplay handles`);
    }
    return Number(value);
  }

  /** An Elf32_Addr/Elf32_Off/Elf32_Word or its 64-bit counterpart. */
  addr(offset: number, what: string): number {
    return this.elfClass === 32 ? this.u32(offset) : this.u64(offset, what);
  }
}

export class Elf {
  /** ELFCLASS32 or ELFCLASS64, as 32 or 64. */
  readonly class: 32 | 64;
  /** e_type: always ET_EXEC once parsed. */
  readonly type: number;
  readonly machine: number;
  readonly entry: number;
  readonly flags: ElfFlags;
  readonly programHeaders: readonly ElfProgramHeader[];
  /** The PT_LOAD segments, in program header order. */
  readonly segments: readonly ElfSegment[];
  readonly sections: readonly ElfSection[];
  /** Symbols from .symtab (the null symbol at index 0 left out); empty when stripped. */
  readonly symbols: readonly ElfSymbol[];
  private byAddress: ElfSymbol[] | undefined;

  private constructor(bytes: Uint8Array) {
    checkIdent(bytes);
    this.class = bytes[EI_CLASS] === ELFCLASS32 ? 32 : 64;
    const layout = LAYOUT[this.class];
    if (bytes.length < layout.ehsize) {
      throw new ElfError(`truncated ELF header: the file has ${bytes.length} bytes, an ELF${this.class} header needs ${layout.ehsize}`);
    }
    const r = new Reader(bytes, this.class);
    const wide = this.class === 64;
    this.type = r.u16(16);
    this.machine = r.u16(18);
    if (this.machine !== EM_RISCV) {
      const name = MACHINE_NAMES.get(this.machine) ?? 'an unknown machine';
      throw new ElfError(`not a RISC-V ELF file: it is for ${name} (e_machine ${this.machine}, expected EM_RISCV ${EM_RISCV})`);
    }
    if (this.type !== ET_EXEC) {
      const name = TYPE_NAMES.get(this.type) ?? `unknown type ${this.type}`;
      throw new ElfError(`not an executable: the ELF file type is ${name}; rvreplay needs a linked ET_EXEC executable`);
    }
    this.entry = r.addr(24, 'e_entry');
    const phoff = r.addr(wide ? 32 : 28, 'e_phoff');
    const shoff = r.addr(wide ? 40 : 32, 'e_shoff');
    this.flags = decodeFlags(r.u32(wide ? 48 : 36));
    const phentsize = r.u16(wide ? 54 : 42);
    const phnum = r.u16(wide ? 56 : 44);
    const shentsize = r.u16(wide ? 58 : 46);
    let shnum = r.u16(wide ? 60 : 48);
    let shstrndx = r.u16(wide ? 62 : 50);

    this.programHeaders = readProgramHeaders(r, phoff, phnum, phentsize);
    this.segments = this.programHeaders.filter((ph) => ph.type === PT_LOAD).map((header, i) => {
      if (header.filesz > header.memsz) {
        throw new ElfError(`PT_LOAD segment ${i} has filesz 0x${header.filesz.toString(16)} larger than memsz 0x${header.memsz.toString(16)}`);
      }
      checkRange(bytes, header.offset, header.filesz, `PT_LOAD segment ${i} (vaddr 0x${header.vaddr.toString(16)})`);
      return { header, data: bytes.subarray(header.offset, header.offset + header.filesz) };
    });

    // Extended numbering: with 0xff00 or more sections, the counts live in section 0.
    if (shoff !== 0 && (shnum === 0 || shstrndx === SHN_XINDEX)) {
      checkTable(bytes, shoff, 1, shentsize, LAYOUT[this.class].shentsize, 'section header table');
      if (shnum === 0) shnum = r.addr(shoff + (wide ? 32 : 20), 'section count');
      if (shstrndx === SHN_XINDEX) shstrndx = r.u32(shoff + (wide ? 40 : 24));
    }
    this.sections = shoff === 0 ? [] : readSections(r, shoff, shnum, shentsize, shstrndx);
    this.symbols = readSymbols(r, this.sections);
  }

  /** Parses and validates an executable; throws ElfError when it is not one rvreplay can use. */
  static parse(bytes: Uint8Array): Elf {
    return new Elf(bytes);
  }

  /** The symbol with this name, preferring global and weak definitions over local ones. */
  symbol(name: string): ElfSymbol | undefined {
    let local: ElfSymbol | undefined;
    for (const s of this.symbols) {
      if (s.name !== name || s.shndx === SHN_UNDEF) continue;
      if (s.binding !== STB_LOCAL) return s;
      local ??= s;
    }
    return local;
  }

  /** The section with this name (the first, if several share it). */
  section(name: string): ElfSection | undefined {
    return this.sections.find((s) => s.name === name);
  }

  /**
   * The function or object whose range [value, value + size) holds address; the innermost when
   * ranges nest. Failing that, the closest label (a symbol without size) at or below address in
   * the same allocated section, so hand-written assembly like `_start:` still names its code.
   */
  symbolAt(address: number): ElfSymbol | undefined {
    const sorted = this.sortedByAddress();
    let label: ElfSymbol | undefined;
    let best: ElfSymbol | undefined;
    // Walk down from the last symbol at or below address.
    for (let i = upperBound(sorted, address) - 1; i >= 0; i--) {
      const s = sorted[i] as ElfSymbol;
      if (s.size > 0) {
        if (address < s.value + s.size && (best === undefined || s.size < best.size)) best = s;
      } else {
        label ??= s;
      }
    }
    if (best !== undefined) return best;
    if (label !== undefined) {
      const section = this.sections[label.shndx];
      if (section !== undefined && address >= section.addr && address < section.addr + section.size) return label;
    }
    return undefined;
  }

  /** Defined code and data symbols sorted by address; built on first use. */
  private sortedByAddress(): ElfSymbol[] {
    this.byAddress ??= this.symbols
      .filter((s) => (s.type === STT_FUNC || s.type === STT_OBJECT || s.type === STT_NOTYPE)
        && s.shndx !== SHN_UNDEF && s.shndx < SHN_LORESERVE
        && ((this.sections[s.shndx]?.flags ?? 0) & SHF_ALLOC) !== 0
        && !s.name.startsWith('$')) // mapping symbols ($x, $d) mark code/data, they name nothing
      // At equal addresses locals sort first, so the downward walk in symbolAt meets globals first.
      .sort((a, b) => a.value - b.value || (a.binding === STB_LOCAL ? 0 : 1) - (b.binding === STB_LOCAL ? 0 : 1));
    return this.byAddress;
  }
}

/** Index of the first symbol whose value is above address. */
function upperBound(sorted: readonly ElfSymbol[], address: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as ElfSymbol).value <= address) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkIdent(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ElfError('not an ELF file: the file is empty');
  if (bytes.length < ELFMAG.length || ELFMAG.some((b, i) => bytes[i] !== b)) {
    throw new ElfError('not an ELF file: it does not start with the ELF magic number (\\x7fELF)');
  }
  if (bytes.length < EI_NIDENT) {
    throw new ElfError(`truncated ELF header: the file has only ${bytes.length} bytes`);
  }
  const elfClass = bytes[EI_CLASS];
  if (elfClass !== ELFCLASS32 && elfClass !== ELFCLASS64) {
    throw new ElfError(`invalid ELF class ${elfClass} (expected 1 for ELF32 or 2 for ELF64)`);
  }
  const data = bytes[EI_DATA];
  if (data === ELFDATA2MSB) throw new ElfError('big-endian ELF file: RISC-V executables are little-endian');
  if (data !== ELFDATA2LSB) throw new ElfError(`invalid ELF data encoding ${data} (expected 1, little-endian)`);
  if (bytes[EI_VERSION] !== EV_CURRENT) {
    throw new ElfError(`unsupported ELF version ${bytes[EI_VERSION]} (expected ${EV_CURRENT})`);
  }
}

function decodeFlags(raw: number): ElfFlags {
  const abi = raw & EF_RISCV_FLOAT_ABI;
  const floatAbi: ElfFloatAbi = abi === EF_RISCV_FLOAT_ABI_SOFT ? 'soft'
    : abi === EF_RISCV_FLOAT_ABI_SINGLE ? 'single'
      : abi === EF_RISCV_FLOAT_ABI_DOUBLE ? 'double' : 'quad';
  return {
    raw,
    rvc: (raw & EF_RISCV_RVC) !== 0,
    floatAbi,
    rve: (raw & EF_RISCV_RVE) !== 0,
    tso: (raw & EF_RISCV_TSO) !== 0,
  };
}

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** Throws unless [offset, offset + size) lies inside the file. */
function checkRange(bytes: Uint8Array, offset: number, size: number, what: string): void {
  if (offset + size > bytes.length) {
    throw new ElfError(`${what} at file offset ${hex(offset)} (${size} bytes) lies outside the file (${bytes.length} bytes); the file is truncated or corrupt`);
  }
}

function checkTable(bytes: Uint8Array, offset: number, count: number, entsize: number, minEntsize: number, what: string): void {
  if (count === 0) return;
  if (entsize < minEntsize) throw new ElfError(`${what} entries are ${entsize} bytes, expected at least ${minEntsize}`);
  checkRange(bytes, offset, count * entsize, `${what} (${count} entries)`);
}

function readProgramHeaders(r: Reader, phoff: number, phnum: number, phentsize: number): ElfProgramHeader[] {
  const wide = r.elfClass === 64;
  checkTable(r.bytes, phoff, phnum, phentsize, LAYOUT[r.elfClass].phentsize, 'program header table');
  const headers: ElfProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    const what = (field: string): string => `program header ${i} ${field}`;
    // Elf64_Phdr moves p_flags up next to p_type; the other fields keep their order.
    headers.push(wide ? {
      type: r.u32(at),
      flags: r.u32(at + 4),
      offset: r.u64(at + 8, what('p_offset')),
      vaddr: r.u64(at + 16, what('p_vaddr')),
      paddr: r.u64(at + 24, what('p_paddr')),
      filesz: r.u64(at + 32, what('p_filesz')),
      memsz: r.u64(at + 40, what('p_memsz')),
      align: r.u64(at + 48, what('p_align')),
    } : {
      type: r.u32(at),
      offset: r.u32(at + 4),
      vaddr: r.u32(at + 8),
      paddr: r.u32(at + 12),
      filesz: r.u32(at + 16),
      memsz: r.u32(at + 20),
      flags: r.u32(at + 24),
      align: r.u32(at + 28),
    });
  }
  return headers;
}

function readSections(r: Reader, shoff: number, shnum: number, shentsize: number, shstrndx: number): ElfSection[] {
  checkTable(r.bytes, shoff, shnum, shentsize, LAYOUT[r.elfClass].shentsize, 'section header table');
  const wide = r.elfClass === 64;
  const raw = [];
  for (let i = 0; i < shnum; i++) {
    const at = shoff + i * shentsize;
    const what = (field: string): string => `section header ${i} ${field}`;
    raw.push({
      nameOffset: r.u32(at),
      type: r.u32(at + 4),
      flags: r.addr(at + 8, what('sh_flags')),
      addr: r.addr(at + (wide ? 16 : 12), what('sh_addr')),
      offset: r.addr(at + (wide ? 24 : 16), what('sh_offset')),
      size: r.addr(at + (wide ? 32 : 20), what('sh_size')),
      link: r.u32(at + (wide ? 40 : 24)),
      info: r.u32(at + (wide ? 44 : 28)),
      addralign: r.addr(at + (wide ? 48 : 32), what('sh_addralign')),
      entsize: r.addr(at + (wide ? 56 : 36), what('sh_entsize')),
    });
  }
  const names = shstrndx !== SHN_UNDEF && shstrndx < raw.length ? raw[shstrndx] : undefined;
  const nameTable = names === undefined ? undefined : sectionData(r.bytes, names, `section name table (section ${shstrndx})`);
  return raw.map(({ nameOffset, ...fields }, index) => ({
    index,
    name: nameTable === undefined ? '' : readString(nameTable, nameOffset, `section ${index} name`),
    ...fields,
  }));
}

function sectionData(bytes: Uint8Array, section: { type: number; offset: number; size: number }, what: string): Uint8Array {
  if (section.type === SHT_NOBITS) return new Uint8Array(0);
  checkRange(bytes, section.offset, section.size, what);
  return bytes.subarray(section.offset, section.offset + section.size);
}

const utf8 = new TextDecoder('utf-8');

function readString(table: Uint8Array, offset: number, what: string): string {
  if (offset >= table.length) {
    if (offset === 0) return '';
    throw new ElfError(`${what} points outside its string table (offset ${hex(offset)}, table of ${table.length} bytes)`);
  }
  let end = table.indexOf(0, offset);
  if (end < 0) end = table.length;
  return utf8.decode(table.subarray(offset, end));
}

function readSymbols(r: Reader, sections: readonly ElfSection[]): ElfSymbol[] {
  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (symtab === undefined) return [];
  const strtab = sections[symtab.link];
  if (strtab === undefined || strtab.type !== SHT_STRTAB) {
    throw new ElfError(`symbol table ${symtab.name} links to section ${symtab.link}, which is not a string table`);
  }
  const entsize = symtab.entsize !== 0 ? symtab.entsize : LAYOUT[r.elfClass].symentsize;
  if (entsize < LAYOUT[r.elfClass].symentsize) {
    throw new ElfError(`symbol table entries are ${entsize} bytes, expected at least ${LAYOUT[r.elfClass].symentsize}`);
  }
  sectionData(r.bytes, symtab, `symbol table ${symtab.name}`);
  const strings = sectionData(r.bytes, strtab, `string table ${strtab.name}`);
  const wide = r.elfClass === 64;
  const count = Math.floor(symtab.size / entsize);
  const symbols: ElfSymbol[] = [];
  for (let i = 1; i < count; i++) { // entry 0 is the reserved null symbol
    const at = symtab.offset + i * entsize;
    const what = `symbol ${i}`;
    // Elf64_Sym puts st_info/st_other/st_shndx before st_value; Elf32_Sym puts them after st_size.
    const info = r.u8(at + (wide ? 4 : 12));
    symbols.push({
      name: readString(strings, r.u32(at), `${what} name`),
      value: wide ? r.u64(at + 8, `${what} st_value`) : r.u32(at + 4),
      size: wide ? r.u64(at + 16, `${what} st_size`) : r.u32(at + 8),
      type: info & 0xf,
      binding: info >> 4,
      shndx: r.u16(at + (wide ? 6 : 14)),
    });
  }
  return symbols;
}
