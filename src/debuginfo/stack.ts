// The call stack as a debugger shows it: physical frames from the unwinder, each split into the
// inlined calls its pc is inside (innermost first), with the function, source position, and the
// parameters and locals of each, whose values are read through the frame's registers, frame
// base and CFA. DW_OP_entry_value is answered from the caller's call-site parameters.

import type { Die } from './die.js';
import {
  DW_AT_abstract_origin, DW_AT_call_origin, DW_AT_call_return_pc, DW_AT_call_target, DW_AT_call_value,
  DW_AT_frame_base, DW_AT_GNU_call_site_target, DW_AT_GNU_call_site_value, DW_AT_location, DW_AT_low_pc,
  DW_AT_declaration, DW_AT_specification, DW_TAG_call_site, DW_TAG_call_site_parameter, DW_TAG_GNU_call_site, DW_TAG_GNU_call_site_parameter,
} from './dwarf-constants.js';
import { evaluateLocation, evaluateValue, type ExprContext, type Location } from './dwarf-expr.js';
import type { LineTable } from './line-table.js';
import type { Scope, FunctionIndex } from './scopes.js';
import type { SymbolTable } from './symbols.js';
import type { TypeBuilder } from './types.js';
import type { PhysicalFrame } from './unwinder.js';
import { Value, type ValueContext } from './values.js';
import { localsAt, parametersOf, variableLocation, type Variable } from './variables.js';

export interface SourcePosition {
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

/** What frames need from the rest of the library. */
export interface StackContext {
  readonly lines: LineTable;
  readonly functions: FunctionIndex;
  readonly symbols: SymbolTable;
  readonly types: TypeBuilder;
  readonly valueContext: ValueContext;
}

export class StackFrame {
  constructor(
    private readonly ctx: StackContext,
    /** Index in the call stack, counting inlined frames. */
    readonly level: number,
    readonly physical: PhysicalFrame,
    /** The physical frame's caller, for entry values. */
    private readonly caller: StackFrame | undefined,
    /** The innermost scope of this frame (a block, or the function itself); undefined without debug info. */
    readonly scope: Scope | undefined,
    /** Where the frame is in the source: the pc's line, or for a caller of inlined code the call site. */
    readonly source: SourcePosition | undefined,
  ) {}

  get pc(): number {
    return this.physical.pc;
  }

  /** The function (an inlined one for inlined frames). */
  get function(): Scope | undefined {
    return this.scope?.functionScope;
  }

  get inlined(): boolean {
    return this.function?.kind === 'inlined';
  }

  /** The function's name, from DWARF or else the ELF symbol; "??" when neither knows the pc. */
  get name(): string {
    return this.function?.name ?? this.ctx.symbols.lookup(this.physical.lookupPc)?.name ?? '??';
  }

  readRegister(regno: number): bigint | undefined {
    return this.physical.registers[regno];
  }

  parameters(): Variable[] {
    const f = this.function;
    return f === undefined ? [] : parametersOf(f);
  }

  locals(): Variable[] {
    return this.scope === undefined ? [] : localsAt(this.scope);
  }

  /** Where a variable is at this frame's pc. */
  locate(v: Variable): Location {
    const loc = variableLocation(v.die, this.physical.lookupPc);
    switch (loc.kind) {
      case 'none': return { kind: 'unavailable', reason: 'optimized out' };
      case 'const': return { kind: 'implicit', bytes: loc.bytes };
      case 'expr': return evaluateLocation(loc.expr, this.exprContext(v.die));
    }
  }

  /** A variable's value in this frame. */
  value(v: Variable): Value {
    const type = this.ctx.types.typeOf(v.die);
    return Value.fromLocation(type, this.locate(v), this.ctx.valueContext, (n) => this.readRegister(n));
  }

  /** The context DWARF expressions of this frame run in. */
  exprContext(die?: Die): ExprContext {
    const vc = this.ctx.valueContext;
    return {
      addressSize: vc.addressSize,
      readRegister: (n) => this.readRegister(n),
      readMemory: (a, s) => vc.readMemory(a, s),
      frameBase: () => this.frameBase(),
      cfa: () => (this.physical.cfa === undefined ? undefined : BigInt(this.physical.cfa)),
      entryValue: (expr) => this.entryValue(expr),
      indexedAddress: die === undefined ? undefined : (i) => die.unit.indexedAddress(i),
    };
  }

  private frameBase(): bigint | undefined {
    const fn = this.scope?.outerFunction.die;
    if (fn === undefined) return undefined;
    const loc = variableLocation(fn, this.physical.lookupPc, DW_AT_frame_base);
    if (loc.kind !== 'expr') return undefined;
    // A frame base of DW_OP_regN means the register holds the base address (evaluateValue does that).
    return evaluateValue(loc.expr, { ...this.exprContext(fn), frameBase: undefined });
  }

  /**
   * The value an expression (DW_OP_regN) had when this frame's function was entered, from the
   * caller's DW_TAG_call_site for this call: its parameter for that register says how the caller
   * computed the argument, in the caller's own frame.
   */
  private entryValue(expr: Uint8Array): bigint | undefined {
    const caller = this.caller;
    if (caller === undefined) return undefined;
    const callee = this.scope?.outerFunction;
    const callerFn = caller.scope?.outerFunction;
    if (callee === undefined || callerFn === undefined) return undefined;
    const site = findCallSite(callerFn.die, caller.pc);
    if (site === undefined) return undefined;
    // The call site must be a call of this function.
    const origin = site.ref(DW_AT_call_origin) ?? site.ref(DW_AT_abstract_origin);
    if (origin !== undefined && !sameFunction(origin, callee.die)) return undefined;
    const target = site.attr(DW_AT_call_target) ?? site.attr(DW_AT_GNU_call_site_target);
    if (origin === undefined && target !== undefined && target.value instanceof Uint8Array) {
      const t = evaluateValue(target.value, caller.exprContext(site));
      if (t === undefined || Number(t) !== callee.entryPc) return undefined;
    }
    for (const p of site.children) {
      if (p.tag !== DW_TAG_call_site_parameter && p.tag !== DW_TAG_GNU_call_site_parameter) continue;
      const loc = p.attr(DW_AT_location)?.value;
      if (!(loc instanceof Uint8Array) || !sameBytes(loc, expr)) continue;
      const value = p.attr(DW_AT_call_value)?.value ?? p.attr(DW_AT_GNU_call_site_value)?.value;
      if (!(value instanceof Uint8Array)) return undefined;
      return evaluateValue(value, caller.exprContext(p));
    }
    return undefined;
  }
}

function findCallSite(fnDie: Die, returnPc: number): Die | undefined {
  for (const c of fnDie.children) {
    if (c.tag === DW_TAG_call_site || c.tag === DW_TAG_GNU_call_site) {
      const ret = c.number(DW_AT_call_return_pc) ?? c.number(DW_AT_low_pc);
      if (ret === returnPc) return c;
    }
    const inner = findCallSite(c, returnPc);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/**
 * Whether a call site's DW_AT_call_origin is this function. The origin may be the function's
 * abstract instance, or a declaration in the caller's unit (from a header) that only its name
 * ties to the definition.
 */
function sameFunction(origin: Die, fn: Die): boolean {
  const root = (d: Die): Die => {
    let x = d;
    for (let i = 0; i < 4; i++) {
      const o = x.ref(DW_AT_abstract_origin) ?? x.ref(DW_AT_specification);
      if (o === undefined) break;
      x = o;
    }
    return x;
  };
  const a = root(origin);
  const b = root(fn);
  if (a.offset === b.offset) return true;
  return a.flag(DW_AT_declaration) && a.name !== undefined && a.name === b.name;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Splits physical frames into frames with inlined calls, innermost first. */
export function buildStack(ctx: StackContext, physical: readonly PhysicalFrame[]): StackFrame[] {
  const plans = physical.map((p) => planFrames(ctx, p));
  const firstLevel: number[] = [];
  let count = 0;
  for (const plan of plans) {
    firstLevel.push(count);
    count += plan.length;
  }
  // Built outermost first so each frame can point at its physical caller.
  const out: StackFrame[] = new Array<StackFrame>(count);
  let caller: StackFrame | undefined;
  for (let i = physical.length - 1; i >= 0; i--) {
    const plan = plans[i];
    plan.forEach((f, j) => {
      out[firstLevel[i] + j] = new StackFrame(ctx, firstLevel[i] + j, physical[i], caller, f.scope, f.source);
    });
    caller = out[firstLevel[i]];
  }
  return out;
}

/**
 * The frames one physical frame shows: one per inlined call its pc is inside, then the real
 * function. The innermost is at the pc's line; each outer one at the call site of the inlined
 * function inside it.
 */
function planFrames(ctx: StackContext, p: PhysicalFrame): { scope: Scope | undefined; source: SourcePosition | undefined }[] {
  const line = ctx.lines.lineAt(p.lookupPc);
  let source: SourcePosition | undefined = line === undefined ? undefined : { path: line.path, line: line.line, column: line.column };
  const innermost = ctx.functions.scopeAt(p.lookupPc);
  if (innermost === undefined) return [{ scope: undefined, source }];
  const plan: { scope: Scope | undefined; source: SourcePosition | undefined }[] = [];
  for (let s: Scope | undefined = innermost; s !== undefined;) {
    plan.push({ scope: s, source });
    const fn: Scope = s.functionScope;
    const site = fn.callSite;
    if (site !== undefined) source = site.path === undefined ? undefined : { path: site.path, line: site.line, column: site.column };
    s = fn.parent;
  }
  return plan;
}
