// Variables as the debugger lists them: parameters and locals visible at a pc (walking the scope
// chain out to the function, and taking from abstract origins the variables an inlined or
// optimised copy dropped), and globals and file statics. A variable's location is a single
// expression, a location list picked by pc, or a constant.

import type { CompileUnit } from './compile-unit.js';
import { isBlockForm, isListForm, type Die } from './die.js';
import {
  DW_AT_abstract_origin, DW_AT_const_value, DW_AT_declaration, DW_AT_external, DW_AT_location,
  DW_AT_low_pc, DW_AT_ranges, DW_AT_specification, DW_OP_addr, DW_OP_addrx, DW_TAG_formal_parameter,
  DW_TAG_lexical_block, DW_TAG_variable,
} from './dwarf-constants.js';
import { readLocationList, locationAt } from './lists.js';
import type { Scope } from './scopes.js';

export type VariableKind = 'parameter' | 'local' | 'static' | 'global';

export interface Variable {
  readonly name: string;
  readonly kind: VariableKind;
  /** The DIE with the location (the concrete one for inlined and optimised copies). */
  readonly die: Die;
}

/** How a variable's location is described at some pc. */
export type VariableLocation =
  | { readonly kind: 'expr'; readonly expr: Uint8Array }
  | { readonly kind: 'const'; readonly bytes: Uint8Array }
  | { readonly kind: 'none' };

/**
 * The location that applies at pc (pc only matters for location lists). `attr` is
 * DW_AT_location, or DW_AT_frame_base for a function's frame base.
 */
export function variableLocation(die: Die, pc: number, attr = DW_AT_location): VariableLocation {
  const loc = die.attr(attr);
  if (loc !== undefined) {
    if (loc.value instanceof Uint8Array && isBlockForm(loc.form)) return { kind: 'expr', expr: loc.value };
    if (typeof loc.value === 'number' && isListForm(loc.form, die.unit.version)) {
      const expr = locationAt(readLocationList(die.unit, loc.value), pc);
      return expr === undefined || expr.length === 0 ? { kind: 'none' } : { kind: 'expr', expr };
    }
  }
  const c = attr === DW_AT_location ? die.attrDeep(DW_AT_const_value) : undefined;
  if (c !== undefined) {
    if (c.value instanceof Uint8Array) return { kind: 'const', bytes: c.value };
    const size = 8; // wide enough for any scalar; the value's type says how much of it counts
    let v = typeof c.value === 'bigint' ? c.value : BigInt(typeof c.value === 'number' ? c.value : 0);
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) { bytes[i] = Number(BigInt.asUintN(8, v)); v >>= 8n; }
    return { kind: 'const', bytes };
  }
  return { kind: 'none' };
}

/** Parameters of the function (or inlined function) a scope belongs to, in declaration order. */
export function parametersOf(functionScope: Scope): Variable[] {
  return declared(functionScope.die).filter((d) => d.tag === DW_TAG_formal_parameter).flatMap((die) => {
    const name = die.name;
    return name === undefined ? [] : [{ name, kind: 'parameter' as const, die }];
  });
}

/**
 * Locals visible at pc from `scope` out to its function (not past an inlined function's
 * boundary), innermost block first; statics inside functions included.
 */
export function localsAt(scope: Scope): Variable[] {
  const out: Variable[] = [];
  for (let s: Scope | undefined = scope; s !== undefined; s = s.parent) {
    for (const die of declared(s.die)) {
      if (die.tag !== DW_TAG_variable) continue;
      const name = die.name;
      if (name === undefined) continue;
      out.push({ name, kind: isStaticStorage(die) ? 'static' : 'local', die });
    }
    if (s.kind !== 'block') break;
  }
  return out;
}

/**
 * The variables and parameters a scope declares: its own children, the children of range-less
 * lexical blocks inside it (gdb folds those into the enclosing block), and those of its
 * abstract origin that the concrete copy leaves out (they are optimized out).
 */
function declared(scopeDie: Die): Die[] {
  const out: Die[] = [];
  const collect = (die: Die): void => {
    for (const c of die.children) {
      if (c.tag === DW_TAG_variable || c.tag === DW_TAG_formal_parameter) {
        if (!isDiscarded(c)) out.push(c);
      } else if (c.tag === DW_TAG_lexical_block && !hasRanges(c)) {
        collect(c);
      }
    }
  };
  collect(scopeDie);
  const origin = scopeDie.ref(DW_AT_abstract_origin);
  if (origin !== undefined) {
    // What the concrete DIE's children complete (variables, and blocks with their own scope).
    const covered = new Set<number>();
    for (const c of scopeDie.children) {
      const o = c.ref(DW_AT_abstract_origin);
      if (o !== undefined) covered.add(o.offset);
    }
    const fromOrigin = (die: Die): void => {
      for (const c of die.children) {
        if (covered.has(c.offset)) continue;
        if (c.tag === DW_TAG_variable || c.tag === DW_TAG_formal_parameter) out.push(c);
        else if (c.tag === DW_TAG_lexical_block) fromOrigin(c);
      }
    };
    fromOrigin(origin);
  }
  return out;
}

/**
 * A variable the linker discarded: gcc still describes it, at address 0 (gdb leaves these out
 * of the symbol table).
 */
export function isDiscarded(die: Die): boolean {
  const loc = die.attr(DW_AT_location)?.value;
  return loc instanceof Uint8Array && loc.length === 1 + die.unit.addressSize && loc[0] === DW_OP_addr
    && loc.subarray(1).every((b) => b === 0);
}

function hasRanges(die: Die): boolean {
  return die.attr(DW_AT_low_pc) !== undefined || die.attr(DW_AT_ranges) !== undefined;
}

/** A variable with a fixed address (DW_OP_addr) inside a function: a `static` local. */
function isStaticStorage(die: Die): boolean {
  const loc = die.attr(DW_AT_location);
  return loc !== undefined && loc.value instanceof Uint8Array && (loc.value[0] === DW_OP_addr || loc.value[0] === DW_OP_addrx);
}

/**
 * The unit's file-scope variables: definitions (a declaration completed elsewhere by a
 * DW_AT_specification is reported once, by its definition).
 */
export function unitGlobals(unit: CompileUnit): Variable[] {
  const out: Variable[] = [];
  for (const die of unit.root.children) {
    if (die.tag !== DW_TAG_variable) continue;
    if (die.flag(DW_AT_declaration) && die.attr(DW_AT_specification) === undefined && die.attr(DW_AT_location) === undefined) continue;
    const name = die.name;
    if (name === undefined) continue;
    if (die.attr(DW_AT_location) === undefined && die.attrDeep(DW_AT_const_value) === undefined) continue;
    if (isDiscarded(die)) continue;
    out.push({ name, kind: die.flag(DW_AT_external) ? 'global' : 'static', die });
  }
  return out;
}
