// The debugger's breakpoints by address: source lines, functions and instructions, each possibly
// with a condition, a hit count or a log message (a logpoint). The engine holds one plain
// breakpoint per address; when a motion stops at one, `decide` says whether the user's
// breakpoints there want a stop (and which), what logpoints print, and otherwise the motion goes
// on in the same direction. Hit counts count the hits the user has gone through, forward or back.

import type { DebugInfo } from '../debuginfo/debug-info.js';
import type { StackFrame } from '../debuginfo/stack.js';
import type { DebugEngine } from '../engine/debug-engine.js';

export type BreakpointOrigin = 'source' | 'function' | 'instruction';

export interface BreakpointEntry {
  id: number;
  address: number;
  origin: BreakpointOrigin;
  /** The source path of a source breakpoint (its set is replaced as a whole). */
  path?: string;
  /** The function of the breakpoint's location (gdb's location symbol): the one its stop shows. */
  functionName?: string;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  hits: number;
}

export interface Decision {
  stop: boolean;
  /** The ids of the breakpoints that stopped. */
  ids: number[];
  /** Lines logpoints printed. */
  logs: string[];
  /** Inlined frames at the top the stop does not show (see framesToHide). */
  hidden: number;
  /** Why a condition could not be evaluated (the breakpoint then stops, as VS Code expects). */
  errors: string[];
}

export class BreakpointTable {
  private nextId = 1;
  private entries: BreakpointEntry[] = [];

  constructor(private readonly engine: DebugEngine) {}

  /** Replaces the breakpoints of one origin (and, for source breakpoints, one file) with `added`. */
  replace(origin: BreakpointOrigin, path: string | undefined, added: Omit<BreakpointEntry, 'id' | 'hits' | 'origin' | 'path'>[]): BreakpointEntry[] {
    const kept = this.entries.filter((e) => e.origin !== origin || (path !== undefined && e.path !== path));
    const fresh = added.map((a) => ({ ...a, id: this.nextId++, origin, path, hits: 0 }));
    const before = new Set(this.entries.map((e) => e.address));
    this.entries = [...kept, ...fresh];
    const after = new Set(this.entries.map((e) => e.address));
    for (const a of before) if (!after.has(a)) this.engine.removeBreakpoint(a);
    for (const a of after) if (!before.has(a)) this.engine.addBreakpoint(a);
    return fresh;
  }

  /** True when a user breakpoint is at `pc`. */
  has(pc: number): boolean {
    return this.entries.some((e) => e.address === pc);
  }

  /** A new id for a breakpoint that could not be placed (VS Code still wants one per request entry). */
  unplaced(): number {
    return this.nextId++;
  }

  /**
   * The motion stopped at a breakpoint at `pc`: whether to stay, given the call stack there.
   * Conditions and logpoints are evaluated in the frame the stop shows.
   */
  decide(pc: number, info: DebugInfo | undefined, frames: readonly StackFrame[]): Decision {
    const d: Decision = { stop: false, ids: [], logs: [], errors: [], hidden: 0 };
    const here = this.entries.filter((e) => e.address === pc);
    if (here.length === 0) return d; // a breakpoint of the debugger's own (a step's), or one just removed
    for (const e of here) {
      const hidden = framesToHide(e, frames);
      const frame = frames[hidden];
      if (d.ids.length === 0) d.hidden = hidden;
      if (e.condition !== undefined && e.condition.trim() !== '') {
        try {
          if (!truthy(info, e.condition, frame, this.engine)) continue;
        } catch (err) {
          d.errors.push(`breakpoint condition '${e.condition}': ${(err as Error).message}`);
          d.stop = true;
          d.ids.push(e.id);
          continue;
        }
      }
      e.hits++;
      if (e.hitCondition !== undefined && !hitConditionMet(e.hitCondition, e.hits)) continue;
      if (e.logMessage !== undefined) {
        d.logs.push(interpolate(e.logMessage, info, frame, this.engine));
        continue;
      }
      d.stop = true;
      d.ids.push(e.id);
    }
    return d;
  }
}

/**
 * How many inlined frames at the top a stop at `e` does not show, by gdb's rule for breakpoints
 * at inlined code: an inlined call that starts exactly at the pc is not entered yet unless it is
 * the breakpoint's own function (`break f` where f's body starts with an inlined call stops in f).
 */
function framesToHide(e: BreakpointEntry, frames: readonly StackFrame[]): number {
  if (e.functionName === undefined) return 0;
  let k = 0;
  while (k < frames.length - 1 && frames[k].inlined && frames[k].function?.entryPc === e.address && frames[k].name !== e.functionName) k++;
  return k;
}

function truthy(info: DebugInfo | undefined, expression: string, frame: StackFrame | undefined, engine: DebugEngine): boolean {
  if (info === undefined) throw new Error('the program has no debug information to evaluate it with');
  return info.evaluate(expression, memoryOf(engine), frame).scalar() !== 0n;
}

/** `5` (the 5th hit and after), `>= 5`, `== 5`, `% 3` (every third), as VS Code users write them. */
function hitConditionMet(text: string, hits: number): boolean {
  const m = /^\s*(>=|>|==|=|<=|<|%)?\s*(\d+)\s*$/.exec(text);
  if (m === null) return true;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>': return hits > n;
    case '<': return hits < n;
    case '<=': return hits <= n;
    case '==': case '=': return hits === n;
    case '%': return n > 0 && hits % n === 0;
    default: return hits >= n;
  }
}

/** A logpoint's message with each {expression} replaced by its value. */
function interpolate(message: string, info: DebugInfo | undefined, frame: StackFrame | undefined, engine: DebugEngine): string {
  return message.replace(/\{([^{}]+)\}/g, (_all, expr: string) => {
    if (info === undefined) return `{${expr}}`;
    try {
      return info.evaluate(expr, memoryOf(engine), frame).format();
    } catch (e) {
      return `<${(e as Error).message}>`;
    }
  });
}

function memoryOf(engine: DebugEngine): { readMemory(a: number, n: number): Uint8Array | undefined } {
  return {
    readMemory: (a, n) => {
      const bytes = engine.readMemory(a, n);
      return bytes.length === n ? bytes : undefined;
    },
  };
}
