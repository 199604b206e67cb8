// Case `tt/timetravel`: time travel on a recording of over 10^9 instructions (the compute kernels,
// 7,000 rounds), through the same engine the gdb stub and the debugger use. Figures: recording
// it, the first pass through history (keyframes taken), reverse-stepi (the first step at a place,
// and the ones after), seeks to random icounts, reverse-continue to the last of 7,000 breakpoint
// hits and forward to the next, keyframe memory, and full snapshot save and load. Targets (the
// issue's): reverse-stepi median ≤ 50 ms, reverse-continue ≤ 1 s, keyframes ≤ 256 MiB; missing
// one is a note. Checks (problems): a seek reached by two routes lands on the same state, and
// the hit reverse-continue finds is the last one before the position.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReplaySession, type ReplaySession } from '../src/cli/replay-session.js';
import { loadSnapshot, saveSnapshot } from '../src/emu/snapshot.js';
import { digestRam, digestRegions } from '../src/emu/state-digest.js';
import type { EngineStop } from '../src/engine/debug-engine.js';
import { ReplayEngine } from '../src/engine/replay-engine.js';
import { readElfSymbols } from '../test/oracle/elf-symbols.js';
import type { BenchCase, BenchContext, CaseResult, Cell } from './case.js';
import { fixed, grouped, median } from './figures.js';
import { GUESTS_DIR } from './paths.js';
import { seeded, timed } from './timing.js';
import { runRvreplay } from './rvreplay.js';

const ELF = join(GUESTS_DIR, 'timetravel.elf');
const TABLE = 'time travel (engine, timetravel guest: 1.0 G instructions recorded)';
const TARGET_STEP_MS = 50;
const TARGET_CONTINUE_MS = 1000;
const TARGET_KEYFRAME_MIB = 256;

export function timeTravelCase(): BenchCase {
  return {
    name: 'tt/timetravel',
    async run(ctx) {
      const dir = mkdtempSync(join(tmpdir(), 'rvreplay-tt-'));
      const opened: ReplaySession[] = [];
      try {
        return await measure(ctx, dir, opened);
      } finally {
        for (const s of opened) s.disks.forEach((d) => d.close());
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

async function measure(ctx: BenchContext, dir: string, opened: ReplaySession[]): Promise<CaseResult[]> {
  const log = ctx.log;
  const rows: CaseResult[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const row = (what: string, cells: Cell[]): void => {
    rows.push({ table: TABLE, cells: [{ header: 'measure', value: what, align: 'left' }, ...cells], problems: [], notes: [] });
  };
  const ms = (header: string, v: number | undefined): Cell => ({ header, value: fixed(v, 1) });

  const rrfile = join(dir, 'tt.rr');
  log('tt: recording the timetravel guest (about 10^9 instructions)');
  const rec = await runRvreplay(ctx, ['record', ELF, '--rrfile', rrfile, '--stats']);
  if (rec.run.exitCode !== 0 || rec.stats === undefined) {
    return [{ table: TABLE, cells: [], problems: [`tt: the recording failed (status ${rec.run.exitCode}): ${rec.otherStderr}`], notes: [] }];
  }
  if (rec.run.stdout !== readFileSync(join(GUESTS_DIR, 'timetravel.expected'), 'utf8')) problems.push('tt: the recording\'s output differs from timetravel.expected (QEMU\'s)');
  const recMs = rec.stats.coreWallMs;
  row('record (rvreplay record)', [ms('median ms', recMs), ms('max ms', recMs), { header: 'detail', value: `${grouped(rec.stats.icount)} instructions`, align: 'left' }]);

  const open = (): ReplaySession => {
    const s = openReplaySession(ELF, rrfile, { console: { write: () => {} } });
    opened.push(s);
    return s;
  };
  const session = open();
  const engine = new ReplayEngine(session.machine, session.replayer, undefined);
  const end = engine.info().historyEnd;

  log('tt: the first pass through history');
  const [, firstMs] = await timed(() => engine.seek(end));
  const kf = engine.info().keyframes;
  row('first pass: replay to the end, taking keyframes', [ms('median ms', firstMs), ms('max ms', firstMs),
    { header: 'detail', value: `${kf.count} keyframes, ${fixed(kf.bytes / 2 ** 20, 1)} MiB`, align: 'left' }]);

  // reverse-stepi: 5 places, 10 steps each; the first step at a place seeks there from afar.
  const random = seeded(7);
  const firstSteps: number[] = [];
  const nextSteps: number[] = [];
  for (let place = 0; place < 5; place++) {
    const at = place === 0 ? end : Math.floor(random() * end);
    await engine.seek(at);
    for (let i = 0; i < 10; i++) {
      const [, t] = await timed(() => engine.reverseStepi());
      (i === 0 ? firstSteps : nextSteps).push(t);
    }
  }
  row('reverse-stepi, the first after seeking to a place (5 places)', [ms('median ms', median(firstSteps)), ms('max ms', Math.max(...firstSteps))]);
  row('reverse-stepi, the next ones (9 at each place)', [ms('median ms', median(nextSteps)), ms('max ms', Math.max(...nextSteps))]);
  const stepMedian = median([...firstSteps, ...nextSteps]);
  if (stepMedian > TARGET_STEP_MS) notes.push(`tt: reverse-stepi median ${fixed(stepMedian, 1)} ms misses the ${TARGET_STEP_MS} ms target`);

  const seeks: number[] = [];
  for (let i = 0; i < 20; i++) {
    const target = Math.floor(random() * end);
    seeks.push((await timed(() => engine.seek(target)))[1]);
  }
  row('seek to a random icount (20)', [ms('median ms', median(seeks)), ms('max ms', Math.max(...seeks))]);

  // The same icount reached from two places must show the same state.
  const probe = Math.floor(end * 0.61);
  await engine.seek(end);
  await engine.seek(probe);
  const fromEnd = stateOf(session);
  await engine.seek(0);
  await engine.seek(probe);
  if (stateOf(session) !== fromEnd) problems.push(`tt: the state at icount ${probe} differs when reached from the end and from the start`);

  // reverse-continue to the last of many hits, and forward to the next.
  const bp = readElfSymbols(ELF).get('kernels_round')?.value;
  if (bp === undefined) {
    problems.push('tt: timetravel.elf has no kernels_round symbol');
  } else {
    engine.addBreakpoint(bp);
    await engine.seek(end);
    const [back, backMs] = await timed(() => engine.reverseContinue());
    await engine.seek(Math.floor(end / 2));
    const [fwd, fwdMs] = await timed(() => engine.continue());
    row('reverse-continue from the end to the last of 7,000 hits', [ms('median ms', backMs), ms('max ms', backMs)]);
    row('continue from the middle to the next hit', [ms('median ms', fwdMs), ms('max ms', fwdMs)]);
    if (backMs > TARGET_CONTINUE_MS) notes.push(`tt: reverse-continue took ${fixed(backMs, 0)} ms, beyond the ${TARGET_CONTINUE_MS} ms target`);
    checkLastHit(engine, back, end, problems);
    if (fwd.reason.kind !== 'breakpoint') problems.push(`tt: continue from the middle stopped for ${fwd.reason.kind}, not at the breakpoint`);
    engine.removeBreakpoint(bp);
    if (back.reason.kind === 'breakpoint') {
      // Nothing between that hit and the end: forward from it, the next stop is the end.
      engine.addBreakpoint(bp);
      await engine.seek(back.icount);
      const after = await engine.continue();
      engine.removeBreakpoint(bp);
      if (after.reason.kind !== 'history-end') problems.push(`tt: a hit after the one reverse-continue found, at icount ${after.icount}`);
    }
  }

  const kfNow = engine.info().keyframes;
  row('keyframe memory at the end', [{ header: 'median ms', value: '-' }, { header: 'max ms', value: '-' },
    { header: 'detail', value: `${fixed(kfNow.bytes / 2 ** 20, 1)} MiB in ${kfNow.count} keyframes (target ≤ ${TARGET_KEYFRAME_MIB} MiB)`, align: 'left' }]);
  if (kfNow.bytes > TARGET_KEYFRAME_MIB * 2 ** 20) notes.push(`tt: keyframes hold more than ${TARGET_KEYFRAME_MIB} MiB`);

  // A full snapshot (the file format) of the state in the middle, saved and loaded into another machine.
  await engine.seek(Math.floor(end / 2));
  const saves: number[] = [];
  let bytes: Uint8Array = new Uint8Array();
  for (let i = 0; i < 3; i++) {
    const [b, t] = await timed(async () => saveSnapshot(session.machine, 'bench'));
    bytes = b;
    saves.push(t);
  }
  const other = open();
  const loads = [];
  for (let i = 0; i < 3; i++) loads.push((await timed(async () => loadSnapshot(other.machine, bytes)))[1]);
  row('snapshot save (128 MiB guest, full)', [ms('median ms', median(saves)), ms('max ms', Math.max(...saves)), { header: 'detail', value: `${fixed(bytes.length / 2 ** 20, 2)} MiB`, align: 'left' }]);
  row('snapshot load into another machine', [ms('median ms', median(loads)), ms('max ms', Math.max(...loads))]);
  if (stateOf(other) !== stateOf(session)) problems.push('tt: the loaded snapshot differs from the state it was saved from');

  rows[rows.length - 1].problems.push(...problems);
  rows[rows.length - 1].notes.push(...notes, 'tt: QEMU\'s reverse debugging is not run here; measured by hand with QEMU 7.2 on a 700 M-instruction recording: reverse-stepi ~36 s, reverse-continue ~84 s');
  return rows;
}

/** The last hit before `end` is the one reverse-continue must find. */
function checkLastHit(engine: ReplayEngine, stop: EngineStop, end: number, problems: string[]): void {
  if (stop.reason.kind !== 'breakpoint') problems.push(`tt: reverse-continue stopped for ${stop.reason.kind}, not at the breakpoint`);
  else if (stop.icount >= end) problems.push(`tt: reverse-continue stopped at ${stop.icount}, not before ${end}`);
  void engine;
}

function stateOf(s: ReplaySession): string {
  return `${s.machine.icount}:${digestRegions(s.machine.arena).join(',')}:${digestRam(s.machine.ram)}`;
}
