// The stop reply gdb gets when a motion ends, and the console line (sent first, as an `O`
// packet) for stops gdb has no words for. Signals: 5 (SIGTRAP) for every debug stop, 2 (SIGINT)
// for an interrupt. Reasons gdb understands: swbreak/hwbreak (only when gdb said it knows them),
// watch/rwatch/awatch with the address, replaylog:begin/end at either end of history.
//
// Stops with no RSP reason of their own:
// - the end of history with the guest finished: a console line says how it finished, then
//   replaylog:end. Never `W`: the session stays alive so gdb can go back from the end.
// - idle (the hart waits for an interrupt nothing can bring) and diverged (the replay no longer
//   matches its log): a console line says why, then replaylog:end, because in both the position
//   cannot move forward any more, which is what gdb's "No more reverse-execution history" means;
//   a bare T05 would be shown as a SIGTRAP the program never received, and gdb would pass it on.
// - the icount break (QEMU's replay_break): a console line naming the icount, then T05.

import type { EngineStop, WatchKind } from '../engine/debug-engine.js';
import { trapName } from '../replay/describe-event.js';

export const THREAD_ID = 1;

export interface StopReplyOptions {
  /** gdb announced swbreak+ / hwbreak+ in qSupported. */
  swbreak: boolean;
  hwbreak: boolean;
  /** Which kinds of breakpoint gdb inserted at `pc` (the engine does not tell them apart). */
  breakpointKinds(pc: number): { software: boolean; hardware: boolean };
}

export interface StopReply {
  /** Text for the gdb console, sent before the reply. */
  console?: string;
  packet: string;
}

const WATCH_REASON: Record<WatchKind, string> = { write: 'watch', read: 'rwatch', access: 'awatch' };

export function stopReply(stop: EngineStop, options: StopReplyOptions): StopReply {
  const trap = (reasons = ''): string => `T05thread:${THREAD_ID};${reasons}`;
  const r = stop.reason;
  switch (r.kind) {
    case 'done':
      return { packet: trap() };
    case 'breakpoint': {
      const kinds = options.breakpointKinds(r.pc);
      if (kinds.software && options.swbreak) return { packet: trap('swbreak:;') };
      if (kinds.hardware && options.hwbreak) return { packet: trap('hwbreak:;') };
      return { packet: trap() };
    }
    case 'watchpoint':
      return { packet: trap(`${WATCH_REASON[r.watch]}:${(r.address >>> 0).toString(16)};`) };
    case 'trap':
      return { console: `rvreplay: the guest took ${trapName(r.cause, r.interrupt)}\n`, packet: trap() };
    case 'icount':
      return { console: `rvreplay: stopped at the icount break, icount ${r.icount}\n`, packet: trap() };
    case 'history-begin':
      return { packet: trap('replaylog:begin;') };
    case 'history-end': {
      const exit = r.exit;
      if (exit === undefined) return { packet: trap('replaylog:end;') };
      const how = exit.kind === 'pass' ? 'finished with exit code 0'
        : exit.kind === 'fail' ? `finished with exit code ${exit.code}` : 'asked for a reset';
      return { console: `rvreplay: the guest ${how} at icount ${stop.icount}: its history ends here\n`, packet: trap('replaylog:end;') };
    }
    case 'idle':
      return {
        console: `rvreplay: at icount ${stop.icount} the hart waits for an interrupt that nothing can bring: it cannot go further\n`,
        packet: trap('replaylog:end;'),
      };
    case 'diverged':
      return { console: `rvreplay: the replay diverged: ${r.message}\n`, packet: trap('replaylog:end;') };
    case 'interrupted':
      return { packet: `T02thread:${THREAD_ID};` };
  }
}
