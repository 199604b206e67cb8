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
// callee; a higher sp, a caller. Inside one real function, inlined calls are frames too
// (inline-frames.ts): next and stepBack run over an inlined call to the function's own code
// with temporary breakpoints, as over a real call, and `hidden` says how many inlined frames at
// the top the user does not see (a breakpoint on a line that starts with an inlined call shows
// the line, as gdb does), so the step is of the frame the user sees.

import type { DebugInfo } from '../debuginfo/debug-info.js';
import type { BreakpointFilter, DebugEngine, EngineStop } from '../engine/debug-engine.js';
import { functionAddresses, inlineChainAt, inlineRelation, type InlineChain, type InlineRelation } from './inline-frames.js';

const SP = 2;
const RA = 1;
/** Instructions stepped back one at a time, out of inlined code, before a scan does it. */
const QUICK_REVERSE_STEPS = 64;

/** How a source-level step ended: the stop of the engine motion that ended it. */
export type StepResult = EngineStop;

export class SourceStepper {
  private readonly addressCache = new Map<string, ReadonlySet<number>>();

  constructor(
    private readonly engine: DebugEngine,
    private readonly info: DebugInfo,
    /** Whether a user breakpoint hit on the way ends the step (its condition, hit count, logpoint). */
    private readonly stopsAt: (stop: EngineStop) => boolean = () => true,
    /** Instructions stepped back one at a time out of inlined code before a scan does it. */
    private readonly quickReverseSteps = QUICK_REVERSE_STEPS,
  ) {}

  /** Forward to the next line of this frame (over calls), or into a callee with stepIn. */
  async next(into: boolean, hidden = 0): Promise<StepResult> {
    const e = this.engine;
    const start = this.where();
    const frame = this.frameAt(start.pc, hidden);
    // From a hidden inlined call, the line is the call's line in the frame, known once out of it.
    let range = hidden > 0 ? undefined : this.lineRange(start.pc);
    if (range === undefined && hidden === 0) return e.stepi();
    for (;;) {
      const before = this.where();
      const returnAddress = before.pc + this.instructionLength(before.pc);
      let stop = await e.stepi();
      if (stop.reason.kind !== 'done') return stop;
      let now = this.where();
      if (now.fn !== before.fn && this.reg(RA) === returnAddress && now.pc !== returnAddress) {
        // A call: into it (stepIn, where it has lines), or over it to its return address.
        if (into && this.lineRange(now.pc) !== undefined) return this.pastPrologue(stop);
        const over = await this.runTo(new Set([returnAddress]), (sp) => sp >= before.sp);
        if (over.reason.kind !== 'done') return over;
        continue;
      }
      if (now.fn !== start.fn && now.sp > start.sp) return this.toLineStart(stop); // returned to the caller
      let relation = inlineRelation(inlineChainAt(this.info, now.pc), frame);
      if (relation === 'deeper') {
        // An inlined call: into it (stepIn, at one of its lines), or over it to this frame's code.
        if (into && this.isStatementStart(now.pc)) return stop;
        const cfa = this.cfa();
        stop = await this.runTo(this.addresses(now.pc, frame, ['own', 'outside']), () => cfa === undefined || (this.cfa() ?? 0) >= cfa);
        if (stop.reason.kind !== 'done') return stop;
        now = this.where();
        if (now.fn !== start.fn) continue; // left the function (a tail call): as a step would
        relation = inlineRelation(inlineChainAt(this.info, now.pc), frame);
      }
      if (relation === 'outside') return this.toLineStart(stop); // out of an inlined frame into its caller
      if (range === undefined) {
        // Out of the hidden call: still on the call's line, or on the next one.
        const line = this.info.lineAt(now.pc);
        const call = this.hiddenCallLine(start.pc, hidden);
        if (line !== undefined && call !== undefined && line.line === call.line && line.path === call.path) range = this.lineRange(now.pc)!;
        else return this.isStatementStart(now.pc) ? stop : this.toLineStart(stop);
        continue;
      }
      if (now.pc < range.start || now.pc >= range.end) {
        if (this.isStatementStart(now.pc)) return stop;
        if (now.fn !== start.fn) return this.toLineStart(stop);
      }
    }
  }

  /** Forward out of this frame, to the instruction after the call in the caller. */
  async out(hidden = 0): Promise<StepResult> {
    const cpu = this.engine.machine.cpu;
    const frame = this.frameAt(cpu.pc, hidden);
    const sp = this.where().sp;
    // An inlined frame ends where the function's code outside it goes on.
    if (frame.length > 1) {
      const cfa = this.cfa();
      return this.runTo(this.addresses(cpu.pc, frame, ['outside']), (now) => (cfa === undefined ? now >= sp : (this.cfa() ?? 0) >= cfa));
    }
    const frames = this.info.callStack({ pc: cpu.pc, x: cpu.x }, { readMemory: (a, n) => this.read(a, n) }).frames;
    const caller = frames.find((_f, i) => i > 0 && !frames[i - 1].inlined);
    if (caller === undefined) return this.engine.continue();
    // Back in the caller, sp is what it was at the call: the frame's CFA.
    const cfa = frames[0].physical.cfa;
    return this.runTo(new Set([caller.pc]), cfa !== undefined ? (now) => now >= cfa : (now) => now > sp);
  }

  /** Backward out of this frame, onto the call in the caller (what DAP lacks: a reverse stepOut). */
  async reverseOut(hidden = 0): Promise<StepResult> {
    const cpu = this.engine.machine.cpu;
    const frame = this.frameAt(cpu.pc, hidden);
    // Out of an inlined frame: the last instruction of its caller's code before it.
    if (frame.length > 1) {
      const sp = this.where().sp;
      const cfa = this.cfa();
      return this.reverseTo(this.addresses(cpu.pc, frame, ['outside']), (now) => (cfa === undefined ? now === sp : this.cfa() === cfa));
    }
    const fn = this.info.functionAt(cpu.pc);
    if (fn === undefined) return this.engine.reverseStepi();
    if (cpu.pc !== fn.entryPc) {
      // At the entry of this invocation, sp is the caller's: the frame's CFA.
      const frames = this.info.callStack({ pc: cpu.pc, x: cpu.x }, { readMemory: (a, n) => this.read(a, n) }, { maxFrames: 1 }).frames;
      const cfa = frames[0]?.physical.cfa;
      const back = await this.reverseTo(new Set([fn.entryPc]), (sp) => cfa === undefined || sp === cfa);
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
    return this.runTo(new Set([body]), (now) => now <= sp); // the prologue runs straight to the body
  }

  /**
   * Backward to the start of the line executed before this one in this frame (over calls), or to
   * the start of this line when the position is inside it; out to the caller (on the call) when
   * stepping back past the function's entry.
   */
  async back(hidden = 0): Promise<StepResult> {
    const e = this.engine;
    const start = this.where();
    const frame = this.frameAt(start.pc, hidden);
    // At a hidden inlined call: as at the start of the call's line, known once out of the call.
    let range = hidden > 0 ? undefined : this.lineRange(start.pc);
    if (range === undefined && hidden === 0) return e.reverseStepi();
    let leftStartLine = range !== undefined && start.pc !== range.start;
    for (;;) {
      const before = this.where();
      let stop = await e.reverseStepi();
      if (stop.reason.kind !== 'done') return stop;
      let now = this.where();
      if (now.fn !== before.fn) {
        // From our entry back onto the call in the caller: stop there.
        if (before.pc === before.fn) return stop;
        // From just after a call back onto the callee's return: back to its entry in this
        // invocation (its sp there is ours), then one step more onto the call.
        const entry = now.fn;
        if (entry === undefined) continue;
        const back = await this.reverseTo(new Set([entry]), (sp) => sp === before.sp);
        if (back.reason.kind !== 'done') return back;
        const onCall = await e.reverseStepi();
        if (onCall.reason.kind !== 'done') return onCall;
        continue;
      }
      let relation = inlineRelation(inlineChainAt(this.info, now.pc), frame);
      if (relation === 'deeper') {
        // Back over an inlined call: to the last instruction of this frame's code before it.
        const cfa = this.cfa();
        const inFrame = (sp: number): boolean => (cfa === undefined ? sp === before.sp : this.cfa() === cfa);
        stop = (await this.reverseOutOfInlined(frame, before.fn, inFrame)) ?? (await this.reverseTo(this.addresses(now.pc, frame, ['own', 'outside']), inFrame));
        if (stop.reason.kind !== 'done') return stop;
        now = this.where();
        relation = inlineRelation(inlineChainAt(this.info, now.pc), frame);
      }
      if (relation === 'outside') return stop; // back out of an inlined frame, into its caller's line
      if (range === undefined) {
        const line = this.info.lineAt(now.pc);
        const call = this.hiddenCallLine(start.pc, hidden);
        leftStartLine = !(line !== undefined && call !== undefined && line.line === call.line && line.path === call.path);
        range = this.lineRange(now.pc);
        if (range === undefined) return stop;
      } else if (now.pc < range.start || now.pc >= range.end) {
        leftStartLine = true;
        range = this.lineRange(now.pc) ?? range;
      }
      // The start of the whole line (all its consecutive entries), so that stepping forward
      // again runs all of it: its calls too.
      if (leftStartLine && now.pc === range.start) return stop;
    }
  }

  /**
   * Back over the inlined code the position is in, an instruction at a time, to the last of
   * `frame`'s own (or its caller's) before it: undefined when that is further back than a few
   * instructions (then temporary breakpoints on the frame's code do it in one scan, where one on
   * nearly every instruction would stop the scan at each). Steps from the inlined code into
   * what it calls count too.
   */
  private async reverseOutOfInlined(frame: InlineChain, fn: number | undefined, inFrame: (sp: number) => boolean): Promise<StepResult | undefined> {
    for (let i = 0; i < this.quickReverseSteps; i++) {
      const stop = await this.engine.reverseStepi();
      if (stop.reason.kind !== 'done') return stop;
      const now = this.where();
      if (now.fn === fn && inlineRelation(inlineChainAt(this.info, now.pc), frame) !== 'deeper' && inFrame(now.sp)) return stop;
    }
    return undefined;
  }

  /** Forward until the pc is one of `pcs` with an sp `frame` accepts (temporary breakpoints). */
  private runTo(pcs: ReadonlySet<number>, frame: (sp: number) => boolean): Promise<StepResult> {
    return this.withBreakpoints(pcs, () => this.engine.continue(), frame);
  }

  /** Backward to the last time the pc was one of `pcs` with an sp `frame` accepts. */
  private reverseTo(pcs: ReadonlySet<number>, frame: (sp: number) => boolean): Promise<StepResult> {
    return this.withBreakpoints(pcs, (wanted) => this.engine.reverseContinue(wanted), frame);
  }

  /**
   * Moves with temporary breakpoints at `pcs` (ones the user set there stay) until one is hit in
   * a frame `frame` accepts. A user breakpoint hit on the way ends the step if it wants a stop.
   */
  private async withBreakpoints(pcs: ReadonlySet<number>, move: (wanted: BreakpointFilter) => Promise<StepResult>,
    frame: (sp: number) => boolean): Promise<StepResult> {
    const e = this.engine;
    const debug = e.machine.cpu.debug;
    const added = new Set([...pcs].filter((pc) => !debug.hasBreakpoint(pc)));
    const users = (pc: number): boolean => !added.has(pc);
    // A reverse scan passes over hits of the temporary breakpoints in other frames (a recursive
    // call's entry, say): one reverse-continue, not one per unwanted hit, each scanning again.
    const wanted = (pc: number): boolean => users(pc) || frame(this.where().sp);
    for (const pc of added) e.addBreakpoint(pc);
    try {
      for (;;) {
        const stop = await move(wanted);
        if (stop.reason.kind !== 'breakpoint') return stop;
        if (pcs.has(stop.pc) && frame(this.where().sp)) return { ...stop, reason: { kind: 'done' } };
        if (users(stop.pc) && this.stopsAt(stop)) return stop;
      }
    } finally {
      for (const pc of added) e.removeBreakpoint(pc);
    }
  }

  /** The frame the user sees: the pc's inlined calls without the `hidden` innermost ones. */
  private frameAt(pc: number, hidden: number): InlineChain {
    const chain = inlineChainAt(this.info, pc);
    return chain.slice(0, Math.max(1, chain.length - hidden));
  }

  /** The line of the outermost hidden inlined call: the line the user sees. */
  private hiddenCallLine(pc: number, hidden: number): { path: string | undefined; line: number } | undefined {
    let scope = this.info.scopeAt(pc);
    const calls = [];
    for (; scope !== undefined; scope = scope.parent) if (scope.kind === 'inlined') calls.push(scope);
    return calls[Math.min(hidden, calls.length) - 1]?.callSite;
  }

  /** The function's instructions in the given relations to `frame` (computed once per frame). */
  private addresses(pc: number, frame: InlineChain, wanted: readonly InlineRelation[]): ReadonlySet<number> {
    const key = `${frame.join(',')}:${wanted.join(',')}`;
    let found = this.addressCache.get(key);
    if (found === undefined) {
      found = functionAddresses(this.info, pc, frame, wanted, (a) => this.instructionLength(a));
      this.addressCache.set(key, found);
    }
    return found;
  }

  /**
   * The canonical frame address of the physical frame at the position: the same all through an
   * invocation, prologue and epilogue included (sp is not: a callee's epilogue has restored it).
   */
  private cfa(): number | undefined {
    const cpu = this.engine.machine.cpu;
    return this.info.callStack({ pc: cpu.pc, x: cpu.x }, { readMemory: (a, n) => this.read(a, n) }, { maxFrames: 1 }).frames[0]?.physical.cfa;
  }

  private isStatementStart(pc: number): boolean {
    const line = this.info.lineAt(pc);
    return line !== undefined && line.address === pc && line.isStmt;
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
