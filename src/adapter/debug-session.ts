// The Debug Adapter Protocol session: translates VS Code's requests into calls on the time-travel
// engine and its answers into DAP responses and events. Thin by design: the engine knows time
// travel, debuginfo knows the program, SourceStepper steps by line, VariableStore shows values.

import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import {
  CapabilitiesEvent, ContinuedEvent, Event, InitializedEvent, LoggingDebugSession, OutputEvent, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../debuginfo/debug-info.js';
import type { StackFrame as ProgramFrame } from '../debuginfo/stack.js';
import { EngineError, type DebugEngine, type EngineStop, type WatchKind } from '../engine/debug-engine.js';
import type { RvreplayLaunchArguments } from './launch-arguments.js';
import { trapName } from '../replay/describe-event.js';
import { LogReader } from '../replay/log/log-reader.js';
import { answerTimelineRequest, isTimelineRequest, timelineHandlers } from '../replay/timeline/timeline-requests.js';
import { RecordedSerialOutput } from '../replay/timeline/serial-output.js';
import { TimelineSource } from '../replay/timeline/timeline-source.js';
import { DebugEvent, DebugRequest, type GoLiveArgs, type PositionEventBody, type SerialInputArgs, type SnapshotArgs } from '../shared/debug-requests.js';
import { TimelineDapEvent, type SeekArgs, type TimelineEventInfo } from '../shared/timeline-protocol.js';
import { BreakpointTable } from './breakpoint-table.js';
import { FrameScopes } from './frame-scopes.js';
import { disassembleAround } from './disassembly.js';
import { openEngine, type OpenedEngine } from './session-launcher.js';
import { SourceStepper } from './source-stepper.js';
import { trapEntries } from './trap-frames.js';

const THREAD_ID = 1;
/** How often an open timeline is told what a running recording has added. */
const TIMELINE_GROWTH_MS = 1000;
/** Stack frame ids of the "<trap>" labels, apart from the frames' own (their index). */
const TRAP_LABEL_IDS = 1_000_000;

export class RvreplayDebugSession extends LoggingDebugSession {
  private opened: OpenedEngine | undefined;
  private info: DebugInfo | undefined;
  private stepper: SourceStepper | undefined;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
  private breakpoints: BreakpointTable | undefined;
  private values: FrameScopes | undefined;
  /** The watched ranges of the data breakpoints. */
  private watches: { address: number; size: number; kind: WatchKind }[] = [];
  /** The ids of the breakpoints that made the last stop. */
  private hitIds: number[] = [];
  /** Inlined frames the breakpoint stop being approved would not show, and those the current stop does not show. */
  private hitHidden = 0;
  private hiddenFrames = 0;
  /** The frames of the last stack trace, by id (valid while stopped). */
  private frames: ProgramFrame[] = [];
  /** The log as the timeline panel sees it, once the panel has asked. */
  private timeline: TimelineSource | undefined;
  /** The size of the log when the timeline last read it: a log that has not grown is not read again. */
  private timelineBytes = 0;
  /** Breakpoint and data breakpoint stops so far, by icount, for the timeline's lane of hits. */
  private hitsFound: TimelineEventInfo[] = [];

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  private get table(): BreakpointTable {
    if (this.breakpoints === undefined) throw new EngineError('the session has not been launched');
    return this.breakpoints;
  }

  private get engine(): DebugEngine {
    if (this.opened === undefined) throw new EngineError('the session has not been launched');
    return this.opened.engine;
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true, // breakpoints are set before the guest runs
      supportsStepBack: true, // the step back and reverse continue buttons
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsLogPoints: true,
      supportsInstructionBreakpoints: true,
      supportsDisassembleRequest: true,
      supportsDataBreakpoints: true, // break on value change (write), read or access, forward and in reverse
      // Break when the guest takes a trap: forward at the handler, in reverse at the cause.
      exceptionBreakpointFilters: [
        { filter: 'exceptions', label: 'Guest exceptions', description: 'illegal instructions, access and page faults, ecall, ebreak: forward at the handler, in reverse at the instruction that trapped' },
        { filter: 'interrupts', label: 'Interrupts', description: 'timer, software and external interrupts taken' },
      ],
      supportsReadMemoryRequest: true,
      supportsWriteMemoryRequest: true,
      supportsSteppingGranularity: true, // instruction steps from the disassembly view
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: true, // at a recording's live edge (recorded as input); refused inside history
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    const launch = args as RvreplayLaunchArguments;
    try {
      this.opened = await openEngine(launch, (text) => this.sendEvent(new OutputEvent(text, 'stdout')));
      this.info = debugInfoOf(launch);
      this.breakpoints = new BreakpointTable(this.opened.engine);
      this.values = new FrameScopes(this.info, this.opened.engine);
      this.stepper = this.info === undefined ? undefined : new SourceStepper(this.opened.engine, this.info, (stop) => this.approve(stop));
    } catch (e) {
      this.sendErrorResponse(response, { id: 1, format: (e as Error).message, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    if (this.info === undefined) {
      this.sendEvent(new OutputEvent(`rvreplay: the debug information of ${launch.program} cannot be read: stepping is by instruction, and there are no source lines or variables\n`, 'console'));
    }
    // A run with no log cannot go back: VS Code then hides the reverse buttons.
    if (this.opened.engine.info().mode === 'live') this.sendEvent(new CapabilitiesEvent({ supportsStepBack: false }));
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.sendResponse(response);
    if (launch.stopOnEntry === true) {
      this.sendEvent(new StoppedEvent('entry', THREAD_ID));
      this.afterStop();
    }
    else void this.motion(() => this.untilApproved(() => this.engine.continue()));
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path ?? args.source.name ?? '';
    const requested = (args.breakpoints ?? []).map((b) => ({ b, found: this.info?.lineBreakpoint(path, b.line) ?? [] }));
    const placed = this.table.replace('source', path, requested.flatMap(({ b, found }) => found.map((l) => ({
      address: l.address, condition: b.condition, hitCondition: b.hitCondition, logMessage: b.logMessage, functionName: l.functionName,
    }))));
    let next = 0;
    const breakpoints = requested.map(({ b, found }) => {
      if (found.length === 0) {
        const bp: DebugProtocol.Breakpoint = { id: this.table.unplaced(), verified: false, line: b.line };
        bp.message = this.info === undefined ? 'the program has no debug information' : 'no code at this line';
        return bp;
      }
      const id = placed[next].id;
      next += found.length;
      return { id, verified: true, line: found[0].line ?? b.line, source: args.source } satisfies DebugProtocol.Breakpoint;
    });
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    const requested = args.breakpoints.map((b) => ({ b, found: this.info?.functionBreakpoint(b.name) ?? [] }));
    const placed = this.table.replace('function', undefined, requested.flatMap(({ b, found }) => found.map((l) => ({
      address: l.address, condition: b.condition, hitCondition: b.hitCondition, functionName: b.name,
    }))));
    let next = 0;
    const breakpoints = requested.map(({ b, found }) => {
      if (found.length === 0) return { id: this.table.unplaced(), verified: false, message: `no function named ${b.name}` } satisfies DebugProtocol.Breakpoint;
      const id = placed[next].id;
      next += found.length;
      const at = found[0];
      return {
        id, verified: true, line: at.line,
        source: at.path === undefined ? undefined : new Source(basename(at.path), at.path),
      } satisfies DebugProtocol.Breakpoint;
    });
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override setInstructionBreakpointsRequest(response: DebugProtocol.SetInstructionBreakpointsResponse, args: DebugProtocol.SetInstructionBreakpointsArguments): void {
    const addresses = args.breakpoints.map((b) => Number.parseInt(b.instructionReference, 16) + (b.offset ?? 0));
    const placed = this.table.replace('instruction', undefined, args.breakpoints.map((b, i) => ({
      address: addresses[i] >>> 0, condition: b.condition, hitCondition: b.hitCondition,
    })));
    response.body = { breakpoints: placed.map((p) => ({ id: p.id, verified: true, instructionReference: `0x${hex(p.address)}` })) };
    this.sendResponse(response);
  }

  protected override setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): void {
    this.engine.breakOnTraps({ exceptions: args.filters.includes('exceptions'), interrupts: args.filters.includes('interrupts') });
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    response.body = { threads: [new Thread(THREAD_ID, 'hart 0')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const cpu = this.engine.machine.cpu;
    const pc = cpu.pc;
    const memory = { readMemory: (a: number, n: number) => fullRead(this.engine, a, n) };
    const traps = trapEntries(this.engine);
    this.frames = this.info?.callStack({ pc, x: cpu.x }, memory, { traps }).frames.slice() ?? [];
    const stackFrames: DebugProtocol.StackFrame[] = [];
    if (this.frames.length === 0) stackFrames.push({ ...new StackFrame(0, `0x${hex(pc)}`), instructionPointerReference: `0x${hex(pc)}` });
    this.frames.forEach((f, id) => {
      if (id < this.hiddenFrames && id < this.frames.length - 1) return;
      if (f.physical.interrupted === true) {
        // Where a trap came in: the frames below are the interrupted code (gdb's "<signal handler called>").
        const handler = this.frames[id - 1];
        const trap = traps.find((t) => t.handler === handler?.function?.entryPc);
        stackFrames.push({ id: TRAP_LABEL_IDS + id, name: `<${trap?.what ?? 'trap'}>`, line: 0, column: 0, presentationHint: 'label' });
      }
      const frame: DebugProtocol.StackFrame = new StackFrame(id, f.name,
        f.source === undefined ? undefined : new Source(basename(f.source.path), f.source.path), f.source?.line ?? 0, f.source?.column ?? 0);
      frame.instructionPointerReference = `0x${hex(f.pc)}`;
      stackFrames.push(frame);
    });
    response.body = { stackFrames, totalFrames: stackFrames.length };
    this.sendResponse(response);
  }

  protected override dataBreakpointInfoRequest(response: DebugProtocol.DataBreakpointInfoResponse, args: DebugProtocol.DataBreakpointInfoArguments): void {
    const where = this.watchable(args);
    response.body = typeof where === 'string'
      ? { dataId: null, description: where }
      : { dataId: `${where.address}:${where.size}`, description: `${args.name} (${where.size} bytes at 0x${hex(where.address)})`, accessTypes: ['write', 'read', 'readWrite'], canPersist: false };
    this.sendResponse(response);
  }

  protected override setDataBreakpointsRequest(response: DebugProtocol.SetDataBreakpointsResponse, args: DebugProtocol.SetDataBreakpointsArguments): void {
    for (const w of this.watches) this.engine.removeWatchpoint(w.address, w.size, w.kind);
    this.watches = [];
    const breakpoints = args.breakpoints.map((b) => {
      const m = /^(\d+):(\d+)$/.exec(b.dataId);
      if (m === null) return { verified: false, message: `not a data breakpoint of this session: ${b.dataId}` };
      const w = { address: Number(m[1]), size: Number(m[2]), kind: WATCH_KIND[b.accessType ?? 'write'] };
      this.engine.addWatchpoint(w.address, w.size, w.kind);
      this.watches.push(w);
      return { verified: true };
    });
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  /** The memory a data breakpoint on `args` would watch, or why there is none. */
  private watchable(args: DebugProtocol.DataBreakpointInfoArguments): { address: number; size: number } | string {
    if (args.asAddress === true) {
      const address = Number.parseInt(args.name, 16);
      return Number.isNaN(address) ? `${args.name} is not an address` : { address, size: args.bytes ?? 4 };
    }
    if (this.info === undefined) return 'the program has no debug information';
    const cpu = this.engine.machine.cpu;
    const memory = { readMemory: (a: number, n: number) => fullRead(this.engine, a, n) };
    const frame = args.frameId !== undefined ? this.frames[args.frameId] : this.info.callStack({ pc: cpu.pc, x: cpu.x }, memory, { maxFrames: 1 }).frames[0];
    try {
      const value = this.info.evaluate(args.name, memory, frame);
      const size = value.bytes().length;
      return value.address === undefined ? `${args.name} is not in memory (a register or a constant)` : { address: value.address, size };
    } catch (e) {
      return (e as Error).message;
    }
  }

  protected override disassembleRequest(response: DebugProtocol.DisassembleResponse, args: DebugProtocol.DisassembleArguments): void {
    const address = (Number.parseInt(args.memoryReference, 16) + (args.offset ?? 0)) >>> 0;
    response.body = { instructions: disassembleAround(this.engine, this.info, address, args.instructionOffset ?? 0, args.instructionCount) };
    this.sendResponse(response);
  }

  protected override readMemoryRequest(response: DebugProtocol.ReadMemoryResponse, args: DebugProtocol.ReadMemoryArguments): void {
    const address = (Number.parseInt(args.memoryReference, 16) + (args.offset ?? 0)) >>> 0;
    const bytes = this.engine.readMemory(address, Math.min(args.count, 1 << 20));
    response.body = { address: `0x${hex(address)}`, data: Buffer.from(bytes).toString('base64'), unreadableBytes: args.count - bytes.length };
    this.sendResponse(response);
  }

  protected override writeMemoryRequest(response: DebugProtocol.WriteMemoryResponse, args: DebugProtocol.WriteMemoryArguments): void {
    const address = (Number.parseInt(args.memoryReference, 16) + (args.offset ?? 0)) >>> 0;
    const data = Buffer.from(args.data, 'base64');
    try {
      this.engine.writeMemory(address, data);
    } catch (e) {
      this.sendErrorResponse(response, { id: 2, format: (e as Error).message, showUser: true });
      return;
    }
    response.body = { bytesWritten: data.length };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    response.body = { scopes: this.values!.scopes(this.frames[args.frameId]) };
    this.sendResponse(response);
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    response.body = { variables: this.values!.variables(args) };
    this.sendResponse(response);
  }

  protected override setVariableRequest(response: DebugProtocol.SetVariableResponse, args: DebugProtocol.SetVariableArguments): void {
    try {
      response.body = this.values!.setVariable(args, this.topFrame());
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 5, format: (e as Error).message, showUser: true });
    }
  }

  protected override evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): void {
    try {
      const frame = args.frameId === undefined ? this.topFrame() : this.frames[args.frameId];
      response.body = this.values!.evaluate(args.expression, frame);
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 4, format: (e as Error).message, showUser: args.context === 'repl' });
    }
  }

  /** The innermost frame now (for requests that name none). */
  private topFrame(): ProgramFrame | undefined {
    const cpu = this.engine.machine.cpu;
    const memory = { readMemory: (a: number, n: number) => fullRead(this.engine, a, n) };
    const frames = this.info?.callStack({ pc: cpu.pc, x: cpu.x }, memory, { maxFrames: 1 }).frames ?? [];
    return frames[Math.min(this.hiddenFrames, frames.length - 1)];
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.sendResponse(response);
    void this.motion(() => this.untilApproved(() => this.engine.continue()));
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    void this.motion(() => this.untilApproved(() => this.engine.reverseContinue()));
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.sendResponse(response);
    void this.motion(() => (this.byInstruction(args.granularity) ? this.engine.stepi() : this.stepper!.next(false, this.hiddenFrames)));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.sendResponse(response);
    void this.motion(() => (this.byInstruction(args.granularity) ? this.engine.stepi() : this.stepper!.next(true, this.hiddenFrames)));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.sendResponse(response);
    void this.motion(() => (this.stepper === undefined ? this.engine.continue() : this.stepper.out(this.hiddenFrames)));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.sendResponse(response);
    void this.motion(() => (this.byInstruction(args.granularity) ? this.engine.reverseStepi() : this.stepper!.back(this.hiddenFrames)));
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.engine.cancel();
    this.sendResponse(response);
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse): Promise<void> {
    this.opened?.engine.cancel();
    await this.opened?.close();
    this.opened = undefined;
    this.sendResponse(response);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.opened?.engine.cancel();
    this.sendResponse(response);
    this.sendEvent(new TerminatedEvent());
  }

  private byInstruction(granularity: DebugProtocol.SteppingGranularity | undefined): boolean {
    return granularity === 'instruction' || this.stepper === undefined;
  }

  protected override async customRequest(command: string, response: DebugProtocol.Response, args: unknown): Promise<void> {
    try {
      response.body = await this.custom(command, args);
      this.sendResponse(response);
    } catch (e) {
      this.sendErrorResponse(response, { id: 3, format: (e as Error).message, showUser: true });
    }
  }

  private async custom(command: string, args: unknown): Promise<unknown> {
    if (isTimelineRequest(command)) {
      const handlers = timelineHandlers(() => this.refreshedTimeline(), (a: SeekArgs) => this.seekTo(a.icount));
      return answerTimelineRequest(handlers, command, args as never);
    }
    switch (command) {
      case DebugRequest.ReverseStepOut:
        void this.motion(() => (this.stepper === undefined ? this.engine.reverseStepi() : this.stepper.reverseOut(this.hiddenFrames)), 'step', true);
        return {};
      case DebugRequest.SaveSnapshot:
        return this.engine.saveSnapshot((args as SnapshotArgs).name);
      case DebugRequest.LoadSnapshot: {
        const name = (args as SnapshotArgs).name;
        if (!this.engine.snapshots().some((s) => s.name === name)) throw new EngineError(`there is no snapshot named '${name}'`);
        void this.motion(() => this.engine.loadSnapshot(name), 'goto', true);
        return {};
      }
      case DebugRequest.Snapshots:
        return { snapshots: this.engine.snapshots() };
      case DebugRequest.GoLive: {
        const goLive = this.engine.goLive;
        if (goLive === undefined) throw new EngineError('going live needs a recording ("rr": "record"); in a replay, save a snapshot and record from it');
        const r = await goLive.call(this.engine, (args as GoLiveArgs | undefined)?.rrfile);
        this.timeline = undefined; // another log now
        this.hitsFound = [];
        this.opened!.console.shown = new RecordedSerialOutput();
        this.afterStop();
        return { rrfile: r.log, icount: r.icount };
      }
      case DebugRequest.SerialInput: {
        if (this.engine.info().mode === 'replay') throw new EngineError('the replay is read-only: its console input is in the log');
        this.opened!.console.type(new TextEncoder().encode((args as SerialInputArgs).text));
        return {};
      }
      default:
        throw new Error(`unknown request ${command}`);
    }
  }

  /** Adds a stop to the hits found so far (once per icount, in icount order). */
  private noteHit(stop: EngineStop, what: string): void {
    const at = this.hitsFound.findIndex((h) => h.icount >= stop.icount);
    if (at >= 0 && this.hitsFound[at].icount === stop.icount) return;
    const where = this.info?.describeAddress(stop.pc) ?? `0x${hex(stop.pc)}`;
    const line = this.info?.lineAt(stop.pc);
    const source = line?.path === undefined ? '' : ` (${basename(line.path)}:${line.line})`;
    const hit: TimelineEventInfo = { icount: stop.icount, label: stop.reason.kind === 'watchpoint' ? 'data' : 'bp', detail: `${what} at ${where}${source}\nicount ${stop.icount}` };
    this.hitsFound.splice(at < 0 ? this.hitsFound.length : at, 0, hit);
  }

  /** The timeline's travel: the debugger stops at exactly `icount`. */
  private async seekTo(icount: number): Promise<{ icount: number }> {
    // A seek the engine refuses (beyond the recording, into a past there is none of) fails the
    // request, which says why; it is not a stop.
    const moving = this.engine.seek(icount);
    await this.motion(() => moving, 'goto', true);
    return { icount: this.engine.icount };
  }

  /** The timeline's view of the log, brought up to date with the file and the position. */
  private refreshedTimeline(): TimelineSource {
    const opened = this.opened!;
    if (opened.rrfile === undefined) throw new EngineError('this session records nothing ("rr": "none"): there is no event log to show');
    opened.flushLog();
    if (this.timeline === undefined || statSync(opened.rrfile).size !== this.timelineBytes) {
      const bytes = readFileSync(opened.rrfile);
      if (this.timeline === undefined) this.timeline = TimelineSource.open(bytes, { serialOutput: opened.console.shown, canSeek: true });
      else this.timeline.update(LogReader.open(bytes), bytes);
      this.timelineBytes = bytes.length;
    }
    this.timeline.setBreakpointHits(this.hitsFound);
    const info = this.engine.info();
    this.timeline.setPosition(info.icount);
    this.timeline.setKeyframes(info.keyframes.icounts);
    this.timeline.setLiveEdge(info.mode === 'record' ? info.historyEnd : undefined);
    return this.timeline;
  }

  /** Tells an open timeline what the recording in progress has added. */
  private timelineGrew(): void {
    if (this.timeline === undefined) return;
    try {
      this.sendEvent(new Event(TimelineDapEvent.Changed, this.refreshedTimeline().info()));
    } catch (e) {
      this.sendEvent(new OutputEvent(`rvreplay: the timeline could not be updated: ${(e as Error).message}\n`, 'stderr'));
    }
  }

  /** After every stop: where the session is in time, for the status bar and the timeline. */
  private afterStop(): void {
    const i = this.engine.info();
    const body: PositionEventBody = { mode: i.mode, icount: i.icount, atLiveEdge: i.atLiveEdge, historyStart: i.historyStart, historyEnd: i.historyEnd };
    this.sendEvent(new Event(DebugEvent.Position, body));
    if (this.timeline !== undefined) this.sendEvent(new Event(TimelineDapEvent.Changed, this.refreshedTimeline().info()));
  }

  /** Repeats `move` while it stops at breakpoints that do not want a stop (conditions, hit counts, logpoints). */
  private async untilApproved(move: () => Promise<EngineStop>): Promise<EngineStop> {
    for (;;) {
      const stop = await move();
      if (stop.reason.kind !== 'breakpoint' || this.approve(stop)) return stop;
    }
  }

  /**
   * A motion stopped at a breakpoint: whether the user's breakpoints there want the stop. Called
   * once per hit (hit counts count); logpoints print here; the ids are kept for the stop event.
   */
  private approve(stop: EngineStop): boolean {
    const cpu = this.engine.machine.cpu;
    const memory = { readMemory: (a: number, n: number) => fullRead(this.engine, a, n) };
    // The physical frame and the inlined calls in it are what a breakpoint may show.
    const frames = this.info?.callStack({ pc: cpu.pc, x: cpu.x }, memory, { maxFrames: 1 }).frames ?? [];
    const d = this.table.decide(stop.pc, this.info, frames);
    for (const line of d.logs) this.sendEvent(new OutputEvent(`${line}\n`, 'console'));
    for (const e of d.errors) this.sendEvent(new OutputEvent(`rvreplay: ${e}\n`, 'stderr'));
    this.hitIds = d.ids;
    this.hitHidden = d.hidden;
    return d.stop || !this.table.has(stop.pc);
  }

  /**
   * Runs a motion and reports where it stopped (DAP answers motion requests at once). A motion a
   * custom request started is announced with a continued event first: the client knows of no
   * request that implied one, and VS Code would otherwise keep the previous stop's details.
   */
  private async motion(run: () => Promise<EngineStop>, doneReason = 'step', announce = false): Promise<void> {
    if (announce) this.sendEvent(new ContinuedEvent(THREAD_ID));
    let stop: EngineStop;
    // While a recording runs, an open timeline grows with it.
    const growing = this.engine.info().mode === 'record' ? setInterval(() => this.timelineGrew(), TIMELINE_GROWTH_MS) : undefined;
    try {
      stop = await run();
    } catch (e) {
      this.sendEvent(new OutputEvent(`rvreplay: ${(e as Error).message}\n`, 'stderr'));
      this.sendEvent(new StoppedEvent('exception', THREAD_ID, (e as Error).message));
      return;
    } finally {
      clearInterval(growing);
    }
    this.opened?.flushOutput();
    this.values?.reset();
    this.frames = [];
    this.hiddenFrames = stop.reason.kind === 'breakpoint' ? this.hitHidden : 0;
    const [described, description] = describeStop(stop);
    const reason = stop.reason.kind === 'done' ? doneReason : described;
    const event = new StoppedEvent(reason, THREAD_ID) as DebugProtocol.StoppedEvent;
    if (stop.reason.kind === 'breakpoint') event.body.hitBreakpointIds = this.hitIds;
    if (stop.reason.kind === 'breakpoint' || stop.reason.kind === 'watchpoint') this.noteHit(stop, description ?? reason);
    // Where in time, always: VS Code shows the description in the call stack's "Paused on ...".
    const info = this.engine.info();
    const when = `icount ${stop.icount}${info.mode === 'record' ? (info.atLiveEdge ? ', live' : ', in history') : ''}`;
    event.body.description = `${description ?? REASON_WORDS[reason] ?? reason}, ${when}`;
    if (description !== undefined) event.body.text = description;
    this.sendEvent(event);
    this.afterStop();
  }
}

/** What VS Code would call each stop reason, before the icount is added. */
const REASON_WORDS: Record<string, string> = {
  step: 'step', breakpoint: 'breakpoint', pause: 'pause', entry: 'entry', goto: 'goto',
  'data breakpoint': 'data breakpoint', exception: 'exception',
};

const WATCH_KIND: Record<DebugProtocol.DataBreakpointAccessType, WatchKind> = { write: 'write', read: 'read', readWrite: 'access' };

/** The DAP stop reason and, where the reason alone does not say it, a description for the user. */
function describeStop(stop: EngineStop): [string, string?] {
  const r = stop.reason;
  switch (r.kind) {
    case 'done': return ['step'];
    case 'breakpoint': return ['breakpoint'];
    case 'watchpoint': return ['data breakpoint', `${r.access} of 0x${hex(r.address)}`];
    case 'icount': return ['goto', `icount ${r.icount}`];
    case 'trap': return ['exception', `The guest took ${trapName(r.cause, r.interrupt)}`];
    case 'history-begin': return ['step', 'The beginning of recorded history'];
    case 'history-end': {
      if (r.exit === undefined) return ['step', 'The end of recorded history'];
      const how = r.exit.kind === 'pass' ? 'exited with code 0' : r.exit.kind === 'fail' ? `exited with code ${r.exit.code}` : 'asked for a reset';
      return ['step', `The guest ${how}: the end of its history`];
    }
    case 'idle': return ['pause', 'The hart waits for an interrupt that nothing can bring'];
    case 'interrupted': return ['pause'];
    case 'diverged': return ['exception', `The replay diverged: ${r.message}`];
  }
}

/**
 * The program's debug information with its source paths as paths here: relative ones (a build
 * with -ffile-prefix-map=DIR=.) under the ELF's folder, others through the launch's sourceMap.
 */
function debugInfoOf(launch: RvreplayLaunchArguments): DebugInfo | undefined {
  // Longest prefix first, so a mapping of a subfolder wins over one of its parent.
  const map = Object.entries(launch.sourceMap ?? {}).sort(([a], [b]) => b.length - a.length);
  try {
    return DebugInfo.fromElf(readFileSync(launch.program), { base: dirname(resolve(launch.program)), map });
  } catch {
    return undefined;
  }
}

function fullRead(engine: DebugEngine, address: number, size: number): Uint8Array | undefined {
  const bytes = engine.readMemory(address, size);
  return bytes.length === size ? bytes : undefined;
}

function hex(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
