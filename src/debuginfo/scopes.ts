// Functions and the scopes inside them: each concrete DW_TAG_subprogram, its lexical blocks and
// inlined subroutines as a tree of address ranges, so a pc maps to its innermost scope and from
// there out through inlined calls to the real function. Names, declaration and call sites follow
// DW_AT_abstract_origin / DW_AT_specification to the abstract DIEs that carry them.

import type { CompileUnit } from './compile-unit.js';
import { isAddressForm, type Die } from './die.js';
import {
  DW_AT_call_column, DW_AT_call_file, DW_AT_call_line, DW_AT_decl_file, DW_AT_decl_line, DW_AT_entry_pc,
  DW_AT_external, DW_AT_frame_base, DW_AT_inline, DW_AT_low_pc, DW_TAG_enumeration_type, DW_TAG_formal_parameter,
  DW_TAG_inlined_subroutine, DW_TAG_lexical_block, DW_TAG_structure_type, DW_TAG_subprogram, DW_TAG_typedef,
  DW_TAG_union_type, DW_TAG_variable,
} from './dwarf-constants.js';
import type { DwarfInfo } from './dwarf-info.js';
import { dieRanges, type AddressRange } from './lists.js';

export type ScopeKind = 'function' | 'inlined' | 'block';

export class Scope {
  private childScopes: Scope[] | undefined;

  constructor(
    readonly info: DwarfInfo,
    readonly kind: ScopeKind,
    readonly die: Die,
    readonly ranges: readonly AddressRange[],
    readonly parent: Scope | undefined,
  ) {}

  get unit(): CompileUnit {
    return this.die.unit;
  }

  contains(pc: number): boolean {
    return this.ranges.some((r) => pc >= r.low && pc < r.high);
  }

  get low(): number {
    return Math.min(...this.ranges.map((r) => r.low));
  }

  get high(): number {
    return Math.max(...this.ranges.map((r) => r.high));
  }

  /** Where execution enters: DW_AT_entry_pc, else DW_AT_low_pc, else the lowest range start. */
  get entryPc(): number {
    const entry = this.die.attr(DW_AT_entry_pc);
    if (entry !== undefined && typeof entry.value === 'number') {
      // DWARF 5 allows a constant: an offset from the scope's base address.
      return isAddressForm(entry.form) ? entry.value : (this.die.number(DW_AT_low_pc) ?? this.low) + entry.value;
    }
    return this.die.number(DW_AT_low_pc) ?? this.low;
  }

  /** The function's (or inlined function's) name; undefined for a lexical block. */
  get name(): string | undefined {
    return this.kind === 'block' ? undefined : this.die.name;
  }

  /** The function this scope belongs to: itself for functions and inlined subroutines. */
  get functionScope(): Scope {
    return this.kind === 'block' && this.parent !== undefined ? this.parent.functionScope : this;
  }

  /** The real (not inlined) function around this scope. */
  get outerFunction(): Scope {
    return this.kind !== 'function' && this.parent !== undefined ? this.parent.outerFunction : this;
  }

  /** DW_AT_frame_base of the real function. */
  get frameBase(): Die | undefined {
    const f = this.outerFunction.die;
    return f.attr(DW_AT_frame_base) !== undefined ? f : undefined;
  }

  get declLine(): number | undefined {
    return this.die.attrDeep(DW_AT_decl_line)?.value as number | undefined;
  }

  get declFile(): string | undefined {
    const index = this.die.attrDeep(DW_AT_decl_file)?.value;
    return typeof index === 'number' ? this.info.lineProgram(this.die.unit)?.file(index)?.path : undefined;
  }

  get isExternal(): boolean {
    return this.die.flag(DW_AT_external);
  }

  /** For an inlined subroutine: the source position of the call. */
  get callSite(): { path: string | undefined; line: number; column: number } | undefined {
    if (this.kind !== 'inlined') return undefined;
    const file = this.die.number(DW_AT_call_file);
    return {
      path: file === undefined ? undefined : this.info.lineProgram(this.die.unit)?.file(file)?.path,
      line: this.die.number(DW_AT_call_line) ?? 0,
      column: this.die.number(DW_AT_call_column) ?? 0,
    };
  }

  /** Nested blocks and inlined subroutines that have code. */
  get children(): readonly Scope[] {
    this.childScopes ??= collectScopes(this.info, this.die, this);
    return this.childScopes;
  }

  /** The innermost scope under this one that holds pc (this one if no child does). */
  innermost(pc: number): Scope {
    const child = this.children.find((c) => c.contains(pc));
    return child === undefined ? this : child.innermost(pc);
  }

  /** The parameters and variables declared directly in this scope, in declaration order. */
  get variables(): Die[] {
    return this.die.children.filter((d) => d.tag === DW_TAG_variable || d.tag === DW_TAG_formal_parameter);
  }

  /**
   * True when gdb makes a block of it: functions and inlined subroutines always; a lexical
   * block only when it declares something (otherwise its code belongs to the enclosing block).
   */
  get isSymbolBlock(): boolean {
    if (this.kind !== 'block') return true;
    return this.die.children.some((d) => DECLARING_TAGS.has(d.tag) && d.name !== undefined);
  }

  /** The innermost scope gdb would report for pc: skipping lexical blocks that declare nothing. */
  static symbolBlock(scope: Scope): Scope {
    let s = scope;
    while (!s.isSymbolBlock && s.parent !== undefined) s = s.parent;
    return s;
  }
}

const DECLARING_TAGS = new Set([DW_TAG_variable, DW_TAG_formal_parameter, DW_TAG_typedef, DW_TAG_structure_type,
  DW_TAG_union_type, DW_TAG_enumeration_type, DW_TAG_subprogram]);

function collectScopes(info: DwarfInfo, die: Die, parent: Scope): Scope[] {
  const out: Scope[] = [];
  for (const child of die.children) {
    if (child.tag === DW_TAG_lexical_block || child.tag === DW_TAG_inlined_subroutine) {
      const ranges = dieRanges(child);
      if (ranges.length > 0) {
        out.push(new Scope(info, child.tag === DW_TAG_inlined_subroutine ? 'inlined' : 'block', child, ranges, parent));
      } else if (child.tag === DW_TAG_lexical_block) {
        // A block without ranges (its code was optimised away) can still hold blocks that have code.
        out.push(...collectScopes(info, child, parent));
      }
    }
  }
  return out;
}

/** The concrete functions of the program: subprograms with code, by address. */
export class FunctionIndex {
  private readonly byUnit = new Map<CompileUnit, Scope[]>();
  private all: Scope[] | undefined;

  constructor(private readonly info: DwarfInfo) {}

  /** A unit's functions (nested ones included), sorted by low address. */
  functionsOf(unit: CompileUnit): Scope[] {
    let f = this.byUnit.get(unit);
    if (f === undefined) {
      f = [];
      const walk = (die: Die): void => {
        for (const child of die.children) {
          if (child.tag === DW_TAG_subprogram) {
            // Abstract instances (DW_AT_inline without code) are reached through their concrete copies.
            const ranges = dieRanges(child);
            if (ranges.length > 0) f?.push(new Scope(this.info, 'function', child, ranges, undefined));
            walk(child);
          } else if (child.tag === DW_TAG_lexical_block) {
            walk(child);
          }
        }
      };
      walk(unit.root);
      f.sort((a, b) => a.low - b.low);
      this.byUnit.set(unit, f);
    }
    return f;
  }

  /** Every function of every unit. */
  allFunctions(): Scope[] {
    this.all ??= this.info.units.flatMap((u) => this.functionsOf(u)).sort((a, b) => a.low - b.low);
    return this.all;
  }

  /**
   * The real function whose ranges hold pc. Where functions overlap (assembly files describe
   * entry points inside other functions), the one starting closest below pc, as gdb picks.
   */
  functionAt(pc: number): Scope | undefined {
    const unit = this.info.unitForPc(pc);
    let found = innermostFunction(unit !== undefined ? this.functionsOf(unit) : this.allFunctions(), pc);
    if (found === undefined && unit !== undefined) found = innermostFunction(this.allFunctions(), pc);
    return found;
  }

  /** The innermost scope (block, inlined subroutine or function) holding pc. */
  scopeAt(pc: number): Scope | undefined {
    return this.functionAt(pc)?.innermost(pc);
  }

  /** Functions with this name (several when static functions share it, or out-of-line copies). */
  functionsNamed(name: string): Scope[] {
    return this.allFunctions().filter((f) => f.name === name && !isAbstractOnly(f.die));
  }

  /** The places where a function with this name was inlined. */
  inlinedInstances(name: string): Scope[] {
    const out: Scope[] = [];
    const walk = (s: Scope): void => {
      for (const c of s.children) {
        if (c.kind === 'inlined' && c.name === name) out.push(c);
        walk(c);
      }
    };
    for (const f of this.allFunctions()) walk(f);
    return out;
  }
}

function innermostFunction(functions: readonly Scope[], pc: number): Scope | undefined {
  let best: Scope | undefined;
  for (const f of functions) {
    if (!f.contains(pc)) continue;
    if (best === undefined || f.low > best.low || (f.low === best.low && f.high < best.high)) best = f;
  }
  return best;
}

function isAbstractOnly(die: Die): boolean {
  const inline = die.number(DW_AT_inline);
  return inline !== undefined && die.number(DW_AT_low_pc) === undefined && dieRanges(die).length === 0;
}
