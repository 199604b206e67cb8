// The plain runs of a guest (`rvreplay run --stats` and QEMU with -icount shift=0, alternating),
// measured once per `npm run bench` and shared: run/<guest> reports them, and rr/<guest> checks
// that a recording counts the instructions they did and bounds QEMU's record and replay time by
// them. (rr/<guest> makes its own plain runs beside its recordings for the overhead figures.)
import { existsSync } from 'node:fs';
import type { BenchContext } from './case.js';
import type { BenchGuest } from './guests.js';
import { runQemu } from './qemu.js';
import { runRvreplay, type RvreplayRun } from './rvreplay.js';
import type { TimedRun } from './timed-run.js';

export interface PlainRuns {
  /** Empty when the CLI is missing. */
  ours: RvreplayRun[];
  /** Empty when QEMU is missing. */
  theirs: TimedRun[];
}

const measured = new WeakMap<BenchContext, Map<string, Promise<PlainRuns>>>();

/** The guest's plain runs, `ctx.reps` of each, measured on first request. */
export function plainRuns(ctx: BenchContext, guest: BenchGuest): Promise<PlainRuns> {
  let byGuest = measured.get(ctx);
  if (byGuest === undefined) measured.set(ctx, (byGuest = new Map()));
  let runs = byGuest.get(guest.name);
  if (runs === undefined) byGuest.set(guest.name, (runs = measure(ctx, guest)));
  return runs;
}

async function measure(ctx: BenchContext, guest: BenchGuest): Promise<PlainRuns> {
  const runs: PlainRuns = { ours: [], theirs: [] };
  const haveCli = existsSync(ctx.cliPath);
  // Alternating keeps a slow patch on a shared machine from landing on one side only.
  for (let rep = 1; rep <= ctx.reps; rep++) {
    if (haveCli) {
      const r = await runRvreplay(ctx, ['run', guest.elf, '--stats']);
      ctx.log(`${guest.name}: rvreplay ${rep}/${ctx.reps} ${(r.run.wallMs / 1000).toFixed(2)} s`);
      runs.ours.push(r);
    }
    if (ctx.qemuPath !== undefined) {
      const q = await runQemu(ctx, ctx.qemuPath, guest.elf);
      ctx.log(`${guest.name}: qemu ${rep}/${ctx.reps} ${(q.wallMs / 1000).toFixed(2)} s`);
      runs.theirs.push(q);
    }
  }
  return runs;
}
