// Test helper: runs the real gdb-multiarch against a gdb stub, asynchronously (the stub usually
// lives in the test's own process, so gdb must not block its event loop). Each command runs
// through gdb's Python, gdb.execute(..., to_string=True), so every command's output or error
// comes back on its own. What gdb prints outside that capture (where a motion stopped, "No more
// reverse-execution history.", a monitor command's output before its error) comes back too, as
// the command's `printed` text. Each answer is printed as soon as it exists, so a gdb that hangs
// is killed after the bound and the error shows how far it got. gdb is always gone when the
// returned promise settles.

import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What gdb answered to one command: its output, or the error it raised; and what it printed
 * around the capture while the command ran.
 */
export type GdbAnswer = ({ ok: string } | { err: string }) & { printed: string };

export interface GdbRun {
  answers: GdbAnswer[];
  stdout: string;
  stderr: string;
}

export interface GdbRunOptions {
  /** A directory for the command and script files. */
  dir: string;
  /** The program gdb loads symbols from (optional). */
  elf?: string;
  /** Commands run in order after `target remote` (lines starting with `py:` are Python). */
  commands: readonly string[];
  /** The stub's port on 127.0.0.1; without it gdb connects nowhere and the commands run alone. */
  port?: number;
  /** Kill gdb after this long (default 60 s). */
  timeoutMs?: number;
}

const ANSWER = '@@ANSWER@@';

// One answer per command, printed as it comes. Errors gdb raises are answers, not failures.
const RUNNER = `
import contextlib, io, json, sys, gdb
def answer(a):
    sys.stdout.write('${ANSWER}' + json.dumps(a) + '\\n')
    sys.stdout.flush()
for c in json.load(open(CMDS)):
    try:
        if c.startswith('py:'):
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                exec(c[3:], {'gdb': gdb})
            answer({'ok': buf.getvalue()})
        else:
            answer({'ok': gdb.execute(c, to_string=True)})
    except (gdb.error, gdb.MemoryError) as e:
        answer({'err': str(e)})
    except Exception as e:
        answer({'err': 'python: %s: %s' % (type(e).__name__, e)})
`;

let serial = 0;

/**
 * Runs gdb-multiarch in batch mode: `set architecture riscv:rv32`, `target remote`, then each
 * command. The first answer is the connection's; the rest follow `commands`. LC_ALL=C keeps
 * gdb's output independent of the host's locale.
 */
export function runGdb(options: GdbRunOptions): Promise<GdbRun> {
  const id = `${process.pid}-${++serial}`;
  const cmdFile = join(options.dir, `gdb-cmds-${id}.json`);
  const script = join(options.dir, `gdb-runner-${id}.py`);
  const all = ['set architecture riscv:rv32', ...(options.port !== undefined ? [`target remote 127.0.0.1:${options.port}`] : []), ...options.commands];
  writeFileSync(cmdFile, JSON.stringify(all));
  writeFileSync(script, `CMDS = ${JSON.stringify(cmdFile)}\n${RUNNER}`);
  const timeoutMs = options.timeoutMs ?? 60_000;
  return new Promise((resolve, reject) => {
    const child = spawn('gdb-multiarch', ['-batch', '-nx', '-x', script, ...(options.elf !== undefined ? [options.elf] : [])], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LC_ALL: 'C', LANG: 'C' },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new Error(`could not run gdb-multiarch: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const answers: GdbAnswer[] = [];
      let printed = '';
      for (const line of stdout.split('\n')) {
        if (line.startsWith(ANSWER)) {
          answers.push({ ...(JSON.parse(line.slice(ANSWER.length)) as { ok: string } | { err: string }), printed });
          printed = '';
        } else {
          printed += `${line}\n`;
        }
      }
      // Drop the answer to `set architecture`; keep the connection's.
      const mine = answers.slice(1);
      const expected = all.length - 1;
      if (timedOut || mine.length !== expected) {
        const why = timedOut ? `gdb did not finish within ${timeoutMs} ms` : `gdb exited (${signal ?? code}) after ${mine.length} of ${expected} answers`;
        const next = all[answers.length] ?? '(none)';
        reject(new Error(`${why}; the command it was on: ${JSON.stringify(next)}\nstdout:\n${stdout.slice(-3000)}\nstderr:\n${stderr.slice(-3000)}`));
        return;
      }
      resolve({ answers: mine, stdout, stderr });
    });
  });
}

/** gdb's output for a command that must succeed. */
export function okText(a: GdbAnswer | undefined, what: string): string {
  if (a === undefined) throw new Error(`no answer for ${what}`);
  if ('err' in a) throw new Error(`gdb failed on ${what}: ${a.err}\n${a.printed}`);
  return a.ok;
}

/** Everything a command that must succeed showed: what it printed, then its captured output. */
export function shown(a: GdbAnswer | undefined, what: string): string {
  const text = okText(a, what);
  return a!.printed + text;
}

/** gdb's error for a command that must fail. */
export function errText(a: GdbAnswer | undefined, what: string): string {
  if (a === undefined) throw new Error(`no answer for ${what}`);
  if ('ok' in a) throw new Error(`gdb did not fail on ${what}: ${a.ok}`);
  return a.err;
}

/** `$12 = value` → `value`. */
export function printed(a: GdbAnswer | undefined, what: string): string {
  return okText(a, what).replace(/^\$\d+ = /, '').replace(/\n$/, '');
}
