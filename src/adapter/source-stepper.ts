// Stepping by source line, forward and backward, on top of the engine's instruction steps,
// breakpoints and reverse-continue, the way gdb steps (and DAP's next/stepIn/stepOut/stepBack ask):
//
// - forward `next`: step instructions while the pc stays in the current line's range; a call is
//   stepped over by running to its return address (a temporary breakpoint, hit in this frame or
//   an outer one); leaving the function returns to the caller, where stepping goes on to the
//   start of a line.
// - `stepIn`: as next, but a call into a function with line information stops at its first line.
// - `stepOut`: run to the return address of the frame.
// - `stepBack` (reverse-next): step back while in the current line; stepping back out of a callee
//   (over a call, backwards) runs back to the callee's entry with a temporary breakpoint and
//   one step more lands on the call; stop at the start of the previous line of this frame, or in
//   the caller when stepping back past the function's entry.
//
// A frame is told by the stack pointer at the stop (RISC-V code keeps sp fixed between prologue
// and epilogue, and a deeper frame has a lower sp): a pc in another function with a lower sp is a
// callee; a higher sp, a caller.

import type { DebugInfo } from '../debuginfo/debug-info.js';
import type { DebugEngine, EngineStop } from '../engine/debug-engine.js';

const SP = 2;
const RA = 1;

/** How a source-level step ended: the stop of the engine motion that ended it. */
export type StepResult = EngineStop;

export class SourceStepper {
  constructor(
    private readonly engine: DebugEngine,
    private readonly info: DebugInfo,
    /** Whether a user breakpoint hit on the way ends the step (its condition, hit count, logpoint). */
    private readonly stopsAt: (stop: EngineStop) => boolean = () => true,
  ) {}

  /** Forward to the next line of this frame (over calls), or into a callee with stepIn. */
  async next(into: boolean): Promise<StepResult> {
    const e = this.engine;
    const start = this.where();
    const range = this.lineRange(start.pc);
    if (range === undefined) return e.stepi();
    for (;;) {
      const before = this.where();
      const returnAddress = before.pc + this.instructionLength(before.pc);
      const stop = await e.stepi();
      if (stop.reason.kind !== 'done') return stop;
      const now = this.where();
      if (now.fn !== before.fn && this.reg(RA) === returnAddress && now.pc !== returnAddress) {
        // A call: into it (stepIn, where it has lines), or over it to its return address.
        if (into && this.lineRange(now.pc) !== undefined) return this.pastPrologue(stop);
        const over = await this.runTo(returnAddress, (sp) => sp >= before.sp);
        if (over.reason.kind !== 'done') return over;
        continue;
      }
      if (now.fn !== start.fn && now.sp > start.sp) return this.toLineStart(stop); // returned to the caller
      if (now.pc < range.start || now.pc >= range.end) {
        const line = this.info.lineAt(now.pc);
        if (line !== undefined && line.address === now.pc && line.isStmt) return stop;
        if (now.fn !== start.fn) return this.toLineStart(stop);
      }
    }
  }

  /** Forward out of this frame, to the instruction after the call in the caller. */
  async out(): Promise<StepResult> {
    const cpu = this.engine.machine.cpu;
    const frames = this.info.callStack({ pc: cpu.pc, x: cpu.x }, { readMemory: (a, n) => this.read(a, n) }).frames;
    const caller = frames.find((_f, i) => i > 0 && !frames[i - 1].inlined);
    if (caller === undefined) return this.engine.continue();
    // Back in the caller, sp is what it was at the call: the frame's CFA.
    const cfa = frames[0].physical.cfa;
    const sp = this.where().sp;
    return this.runTo(caller.pc, cfa !== undefined ? (now) => now >= cfa : (now) => now > sp);
  }

  /** Backward out of this frame, onto the call in the caller (what DAP lacks: a reverse stepOut). */
  async reverseOut(): Promise<StepResult> {
    const cpu = this.engine.machine.cpu;
    const fn = this.info.functionAt(cpu.pc);
    if (fn === undefined) return this.engine.reverseStepi();
    if (cpu.pc !== fn.entryPc) {
      // At the entry of this invocation, sp is the caller's: the frame's CFA.
      const frames = this.info.callStack({ pc: cpu.pc, x: cpu.x }, { readMemory: (a, n) => this.read(a, n) }, { maxFrames: 1 }).frames;
      const cfa = frames[0]?.physical.cfa;
      const back = await this.reverseTo(fn.entryPc, (sp) => cfa === undefined || sp === cfa);
      if (back.reason.kind !== 'done') return back;
    }
    return this.engine.reverseStepi();
  }

  /** Just stepped into a function at its entry: on to the end of its prologue, as gdb's step does. */
  private async pastPrologue(stop: StepResult): Promise<StepResult> {
    const fn = this.info.functionAt(this.engine.machine.cpu.pc);
    if (fn === undefined) return stop;
    const body = this.info.breakpoints.functionStart(fn).address;
    if (body === this.engine.machine.cpu.pc) return stop;
    const sp = this.where().sp;
    return this.runTo(body, (now) => now <= sp); // the prologue runs straight to the body
  }

  /**
   * Backward to the start of the line executed before this one in this frame (over calls), or to
   * the start of this line when the position is inside it; out to the caller (on the call) when
   * stepping back past the function's entry.
   */
  async back(): Promise<StepResult> {
    const e = this.engine;
    const start = this.where();
    let range = this.lineRange(start.pc);
    if (range === undefined) return e.reverseStepi();
    let leftStartLine = start.pc !== range.start;
    for (;;) {
      const before = this.where();
      const stop = await e.reverseStepi();
      if (stop.reason.kind !== 'done') return stop;
      const now = this.where();
      if (now.fn !== before.fn) {
        // From our entry back onto the call in the caller: stop there.
        if (before.pc === before.fn) return stop;
        // From just after a call back onto the callee's return: back to its entry in this
        // invocation (its sp there is ours), then one step more onto the call.
        const entry = now.fn;
        if (entry === undefined) continue;
        const back = await this.reverseTo(entry, (sp) => sp === before.sp);
        if (back.reason.kind !== 'done') return back;
        const onCall = await e.reverseStepi();
        if (onCall.reason.kind !== 'done') return onCall;
        continue;
      }
      if (now.pc < range.start || now.pc >= range.end) {
        leftStartLine = true;
        range = this.lineRange(now.pc) ?? range;
      }
      // The start of the whole line (all its consecutive entries), so that stepping forward
      // again runs all of it: its calls too.
      if (leftStartLine && now.pc === range.start) return stop;
    }
  }

  /** Forward until the pc is `pc` with an sp `frame` accepts (a temporary breakpoint). */
  private runTo(pc: number, frame: (sp: number) => boolean): Promise<StepResult> {
    return this.withBreakpoint(pc, () => this.engine.continue(), frame);
  }

  /** Backward to the last time the pc was `pc` with an sp `frame` accepts. */
  private reverseTo(pc: number, frame: (sp: number) => boolean): Promise<StepResult> {
    return this.withBreakpoint(pc, () => this.engine.reverseContinue(), frame);
  }

  /**
   * Moves with a temporary breakpoint at `pc` (one the user set there stays) until it is hit in
   * a frame `frame` accepts. A user breakpoint hit on the way ends the step if it wants a stop.
   */
  private async withBreakpoint(pc: number, move: () => Promise<StepResult>, frame: (sp: number) => boolean): Promise<StepResult> {
    const e = this.engine;
    const users = e.machine.cpu.debug.hasBreakpoint(pc);
    if (!users) e.addBreakpoint(pc);
    try {
      for (;;) {
        const stop = await move();
        if (stop.reason.kind !== 'breakpoint') return stop;
        if (stop.pc === pc && frame(this.where().sp)) return { ...stop, reason: { kind: 'done' } };
        if ((stop.pc !== pc || users) && this.stopsAt(stop)) return stop;
      }
    } finally {
      if (!users) e.removeBreakpoint(pc);
    }
  }

  private instructionLength(pc: number): number {
    const inst = this.engine.machine.cpu.inspectInstruction(pc);
    return inst !== undefined && (inst & 3) !== 3 ? 2 : 4;
  }

  /** After landing mid-line (a return), step on to the start of a line. */
  private async toLineStart(stop: StepResult): Promise<StepResult> {
    let last = stop;
    for (let i = 0; i < 10_000; i++) {
      const pc = this.engine.machine.cpu.pc;
      const line = this.info.lineAt(pc);
      if (line === undefined || (line.address === pc && line.isStmt)) return last;
      last = await this.engine.stepi();
      if (last.reason.kind !== 'done') return last;
    }
    return last;
  }

  private lineRange(pc: number): { start: number; end: number } | undefined {
    const line = this.info.lineAt(pc);
    if (line === undefined) return undefined;
    // Consecutive line-table entries of the same line make one range.
    let start = line.address;
    let end = line.end;
    for (let next = this.info.lineAt(end); next !== undefined && next.line === line.line && next.path === line.path && next.address === end; next = this.info.lineAt(end)) {
      if (next.end <= end) break;
      end = next.end;
    }
    for (let prev = start > 0 ? this.info.lineAt(start - 1) : undefined; prev !== undefined && prev.line === line.line && prev.path === line.path && prev.end === start; prev = start > 0 ? this.info.lineAt(start - 1) : undefined) {
      if (prev.address >= start) break;
      start = prev.address;
    }
    return { start, end };
  }

  private where(): { pc: number; sp: number; fn: number | undefined } {
    const pc = this.engine.machine.cpu.pc;
    return { pc, sp: this.reg(SP), fn: this.info.functionAt(pc)?.entryPc };
  }

  private reg(n: number): number {
    return this.engine.machine.cpu.x[n] >>> 0;
  }

  private read(address: number, size: number): Uint8Array | undefined {
    const bytes = this.engine.readMemory(address, size);
    return bytes.length === size ? bytes : undefined;
  }
}
