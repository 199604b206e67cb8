// gdb's `monitor ...` commands (qRcmd): the replay controls QEMU offers under the same names
// (info replay, replay_break, replay_delete_break, replay_seek) and named snapshots (snapshot
// save|load|list|delete, with QEMU's savevm, loadvm, info snapshots and delvm as aliases). Each
// returns its text for the gdb console and whether it succeeded; an EngineError is a failure the
// user can act on, and its message is the text.

import { EngineError, type DebugEngine, type EngineStop } from '../engine/debug-engine.js';

export interface MonitorContext {
  engine: DebugEngine;
  /** Why the last register or memory write from gdb was refused, if one was. */
  lastRefusal: string | undefined;
}

export interface MonitorResult {
  output: string;
  ok: boolean;
}

type ArgKind = 'none' | 'icount' | 'name' | 'optional-file';

interface MonitorCommand {
  /** Spellings, each a sequence of words; the first is the one help shows. */
  names: string[][];
  arg: ArgKind;
  help: string;
  run(ctx: MonitorContext, arg: string | number | undefined): Promise<string> | string;
}

/**
 * gdb keeps the registers and memory it read before a monitor command moved the position; it
 * re-reads them only when the target next stops. This says how to make it read again.
 */
export const STALE_CACHE_NOTE =
  'gdb reads registers and memory again only after a stop: unless gdb/rvreplay.gdb is sourced (it does so ' +
  'after every monitor command), run "maintenance flush register-cache" and "maintenance flush dcache" to see the new position.\n';

const COMMANDS: MonitorCommand[] = [
  {
    names: [['help']],
    arg: 'none',
    help: 'this list',
    run: () => helpText(),
  },
  {
    names: [['info', 'replay']],
    arg: 'none',
    help: 'mode, position (icount, virtual time), history, keyframes, the icount break',
    run: (ctx) => infoReplay(ctx),
  },
  {
    names: [['replay_break']],
    arg: 'icount',
    help: 'stop motions (either way) when they reach ICOUNT',
    run: (ctx, icount) => {
      ctx.engine.breakAtIcount(icount as number);
      return `icount break set at ${icount as number}\n`;
    },
  },
  {
    names: [['replay_delete_break']],
    arg: 'none',
    help: 'remove the icount break',
    run: (ctx) => {
      const had = ctx.engine.info().icountBreak;
      ctx.engine.breakAtIcount(undefined);
      return had === undefined ? 'there was no icount break\n' : `icount break at ${had} removed\n`;
    },
  },
  {
    names: [['replay_seek']],
    arg: 'icount',
    help: 'move to ICOUNT (restore the nearest keyframe and replay to it)',
    run: async (ctx, icount) => moved(await ctx.engine.seek(icount as number)),
  },
  {
    names: [['snapshot', 'save'], ['savevm']],
    arg: 'name',
    help: 'save the state here under NAME',
    run: (ctx, name) => {
      const s = ctx.engine.saveSnapshot(name as string);
      return `snapshot "${s.name}" saved at icount ${s.icount}${s.file === undefined ? '' : `, and to ${s.file}`}\n`;
    },
  },
  {
    names: [['snapshot', 'load'], ['loadvm']],
    arg: 'name',
    help: 'move to the snapshot NAME',
    run: async (ctx, name) => moved(await ctx.engine.loadSnapshot(name as string)),
  },
  {
    names: [['snapshot', 'list'], ['info', 'snapshots']],
    arg: 'none',
    help: 'the named snapshots',
    run: (ctx) => {
      const list = ctx.engine.snapshots();
      if (list.length === 0) return 'no snapshots\n';
      return list.map((s) => `${s.name}\ticount ${s.icount}\n`).join('');
    },
  },
  {
    names: [['go_live']],
    arg: 'optional-file',
    help: 'discard the recorded future and record on from here into a new log FILE that starts from a snapshot of this moment (record --gdb)',
    run: async (ctx, file) => {
      const goLive = ctx.engine.goLive;
      if (goLive === undefined) {
        throw new EngineError('go_live needs a recording in progress (rvreplay record --gdb). In a replay, save a snapshot here ' +
          '(monitor snapshot save NAME writes it beside the log) and record from it: rvreplay record ELF --rrfile NEW --from-snapshot FILE');
      }
      const r = await goLive.call(ctx.engine, file as string | undefined);
      return `recording from icount ${r.icount} into ${r.log}: this is the live edge now\n`;
    },
  },
  {
    names: [['snapshot', 'delete'], ['delvm']],
    arg: 'name',
    help: 'remove the snapshot NAME',
    run: (ctx, name) => {
      if (!ctx.engine.deleteSnapshot(name as string)) throw new EngineError(`there is no snapshot named "${name as string}"`);
      return `snapshot "${name as string}" deleted\n`;
    },
  },
];

export async function runMonitorCommand(line: string, ctx: MonitorContext): Promise<MonitorResult> {
  const words = line.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return { output: helpText(), ok: true };
  const found = findCommand(words);
  if (found === undefined) {
    return { output: `unknown monitor command "${line.trim()}"; the commands are:\n${helpText()}`, ok: false };
  }
  const { command, spelling } = found;
  const rest = words.slice(spelling.length);
  const usage = `usage: monitor ${usageOf(command)}\n`;
  let arg: string | number | undefined;
  if (command.arg === 'none') {
    if (rest.length !== 0) return { output: usage, ok: false };
  } else if (command.arg === 'optional-file') {
    if (rest.length > 1) return { output: usage, ok: false };
    arg = rest[0];
  } else {
    if (rest.length !== 1) return { output: usage, ok: false };
    if (command.arg === 'icount') {
      arg = parseIcount(rest[0]);
      if (arg === undefined) {
        return { output: `"${rest[0]}" is not an icount (decimal or 0x hex, with _ separators allowed)\n${usage}`, ok: false };
      }
    } else {
      arg = rest[0];
    }
  }
  try {
    return { output: await command.run(ctx, arg), ok: true };
  } catch (e) {
    if (e instanceof EngineError) return { output: `${e.message}\n`, ok: false };
    throw e;
  }
}

/** An icount as a user types it: decimal or 0x hex, `_` allowed between digits (1_000_000). */
export function parseIcount(text: string): number | undefined {
  const m = /^(?:0[xX]([0-9a-fA-F]+(?:_[0-9a-fA-F]+)*)|([0-9]+(?:_[0-9]+)*))$/.exec(text);
  if (m === null) return undefined;
  const v = m[1] !== undefined ? parseInt(m[1].replace(/_/g, ''), 16) : parseInt(m[2].replace(/_/g, ''), 10);
  return Number.isSafeInteger(v) ? v : undefined;
}

function findCommand(words: string[]): { command: MonitorCommand; spelling: string[] } | undefined {
  let best: { command: MonitorCommand; spelling: string[] } | undefined;
  for (const command of COMMANDS) {
    for (const spelling of command.names) {
      const matches = spelling.length <= words.length && spelling.every((w, i) => words[i].toLowerCase() === w);
      if (matches && (best === undefined || spelling.length > best.spelling.length)) best = { command, spelling };
    }
  }
  return best;
}

function usageOf(c: MonitorCommand): string {
  const arg = c.arg === 'icount' ? ' ICOUNT' : c.arg === 'name' ? ' NAME' : c.arg === 'optional-file' ? ' [FILE]' : '';
  return c.names[0].join(' ') + arg;
}

function helpText(): string {
  const rows = COMMANDS.map((c) => {
    const aliases = c.names.slice(1).map((n) => n.join(' '));
    return { left: usageOf(c), right: c.help + (aliases.length > 0 ? ` (also: ${aliases.join(', ')})` : '') };
  });
  const width = Math.max(...rows.map((r) => r.left.length));
  return rows.map((r) => `  ${r.left.padEnd(width)}  ${r.right}\n`).join('') +
    'ICOUNT is decimal or 0x hex; _ may separate digits.\n';
}

function moved(stop: EngineStop): string {
  const where = `now at icount ${stop.icount}, pc 0x${(stop.pc >>> 0).toString(16).padStart(8, '0')}`;
  const r = stop.reason;
  const why = r.kind === 'done' ? ''
    : r.kind === 'history-begin' ? ' (the start of history)'
    : r.kind === 'history-end' ? ' (the end of history)'
    : r.kind === 'interrupted' ? ' (interrupted)'
    : r.kind === 'diverged' ? ` (the replay diverged: ${r.message})`
    : ` (stopped: ${r.kind})`;
  return `${where}${why}\n${STALE_CACHE_NOTE}`;
}

function infoReplay(ctx: MonitorContext): string {
  const i = ctx.engine.info();
  const kf = i.keyframes;
  const shown = kf.icounts.length <= 8 ? kf.icounts.join(', ')
    : `${kf.icounts.slice(0, 4).join(', ')}, ... ${kf.icounts.slice(-2).join(', ')}`;
  const lines = [
    `mode: ${i.mode}`,
    `icount: ${i.icount}`,
    `virtual time: ${i.virtualTimeNs} ns`,
    `history: icount ${i.historyStart} to ${i.historyEnd}`,
    i.atLiveEdge
      ? 'position: the live edge (register and memory writes are allowed, and recorded)'
      : 'position: inside recorded history (register and memory writes are refused: they would make the replay diverge)',
    `keyframes: ${kf.count} (${formatBytes(kf.bytes)})${kf.count > 0 ? ` at icounts ${shown}` : ''}`,
    `icount break: ${i.icountBreak ?? 'none'}`,
    `named snapshots: ${ctx.engine.snapshots().length}`,
  ];
  if (ctx.lastRefusal !== undefined) lines.push(`last refused write: ${ctx.lastRefusal}`);
  return lines.join('\n') + '\n';
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
