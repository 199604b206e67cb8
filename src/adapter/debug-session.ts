// The Debug Adapter Protocol session: translates VS Code's requests into calls on the time-travel
// engine and its answers into DAP responses and events. Thin by design: the engine knows time
// travel, debuginfo knows the program, SourceStepper steps by line, VariableStore shows values.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import {
  Breakpoint, InitializedEvent, LoggingDebugSession, OutputEvent, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugInfo } from '../debuginfo/debug-info.js';
import type { StackFrame as ProgramFrame } from '../debuginfo/stack.js';
import { EngineError, type DebugEngine, type EngineStop } from '../engine/debug-engine.js';
import type { RvreplayLaunchArguments } from './launch-arguments.js';
import { openEngine, type OpenedEngine } from './session-launcher.js';
import { SourceStepper } from './source-stepper.js';

const THREAD_ID = 1;

export class RvreplayDebugSession extends LoggingDebugSession {
  private opened: OpenedEngine | undefined;
  private info: DebugInfo | undefined;
  private stepper: SourceStepper | undefined;
  private configured!: () => void;
  private readonly configurationDone = new Promise<void>((resolve) => (this.configured = resolve));
  /** Addresses of the breakpoints set per source path. */
  private readonly sourceBreakpoints = new Map<string, number[]>();
  private functionBreakpoints: number[] = [];
  /** The frames of the last stack trace, by id (valid while stopped). */
  private frames: ProgramFrame[] = [];

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
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
      supportsSteppingGranularity: true, // instruction steps from the disassembly view
      supportsTerminateRequest: true,
      supportsEvaluateForHovers: true,
    };
    this.sendResponse(response);
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: DebugProtocol.LaunchRequestArguments): Promise<void> {
    const launch = args as RvreplayLaunchArguments;
    try {
      this.opened = await openEngine(launch, (text) => this.sendEvent(new OutputEvent(text, 'stdout')));
      this.info = debugInfoOf(launch.program);
      this.stepper = this.info === undefined ? undefined : new SourceStepper(this.opened.engine, this.info);
    } catch (e) {
      this.sendErrorResponse(response, { id: 1, format: (e as Error).message, showUser: true });
      this.sendEvent(new TerminatedEvent());
      return;
    }
    if (this.info === undefined) {
      this.sendEvent(new OutputEvent(`rvreplay: the debug information of ${launch.program} cannot be read: stepping is by instruction, and there are no source lines or variables\n`, 'console'));
    }
    this.sendEvent(new InitializedEvent());
    await this.configurationDone;
    this.sendResponse(response);
    if (launch.stopOnEntry === true) this.sendEvent(new StoppedEvent('entry', THREAD_ID));
    else void this.motion(() => this.engine.continue());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured();
    this.sendResponse(response);
  }

  protected override setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): void {
    const path = args.source.path ?? args.source.name ?? '';
    for (const pc of this.sourceBreakpoints.get(path) ?? []) this.engine.removeBreakpoint(pc);
    const set: number[] = [];
    const breakpoints = (args.breakpoints ?? []).map((b) => {
      const found = this.info?.lineBreakpoint(path, b.line) ?? [];
      for (const l of found) {
        this.engine.addBreakpoint(l.address);
        set.push(l.address);
      }
      const bp: DebugProtocol.Breakpoint = new Breakpoint(found.length > 0, found[0]?.line ?? b.line);
      if (found.length === 0) bp.message = this.info === undefined ? 'the program has no debug information' : 'no code at this line';
      return bp;
    });
    this.sourceBreakpoints.set(path, set);
    response.body = { breakpoints };
    this.sendResponse(response);
  }

  protected override setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): void {
    for (const pc of this.functionBreakpoints) this.engine.removeBreakpoint(pc);
    this.functionBreakpoints = [];
    const breakpoints = args.breakpoints.map((b) => {
      const found = this.info?.functionBreakpoint(b.name) ?? [];
      for (const l of found) {
        this.engine.addBreakpoint(l.address);
        this.functionBreakpoints.push(l.address);
      }
      const bp: DebugProtocol.Breakpoint = new Breakpoint(found.length > 0, found[0]?.line);
      if (found.length === 0) bp.message = `no function named ${b.name}`;
      return bp;
    });
    response.body = { breakpoints };
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
    this.frames = this.info?.callStack({ pc, x: cpu.x }, memory).frames.slice() ?? [];
    const stackFrames: DebugProtocol.StackFrame[] = this.frames.length === 0
      ? [new StackFrame(0, `0x${hex(pc)}`)]
      : this.frames.map((f, id) => {
        const frame: DebugProtocol.StackFrame = new StackFrame(id, f.name,
          f.source === undefined ? undefined : new Source(basename(f.source.path), f.source.path), f.source?.line ?? 0, f.source?.column ?? 0);
        frame.instructionPointerReference = `0x${hex(f.pc)}`;
        return frame;
      });
    for (const f of stackFrames) f.instructionPointerReference ??= `0x${hex(pc)}`;
    response.body = { stackFrames, totalFrames: stackFrames.length };
    this.sendResponse(response);
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    this.sendResponse(response);
    void this.motion(() => this.engine.continue());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.sendResponse(response);
    void this.motion(() => this.engine.reverseContinue());
  }

  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): void {
    this.sendResponse(response);
    void this.motion(() => (this.byInstruction(args.granularity) ? this.engine.stepi() : this.stepper!.next(false)));
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse, args: DebugProtocol.StepInArguments): void {
    this.sendResponse(response);
    void this.motion(() => (this.byInstruction(args.granularity) ? this.engine.stepi() : this.stepper!.next(true)));
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.sendResponse(response);
    void this.motion(() => (this.stepper === undefined ? this.engine.continue() : this.stepper.out()));
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse, args: DebugProtocol.StepBackArguments): void {
    this.sendResponse(response);
    void this.motion(() => (this.byInstruction(args.granularity) ? this.engine.reverseStepi() : this.stepper!.back()));
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

  /** Runs a motion and reports where it stopped (DAP answers motion requests at once). */
  private async motion(run: () => Promise<EngineStop>): Promise<void> {
    let stop: EngineStop;
    try {
      stop = await run();
    } catch (e) {
      this.sendEvent(new OutputEvent(`rvreplay: ${(e as Error).message}\n`, 'stderr'));
      this.sendEvent(new StoppedEvent('exception', THREAD_ID, (e as Error).message));
      return;
    }
    this.opened?.flushOutput();
    const [reason, description] = describeStop(stop);
    const event = new StoppedEvent(reason, THREAD_ID) as DebugProtocol.StoppedEvent;
    if (description !== undefined) {
      event.body.description = description;
      event.body.text = description;
    }
    this.sendEvent(event);
  }
}

/** The DAP stop reason and, where the reason alone does not say it, a description for the user. */
function describeStop(stop: EngineStop): [string, string?] {
  const r = stop.reason;
  switch (r.kind) {
    case 'done': return ['step'];
    case 'breakpoint': return ['breakpoint'];
    case 'watchpoint': return ['data breakpoint', `${r.access} of 0x${hex(r.address)}`];
    case 'icount': return ['goto', `icount ${r.icount}`];
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

function debugInfoOf(program: string): DebugInfo | undefined {
  try {
    return DebugInfo.fromElf(readFileSync(program));
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
