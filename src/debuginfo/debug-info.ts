// The debug information of one executable, for the debugger: ELF symbols, lines, functions and
// scopes, types, variables, call frame information and the call stack, and C expressions, over
// a machine the caller reads (memory, and the hart's pc and registers). Pure functions of the
// ELF's bytes: no host access, no clock.

import { Elf, SHF_EXECINSTR } from '../emu/elf.js';
import { BreakpointResolver, type BreakpointLocation } from './breakpoints.js';
import { CallFrameInfo } from './call-frame.js';
import { DwarfInfo } from './dwarf-info.js';
import { dwarfSections } from './dwarf-sections.js';
import { evaluateLocation } from './dwarf-expr.js';
import { evaluateExpression, type EvalScope } from './c-eval.js';
import {
  DW_TAG_base_type, DW_TAG_enumeration_type, DW_TAG_structure_type, DW_TAG_typedef, DW_TAG_union_type,
} from './dwarf-constants.js';
import type { Die } from './die.js';
import { LineTable, type SourceLine } from './line-table.js';
import type { SourceLocation } from './paths.js';
import { FunctionIndex, type Scope } from './scopes.js';
import { buildStack, type StackFrame } from './stack.js';
import { SymbolTable } from './symbols.js';
import { canonicalBaseName, TypeBuilder, type Type } from './types.js';
import { unwindStack } from './unwinder.js';
import { Value, type ValueContext } from './values.js';
import { unitGlobals, variableLocation, type Variable } from './variables.js';

/** Reads the debugged machine's memory (virtual addresses as the hart sees them). */
export interface TargetMemory {
  readMemory(address: number, size: number): Uint8Array | undefined;
}

/** The hart's registers at a stop. */
export interface HartRegisters {
  readonly pc: number;
  /** x0–x31 (signed or unsigned 32-bit values). */
  readonly x: ArrayLike<number>;
}

export interface CallStack {
  /** Innermost first, inlined calls as frames of their own. */
  readonly frames: readonly StackFrame[];
  /** Why the walk ended (gdb stops at main and at the entry point; otherwise missing CFI, ...). */
  readonly stopReason: string;
}

export interface CallStackOptions {
  /** Go on past main into the C runtime that called it (gdb's `backtrace past-main`). */
  readonly pastMain?: boolean;
  readonly maxFrames?: number;
  /** Trap handlers' entry addresses (the tvec bases) and the epc each returns to: the walk goes on into the interrupted code. */
  readonly traps?: readonly { readonly handler: number; readonly epc: number }[];
}

export class DebugInfo {
  readonly symbols: SymbolTable;
  readonly dwarf: DwarfInfo;
  readonly lines: LineTable;
  readonly functions: FunctionIndex;
  readonly breakpoints: BreakpointResolver;
  readonly cfi: CallFrameInfo;
  readonly types = new TypeBuilder();
  private globalList: Variable[] | undefined;

  private constructor(readonly elf: Elf, file: Uint8Array, sourceLocation: SourceLocation) {
    const sections = dwarfSections(elf, file);
    this.symbols = new SymbolTable(elf);
    this.dwarf = new DwarfInfo(sections, sourceLocation);
    const code = elf.sections.filter((s) => (s.flags & SHF_EXECINSTR) !== 0 && s.size > 0);
    this.lines = new LineTable(this.dwarf, (a) => code.some((s) => a >= s.addr && a < s.addr + s.size));
    this.functions = new FunctionIndex(this.dwarf);
    this.breakpoints = new BreakpointResolver(this.lines, this.functions);
    this.cfi = new CallFrameInfo(sections);
  }

  /**
   * Reads an executable's debug information from the bytes of its ELF file. Source paths are as
   * the line tables give them unless `sourceLocation` says where the sources are here.
   */
  static fromElf(file: Uint8Array, sourceLocation: SourceLocation = {}): DebugInfo {
    return new DebugInfo(Elf.parse(file), file, sourceLocation);
  }

  get addressSize(): number {
    return this.elf.class === 32 ? 4 : 8;
  }

  /** The source line of an address, with the address range of that line entry. */
  lineAt(pc: number): SourceLine | undefined {
    return this.lines.lineAt(pc);
  }

  /** Breakpoint locations for a source line (`file` is a path or its trailing components). */
  lineBreakpoint(file: string, line: number): BreakpointLocation[] {
    return this.breakpoints.lineBreakpoint(file, line);
  }

  /** Breakpoint locations for a function name (out-of-line copies and inlined instances). */
  functionBreakpoint(name: string): BreakpointLocation[] {
    const found = this.breakpoints.functionBreakpoint(name);
    if (found.length > 0) return found;
    const address = this.symbols.addressOf(name);
    if (address === undefined) return [];
    // An alias of a function with debug information (vfprintf for __i_vfprintf): break on that.
    const fn = this.functions.functionAt(address);
    if (fn !== undefined && fn.entryPc === address) return [this.breakpoints.functionStart(fn)];
    // No debug information: the ELF symbol's address, as gdb does.
    return [{ address, path: undefined, line: undefined, functionName: name }];
  }

  /** The real (not inlined) function holding pc. */
  functionAt(pc: number): Scope | undefined {
    return this.functions.functionAt(pc);
  }

  /** The innermost scope holding pc: a lexical block, an inlined subroutine or a function. */
  scopeAt(pc: number): Scope | undefined {
    return this.functions.scopeAt(pc);
  }

  /** Every file-scope variable (globals and file statics) of every unit. */
  globals(): Variable[] {
    this.globalList ??= this.dwarf.units.flatMap((u) => unitGlobals(u));
    return this.globalList;
  }

  /**
   * The file-scope variable `name` as seen from pc: a static of pc's unit first, then a
   * global of any unit.
   */
  findGlobal(name: string, pc?: number): Variable | undefined {
    const unit = pc === undefined ? undefined : this.dwarf.unitForPc(pc);
    const all = this.globals().filter((g) => g.name === name);
    return all.find((g) => g.die.unit === unit) ?? all.find((g) => g.kind === 'global') ?? all[0];
  }

  /** A variable with a fixed address or a constant value: globals, statics, static locals. */
  staticValue(v: Variable, memory: TargetMemory): Value {
    const type = this.types.typeOf(v.die);
    const loc = variableLocation(v.die, 0);
    const vc = this.valueContext(memory);
    if (loc.kind === 'none') return new Value(type, { kind: 'unavailable', reason: 'optimized out' }, vc);
    if (loc.kind === 'const') return new Value(type, { kind: 'bytes', bytes: loc.bytes }, vc);
    const where = evaluateLocation(loc.expr, {
      addressSize: this.addressSize,
      readRegister: () => undefined,
      readMemory: (a, s) => memory.readMemory(a, s),
      indexedAddress: (i) => v.die.unit.indexedAddress(i),
    });
    return Value.fromLocation(type, where, vc, () => undefined);
  }

  /**
   * A type by the name a C programmer writes: `struct point`, `union word`, `enum color`, a
   * typedef (`point_t`) or a base type (`unsigned int`). Searches the unit of pc first.
   */
  typeByName(name: string, pc?: number): Type | undefined {
    const m = /^(struct|union|enum)\s+(\w+)$/.exec(name.trim());
    const tags = m === null ? [DW_TAG_typedef, DW_TAG_base_type] : m[1] === 'struct' ? [DW_TAG_structure_type]
      : m[1] === 'union' ? [DW_TAG_union_type] : [DW_TAG_enumeration_type];
    const wanted = m === null ? canonicalBaseName(name.trim().replace(/\s+/g, ' ')) : m[2];
    const first = pc === undefined ? undefined : this.dwarf.unitForPc(pc);
    const units = first === undefined ? this.dwarf.units : [first, ...this.dwarf.units.filter((u) => u !== first)];
    let declaration: Die | undefined;
    for (const u of units) {
      for (const d of u.root.children) {
        if (!tags.includes(d.tag) || d.name === undefined) continue;
        if ((d.tag === DW_TAG_base_type ? canonicalBaseName(d.name) : d.name) !== wanted) continue;
        const t = this.types.fromDie(d);
        if ((t.kind === 'struct' || t.kind === 'union') && t.incomplete) { declaration ??= d; continue; }
        return t;
      }
    }
    return declaration === undefined ? undefined : this.types.fromDie(declaration);
  }

  /** What values read from this machine need. */
  valueContext(memory: TargetMemory): ValueContext {
    return {
      addressSize: this.addressSize,
      readMemory: (a, s) => memory.readMemory(a, s),
      symbolize: (a) => this.describeAddress(a),
    };
  }

  /**
   * An address as `name+offset`, the way a debugger labels pointers and pcs: code by its
   * function (its DWARF name, `use_locals`, rather than the clone's symbol
   * `use_locals.constprop.0`) unless a symbol starts exactly there; data by its ELF symbol.
   */
  describeAddress(address: number): string | undefined {
    const fn = this.functions.functionAt(address);
    const sym = this.symbols.lookup(address);
    if (fn !== undefined && fn.name !== undefined && !(sym?.offset === 0 && fn.entryPc !== address)) {
      const offset = address - fn.entryPc;
      return offset === 0 ? fn.name : `${fn.name}+${offset}`;
    }
    return this.symbols.describe(address);
  }

  /** The call stack at a stop: unwound with the CFI, with inlined calls as frames. */
  callStack(regs: HartRegisters, memory: TargetMemory, options: CallStackOptions = {}): CallStack {
    const entry = this.functions.functionAt(this.elf.entry);
    const unwound = unwindStack(this.cfi, regs.pc, regs.x, {
      addressSize: this.addressSize,
      readMemory: (a, s) => memory.readMemory(a, s),
      maxFrames: options.maxFrames,
      trapReturn: options.traps === undefined ? undefined : (f) => {
        const sym = this.symbols.lookup(f.lookupPc);
        const entry = this.functions.functionAt(f.lookupPc)?.entryPc ?? (sym === undefined ? undefined : f.lookupPc - sym.offset);
        return options.traps!.find((t) => t.handler === entry)?.epc;
      },
      isOutermost: (f) => {
        const fn = this.functions.functionAt(f.lookupPc);
        if (options.pastMain !== true && fn?.name === 'main') return true;
        return entry !== undefined && fn === entry;
      },
    });
    const frames = buildStack({
      lines: this.lines, functions: this.functions, symbols: this.symbols, types: this.types,
      valueContext: this.valueContext(memory),
    }, unwound.frames);
    return { frames, stopReason: unwound.stopReason };
  }

  /**
   * Evaluates a C expression (watch, hover, debug console) in a frame, or with globals only.
   * Throws EvalError with a message for the user ("no symbol \"foo\" in current context").
   */
  evaluate(expression: string, memory: TargetMemory, frame?: StackFrame): Value {
    const scope: EvalScope = { info: this, memory, frame };
    return evaluateExpression(expression, scope);
  }
}
