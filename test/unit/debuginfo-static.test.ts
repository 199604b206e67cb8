// The debug-information library against gdb on the same ELF, without running it: for the
// debugging guest built four ways (DWARF 5 and 4, -O0 and -O2), breakpoint addresses for every
// source line and function, the line and line range of every code address, ELF symbols, the
// scope chain (blocks, inlined calls, functions) and the variables visible at every code
// address, types as ptype and whatis show them, and globals and C expressions as print shows them.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DebugInfo } from '../../src/debuginfo/debug-info.js';
import { EvalError } from '../../src/debuginfo/c-parser.js';
import { normalizePath } from '../../src/debuginfo/paths.js';
import { Scope } from '../../src/debuginfo/scopes.js';
import { ptype, typeName } from '../../src/debuginfo/types.js';
import { parametersOf, localsAt } from '../../src/debuginfo/variables.js';
import { STT_FUNC, STT_OBJECT } from '../../src/emu/elf.js';
import { tempDir } from '../support/toolchain.js';
import {
  DBG_BUILDS, SOURCES, elfMemory, gdb, guestPath, lineCount, okText, printed, type GdbAnswer,
} from './debuginfo-gdb.js';

const tmp = tempDir('debuginfo-static');
after(() => tmp.cleanup());

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Functions gdb and we must agree on breakpoints for (ours, picolibc's, inlined ones). */
const FUNCTIONS = ['main', 'use_locals', 'add', 'mul', 'walk', 'probe', 'apply', 'sum_points', 'scaled',
  'uart_putc', 'clint_mtime', '_exit', 'stdout_put', 'printf', 'vfprintf', '__libc_init_array', 'memset', 'nosuchfunction'];

const TYPES = ['struct point', 'struct shape', 'struct flags', 'union word', 'enum color', 'struct node', 'point_t',
  'binop_fn', 'uint32_t', 'int64_t', 'unsigned long', 'struct nosuch'];

/** C expressions over globals, including ones that must fail with gdb's message. */
const EXPRESSIONS = [
  'grid[1][2] + 1', '&grid[1][2]', 'grid[2]', '*grid', 'grid + 1', 'sizeof(grid)', 'sizeof grid[0]', 'sizeof(struct shape)',
  'shapes[0].corners[1].y * 2', 'shapes[1].name', '*shapes[0].next', 'shapes[0].next->name', 'shapes[0].next->corners[0]',
  'shapes[1].tag.h[0]', '&shapes[1]', 'shapes[0].op', 'ops[1]', '*ops[0]', 'ops', '&ops[1]', 'status.delta', 'status.mode + 1',
  'magic.b[1]', '*(uint32_t *)&magic', '*(unsigned char *)&magic', '(char)letter + 1', "'A' + 1", "'\\n'", '(char)66',
  '-neg_short', '~0u', '~0', '10 / 3', '-7 / 2', '-7 % 3', '7 >> 1', '1 << 31', '0x7fffffff + 1', '4294967295', '-5u',
  'ubig >> 4', 'big', 'big / 1000', '(long long)big * 2', 'ubig & 0xff', 'ratio * 2', 'third + 1', 'ratio > third',
  '(int)ratio', 'favourite == BLUE', 'BLUE', 'GREEN + 1', 'favourite', '(enum color)5', 'grid_ptr[1]', '*grid_ptr',
  'grid_ptr - &grid[0][0]', 'grid_ptr + 2', 'grid_ptr == &grid[1][2]', '!done_flag', 'done_flag || letter', 'letter && 0',
  'counter * 2 + 1', 'counter > 5 ? 100 : 200', 'message', '*message', 'message[2]', 'nowhere', 'greeting', 'raw_bytes',
  'raw_bytes[0]', 'chain[1].next->value', 'chain[3].next', 'main', '&main', '*main', 'walk', 'tick_count', '(short)-1',
  '(unsigned char)300', '(_Bool)5', 'sizeof(int)', 'sizeof(long long)', 'sizeof(point_t)', 'sizeof(uint8_t)',
  '*grid@2', 'grid[1][1]@3', 'shapes[0].fl', 'shapes[1].fl.tail',
  // Errors, with gdb's wording.
  'nosuch', 'shapes[0].nosuch', 'letter->x', '*counter', '10 / 0', 'grid[', '1 +', '$pc', '&3', 'struct point',
  'letter.x',
];

for (const build of DBG_BUILDS) {
  test(`${build}: static debug information agrees with gdb`, async (t) => {
    const elfPath = guestPath(build);
    const bytes = readFileSync(elfPath);
    const info = DebugInfo.fromElf(bytes);
    const memory = elfMemory(info.elf);

    // Every code address of every function the ELF has a sized symbol for.
    const funcSyms = info.elf.symbols.filter((s) => s.type === STT_FUNC && s.size > 0 && s.shndx !== 0);
    const addresses = [...new Set(funcSyms.flatMap((s) => Array.from({ length: s.size / 2 }, (_, i) => s.value + 2 * i)))].sort((a, b) => a - b);
    const lineQueries = SOURCES.flatMap((f) => Array.from({ length: lineCount(f) + 1 }, (_, i) => ({ file: f, line: i + 1 })));
    const globals = info.globals().filter((g) => SOURCES.some((f) => g.die.unit.name === f));
    const symbolAddresses = [
      ...funcSyms.flatMap((s) => [s.value, s.value + Math.min(2, s.size - 1)]),
      ...info.elf.symbols.filter((s) => s.type === STT_OBJECT && s.size > 0).flatMap((s) => [s.value, s.value + s.size - 1]),
      0x1000, 0x8fff_fff0,
    ];

    // One gdb run answers everything; sections of the command list are sliced back out.
    const sections: { name: string; commands: string[] }[] = [
      { name: 'breaks', commands: [...lineQueries.map((q) => `break ${q.file}:${q.line}`), ...FUNCTIONS.map((f) => `break ${f}`), 'info breakpoints'] },
      { name: 'lines', commands: addresses.map((a) => `info line *${hex(a)}`) },
      { name: 'blocks', commands: [`py:${BLOCK_SCRIPT}\nfor pc in ${JSON.stringify(addresses)}: show(pc)`] },
      { name: 'symbols', commands: symbolAddresses.map((a) => `info symbol ${hex(a)}`) },
      { name: 'types', commands: TYPES.flatMap((ty) => [`ptype ${ty}`, `whatis ${ty}`, `print sizeof(${ty})`]) },
      { name: 'globals', commands: globals.flatMap((g) => [`whatis ${g.name}`, `ptype ${g.name}`, `print ${g.name}`]) },
      { name: 'functions', commands: FUNCTIONS.flatMap((f) => [`whatis ${f}`, `ptype ${f}`]) },
      { name: 'expressions', commands: EXPRESSIONS.map((e) => `print ${e}`) },
    ];
    const answers = gdb(tmp.dir, elfPath, sections.flatMap((s) => s.commands));
    const bySection = new Map<string, GdbAnswer[]>();
    let at = 0;
    for (const s of sections) {
      bySection.set(s.name, answers.slice(at, at + s.commands.length));
      at += s.commands.length;
    }
    const section = (name: string): GdbAnswer[] => bySection.get(name) as GdbAnswer[];

    await t.test('breakpoints on every source line and on functions', () => {
      const a = section('breaks');
      const listing = okText(a[a.length - 1], 'info breakpoints');
      const locations = parseBreakpoints(listing);
      const queries = [...lineQueries.map((q) => `${q.file}:${q.line}`), ...FUNCTIONS];
      let number = 0;
      const diffs: string[] = [];
      let compared = 0;
      queries.forEach((q, i) => {
        const m = /^(.*):(\d+)$/.exec(q);
        const ours = (m !== null ? info.lineBreakpoint(m[1], Number(m[2])) : info.functionBreakpoint(q))
          .map((l) => `${hex(l.address)} ${l.functionName ?? '??'} ${l.line ?? '?'}`);
        const created = 'ok' in a[i] && /Breakpoint \d+ at/.test(a[i].ok);
        const theirs = created ? locations.get(++number) ?? [] : [];
        compared++;
        if (ours.join(' | ') !== theirs.join(' | ')) diffs.push(`${q}: gdb [${theirs.join(' | ')}] ours [${ours.join(' | ')}]`);
      });
      assert.ok(number > 40, `gdb created only ${number} breakpoints`);
      assert.deepEqual(diffs, [], `${diffs.length} of ${compared} breakpoint queries differ`);
    });

    await t.test('line and line range of every code address', () => {
      const diffs: string[] = [];
      section('lines').forEach((ans, i) => {
        const pc = addresses[i];
        const text = okText(ans, `info line *${hex(pc)}`);
        const m = /Line (\d+) of "([^"]+)" starts at address 0x([0-9a-f]+)[^]*? and ends at 0x([0-9a-f]+)/.exec(text);
        const ours = info.lineAt(pc);
        let theirs: string;
        let mine: string;
        if (m !== null) {
          theirs = `${m[2]}:${m[1]} [${m[3]},${m[4]})`;
          mine = ours === undefined ? 'none' : `${sameFile(ours.path, m[2]) ? m[2] : ours.path}:${ours.line} [${ours.address.toString(16)},${ours.end.toString(16)})`;
        } else {
          assert.match(text, /No line number information available|is at address .* but contains no code/, text);
          theirs = 'none';
          mine = ours === undefined ? 'none' : `${ours.path}:${ours.line}`;
        }
        if (theirs !== mine) diffs.push(`${hex(pc)}: gdb ${theirs} ours ${mine}`);
      });
      assert.ok(addresses.length > 300);
      assert.deepEqual(diffs.slice(0, 20), [], `${diffs.length} of ${addresses.length} addresses differ`);
    });

    await t.test('scopes, inlined calls and visible variables at every code address', () => {
      const lines = okText(section('blocks')[0], 'block script').trim().split('\n');
      assert.equal(lines.length, addresses.length);
      const diffs: string[] = [];
      let inlinedSeen = 0;
      lines.forEach((line, i) => {
        const pc = addresses[i];
        let theirs = line.replace(/^[0-9a-f]+ /, '');
        const scope = info.scopeAt(pc);
        // Assembly files give one code range several names (__riscv_save_8 ... _11); which of
        // them a debugger shows is arbitrary, so any alias will do.
        const outerName = scope?.outerFunction.name;
        const theirName = /^(\S+?) /.exec(theirs)?.[1];
        if (scope !== undefined && outerName !== undefined && theirName !== undefined && theirName !== outerName
          && info.functions.allFunctions().some((f) => f.name === theirName && f.low === scope.outerFunction.low && f.high === scope.outerFunction.high)) {
          theirs = theirs.replace(theirName, outerName);
        }
        let mine = 'none';
        if (scope !== undefined) {
          const block = Scope.symbolBlock(scope);
          const chain: string[] = [];
          for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) if (s.kind !== 'block') chain.push(s.name ?? '?');
          if (chain.length > 1) inlinedSeen++;
          const fn = block.functionScope;
          const params = parametersOf(fn).map((v) => v.name).join(',');
          const locals = localsAt(block).map((v) => v.name).sort().join(',');
          const outer = scope.outerFunction;
          mine = `${chain.join('<')} block=[${block.low.toString(16)},${block.high.toString(16)}) fn=[${outer.low.toString(16)},${outer.high.toString(16)}) args=${params} locals=${locals}`;
        }
        if (theirs !== mine) diffs.push(`${hex(pc)}:\n  gdb  ${theirs}\n  ours ${mine}`);
      });
      if (build.includes('O2')) assert.ok(inlinedSeen > 0, 'no inlined call found in an -O2 build');
      assert.deepEqual(diffs.slice(0, 10), [], `${diffs.length} of ${addresses.length} addresses differ`);
    });

    await t.test('ELF symbols by address', () => {
      const diffs: string[] = [];
      section('symbols').forEach((ans, i) => {
        const a = symbolAddresses[i];
        const text = okText(ans, `info symbol ${hex(a)}`).trim();
        const m = /^(\S+)(?: \+ (\d+))? in section \S+$/.exec(text);
        const theirs = m === null ? 'none' : m[2] === undefined ? m[1] : `${m[1]}+${m[2]}`;
        let mine = info.symbols.describe(a) ?? 'none';
        // Several names for one function (assembly aliases): any of them will do.
        const ours = info.symbols.lookup(a)?.symbol;
        if (m !== null && ours !== undefined && info.elf.symbols.some((s) => s.name === m[1] && s.value === ours.value && s.size === ours.size)) {
          mine = mine.replace(ours.name, m[1]);
        }
        if (theirs !== mine) diffs.push(`${hex(a)}: gdb ${text} ours ${mine}`);
      });
      assert.deepEqual(diffs, []);
    });

    await t.test('types: ptype, whatis and sizeof', () => {
      const a = section('types');
      TYPES.forEach((name, i) => {
        const type = info.typeByName(name);
        const [pt, wi, sz] = [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
        if (type === undefined) {
          assert.ok('err' in pt, `gdb knows ${name} and we do not: ${printed(pt)}`);
          return;
        }
        assert.equal(`type = ${ptype(type)}`, okText(pt, `ptype ${name}`).trimEnd(), `ptype ${name}`);
        // `whatis` on a typedef's name shows what it names (one level), on an expression its type.
        const whatis = type.kind === 'typedef' ? typeName(type.target) : typeName(type);
        assert.equal(`type = ${whatis}`, okText(wi, `whatis ${name}`).trimEnd(), `whatis ${name}`);
        assert.equal(String(type.size), printed(sz), `sizeof(${name})`);
      });
    });

    await t.test('globals: whatis, ptype and their initial values', () => {
      const a = section('globals');
      assert.ok(globals.length >= 15, `only ${globals.length} globals found`);
      const diffs: string[] = [];
      globals.forEach((g, i) => {
        const [wi, pt, pr] = [a[3 * i], a[3 * i + 1], a[3 * i + 2]];
        const value = info.staticValue(g, memory);
        const checks: [string, string, string][] = [
          [`whatis ${g.name}`, `type = ${typeName(value.type)}`, 'ok' in wi ? wi.ok.trimEnd() : wi.err],
          [`ptype ${g.name}`, `type = ${ptype(value.type)}`, 'ok' in pt ? pt.ok.trimEnd() : pt.err],
          [`print ${g.name}`, value.format(), printed(pr)],
        ];
        for (const [what, mine, theirs] of checks) if (mine !== theirs) diffs.push(`${what}:\n  gdb  ${theirs}\n  ours ${mine}`);
      });
      assert.deepEqual(diffs, []);
    });

    await t.test('functions: whatis and ptype', () => {
      const a = section('functions');
      FUNCTIONS.forEach((name, i) => {
        const fn = info.functions.functionsNamed(name)[0];
        if (fn === undefined) return; // inlined everywhere, or no debug information
        const type = info.types.fromDie(fn.die);
        assert.equal(`type = ${typeName(type)}`, okText(a[2 * i], `whatis ${name}`).trimEnd());
        assert.equal(`type = ${ptype(type)}`, okText(a[2 * i + 1], `ptype ${name}`).trimEnd());
      });
    });

    await t.test('C expressions over globals', () => {
      const diffs: string[] = [];
      section('expressions').forEach((ans, i) => {
        const expr = EXPRESSIONS[i];
        let mine: string;
        try {
          mine = info.evaluate(expr, memory).format();
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
          mine = `error: ${e.message}`;
        }
        const theirs = printed(ans);
        if (mine !== theirs) diffs.push(`print ${expr}:\n  gdb  ${theirs}\n  ours ${mine}`);
      });
      assert.deepEqual(diffs, []);
    });
  });
}

/**
 * Python run inside gdb: for a pc, the chain of function names from the innermost (inlined)
 * function out, the innermost block's extent, the real function's extent, the parameters of the
 * innermost function and the variables of the blocks from the innermost out to it.
 */
const BLOCK_SCRIPT = `
def show(pc):
    b = gdb.block_for_pc(pc)
    if b is None or b.function is None and (b.superblock is None or b.is_static or b.is_global):
        print('%x none' % pc); return
    chain = []; x = b
    while x is not None and not x.is_static and not x.is_global:
        if x.function is not None: chain.append(x.function.name)
        x = x.superblock
    fb = b
    while fb.function is None: fb = fb.superblock
    outer = b
    while not outer.superblock.is_static: outer = outer.superblock
    args = [s.name for s in fb if s.is_argument]
    locs = []; x = b
    while True:
        # Labels gcc kept without an address count as optimized-out variables for gdb; not for us.
        locs += [s.name for s in x if (s.is_variable or s.is_constant) and not s.is_argument and str(s.type) != '__CORE_ADDR']
        if x.function is not None: break
        x = x.superblock
    print('%x %s block=[%x,%x) fn=[%x,%x) args=%s locals=%s' % (pc, '<'.join(chain), b.start, b.end, outer.start, outer.end, ','.join(args), ','.join(sorted(locs))))
`;

/**
 * Whether our path (absolute, or normalised relative when the unit's compilation directory is
 * relative, as in picolibc's) names the file gdb calls `name` (as the line table spells it).
 */
function sameFile(ours: string, name: string): boolean {
  const strip = (p: string): string => normalizePath(p).replace(/^(\.\.\/)+/, '');
  return ours === name || ours.endsWith(`/${name}`) || strip(ours).endsWith(strip(name));
}

/** `info breakpoints` → breakpoint number → ["address function line", ...] per location. */
function parseBreakpoints(listing: string): Map<number, string[]> {
  const out = new Map<number, string[]>();
  let current = 0;
  for (const line of listing.split('\n')) {
    let m = /^(\d+)\s+breakpoint\s+keep\s+y\s+(<MULTIPLE>|0x([0-9a-f]+)\s+in\s+(\S+)\s+at\s+(\S+):(\d+)|0x([0-9a-f]+)\s+<([^+>]+)[^>]*>)/.exec(line);
    if (m !== null) {
      current = Number(m[1]);
      out.set(current, m[3] !== undefined ? [`0x${m[3]} ${m[4]} ${m[6]}`] : m[7] !== undefined ? [`0x${m[7]} ${m[8]} ?`] : []);
      continue;
    }
    m = /^\d+\.\d+\s+y\s+0x([0-9a-f]+)\s+in\s+(\S+)\s+at\s+(\S+):(\d+)/.exec(line);
    if (m !== null) out.get(current)?.push(`0x${m[1]} ${m[2]} ${m[4]}`);
  }
  return out;
}
