// The ELF reader against readelf on real executables built by the RISC-V toolchain (RV32 with
// picolibc, a minimal RV32 and RV64 program), and its errors on files it must refuse.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Elf, ElfError, EM_RISCV, PF_R, PF_W, PF_X, PT_LOAD, SHN_ABS, SHN_COMMON, SHN_UNDEF, STB_GLOBAL, STB_LOCAL,
  STT_FUNC, STT_NOTYPE, STT_OBJECT,
} from '../../src/emu/elf.js';
import { FIXTURES, GCC, READELF, RV32_FLAGS, libgcc, multilibDir, run, tempDir } from '../support/toolchain.js';

let dir = '';
let cleanup = (): void => {};
let programPath = '';
let minimal32Path = '';
let minimal64Path = '';
let objectPath = '';

before(() => {
  ({ dir, cleanup } = tempDir('elf'));
  const libc = join('/usr/lib/picolibc/riscv64-unknown-elf/lib', multilibDir('rv32imac', 'ilp32'), 'libc.a');
  programPath = join(dir, 'program.elf');
  run(GCC, [...RV32_FLAGS, '-O2', join(FIXTURES, 'program.c'), libc, libgcc('rv32imac', 'ilp32'), '-o', programPath]);
  minimal32Path = join(dir, 'minimal32.elf');
  run(GCC, [...RV32_FLAGS, '-Wl,-Ttext=0x80000000', join(FIXTURES, 'minimal.s'), '-o', minimal32Path]);
  minimal64Path = join(dir, 'minimal64.elf');
  run(GCC, ['-march=rv64imac', '-mabi=lp64', '-nostdlib', join(FIXTURES, 'minimal.s'), '-o', minimal64Path]);
  objectPath = join(dir, 'minimal.o');
  run(GCC, [...RV32_FLAGS, '-c', join(FIXTURES, 'minimal.s'), '-o', objectPath]);
});

after(() => cleanup());

function load(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

// --- readelf's view -------------------------------------------------------------------------

const PT_NAMES: Record<string, number> = {
  NULL: 0, LOAD: 1, DYNAMIC: 2, INTERP: 3, NOTE: 4, PHDR: 6, TLS: 7, GNU_STACK: 0x6474e551, RISCV_ATTRIBUT: 0x70000003,
};
const SHT_NAMES: Record<string, number> = {
  NULL: 0, PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, NOTE: 7, NOBITS: 8, INIT_ARRAY: 14, FINI_ARRAY: 15,
  PREINIT_ARRAY: 16, RISCV_ATTRIBUTES: 0x70000003,
};
const SHF_LETTERS: Record<string, number> = {
  W: 0x1, A: 0x2, X: 0x4, M: 0x10, S: 0x20, I: 0x40, L: 0x80, O: 0x100, G: 0x200, T: 0x400, C: 0x800,
};
const STT_NAMES: Record<string, number> = { NOTYPE: 0, OBJECT: 1, FUNC: 2, SECTION: 3, FILE: 4, COMMON: 5, TLS: 6 };
const STB_NAMES: Record<string, number> = { LOCAL: 0, GLOBAL: 1, WEAK: 2 };

function known(table: Record<string, number>, name: string): number {
  const value = table[name];
  assert.ok(value !== undefined, `readelf printed ${name}, which the test does not know`);
  return value;
}

function readelfEntry(path: string): number {
  const m = /Entry point address:\s+0x([0-9a-f]+)/.exec(run(READELF, ['-hW', path]));
  assert.ok(m);
  return parseInt(m[1] as string, 16);
}

function readelfFlags(path: string): number {
  const m = /Flags:\s+0x([0-9a-f]+)/.exec(run(READELF, ['-hW', path]));
  assert.ok(m);
  return parseInt(m[1] as string, 16);
}

function readelfProgramHeaders(path: string): object[] {
  const rows = [];
  const re = /^\s+(\w+)\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$/;
  for (const line of run(READELF, ['-lW', path]).split('\n')) {
    const m = re.exec(line);
    if (m === null) continue;
    const [, type, offset, vaddr, paddr, filesz, memsz, flags, align] = m as unknown as string[];
    rows.push({
      type: known(PT_NAMES, type as string),
      flags: (flags?.includes('R') ? PF_R : 0) | (flags?.includes('W') ? PF_W : 0) | (flags?.includes('E') ? PF_X : 0),
      offset: parseInt(offset as string, 16),
      vaddr: parseInt(vaddr as string, 16),
      paddr: parseInt(paddr as string, 16),
      filesz: parseInt(filesz as string, 16),
      memsz: parseInt(memsz as string, 16),
      align: parseInt(align as string, 16),
    });
  }
  return rows;
}

function readelfSections(path: string): object[] {
  const rows = [];
  const re = /^\s+\[\s*(\d+)\] (.*?)\s+(\S+)\s+([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]{2}) ([A-Za-z ]{3}) *(\d+) +(\d+) +(\d+)$/;
  for (const line of run(READELF, ['-SW', path]).split('\n')) {
    const m = re.exec(line);
    if (m === null) continue;
    const [, index, name, type, addr, offset, size, entsize, flags, link, info, align] = m as unknown as string[];
    rows.push({
      index: Number(index),
      name: (name as string).trim(),
      type: known(SHT_NAMES, type as string),
      flags: [...(flags as string).trim()].reduce((f, c) => f | known(SHF_LETTERS, c), 0),
      addr: parseInt(addr as string, 16),
      offset: parseInt(offset as string, 16),
      size: parseInt(size as string, 16),
      link: Number(link),
      info: Number(info),
      addralign: Number(align),
      entsize: parseInt(entsize as string, 16),
    });
  }
  return rows;
}

/** readelf's symbols; section symbols have no name of their own (readelf shows the section's). */
function readelfSymbols(path: string): object[] {
  const rows = [];
  const re = /^\s+(\d+): ([0-9a-f]+)\s+(0x[0-9a-f]+|\d+) (\w+)\s+(\w+)\s+\w+\s+(\w+) ?(.*)$/;
  for (const line of run(READELF, ['-sW', path]).split('\n')) {
    const m = re.exec(line);
    if (m === null) continue;
    const [, num, value, size, type, bind, ndx, name] = m as unknown as string[];
    if (num === '0') continue; // the reserved null symbol
    rows.push({
      name: type === 'SECTION' ? '' : name,
      value: parseInt(value as string, 16),
      size: Number(size),
      type: known(STT_NAMES, type as string),
      binding: known(STB_NAMES, bind as string),
      shndx: ndx === 'UND' ? SHN_UNDEF : ndx === 'ABS' ? SHN_ABS : ndx === 'COM' ? SHN_COMMON : Number(ndx),
    });
  }
  return rows;
}

/** Everything readelf -hlsSW shows that the reader returns, compared field by field. */
function assertMatchesReadelf(elf: Elf, path: string): void {
  assert.equal(elf.entry, readelfEntry(path));
  assert.equal(elf.flags.raw, readelfFlags(path));
  assert.deepEqual(elf.programHeaders.map((h) => ({ ...h })), readelfProgramHeaders(path));
  assert.deepEqual(elf.sections.map((s) => ({ ...s })), readelfSections(path));
  assert.deepEqual(elf.symbols.map((s) => ({ ...s })), readelfSymbols(path));
  const loads = elf.programHeaders.filter((h) => h.type === PT_LOAD);
  assert.ok(loads.length > 0);
  assert.equal(elf.segments.length, loads.length);
  const file = load(path);
  elf.segments.forEach((segment, i) => {
    assert.equal(segment.header, loads[i]);
    assert.equal(segment.data.length, segment.header.filesz);
    assert.deepEqual(segment.data, file.subarray(segment.header.offset, segment.header.offset + segment.header.filesz));
  });
}

/** The 32-bit little-endian word at a virtual address, read through the segments. */
function wordAt(elf: Elf, address: number): number {
  const segment = elf.segments.find((s) => address >= s.header.vaddr && address + 4 <= s.header.vaddr + s.data.length);
  assert.ok(segment, `no segment holds 0x${address.toString(16)}`);
  const d = segment.data;
  const at = address - segment.header.vaddr;
  return ((d[at] as number) | ((d[at + 1] as number) << 8) | ((d[at + 2] as number) << 16) | ((d[at + 3] as number) << 24)) >>> 0;
}

// --- executables ----------------------------------------------------------------------------

test('an RV32 C program with picolibc: headers, segments, sections and symbols as readelf -lsSW', () => {
  const bytes = load(programPath);
  const elf = Elf.parse(bytes);
  assert.equal(elf.class, 32);
  assert.equal(elf.machine, EM_RISCV);
  assert.deepEqual(elf.flags, { raw: 1, rvc: true, floatAbi: 'soft', rve: false, tso: false });
  assertMatchesReadelf(elf, programPath);
  assert.ok(elf.symbols.length > 50);
  // Segment data are views on the input, not copies.
  for (const segment of elf.segments) assert.equal(segment.data.buffer, bytes.buffer);

  const start = elf.symbol('_start');
  assert.ok(start);
  assert.equal(start.value, elf.entry);
  assert.equal(start.type, STT_FUNC);
  assert.equal(start.binding, STB_GLOBAL);
  assert.equal(elf.sections[start.shndx]?.name, '.text');

  const counter = elf.symbol('counter');
  assert.ok(counter);
  assert.deepEqual([counter.type, counter.size, counter.binding], [STT_OBJECT, 4, STB_GLOBAL]);
  assert.equal(wordAt(elf, counter.value), 7);
  const table = elf.symbol('table');
  assert.ok(table);
  assert.equal(table.size, 64);
  assert.deepEqual([0, 1, 2, 3].map((i) => wordAt(elf, table.value + 4 * i) | 0), [3, -1, 4, 1]);
  const message = elf.symbol('message');
  assert.equal(message?.size, 64);
  assert.equal(elf.sections[message?.shndx ?? 0]?.name, '.bss');
  assert.equal(elf.symbol('no_such_symbol'), undefined);
  assert.equal(elf.section('.text')?.addr, elf.sections[start.shndx]?.addr);

  // symbolAt: inside a static function, inside an array, at the entry, outside everything.
  const compare = elf.symbol('compare');
  assert.ok(compare && compare.binding === STB_LOCAL && compare.type === STT_FUNC);
  assert.equal(elf.symbolAt(compare.value + 2), compare);
  assert.equal(elf.symbolAt(compare.value + compare.size - 1), compare);
  assert.equal(elf.symbolAt(table.value + 8), table);
  assert.equal(elf.symbolAt(elf.entry), start);
  assert.equal(elf.symbolAt(0x10), undefined);
});

test('a minimal RV32 executable: sized symbols, labels and data', () => {
  const elf = Elf.parse(load(minimal32Path));
  assert.equal(elf.class, 32);
  assertMatchesReadelf(elf, minimal32Path);
  assert.equal(elf.entry, 0x80000000);
  const start = elf.symbol('_start');
  const spin = elf.symbol('spin');
  const value = elf.symbol('value');
  assert.ok(start && spin && value);
  assert.equal(start.size, 20);
  assert.deepEqual([spin.type, spin.size], [STT_NOTYPE, 0]);
  assert.equal(elf.symbolAt(start.value + 18), start);
  // A bare label names the code after it, up to the end of its section.
  assert.equal(elf.symbolAt(spin.value + 4), spin);
  assert.equal(elf.symbolAt(value.value + 3), value);
  assert.equal(wordAt(elf, value.value), 0x12345678);
});

test('a RISC-V ELF64 executable parses and reports class 64', () => {
  const elf = Elf.parse(load(minimal64Path));
  assert.equal(elf.class, 64);
  assert.equal(elf.machine, EM_RISCV);
  assertMatchesReadelf(elf, minimal64Path);
  const value = elf.symbol('value');
  assert.ok(value);
  assert.equal(wordAt(elf, value.value), 0x12345678);
  assert.equal(elf.symbolAt(elf.entry + 4)?.name, '_start');
});

// --- files to refuse ------------------------------------------------------------------------

function assertRefused(bytes: Uint8Array, ...patterns: RegExp[]): void {
  assert.throws(() => Elf.parse(bytes), (e: unknown) => {
    assert.ok(e instanceof ElfError, `expected an ElfError, got ${String(e)}`);
    assert.equal(e.name, 'ElfError');
    assert.ok(!e.message.includes('\n'), 'one-line message');
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

function patched(path: string, patch: (view: DataView) => void): Uint8Array {
  const bytes = load(path).slice();
  patch(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return bytes;
}

test('an empty file', () => {
  assertRefused(new Uint8Array(0), /not an ELF file/, /empty/);
});

test('a text file', () => {
  assertRefused(new TextEncoder().encode('#!/bin/sh\necho hello\n'), /not an ELF file/, /magic/);
  assertRefused(new TextEncoder().encode('hi'), /not an ELF file/);
});

test('truncated headers', () => {
  const bytes = load(programPath);
  assertRefused(bytes.subarray(0, 10), /truncated ELF header/);
  assertRefused(bytes.subarray(0, 40), /truncated ELF header/, /52/);
  assertRefused(load(minimal64Path).subarray(0, 60), /truncated ELF header/, /64/);
});

test('an ELF cut inside its program headers', () => {
  const bytes = load(programPath);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  assertRefused(bytes.subarray(0, phoff + phentsize + 7), /program header table/, /outside the file/);
});

test('section headers, segment data or symbol names outside the file', () => {
  const bytes = load(programPath);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shoff = view.getUint32(32, true);
  assertRefused(bytes.subarray(0, shoff + 10), /section header table/, /outside the file/);
  // The first PT_LOAD grows past the end of the file.
  const phoff = view.getUint32(28, true);
  const phentsize = view.getUint16(42, true);
  const phnum = view.getUint16(44, true);
  const load0 = Array.from({ length: phnum }, (_, i) => phoff + i * phentsize).find((at) => view.getUint32(at, true) === PT_LOAD);
  assert.ok(load0 !== undefined);
  assertRefused(patched(programPath, (v) => {
    v.setUint32(load0 + 16, bytes.length + 0x1000, true);
    v.setUint32(load0 + 20, bytes.length + 0x1000, true);
  }), /PT_LOAD segment 0/, /outside the file/);
  assertRefused(patched(programPath, (v) => v.setUint32(load0 + 16, v.getUint32(load0 + 20, true) + 1, true)), /filesz/, /memsz/);
  // A symbol whose name lies past the end of .strtab.
  const symtab = Elf.parse(bytes).section('.symtab');
  assert.ok(symtab);
  assertRefused(patched(programPath, (v) => v.setUint32(symtab.offset + 5 * symtab.entsize, 0xfffff, true)),
    /symbol 5 name/, /outside its string table/);
});

test('a big-endian ELF', () => {
  assertRefused(patched(programPath, (v) => v.setUint8(5, 2)), /big-endian/);
});

test('an x86-64 executable from the host', () => {
  const path = ['/usr/bin/true', '/bin/true', '/bin/ls'].find((p) => existsSync(p));
  assert.ok(path, 'a host executable to read');
  const machine = process.arch === 'x64' ? /x86-64/ : process.arch === 'arm64' ? /AArch64/ : /./;
  assertRefused(load(path), /not a RISC-V ELF file/, machine, /EM_RISCV 243/);
});

test('other machines are named', () => {
  assertRefused(patched(programPath, (v) => v.setUint16(18, 183, true)), /AArch64/, /e_machine 183/);
  assertRefused(patched(programPath, (v) => v.setUint16(18, 40, true)), /ARM/);
  assertRefused(patched(programPath, (v) => v.setUint16(18, 62, true)), /x86-64/);
  assertRefused(patched(programPath, (v) => v.setUint16(18, 9999, true)), /unknown machine/, /9999/);
});

test('a relocatable object is not an executable', () => {
  assertRefused(load(objectPath), /not an executable/, /ET_REL/);
  assertRefused(patched(programPath, (v) => v.setUint16(16, 3, true)), /not an executable/, /ET_DYN/);
});

test('ELF64 values beyond 2^53 are refused', () => {
  assertRefused(patched(minimal64Path, (v) => v.setBigUint64(24, 0xffffffff80000000n, true)), /e_entry/, /2\^53/);
});
