// `rvreplay info <log>`: what a record/replay log holds — the machine and guest it was recorded
// on, how long it runs in instructions and virtual time, its events per kind, its snapshots, and
// whether it ended cleanly or where it is damaged.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readSnapshotInfo } from '../emu/snapshot.js';
import { EVENT_KIND_NAMES } from '../shared/log-events.js';
import type { LogReader } from '../replay/log/log-reader.js';
import { summarizeLog, type LogSummary } from '../replay/log/log-summary.js';
import { openLogFile, reportDamage } from './log-file.js';
import { parseCommand, type CommandSpec } from './options.js';
import { writeStdout } from './stdout.js';

export const INFO_COMMAND: CommandSpec = {
  name: 'info',
  args: ['<log>'],
  summary: [
    'Describes a record/replay log: the machine, guest and disks it was recorded with, its length in',
    'instructions and virtual time, its events per kind, its snapshots, and whether it ended cleanly.',
    '',
    'exit statuses: 0 a clean log, 123 a damaged log (the damage is named on stderr; what is readable',
    'is still described), 2 not a log or not readable.',
  ].join('\n'),
  options: [],
};

export async function infoCommand(argv: string[]): Promise<number> {
  const { positional } = parseCommand(INFO_COMMAND, argv);
  const path = positional[0];
  const reader = openLogFile(path);
  const summary = summarizeLog(reader);
  await writeStdout(describeLog(path, reader, summary).join('\n') + '\n');
  return reportDamage(path, reader);
}

function describeLog(path: string, reader: LogReader, s: LogSummary): string[] {
  const h = reader.header;
  const m = h.machine;
  const rows: [string, string[]][] = [
    ['log', [`${path} (${reader.chunks.length} chunk${reader.chunks.length === 1 ? '' : 's'}, ${reader.indexed ? 'indexed' : 'no index'}, format version ${reader.version})`]],
    ['writer', [h.writer]],
    ['created', [h.created]],
    ['machine', [`${m.board}, ${m.isa}, ${m.ramMiB} MiB RAM, icount shift ${m.icountShift} (${2 ** m.icountShift} ns per instruction)`]],
    ['guest', [file(h.guest)]],
    ['devices', (m.devices ?? []).length === 0 ? ['none'] : m.devices!.map((d) =>
      `virtio slot ${d.slot}: ${d.kind}${d.disk !== undefined ? ` (disk ${d.disk})` : ''}${d.mac !== undefined ? ` (mac ${d.mac})` : ''}`)],
    ['disks', h.disks.length === 0 ? ['none'] : h.disks.map(file)],
    ['state', [`${h.stateLayout.length} regions, ${h.stateLayout.reduce((n, r) => n + r.bytes, 0)} bytes`]],
    ['digests', [h.digestInterval > 0 ? `every ${h.digestInterval} instructions` : 'none']],
    ['snapshot', [h.snapshot === undefined ? 'none (recorded from boot)' : `${h.snapshot.name} (sha256 ${h.snapshot.sha256})`]],
  ];
  const end = s.endIcount ?? s.lastIcount ?? 0;
  rows.push(
    ['events', [s.firstIcount === undefined ? 'none readable' : `${s.events}, from icount ${s.firstIcount} to ${s.lastIcount}`]],
    ['length', [`${end} instructions, ${duration(end * 2 ** m.icountShift)} of virtual time${s.endIcount === undefined ? ' (to the last readable event)' : ''}`]],
    ['kinds', s.counts.size === 0 ? ['none'] : [...s.counts].map(([k, n]) => `${(EVENT_KIND_NAMES.get(k) ?? `kind-${k}`).padEnd(11)} ${n}`)],
    ['snapshots', s.snapshots.length === 0 ? ['none'] : s.snapshots.map((x) => `${JSON.stringify(x.name)} at icount ${x.icount}`)],
    ['saved', savedSnapshots(path)],
    ['end', [s.damage !== undefined ? `damaged: ${s.damage.message}` : s.endIcount !== undefined ? `clean, End at icount ${s.endIcount}` : 'no End event']],
  );
  return rows.flatMap(([label, lines]) => lines.map((line, i) => `${(i === 0 ? label : '').padEnd(10)} ${line}`));
}

/** The snapshot files beside the log (<log>.<name>.snap: its start snapshot, those saved under gdb), by icount. */
function savedSnapshots(path: string): string[] {
  const prefix = `${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path)).filter((n) => n.startsWith(prefix) && n.endsWith('.snap'));
  } catch {
    return ['none'];
  }
  const rows = names.map((n) => {
    const name = n.slice(prefix.length, -'.snap'.length);
    try {
      const info = readSnapshotInfo(readFileSync(join(dirname(path), n)));
      return { icount: info.icount, text: `${JSON.stringify(name)} at icount ${info.icount} (${n})` };
    } catch (e) {
      return { icount: Infinity, text: `${JSON.stringify(name)}: unreadable (${(e as Error).message})` };
    }
  });
  return rows.length === 0 ? ['none'] : rows.sort((a, b) => a.icount - b.icount).map((r) => r.text);
}

function file(f: { path: string; sha256: string; bytes: number }): string {
  return `${f.path} (${f.bytes} bytes, sha256 ${f.sha256})`;
}

/** ns in the largest unit that keeps the number at least 1, to three decimals. */
function duration(ns: number): string {
  if (ns < 1e3) return `${ns} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(3)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}
