// Helpers for the debuginfo tests: the guest builds they read, gdb-multiarch as the oracle (each
// command run through gdb's Python so every answer, or error, comes back on its own), the BP:
// markers in the guest sources, and the ELF's loaded bytes as a memory for reading globals.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Elf } from '../../src/emu/elf.js';
import type { TargetMemory } from '../../src/debuginfo/debug-info.js';

export const GUEST_DIR = join(__dirname, '..', 'guests');
export const BUILD_DIR = join(GUEST_DIR, 'build');
/** The debug-information guest as gcc 12 emits it: DWARF 5 and 4, -O0 and -O2. */
export const DBG_BUILDS = ['dbg-O0', 'dbg-O2', 'dbg-O0-dwarf4', 'dbg-O2-dwarf4'];
export const SOURCES = ['dbg/dbg.c', 'dbg/walk.c'];

export function guestPath(name: string): string {
  const path = join(BUILD_DIR, `${name}.elf`);
  if (!existsSync(path)) throw new Error(`${path} is missing: build the guests first (make -s -C test/guests)`);
  return path;
}

/** What gdb answered to one command: its output, or the error it raised. */
export type GdbAnswer = { ok: string } | { err: string };

// Each command runs through gdb.execute; one starting with "py:" is Python whose printed output
// is the answer.
const RUNNER = `
import contextlib, io, json, gdb
out = []
for c in json.load(open(CMDS)):
    try:
        if c.startswith('py:'):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                exec(c[3:], {'gdb': gdb})
            out.append({'ok': buf.getvalue()})
        else:
            out.append({'ok': gdb.execute(c, to_string=True)})
    except (gdb.error, gdb.MemoryError) as e:
        out.append({'err': str(e)})
    except Exception as e:
        out.append({'err': 'python: %s: %s' % (type(e).__name__, e)})
print('@@JSON@@' + json.dumps(out))
`;

/**
 * Runs gdb-multiarch in batch mode on an ELF, executing each command in turn; returns one answer
 * per command. LC_ALL=C keeps gdb's character printing independent of the host's locale.
 */
export function gdb(dir: string, elf: string, commands: readonly string[]): GdbAnswer[] {
  const cmdFile = join(dir, `gdb-cmds-${process.pid}-${Math.random().toString(36).slice(2)}.json`);
  const script = `${cmdFile}.py`;
  writeFileSync(cmdFile, JSON.stringify(commands));
  writeFileSync(script, `CMDS = ${JSON.stringify(cmdFile)}\n${RUNNER}`);
  const r = spawnSync('gdb-multiarch', ['-batch', '-nx', '-x', script, elf], {
    encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
  });
  const out = r.stdout;
  const at = out.indexOf('@@JSON@@');
  if (at < 0) throw new Error(`gdb gave no answers:\n${out.slice(0, 2000)}\n${r.stderr.slice(0, 2000)}`);
  const answers = JSON.parse(out.slice(at + '@@JSON@@'.length).split('\n')[0]) as GdbAnswer[];
  if (answers.length !== commands.length) throw new Error(`gdb answered ${answers.length} of ${commands.length} commands`);
  return answers;
}

/** gdb's output for a command that must succeed. */
export function okText(a: GdbAnswer, what: string): string {
  if ('err' in a) throw new Error(`gdb failed on ${what}: ${a.err}`);
  return a.ok;
}

/** `$12 = value` → `value`. */
export function printed(a: GdbAnswer): string {
  return 'ok' in a ? a.ok.replace(/^\$\d+ = /, '').replace(/\n$/, '') : `error: ${a.err}`;
}

/** Line numbers of the `BP:name` markers in a guest source file. */
export function markers(file: string): Map<string, number> {
  const lines = readFileSync(join(GUEST_DIR, file), 'utf8').split('\n');
  const out = new Map<string, number>();
  lines.forEach((l, i) => {
    const m = /BP:([\w-]+)/.exec(l);
    if (m !== null) out.set(m[1], i + 1);
  });
  return out;
}

export function lineCount(file: string): number {
  return readFileSync(join(GUEST_DIR, file), 'utf8').split('\n').length;
}

/** The ELF's loadable bytes as memory: what a global holds before the program runs. */
export function elfMemory(elf: Elf): TargetMemory {
  return {
    readMemory(address: number, size: number): Uint8Array | undefined {
      for (const seg of elf.segments) {
        const h = seg.header;
        if (address >= h.vaddr && address + size <= h.vaddr + h.memsz) {
          const out = new Uint8Array(size);
          for (let i = 0; i < size; i++) {
            const off = address + i - h.vaddr;
            out[i] = off < seg.data.length ? seg.data[off] : 0;
          }
          return out;
        }
      }
      return undefined;
    },
  };
}
