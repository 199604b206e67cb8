// The disassembler against GNU objdump: fixture programs (hand-written assembly covering every
// instruction and alias, and a C program at -O0 and -O2 linked with picolibc and libgcc), every
// 16-bit encoding, and a sweep of 32-bit encodings over every funct3 and 12-bit upper field of
// each major opcode of RV32IMAC + Zicsr + Zifencei, plus pseudo-random words of any opcode.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { disassemble } from '../../src/emu/cpu/disasm.js';
import { Elf } from '../../src/emu/elf.js';
import { FIXTURES, GCC, RV32_FLAGS, libgcc, multilibDir, objdump, run, tempDir, type ObjdumpLine } from '../support/toolchain.js';

// objdump names CSRs by the privileged spec version recorded in the ELF; the disassembler uses
// v1.12, the version the machine implements, so fixtures record that version too.
const ASFLAGS = ['-Wa,-mpriv-spec=1.12'];

let dir = '';
let cleanup = (): void => {};

before(() => {
  ({ dir, cleanup } = tempDir('disasm'));
});

after(() => cleanup());

interface Mismatch { address: string; word: string; objdump: string; ours: string }

/** Disassembles each instruction objdump listed, from the bytes at the same address. */
function compareWithObjdump(listing: readonly ObjdumpLine[], bytesAt: (address: number) => number): Mismatch[] {
  const mismatches: Mismatch[] = [];
  for (const line of listing) {
    const word = bytesAt(line.address);
    const ours = disassemble(word, line.address);
    if (ours.text !== line.text || ours.length !== line.length) {
      mismatches.push({
        address: line.address.toString(16),
        word: word.toString(16).padStart(8, '0'),
        objdump: `${line.text} (${line.length} bytes)`,
        ours: `${ours.text} (${ours.length} bytes)`,
      });
    }
  }
  return mismatches;
}

/** Reads up to 4 bytes at an address from the ELF's loadable segments (zeros past the end). */
function elfReader(elf: Elf): (address: number) => number {
  return (address) => {
    const segment = elf.segments.find((s) => address >= s.header.vaddr && address < s.header.vaddr + s.data.length);
    assert.ok(segment, `no segment holds 0x${address.toString(16)}`);
    const at = address - segment.header.vaddr;
    const d = segment.data;
    return ((d[at] ?? 0) | ((d[at + 1] ?? 0) << 8) | ((d[at + 2] ?? 0) << 16) | ((d[at + 3] ?? 0) << 24)) >>> 0;
  };
}

/** Builds an executable and compares every instruction in it; returns the listing. */
function checkProgram(name: string, args: readonly string[]): ObjdumpLine[] {
  const out = join(dir, `${name}.elf`);
  run(GCC, [...RV32_FLAGS, ...ASFLAGS, ...args, '-o', out]);
  const elf = Elf.parse(new Uint8Array(readFileSync(out)));
  const listing = objdump(out);
  const mismatches = compareWithObjdump(listing, elfReader(elf));
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${listing.length} instructions differ from objdump`);
  return listing;
}

/** Assembles raw encodings with .insn (so objdump decodes them as code) and compares each. */
function checkEncodings(name: string, encodings: readonly { length: 2 | 4; value: number }[]): void {
  const source = join(dir, `${name}.s`);
  const object = join(dir, `${name}.o`);
  const lines = ['.text', '.globl _start', '_start:'];
  for (const e of encodings) lines.push(`.insn ${e.length}, 0x${e.value.toString(16)}`);
  writeFileSync(source, `${lines.join('\n')}\n`);
  run(GCC, [...RV32_FLAGS, ...ASFLAGS, '-c', source, '-o', object]);
  const listing = objdump(object);
  assert.equal(listing.length, encodings.length, 'objdump listed one line per encoding');
  const byAddress = new Map<number, number>();
  let address = 0;
  for (const e of encodings) {
    byAddress.set(address, e.value);
    address += e.length;
  }
  const mismatches = compareWithObjdump(listing, (a) => byAddress.get(a) ?? -1);
  assert.deepEqual(mismatches.slice(0, 20), [], `${mismatches.length} of ${listing.length} encodings differ from objdump`);
}

function mnemonics(listing: readonly ObjdumpLine[]): Set<string> {
  return new Set(listing.map((l) => l.text.split('\t')[0] as string));
}

test('hand-written assembly with every instruction and alias matches objdump', () => {
  const listing = checkProgram('all', [join(FIXTURES, 'disasm-all.s'), '-Wl,-Ttext=0x80000000']);
  assert.ok(listing.length >= 380, `only ${listing.length} instructions listed`);
  const seen = mnemonics(listing);
  for (const m of ['lui', 'auipc', 'j', 'jal', 'jr', 'jalr', 'ret', 'beqz', 'bnez', 'blez', 'bgez', 'bltz', 'bgtz',
    'bltu', 'bgeu', 'lb', 'lhu', 'sw', 'nop', 'li', 'mv', 'not', 'neg', 'seqz', 'snez', 'sltz', 'sgtz', 'zext.b',
    'mulhsu', 'remu', 'lr.w.aqrl', 'sc.w.rl', 'amomaxu.w.rl', 'fence', 'fence.tso', 'fence.i', 'csrr', 'csrw',
    'csrs', 'csrc', 'csrrw', 'csrrs', 'csrrc', 'rdcycle', 'rdtimeh', 'rdinstreth', 'unimp', 'ecall', 'ebreak',
    'mret', 'sret', 'wfi', 'sfence.vma', 'uret', 'dret', '.4byte', '.2byte', 'c.nop', 'c.slli64', 'c.li', 'c.lui',
    'c.srli64', 'c.mv', 'c.add']) {
    assert.ok(seen.has(m), `the fixture should exercise ${m}`);
  }
});

test('compiled C at -O0 and -O2, linked with picolibc and libgcc, matches objdump', () => {
  const lib = join('/usr/lib/picolibc/riscv64-unknown-elf/lib', multilibDir('rv32imac', 'ilp32'), 'libc.a');
  const gcc = libgcc('rv32imac', 'ilp32');
  let total = 0;
  for (const opt of ['-O0', '-O2']) {
    const listing = checkProgram(`program${opt}`, [opt, join(FIXTURES, 'program.c'), lib, gcc]);
    assert.ok(listing.length >= 2000, `only ${listing.length} instructions at ${opt}`);
    total += listing.length;
    const seen = mnemonics(listing);
    for (const m of ['amoadd.w.aq', 'lr.w.aq', 'sc.w.aq', 'mul', 'divu', 'csrr', 'rdcycle', 'fence.i', 'ret', 'jalr']) {
      assert.ok(seen.has(m), `${m} should appear at ${opt}`);
    }
  }
  assert.ok(total >= 6000);
});

test('every 16-bit encoding matches objdump', () => {
  const encodings: { length: 2; value: number }[] = [];
  for (let value = 0; value < 0x10000; value++) {
    if ((value & 3) !== 3) encodings.push({ length: 2, value });
  }
  assert.equal(encodings.length, 49152);
  checkEncodings('c16', encodings);
});

test('32-bit encodings: every funct3 and upper 12 bits of each major opcode, and random words', () => {
  const encodings: { length: 4; value: number }[] = [];
  // The upper 12 bits hold the I/S immediate, the CSR number, funct7 with rs2, fence sets, AMO
  // funct5/aq/rl, shift amounts; rd and rs1 rotate through zero, ra and ordinary registers.
  const registers = [[0, 0], [1, 1], [10, 11], [0, 10], [10, 0], [2, 2]] as const;
  let k = 0;
  for (const opcode of [0x03, 0x0f, 0x13, 0x23, 0x2f, 0x33, 0x63, 0x67, 0x73]) {
    for (let funct3 = 0; funct3 < 8; funct3++) {
      for (let upper = 0; upper < 4096; upper++) {
        const [rd, rs1] = registers[k++ % registers.length] as readonly [number, number];
        encodings.push({ length: 4, value: ((upper << 20) | (rs1 << 15) | (funct3 << 12) | (rd << 7) | opcode) >>> 0 });
      }
    }
  }
  // Pseudo-random words of any 32-bit opcode (bits 4:2 != 111, which mark longer encodings).
  let seed = 0x2545f491;
  for (let i = 0; i < 60000; i++) {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    let value = (seed ^ (seed << 13) ^ (i * 0x9e3779b9)) >>> 0;
    value = (value | 3) >>> 0;
    if ((value & 0x1c) === 0x1c) value = (value & ~0x10) >>> 0;
    encodings.push({ length: 4, value });
  }
  // lui/auipc/jal at the edges of their immediates.
  for (const opcode of [0x17, 0x37, 0x6f]) {
    for (const upper of [0, 1, 0x7ffff, 0x80000, 0xfffff, 0x12345]) {
      for (const rd of [0, 1, 5]) encodings.push({ length: 4, value: ((upper << 12) | (rd << 7) | opcode) >>> 0 });
    }
  }
  checkEncodings('w32', encodings);
});

test('targets and lengths of jumps and branches', () => {
  // jal ra, -4 at 0x80000000: target wraps below the start of RAM, as a 32-bit address.
  assert.deepEqual(disassemble(0xffdff0ef, 0x80000000), { text: 'jal\t7ffffffc', length: 4, target: 0x7ffffffc });
  assert.deepEqual(disassemble(0xffdff06f, 0), { text: 'j\tfffffffc', length: 4, target: 0xfffffffc });
  // c.beqz a0, +8, with the next halfword in the upper bits (callers may fetch 32 bits).
  assert.deepEqual(disassemble(0x1234c501, 0x100), { text: 'beqz\ta0,108', length: 2, target: 0x108 });
  // bne a0, a1, +16
  assert.deepEqual(disassemble(0x00b51863, 0x1000), { text: 'bne\ta0,a1,1010', length: 4, target: 0x1010 });
  // No target for indirect jumps or plain instructions.
  assert.equal(disassemble(0x00008067, 0).target, undefined);
  assert.equal(disassemble(0x00b50533, 0).target, undefined);
});
