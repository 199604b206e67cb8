// The debug-information library on a running program, against gdb on QEMU at the same stops:
// the debugging guest runs on rvreplay's machine up to each breakpoint (the BP: markers in its
// sources) and, in another process, on qemu-system-riscv32 under gdb-multiarch. At every stop
// the call stack (functions, inlined frames, lines, pcs), each frame's arguments and locals,
// and C expressions (registers, locals, globals, errors) must be what gdb shows.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { guestImage } from '../../src/cli/guest-file.js';
import { DebugInfo, type TargetMemory } from '../../src/debuginfo/debug-info.js';
import { EvalError } from '../../src/debuginfo/c-parser.js';
import type { StackFrame } from '../../src/debuginfo/stack.js';
import { DEFAULT_CONFIG, VirtMachine } from '../../src/emu/machine.js';
import { tempDir } from '../support/toolchain.js';
import { DBG_BUILDS, gdb, guestPath, markers, okText } from './debuginfo-gdb.js';

const tmp = tempDir('debuginfo-dynamic');
after(() => tmp.cleanup());

/** Where the tests stop: marker name → file. */
const STOPS: [string, string][] = [
  ['dbg/walk.c', 'probe'], ['dbg/walk.c', 'scaled'], ['dbg/walk.c', 'walk-base'], ['dbg/walk.c', 'walk-return'],
  ['dbg/walk.c', 'apply'], ['dbg/walk.c', 'sum-return'], ['dbg/dbg.c', 'add'], ['dbg/dbg.c', 'use-locals'],
  ['dbg/dbg.c', 'main-print'],
];

/** Evaluated in the innermost frame at every stop; names a frame lacks give gdb's error. */
const EXPRESSIONS = [
  '$pc', '$sp', '$ra', '$a0', '$x10 + 1', '$fp', 'tick_count', 'counter', 'shapes[1].corners[0]',
  // walk, probe, scaled
  'n', 'n->value', '*n', 'n->next->value', 'depth', 'depth * 2 + 1', 'tag', 'below', 'calls_seen', 'v * k',
  // apply, add, sum_points
  'f', 'ops[0] == add', 'shapes[0].op == mul', 'a + b', 'r', 'pts[1]', 'pts[count - 1].y', 'total', 'count',
  // use_locals
  'p', 'p.x + q.y', '&p', 'local_grid', 'local_grid[1][2]', 'w.b[0]', 'w', 'f.delta', 'c', 'tag', 'text', 'fn', 'sp->name',
  '*sp', 'inner', 'invocations', 'seed', 'sizeof(local_grid)', '*&q', 'local_grid[1]',
  // main
  'total + 1', 'done_flag',
  'nosuch', 'p.nosuch',
];

const MAX_STOPS = 40;

interface FrameReport {
  name: string;
  pc: string;
  line: string;
  inlined: boolean;
  args: string[];
  locals: string[];
}

interface StopReport {
  frames: FrameReport[];
  expressions: string[];
}

/** gdb's side: QEMU under gdb, breakpoints on the markers, a report at every stop. */
const GDB_STOPS = (elf: string, breaks: string[]): string => `
import json
gdb.execute('target remote | qemu-system-riscv32 -M virt -display none -monitor none -serial null -bios none -kernel ${elf} -icount shift=0 -S -gdb stdio', to_string=True)
for b in ${JSON.stringify(breaks)}: gdb.execute('break ' + b, to_string=True)
def text(f):
    try: return str(f())
    except gdb.error as e: return 'error: %s' % e
stops = []
for i in range(${MAX_STOPS}):
    try: gdb.execute('continue', to_string=True)
    except gdb.error: break
    if gdb.selected_inferior().pid == 0 or not gdb.selected_inferior().threads(): break
    frames = []
    f = gdb.newest_frame()
    while f is not None:
        sal = f.find_sal()
        args = []; locs = []
        try: b = f.block()
        except RuntimeError: b = None
        while b is not None:
            for s in b:
                if s.is_argument:
                    if b.function is not None: args.append('%s=%s' % (s.name, text(lambda: s.value(f))))
                elif (s.is_variable or s.is_constant) and str(s.type) != '__CORE_ADDR':
                    locs.append('%s=%s' % (s.name, text(lambda: s.value(f))))
            if b.function is not None: break
            b = b.superblock
        frames.append({'name': str(f.name()), 'pc': '%x' % f.pc(), 'line': '%s:%d' % (sal.symtab.filename if sal.symtab else '?', sal.line),
                       'inlined': f.type() == gdb.INLINE_FRAME, 'args': args, 'locals': sorted(locs)})
        f = f.older()
    exprs = []
    for e in ${JSON.stringify(EXPRESSIONS)}:
        exprs.append(text(lambda: gdb.parse_and_eval(e)))
    stops.append({'frames': frames, 'expressions': exprs})
print(json.dumps(stops))
`;

/** Our side: the guest on rvreplay's machine, stopped at the same addresses, reported the same way. */
function ourStops(info: DebugInfo, path: string, addresses: Set<number>): StopReport[] {
  const machine = new VirtMachine(DEFAULT_CONFIG, { console: { write: () => {} }, wallClock: { nowNs: () => 0n } });
  machine.load(guestImage(info.elf, path));
  const memory: TargetMemory = {
    readMemory: (address, size) => (machine.ram.contains(address, size) ? machine.ram.read(address, size) : undefined),
  };
  const stops: StopReport[] = [];
  while (stops.length < MAX_STOPS) {
    if (machine.run(machine.icount + 1) !== 'limit') break;
    if (!addresses.has(machine.cpu.pc)) continue;
    const stack = info.callStack({ pc: machine.cpu.pc, x: machine.cpu.x }, memory);
    const frames = stack.frames.map((f) => frameReport(f));
    const top = stack.frames[0];
    const expressions = EXPRESSIONS.map((e) => {
      try {
        return info.evaluate(e, memory, top).format(false);
      } catch (err) {
        if (err instanceof EvalError) return `error: ${err.message}`;
        throw err;
      }
    });
    stops.push({ frames, expressions });
  }
  assert.ok(machine.exit !== undefined || stops.length === MAX_STOPS, 'the guest neither finished nor reached the stop limit');
  return stops;
}

function frameReport(f: StackFrame): FrameReport {
  const guestDir = '/test/guests/';
  const file = f.source === undefined ? '?' : f.source.path.slice(f.source.path.indexOf(guestDir) + guestDir.length);
  return {
    name: f.name,
    pc: f.pc.toString(16),
    line: `${file}:${f.source?.line ?? 0}`,
    inlined: f.inlined,
    args: f.parameters().map((v) => `${v.name}=${f.value(v).format(false)}`),
    locals: f.locals().map((v) => `${v.name}=${f.value(v).format(false)}`).sort(),
  };
}

for (const build of DBG_BUILDS) {
  test(`${build}: stops, call stacks, variables and expressions agree with gdb on QEMU`, () => {
    const path = guestPath(build);
    const bytes = readFileSync(path);
    const info = DebugInfo.fromElf(bytes);
    const breaks = STOPS.map(([file, name]) => {
      const line = markers(file).get(name);
      assert.ok(line !== undefined, `no BP:${name} in ${file}`);
      return `${file}:${line}`;
    });
    const addresses = new Set(breaks.flatMap((b) => {
      const [file, line] = b.split(':');
      return info.lineBreakpoint(file, Number(line)).map((l) => l.address);
    }));

    const answer = okText(gdb(tmp.dir, path, [`py:${GDB_STOPS(path, breaks)}`])[0], 'the QEMU session');
    const theirs = JSON.parse(answer.trim().split('\n').pop() as string) as StopReport[];
    const ours = ourStops(info, path, addresses);

    assert.ok(theirs.length >= 10, `gdb stopped only ${theirs.length} times`);
    assert.equal(ours.length, theirs.length, 'number of stops');
    const diffs: string[] = [];
    let deepest = 0;
    theirs.forEach((stop, i) => {
      const mine = ours[i];
      deepest = Math.max(deepest, stop.frames.length);
      const where = `stop ${i + 1} (${stop.frames[0]?.name}:${stop.frames[0]?.line})`;
      const g = stop.frames;
      if (JSON.stringify(mine.frames) !== JSON.stringify(g)) {
        diffs.push(`${where} frames:\n  gdb  ${JSON.stringify(g)}\n  ours ${JSON.stringify(mine.frames)}`);
      }
      stop.expressions.forEach((e, k) => {
        if (mine.expressions[k] !== e) diffs.push(`${where} ${EXPRESSIONS[k]}:\n  gdb  ${e}\n  ours ${mine.expressions[k]}`);
      });
    });
    assert.ok(deepest >= 6, `the deepest stack had only ${deepest} frames`);
    assert.deepEqual(diffs.slice(0, 15), [], `${diffs.length} differences`);
  });
}
