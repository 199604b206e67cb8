// Parts of the debug-information library on inputs gcc does not produce for our guest, or that
// are easier to see in isolation: the DWARF expression evaluator on hand-assembled expressions,
// the call frame interpreter on a hand-assembled .debug_frame, .eh_frame read from a build with
// asynchronous unwind tables (it must describe the same frames as .debug_frame), the unwinder's
// stop on code without CFI, LEB128, and the Value tree a variables view pages through.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteReader } from '../../src/debuginfo/byte-reader.js';
import { CallFrameInfo, type CfiRow } from '../../src/debuginfo/call-frame.js';
import { DebugInfo } from '../../src/debuginfo/debug-info.js';
import { DwarfInfo } from '../../src/debuginfo/dwarf-info.js';
import { dieRanges, locationAt, readLocationList } from '../../src/debuginfo/lists.js';
import { TypeBuilder } from '../../src/debuginfo/types.js';
import * as C from '../../src/debuginfo/dwarf-constants.js';
import { evaluateLocation, type ExprContext } from '../../src/debuginfo/dwarf-expr.js';
import { EvalError } from '../../src/debuginfo/c-parser.js';
import { Value, type ValueContext } from '../../src/debuginfo/values.js';
import { guestImage } from '../../src/cli/guest-file.js';
import { DEFAULT_CONFIG, VirtMachine } from '../../src/emu/machine.js';
import { STT_FUNC } from '../../src/emu/elf.js';
import { run, tempDir } from '../support/toolchain.js';
import { elfMemory, GUEST_DIR, guestPath, markers } from './debuginfo-gdb.js';

const tmp = tempDir('debuginfo-parts');
after(() => tmp.cleanup());

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = ((n % 128) + 128) % 128;
    n = Math.floor(n / 128);
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) { out.push(b); return out; }
    out.push(b | 0x80);
  }
}

/** DW_OP_litN. */
const lit = (n: number): number => C.DW_OP_lit0 + n;

const MEMORY = new Map<number, number>([[0x1000, 0x78], [0x1001, 0x56], [0x1002, 0x34], [0x1003, 0x12]]);

/** A frame with a0 = 10, a1 = 0xfffffffe (−2), sp = 0x2000, frame base 0x1ff0, CFA 0x2010. */
function context(extra: Partial<ExprContext> = {}): ExprContext {
  const regs = new Map<number, bigint>([[10, 10n], [11, 0xfffffffen], [2, 0x2000n]]);
  return {
    addressSize: 4,
    readRegister: (n) => regs.get(n),
    readMemory: (a, s) => {
      const out = new Uint8Array(s);
      for (let i = 0; i < s; i++) {
        const b = MEMORY.get(a + i);
        if (b === undefined) return undefined;
        out[i] = b;
      }
      return out;
    },
    frameBase: () => 0x1ff0n,
    cfa: () => 0x2010n,
    ...extra,
  };
}

const evalOps = (ops: number[], ctx = context()) => evaluateLocation(Uint8Array.from(ops), ctx);
const valueOf = (ops: number[], ctx = context()): bigint => {
  const loc = evalOps([...ops, C.DW_OP_stack_value], ctx);
  assert.equal(loc.kind, 'value', JSON.stringify(loc, (_, v) => (typeof v === 'bigint' ? v.toString() : v)));
  return (loc as { value: bigint }).value;
};

test('DWARF expressions: constants, arithmetic and logic in 32-bit two\'s complement', () => {
  assert.equal(valueOf([lit(5), lit(3), C.DW_OP_minus]), 2n);
  assert.equal(valueOf([lit(3), lit(5), C.DW_OP_minus]), 0xfffffffen);
  assert.equal(valueOf([C.DW_OP_consts, ...sleb(-7), lit(2), C.DW_OP_div]), 0xfffffffdn); // −7 / 2 = −3
  assert.equal(valueOf([C.DW_OP_consts, ...sleb(-8), lit(1), C.DW_OP_shra]), 0xfffffffcn);
  assert.equal(valueOf([C.DW_OP_consts, ...sleb(-8), lit(1), C.DW_OP_shr]), 0x7ffffffcn);
  assert.equal(valueOf([lit(1), C.DW_OP_const1u, 31, C.DW_OP_shl]), 0x80000000n);
  assert.equal(valueOf([C.DW_OP_const4u, 0xff, 0xff, 0xff, 0xff, lit(1), C.DW_OP_plus]), 0n);
  assert.equal(valueOf([C.DW_OP_const2s, 0xfe, 0xff, C.DW_OP_abs]), 2n);
  assert.equal(valueOf([lit(5), C.DW_OP_neg]), 0xfffffffbn);
  assert.equal(valueOf([C.DW_OP_lit0, C.DW_OP_not]), 0xffffffffn);
  assert.equal(valueOf([lit(12), lit(10), C.DW_OP_and, lit(1), C.DW_OP_or, lit(3), C.DW_OP_xor]), 0xan);
  assert.equal(valueOf([C.DW_OP_constu, ...uleb(1000), lit(7), C.DW_OP_mod]), 6n);
  assert.equal(valueOf([lit(6), lit(7), C.DW_OP_mul, C.DW_OP_plus_uconst, ...uleb(300)]), 342n);
  assert.equal(valueOf([C.DW_OP_consts, ...sleb(-1), C.DW_OP_lit0, C.DW_OP_lt]), 1n); // signed compare
  assert.equal(valueOf([lit(3), lit(3), C.DW_OP_ne]), 0n);
  assert.equal(valueOf([C.DW_OP_const8u, 1, 0, 0, 0, 1, 0, 0, 0]), 1n); // wider constants wrap to the address size
});

test('DWARF expressions: stack operations and control flow', () => {
  assert.equal(valueOf([lit(1), lit(2), C.DW_OP_swap, C.DW_OP_minus]), 1n);
  assert.equal(valueOf([lit(1), lit(2), C.DW_OP_over, C.DW_OP_plus, C.DW_OP_plus]), 4n);
  assert.equal(valueOf([lit(1), lit(2), lit(3), C.DW_OP_pick, 2, C.DW_OP_plus, C.DW_OP_plus, C.DW_OP_plus]), 7n);
  // rot: (1 2 3), top last, becomes (3 1 2); minus takes 1 − 2 = −1; plus gives 3 − 1 = 2.
  assert.equal(valueOf([lit(1), lit(2), lit(3), C.DW_OP_rot, C.DW_OP_minus, C.DW_OP_plus]), 2n);
  assert.equal(valueOf([lit(9), C.DW_OP_dup, C.DW_OP_drop]), 9n);
  // bra over one op when the top is non-zero; skip jumps unconditionally.
  assert.equal(valueOf([lit(1), C.DW_OP_bra, 1, 0, lit(7), lit(9)]), 9n);
  assert.equal(valueOf([C.DW_OP_lit0, C.DW_OP_bra, 1, 0, lit(7)]), 7n);
  assert.equal(valueOf([lit(2), C.DW_OP_skip, 1, 0, lit(7)]), 2n);
  // A loop: count down from 5, adding each to an accumulator: 5+4+3+2+1 = 15.
  const loop = [C.DW_OP_lit0, lit(5), // acc n
    C.DW_OP_dup, C.DW_OP_rot, C.DW_OP_plus, C.DW_OP_swap, // acc+n n
    lit(1), C.DW_OP_minus, C.DW_OP_dup, C.DW_OP_bra, 0xf6, 0xff, // n−1, back to the first dup while non-zero
    C.DW_OP_drop];
  assert.equal(valueOf(loop), 15n);
  // A loop that never ends is stopped, not followed.
  assert.match(String((evalOps([lit(1), C.DW_OP_bra, 0xfc, 0xff]) as { reason?: string }).reason), /did not finish/);
});

test('DWARF expressions: registers, frame base, CFA, memory and where the object is', () => {
  assert.deepEqual(evalOps([C.DW_OP_reg0 + 10]), { kind: 'register', regno: 10 });
  assert.deepEqual(evalOps([C.DW_OP_regx, ...uleb(42)]), { kind: 'register', regno: 42 });
  assert.deepEqual(evalOps([C.DW_OP_breg0 + 2, ...sleb(-16)]), { kind: 'memory', address: 0x1ff0 });
  assert.deepEqual(evalOps([C.DW_OP_bregx, ...uleb(11), ...sleb(3)]), { kind: 'memory', address: 1 });
  assert.deepEqual(evalOps([C.DW_OP_fbreg, ...sleb(-20)]), { kind: 'memory', address: 0x1fdc });
  assert.deepEqual(evalOps([C.DW_OP_call_frame_cfa]), { kind: 'memory', address: 0x2010 });
  assert.deepEqual(evalOps([C.DW_OP_addr, 0x00, 0x10, 0, 0]), { kind: 'memory', address: 0x1000 });
  assert.equal(valueOf([C.DW_OP_addr, 0x00, 0x10, 0, 0, C.DW_OP_deref]), 0x12345678n);
  assert.equal(valueOf([C.DW_OP_addr, 0x01, 0x10, 0, 0, C.DW_OP_deref_size, 2]), 0x3456n);
  assert.deepEqual(evalOps([C.DW_OP_implicit_value, 2, 0xab, 0xcd]), { kind: 'implicit', bytes: Uint8Array.from([0xab, 0xcd]) });
  assert.deepEqual(evalOps([]), { kind: 'unavailable', reason: 'optimized out' });
  // Missing inputs make the object unavailable, with the reason.
  assert.deepEqual(evalOps([C.DW_OP_breg0 + 5, 0]), { kind: 'unavailable', reason: 'register 5 is not available in this frame' });
  assert.deepEqual(evalOps([lit(4), C.DW_OP_deref]), { kind: 'unavailable', reason: 'cannot read memory at 0x4' });
  assert.deepEqual(evalOps([C.DW_OP_fbreg, 0], context({ frameBase: undefined })), { kind: 'unavailable', reason: 'the frame base is not known' });
  assert.equal(evalOps([C.DW_OP_call_frame_cfa], context({ cfa: undefined })).kind, 'unavailable');
  assert.deepEqual(evalOps([0xe0]), { kind: 'unavailable', reason: 'DWARF operation 0xe0 is not supported' });
  assert.deepEqual(evalOps([lit(1), C.DW_OP_lit0, C.DW_OP_div]), { kind: 'unavailable', reason: 'division by zero in a DWARF expression' });
  assert.equal(evalOps([C.DW_OP_plus]).kind, 'unavailable'); // stack underflow
});

test('DWARF expressions: entry values come from the caller, or are optimized out', () => {
  const sub = [C.DW_OP_reg0 + 10];
  const expr = [C.DW_OP_entry_value, sub.length, ...sub, lit(1), C.DW_OP_plus];
  assert.deepEqual(evalOps([...expr, C.DW_OP_stack_value]), { kind: 'unavailable', reason: 'optimized out' });
  let asked: number[] = [];
  const ctx = context({ entryValue: (e) => { asked = [...e]; return 41n; } });
  assert.equal(valueOf(expr, ctx), 42n);
  assert.deepEqual(asked, sub);
  assert.equal(valueOf([C.DW_OP_GNU_entry_value, 1, C.DW_OP_reg0 + 10], ctx), 41n);
});

test('DWARF expressions: pieces assemble a value from registers, memory and constants', () => {
  const vc: ValueContext = { addressSize: 4, readMemory: context().readMemory, symbolize: () => undefined };
  const regs = (n: number): bigint | undefined => (n === 10 ? 0x89abcdefn : n === 11 ? 0x01234567n : undefined);
  const longLong = { kind: 'base', name: 'long long', size: 8, encoding: C.DW_ATE_signed } as const;
  // A long long in a0 (low word) and a1 (high word).
  const pair = evalOps([C.DW_OP_reg0 + 10, C.DW_OP_piece, 4, C.DW_OP_reg0 + 11, C.DW_OP_piece, 4]);
  assert.equal(pair.kind, 'composite');
  assert.equal(Value.fromLocation(longLong, pair, vc, regs).scalar(), 0x0123456789abcdefn);
  // Low half optimized out: the value as a whole is not available, and says so.
  const half = evalOps([C.DW_OP_piece, 4, C.DW_OP_reg0 + 11, C.DW_OP_piece, 4]);
  const v = Value.fromLocation(longLong, half, vc, regs);
  assert.equal(v.format(), '<optimized out>');
  // Bit pieces: 4 bits of a constant, then 4 bits of memory at 0x1000 from bit 4 (0x78 → 7).
  const bits = evalOps([lit(5), C.DW_OP_stack_value, C.DW_OP_bit_piece, 4, 0,
    C.DW_OP_addr, 0x00, 0x10, 0, 0, C.DW_OP_bit_piece, 4, 4]);
  const uchar = { kind: 'base', name: 'unsigned char', size: 1, encoding: C.DW_ATE_unsigned_char } as const;
  assert.equal(Value.fromLocation(uchar, bits, vc, regs).scalar(), 0x75n);
});

test('LEB128 reads values past 32 bits and negative ones', () => {
  const r = new ByteReader(Uint8Array.from([...uleb(2 ** 40 + 3), ...sleb(-129), ...sleb(63), ...sleb(-(2 ** 35))]), 'test');
  assert.equal(r.uleb(), 2 ** 40 + 3);
  assert.equal(r.sleb(), -129);
  assert.equal(r.sleb(), 63);
  assert.equal(r.sleb(), -(2 ** 35));
  assert.ok(r.atEnd);
  assert.throws(() => r.u8(), /runs past the end/);
});

/** A .debug_frame with one CIE and one FDE, in DWARF's 32-bit format. */
function debugFrame(cieInstructions: number[], fdeInstructions: number[], low: number, size: number): Uint8Array {
  const le32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  const cieBody = [...le32(0xffffffff), 3, 0, ...uleb(2), ...sleb(-4), ...uleb(1), ...cieInstructions];
  while ((cieBody.length + 4) % 4 !== 0) cieBody.push(C.DW_CFA_nop);
  const fdeBody = [...le32(0), ...le32(low), ...le32(size), ...fdeInstructions];
  while ((fdeBody.length + 4) % 4 !== 0) fdeBody.push(C.DW_CFA_nop);
  return Uint8Array.from([...le32(cieBody.length), ...cieBody, ...le32(fdeBody.length), ...fdeBody]);
}

test('call frame instructions: the rule row at each pc', () => {
  // Code alignment 2: advance_loc N moves 2N bytes.
  const frame = debugFrame([C.DW_CFA_def_cfa, 2, 0], [
    C.DW_CFA_advance_loc | 1, C.DW_CFA_def_cfa_offset, 32, // 0x102: CFA = sp + 32
    C.DW_CFA_advance_loc | 1, C.DW_CFA_offset | 1, 1, C.DW_CFA_offset | 8, 2, // 0x104: ra at CFA−4, s0 at CFA−8
    C.DW_CFA_advance_loc | 1, C.DW_CFA_def_cfa, 8, 0, // 0x106: CFA = s0
    C.DW_CFA_remember_state,
    C.DW_CFA_advance_loc1, 2, C.DW_CFA_def_cfa, 2, 32, C.DW_CFA_restore | 1, C.DW_CFA_restore_extended, 8, // 0x10a: epilogue
    C.DW_CFA_advance_loc | 1, C.DW_CFA_restore_state, // 0x10c: back to the remembered state
    C.DW_CFA_advance_loc | 1, C.DW_CFA_offset_extended_sf, 9, ...sleb(3), C.DW_CFA_register, 18, 10,
    C.DW_CFA_undefined, 5, C.DW_CFA_same_value, 6, C.DW_CFA_val_offset, 7, 1, // 0x10e
    C.DW_CFA_advance_loc | 1, C.DW_CFA_def_cfa_expression, 2, C.DW_OP_breg0 + 2, 8, C.DW_CFA_expression, 19, 1, C.DW_OP_lit0, // 0x110
  ], 0x100, 0x20);
  const cfi = new CallFrameInfo({ frame, ehFrameAddr: 0, addressSize: 4 });
  const show = (row: CfiRow | undefined): string => {
    if (row === undefined) return 'none';
    const cfa = row.cfa.kind === 'reg-offset' ? `r${row.cfa.regno}+${row.cfa.offset}` : `expr`;
    const regs = [...row.registers].sort((a, b) => a[0] - b[0]).map(([r, rule]) => {
      switch (rule.kind) {
        case 'offset': return `r${r}@${rule.offset}`;
        case 'val-offset': return `r${r}=cfa${rule.offset}`;
        case 'register': return `r${r}=r${rule.regno}`;
        default: return `r${r}:${rule.kind}`;
      }
    });
    return [cfa, ...regs].join(' ');
  };
  assert.equal(show(cfi.rowAt(0x0ff)), 'none');
  assert.equal(show(cfi.rowAt(0x100)), 'r2+0');
  assert.equal(show(cfi.rowAt(0x102)), 'r2+32');
  assert.equal(show(cfi.rowAt(0x104)), 'r2+32 r1@-4 r8@-8');
  assert.equal(show(cfi.rowAt(0x108)), 'r8+0 r1@-4 r8@-8');
  assert.equal(show(cfi.rowAt(0x10a)), 'r2+32');
  assert.equal(show(cfi.rowAt(0x10c)), 'r8+0 r1@-4 r8@-8');
  assert.equal(show(cfi.rowAt(0x10e)), 'r8+0 r1@-4 r5:undefined r6:same r7=cfa-4 r8@-8 r9@-12 r18=r10');
  assert.equal(show(cfi.rowAt(0x11f)), 'expr r1@-4 r5:undefined r6:same r7=cfa-4 r8@-8 r9@-12 r18=r10 r19:expression');
  assert.equal(show(cfi.rowAt(0x120)), 'none');
});

/**
 * picolibc's linker script throws .eh_frame away; a copy that keeps it, from the directory
 * picolibc.specs links from.
 */
function linkerScriptKeepingEhFrame(): string {
  const specs = run('riscv64-unknown-elf-gcc', ['-print-file-name=picolibc.specs']).trim();
  const dirs = [...readFileSync(specs, 'utf8').matchAll(/(\/[\w/.+-]+\/lib)\}/g)].map((m) => m[1]);
  const original = dirs.map((d) => join(d, 'picolibc.ld')).find((p) => existsSync(p));
  assert.ok(original !== undefined, `picolibc.ld not found near ${specs}`);
  const script = readFileSync(original, 'utf8')
    .replace(/\n\s*\*\(\.eh_frame \.eh_frame\.\*\)\n(\s*\*\(\.ARM\.extab)/, '\n$1')
    .replace(/(\t\.toc : \{)/, '\t.eh_frame : { KEEP (*(.eh_frame)) } >flash AT>flash :text\n\n$1');
  assert.ok(script.includes('.eh_frame : { KEEP'), 'could not edit picolibc.ld');
  const path = join(tmp.dir, 'keep-eh-frame.ld');
  writeFileSync(path, script);
  return path;
}

test('.eh_frame from a build with asynchronous unwind tables describes the frames .debug_frame does', () => {
  const elf = join(tmp.dir, 'dbg-eh.elf');
  const flags = [`-T${linkerScriptKeepingEhFrame()}`, '-march=rv32imac', '-misa-spec=2.2', '-mabi=ilp32', '--specs=picolibc.specs', '--crt0=hosted',
    '-DPICOLIBC_INTEGER_PRINTF_SCANF', '-g', '-O2', '-fasynchronous-unwind-tables', `-I${join(GUEST_DIR, 'common')}`,
    '-Wl,--defsym=__flash=0x80000000,--defsym=__flash_size=0x200000', '-Wl,--defsym=__ram=0x80200000,--defsym=__ram_size=0x400000',
    '-Wl,--defsym=__stack_size=0x4000', '-Wl,--no-warn-rwx-segments'];
  run('riscv64-unknown-elf-gcc', [...flags, '-o', elf, join(GUEST_DIR, 'dbg/dbg.c'), join(GUEST_DIR, 'dbg/walk.c'), join(GUEST_DIR, 'common/c-rt.c')]);
  const eh = DebugInfo.fromElf(readFileSync(elf));
  const plain = DebugInfo.fromElf(readFileSync(guestPath('dbg-O2')));
  assert.ok(eh.elf.section('.eh_frame') !== undefined, 'gcc wrote no .eh_frame');
  const ours = ['main', 'use_locals.constprop.0', 'walk', 'apply', 'sum_points', 'probe', 'add'];
  let compared = 0;
  for (const name of ours) {
    const a = eh.elf.symbols.find((s) => s.name === name && s.type === STT_FUNC);
    const b = plain.elf.symbols.find((s) => s.name === name && s.type === STT_FUNC);
    if (a === undefined || b === undefined) continue;
    assert.equal(a.size, b.size, `${name} has the same code in both builds`);
    for (let off = 0; off < a.size; off += 2) {
      const ra = eh.cfi.rowAt(a.value + off);
      const rb = plain.cfi.rowAt(b.value + off);
      assert.ok(ra !== undefined, `no .eh_frame row for ${name}+${off}`);
      // (picolibc's objects bring .debug_frame along; ours must be described in .eh_frame.)
      assert.equal(eh.cfi.fdeFor(a.value + off)?.section, '.eh_frame');
      assert.equal(plain.cfi.fdeFor(b.value + off)?.section, '.debug_frame');
      assert.deepEqual({ cfa: ra.cfa, regs: [...ra.registers] }, { cfa: rb?.cfa, regs: [...(rb?.registers ?? [])] }, `${name}+${off}`);
      compared++;
    }
  }
  assert.ok(compared > 50);

  // And the unwinder walks the same stack with it: stop both builds in the recursion's base case.
  const stackAt = (info: DebugInfo, path: string): string[] => {
    const line = markers('dbg/walk.c').get('walk-base') as number;
    const at = new Set(info.lineBreakpoint('dbg/walk.c', line).map((l) => l.address));
    const machine = new VirtMachine(DEFAULT_CONFIG, { console: { write: () => {} }, wallClock: { nowNs: () => 0n } });
    machine.load(guestImage(info.elf, path));
    while (!at.has(machine.cpu.pc)) assert.equal(machine.run(machine.icount + 1), 'limit', 'the guest ended before the breakpoint');
    const memory = { readMemory: (a: number, s: number) => (machine.ram.contains(a, s) ? machine.ram.read(a, s) : undefined) };
    return info.callStack({ pc: machine.cpu.pc, x: machine.cpu.x }, memory).frames.map((f) => `${f.name}:${f.source?.line}`);
  };
  const viaEh = stackAt(eh, elf);
  assert.deepEqual(viaEh, stackAt(plain, guestPath('dbg-O2')));
  assert.deepEqual(viaEh.map((f) => f.split(':')[0]), ['walk', 'walk', 'walk', 'walk', 'walk', 'main']);
});

test('the unwinder stops with a reason at code without call frame information', () => {
  const info = DebugInfo.fromElf(readFileSync(guestPath('isa-alu')));
  const machine = new VirtMachine(DEFAULT_CONFIG, { console: { write: () => {} }, wallClock: { nowNs: () => 0n } });
  machine.load(guestImage(info.elf, 'isa-alu'));
  machine.run(200);
  const memory = { readMemory: (a: number, s: number) => (machine.ram.contains(a, s) ? machine.ram.read(a, s) : undefined) };
  const stack = info.callStack({ pc: machine.cpu.pc, x: machine.cpu.x }, memory);
  assert.equal(stack.frames.length, 1);
  assert.match(stack.stopReason, /^no call frame information for 0x8000[0-9a-f]+ /);
  assert.ok(info.symbols.lookup(machine.cpu.pc) !== undefined);
  assert.notEqual(stack.frames[0].name, '??');
});

test('values page their children: members, elements and what pointers point to', () => {
  const info = DebugInfo.fromElf(readFileSync(guestPath('dbg-O0')));
  const memory = elfMemory(info.elf);
  const shapes = info.evaluate('shapes', memory);
  assert.equal(shapes.childCount(), 2);
  assert.equal(shapes.summary(), 'struct shape [2]');
  const [second] = shapes.children(1, 5);
  assert.equal(second.name, '[1]');
  const fields = second.value.children();
  assert.deepEqual(fields.map((c) => c.name), ['name', 'color', 'corners', 'next', 'tag', 'fl', 'op']);
  assert.deepEqual(fields.map((c) => c.value.summary()), ['0x80000c58 <__text_end+20> "line"', 'RED', 'point_t [2]', '0x0', '{...}', '{...}', '0x8000006c <mul>']);
  assert.equal(fields[0].value.childCount(), 0, 'a string has no children');
  assert.equal(fields[3].value.childCount(), 1, 'a pointer has its target');
  const next = shapes.children(0, 1)[0].value.member('next');
  assert.ok(next !== undefined);
  const target = next.children()[0];
  assert.equal(target.name, '*');
  assert.equal(target.value.member('name')?.format(false), '0x80000c58 <__text_end+20> "line"');
  const fl = fields[5].value.children();
  assert.deepEqual(fl.map((c) => `${c.name}=${c.value.format(false)}`), ['ready=0', 'mode=7', 'delta=15', "tail=255 '\\377'"]);
  const grid = info.evaluate('grid', memory);
  assert.deepEqual(grid.children(2, 10).map((c) => c.name), ['[2]']);
  assert.equal(grid.children(2)[0].value.children(3)[0].value.format(), '12');
  assert.throws(() => info.evaluate('shapes[0].', memory), EvalError);
});

test('breakpoint markers of the guest are where the sources say', () => {
  // The dynamic test depends on them; a moved marker should fail here first, with a clear message.
  for (const [file, names] of [['dbg/walk.c', ['probe', 'scaled', 'walk-base', 'walk-return', 'apply', 'sum-return']], ['dbg/dbg.c', ['add', 'use-locals', 'main-print']]] as const) {
    const m = markers(file);
    for (const n of names) assert.ok(m.has(n), `BP:${n} missing in ${file}`);
  }
});

test('DWARF 5 forms gcc only writes for split DWARF: strx, addrx, rnglistx, loclistx, implicit_const, data16, ref_addr', () => {
  // A hand-assembled unit whose top DIE uses indexed forms before the attributes giving their bases.
  const u16 = (n: number): number[] => [n & 0xff, n >>> 8];
  const u32 = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24];
  const str = (s: string): number[] => [...Buffer.from(s), 0];
  const withLength = (body: number[]): number[] => [...u32(body.length), ...body];
  const debugStr = [0, ...str('cu.c'), ...str('var')]; // "cu.c" at 1, "var" at 6
  // Each table sits behind some other unit's bytes, so no base is the default one.
  const pad = (n: number): number[] => Array.from({ length: n }, () => 0xaa);
  const strOffsets = [...pad(4), ...withLength([...u16(5), 0, 0, ...u32(1), ...u32(6)])];
  const addr = [...pad(4), ...withLength([...u16(5), 4, 0, ...u32(0x80001000), ...u32(0x80001100), ...u32(0x80002000)])];
  const rnglists = [...pad(4), ...withLength([...u16(5), 4, 0, ...u32(1), ...u32(4),
    C.DW_RLE_startx_length, ...uleb(0), ...uleb(0x40),
    C.DW_RLE_base_addressx, ...uleb(2), C.DW_RLE_offset_pair, ...uleb(0x10), ...uleb(0x20), C.DW_RLE_end_of_list])];
  const loclists = [...pad(8), ...withLength([...u16(5), 4, 0, ...u32(1), ...u32(4),
    C.DW_LLE_startx_length, ...uleb(0), ...uleb(8), 1, C.DW_OP_reg0 + 10,
    C.DW_LLE_offset_pair, ...uleb(8), ...uleb(0x10), 2, C.DW_OP_fbreg, 0x70,
    C.DW_LLE_default_location, 2, lit(7), C.DW_OP_stack_value, C.DW_LLE_end_of_list])];
  const abbrev = [
    1, C.DW_TAG_compile_unit, 1,
    C.DW_AT_name, C.DW_FORM_strx1, C.DW_AT_low_pc, C.DW_FORM_addrx1, C.DW_AT_ranges, C.DW_FORM_rnglistx,
    C.DW_AT_str_offsets_base, C.DW_FORM_sec_offset, C.DW_AT_addr_base, C.DW_FORM_sec_offset,
    C.DW_AT_rnglists_base, C.DW_FORM_sec_offset, ...uleb(C.DW_AT_loclists_base), C.DW_FORM_sec_offset, 0, 0,
    2, C.DW_TAG_base_type, 0, C.DW_AT_name, C.DW_FORM_string, C.DW_AT_encoding, C.DW_FORM_implicit_const, ...sleb(C.DW_ATE_signed),
    C.DW_AT_byte_size, C.DW_FORM_data1, 0, 0,
    3, C.DW_TAG_variable, 0, C.DW_AT_name, C.DW_FORM_strx, C.DW_AT_location, C.DW_FORM_loclistx, C.DW_AT_type, C.DW_FORM_ref_addr, 0, 0,
    4, C.DW_TAG_variable, 0, C.DW_AT_name, C.DW_FORM_string, C.DW_AT_const_value, C.DW_FORM_data16, C.DW_AT_type, C.DW_FORM_ref4, 0, 0,
    0,
  ];
  const header = [...u16(5), C.DW_UT_compile, 4, ...u32(0)];
  const top = [1, 0, 0, ...uleb(0), ...u32(12), ...u32(12), ...u32(16), ...u32(20)];
  const baseTypeAt = 4 + header.length + top.length; // section offset of the base type DIE
  const body = [...header, ...top, 2, ...str('int'), 4, 3, ...uleb(1), ...uleb(0), ...u32(baseTypeAt),
    4, ...str('wide'), ...Array.from({ length: 16 }, (_, i) => i), ...u32(baseTypeAt), 0];
  const info = new DwarfInfo({
    info: Uint8Array.from(withLength(body)), abbrev: Uint8Array.from(abbrev), str: Uint8Array.from(debugStr),
    strOffsets: Uint8Array.from(strOffsets), addr: Uint8Array.from(addr), rnglists: Uint8Array.from(rnglists),
    loclists: Uint8Array.from(loclists), ehFrameAddr: 0, addressSize: 4,
  });
  const unit = info.units[0];
  assert.equal(unit.version, 5);
  assert.equal(unit.name, 'cu.c');
  assert.equal(unit.baseAddress, 0x80001000);
  assert.deepEqual(dieRanges(unit.root), [{ low: 0x80001000, high: 0x80001040 }, { low: 0x80002010, high: 0x80002020 }]);
  assert.equal(info.unitForPc(0x80002018), unit);
  assert.equal(info.unitForPc(0x80002020), undefined);
  const [intDie, v, wide] = unit.root.children;
  assert.equal(v.name, 'var');
  const types = new TypeBuilder();
  assert.deepEqual(types.typeOf(v), { kind: 'base', name: 'int', size: 4, encoding: C.DW_ATE_signed });
  assert.equal(v.ref(C.DW_AT_type), intDie);
  const list = readLocationList(unit, v.attr(C.DW_AT_location)?.value as number);
  assert.deepEqual(list.entries.map((e) => [e.low, e.high, [...e.expr]]), [
    [0x80001000, 0x80001008, [C.DW_OP_reg0 + 10]], [0x80001008, 0x80001010, [C.DW_OP_fbreg, 0x70]]]);
  assert.deepEqual([...(locationAt(list, 0x80001008) ?? [])], [C.DW_OP_fbreg, 0x70]);
  assert.deepEqual([...(locationAt(list, 0x90000000) ?? [])], [lit(7), C.DW_OP_stack_value]);
  assert.deepEqual([...(wide.attr(C.DW_AT_const_value)?.value as Uint8Array)], Array.from({ length: 16 }, (_, i) => i));
  assert.equal(wide.ref(C.DW_AT_type), intDie);
});
