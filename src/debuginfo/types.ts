// The C type model built from DWARF type DIEs: base, pointer, array (one level per dimension),
// struct/union with members and bitfields, enum, typedef, qualifiers and function types. Types
// are built once per DIE; a struct is cached before its members so self-referencing types end.

import {
  type Attribute, type Die, isBlockForm, isConstantForm, signedConstant,
} from './die.js';
import {
  DW_AT_bit_offset, DW_AT_bit_size, DW_AT_byte_size, DW_AT_const_value, DW_AT_count, DW_AT_data_bit_offset,
  DW_AT_data_member_location, DW_AT_declaration, DW_AT_encoding, DW_AT_lower_bound, DW_AT_prototyped,
  DW_AT_type, DW_AT_upper_bound, DW_ATE_signed, DW_ATE_signed_char, DW_OP_plus_uconst, DW_TAG_array_type,
  DW_TAG_atomic_type, DW_TAG_base_type, DW_TAG_class_type, DW_TAG_const_type, DW_TAG_enumeration_type,
  DW_TAG_enumerator, DW_TAG_formal_parameter, DW_TAG_member, DW_TAG_pointer_type, DW_TAG_reference_type,
  DW_TAG_restrict_type, DW_TAG_structure_type, DW_TAG_subrange_type, DW_TAG_subroutine_type,
  DW_TAG_subprogram, DW_TAG_typedef, DW_TAG_union_type, DW_TAG_unspecified_parameters,
  DW_TAG_unspecified_type, DW_TAG_volatile_type, DW_LANG_C, DW_LANG_C11, DW_LANG_C17, DW_LANG_C89, DW_LANG_C99,
  DW_LANG_ObjC, tagName,
} from './dwarf-constants.js';
import { ByteReader } from './byte-reader.js';

export type Type = VoidType | BaseType | PointerType | ArrayType | StructType | EnumType | TypedefType
  | QualifiedType | FunctionType;

export interface VoidType {
  readonly kind: 'void';
  readonly size: 0;
  /** Set for DW_TAG_unspecified_type, which C compilers rarely emit. */
  readonly name?: string;
}

export interface BaseType {
  readonly kind: 'base';
  readonly name: string;
  readonly size: number;
  /** DW_ATE_* */
  readonly encoding: number;
}

export interface PointerType {
  readonly kind: 'pointer';
  readonly size: number;
  readonly target: Type;
}

/** One dimension; `int a[3][4]` is an array of 3 arrays of 4 ints. */
export interface ArrayType {
  readonly kind: 'array';
  readonly element: Type;
  /** Number of elements; undefined when unknown (`int a[]`, variable length). */
  readonly count: number | undefined;
  readonly lowerBound: number;
  readonly size: number;
}

export interface Member {
  readonly name: string | undefined;
  readonly type: Type;
  /** Byte offset of the member (of its containing storage unit for a bitfield). */
  readonly offset: number;
  /** For a bitfield: its first bit, counted from bit 0 of the struct, little-endian. */
  readonly bitOffset?: number;
  readonly bitSize?: number;
}

export interface StructType {
  readonly kind: 'struct' | 'union';
  readonly name: string | undefined;
  readonly size: number;
  readonly members: readonly Member[];
  /** A declaration only (`struct foo;`): no members known. */
  readonly incomplete: boolean;
}

export interface Enumerator {
  readonly name: string;
  readonly value: number;
}

export interface EnumType {
  readonly kind: 'enum';
  readonly name: string | undefined;
  readonly size: number;
  readonly enumerators: readonly Enumerator[];
  readonly signed: boolean;
}

export interface TypedefType {
  readonly kind: 'typedef';
  readonly name: string;
  readonly target: Type;
  readonly size: number;
}

export interface QualifiedType {
  readonly kind: 'const' | 'volatile' | 'restrict' | 'atomic';
  readonly target: Type;
  readonly size: number;
}

export interface FunctionType {
  readonly kind: 'function';
  readonly returns: Type;
  readonly params: readonly Type[];
  readonly varargs: boolean;
  readonly prototyped: boolean;
  /** gdb's sizeof of a function is 1. */
  readonly size: 1;
}

export const VOID: VoidType = { kind: 'void', size: 0 };

const C_LANGUAGES = new Set([DW_LANG_C89, DW_LANG_C, DW_LANG_C99, DW_LANG_C11, DW_LANG_C17, DW_LANG_ObjC]);

/** Builds Type objects from DIEs, once per DIE. */
export class TypeBuilder {
  private readonly cache = new Map<number, Type>();

  /** The type a DIE describes; undefined DIE means void (a missing DW_AT_type). */
  fromDie(die: Die | undefined): Type {
    if (die === undefined) return VOID;
    const hit = this.cache.get(die.offset);
    if (hit !== undefined) return hit;
    const t = this.build(die);
    this.cache.set(die.offset, t);
    return t;
  }

  /** The type of an object DIE (variable, parameter, member, function return). */
  typeOf(die: Die): Type {
    return this.fromDie(die.refDeep(DW_AT_type));
  }

  private build(die: Die): Type {
    const size = die.number(DW_AT_byte_size) ?? 0;
    switch (die.tag) {
      case DW_TAG_base_type:
        return { kind: 'base', name: canonicalBaseName(die.name ?? '?'), size, encoding: die.number(DW_AT_encoding) ?? 0 };
      case DW_TAG_unspecified_type:
        return { kind: 'void', size: 0, name: die.name };
      case DW_TAG_pointer_type:
      case DW_TAG_reference_type:
        return { kind: 'pointer', size: size || die.unit.addressSize, target: this.typeOf(die) };
      case DW_TAG_const_type:
      case DW_TAG_volatile_type:
      case DW_TAG_restrict_type:
      case DW_TAG_atomic_type: {
        const kind = die.tag === DW_TAG_const_type ? 'const' : die.tag === DW_TAG_volatile_type ? 'volatile'
          : die.tag === DW_TAG_restrict_type ? 'restrict' : 'atomic';
        // Filled in place so a qualifier inside a self-referencing struct does not recurse forever.
        const q = { kind, target: VOID as Type, size: 0 };
        this.cache.set(die.offset, q as QualifiedType);
        q.target = this.typeOf(die);
        q.size = q.target.size;
        return q as QualifiedType;
      }
      case DW_TAG_typedef: {
        const t = { kind: 'typedef', name: die.name ?? '?', target: VOID as Type, size: 0 };
        this.cache.set(die.offset, t as TypedefType);
        t.target = this.typeOf(die);
        t.size = t.target.size;
        return t as TypedefType;
      }
      case DW_TAG_structure_type:
      case DW_TAG_class_type:
      case DW_TAG_union_type: {
        const members: Member[] = [];
        const t: StructType = {
          kind: die.tag === DW_TAG_union_type ? 'union' : 'struct', name: die.name, size, members,
          incomplete: die.flag(DW_AT_declaration),
        };
        this.cache.set(die.offset, t);
        for (const m of die.children) if (m.tag === DW_TAG_member) members.push(this.member(m));
        return t;
      }
      case DW_TAG_enumeration_type: {
        const underlying = die.ref(DW_AT_type);
        const base = underlying === undefined ? undefined : this.fromDie(underlying);
        const enumerators = die.children.filter((c) => c.tag === DW_TAG_enumerator).map((c) => {
          const a = c.attr(DW_AT_const_value);
          return { name: c.name ?? '?', value: a === undefined ? 0 : enumValue(a, base) };
        });
        const signed = base !== undefined ? isSignedType(base) : enumerators.some((e) => e.value < 0);
        return { kind: 'enum', name: die.name, size: size || (base?.size ?? 4), enumerators, signed };
      }
      case DW_TAG_array_type:
        return this.array(die);
      case DW_TAG_subroutine_type:
      case DW_TAG_subprogram: {
        const params = die.children.filter((c) => c.tag === DW_TAG_formal_parameter).map((c) => this.typeOf(c));
        const varargs = die.children.some((c) => c.tag === DW_TAG_unspecified_parameters);
        // Only C has unprototyped functions; in other languages (assembly too) a function is prototyped.
        const prototyped = die.flag(DW_AT_prototyped) || !C_LANGUAGES.has(die.unit.language ?? DW_LANG_C);
        return { kind: 'function', returns: this.typeOf(die), params, varargs, prototyped, size: 1 };
      }
      default:
        return { kind: 'base', name: `<${tagName(die.tag)}>`, size, encoding: 0 };
    }
  }

  private member(m: Die): Member {
    const type = this.typeOf(m);
    const loc = m.attr(DW_AT_data_member_location);
    let offset = 0;
    if (loc !== undefined) {
      if (typeof loc.value === 'number') offset = loc.value;
      else if (loc.value instanceof Uint8Array && isBlockForm(loc.form)) offset = memberOffsetFromExpr(loc.value);
    }
    const bitSize = m.number(DW_AT_bit_size);
    if (bitSize === undefined) return { name: m.name, type, offset };
    const dataBitOffset = m.number(DW_AT_data_bit_offset);
    if (dataBitOffset !== undefined) {
      return { name: m.name, type, offset: Math.floor(dataBitOffset / 8), bitOffset: dataBitOffset, bitSize };
    }
    // DWARF 2/3 (and gcc's -gdwarf-4): DW_AT_bit_offset counts from the most significant bit of
    // a storage unit of DW_AT_byte_size bytes at the member location.
    const storage = m.number(DW_AT_byte_size) ?? type.size;
    const fromMsb = m.number(DW_AT_bit_offset) ?? 0;
    const bitOffset = offset * 8 + storage * 8 - fromMsb - bitSize;
    return { name: m.name, type, offset, bitOffset, bitSize };
  }

  private array(die: Die): Type {
    const element = this.typeOf(die);
    const dims = die.children.filter((c) => c.tag === DW_TAG_subrange_type);
    if (dims.length === 0) return { kind: 'array', element, count: undefined, lowerBound: 0, size: 0 };
    // Build from the innermost dimension out.
    let t: Type = element;
    for (let i = dims.length - 1; i >= 0; i--) {
      const d = dims[i];
      const lower = constantOf(d.attr(DW_AT_lower_bound)) ?? 0;
      let count = constantOf(d.attr(DW_AT_count));
      const upper = d.attr(DW_AT_upper_bound);
      if (count === undefined && upper !== undefined) {
        const u = constantOf(upper);
        // gcc writes an upper bound of -1 (all ones) for a zero-length array.
        if (u !== undefined) count = u === 0xffffffff || u < lower - 1 ? 0 : u - lower + 1;
      }
      t = { kind: 'array', element: t, count, lowerBound: lower, size: count === undefined ? 0 : count * t.size };
    }
    return t;
  }
}

function constantOf(a: Attribute | undefined): number | undefined {
  if (a === undefined || !isConstantForm(a.form)) return undefined;
  return typeof a.value === 'number' ? a.value : undefined;
}

function enumValue(a: Attribute, base: Type | undefined): number {
  if (typeof a.value === 'bigint') return Number(a.value);
  if (typeof a.value !== 'number') return 0;
  return base !== undefined && isSignedType(base) ? signedConstant(a) ?? a.value : a.value;
}

/** DW_AT_data_member_location as an expression: gcc only writes DW_OP_plus_uconst N. */
function memberOffsetFromExpr(expr: Uint8Array): number {
  const r = new ByteReader(expr, 'DW_AT_data_member_location');
  return r.u8() === DW_OP_plus_uconst ? r.uleb() : 0;
}

/**
 * The name gdb shows for a base type: gcc writes `long unsigned int`, C programmers and gdb
 * write `unsigned long`.
 */
export function canonicalBaseName(name: string): string {
  return BASE_NAME_SPELLINGS[name] ?? name;
}

const BASE_NAME_SPELLINGS: Record<string, string> = {
  'short int': 'short', 'short unsigned int': 'unsigned short', 'long int': 'long',
  'long unsigned int': 'unsigned long', 'long long int': 'long long', 'long long unsigned int': 'unsigned long long',
};

/** The type with typedefs and qualifiers removed. */
export function stripTypedefs(t: Type): Type {
  while (t.kind === 'typedef' || t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic') t = t.target;
  return t;
}

export function isSignedType(t: Type): boolean {
  const s = stripTypedefs(t);
  if (s.kind === 'enum') return s.signed;
  return s.kind === 'base' && (s.encoding === DW_ATE_signed || s.encoding === DW_ATE_signed_char);
}

/** The C spelling of a type, as gdb's `whatis` shows it: `struct point *`, `int [4]`, `int (*)(int, int)`. */
export function typeName(t: Type): string {
  return declare(t, '');
}

/** A declaration of `name` with type t: `const char *name`, `int grid[3][4]`, `int (*op)(int, int)`. */
export function declare(t: Type, name: string): string {
  const { base, declarator } = split(t, name);
  return declarator === '' ? base : `${base} ${declarator}`;
}

function split(t: Type, inner: string): { base: string; declarator: string } {
  switch (t.kind) {
    case 'void': return { base: t.name ?? 'void', declarator: inner };
    case 'base':
    case 'typedef': return { base: t.name, declarator: inner };
    case 'struct':
    case 'union':
    case 'enum': return { base: t.name === undefined ? `${t.kind} {...}` : `${t.kind} ${t.name}`, declarator: inner };
    case 'pointer': {
      const target = t.target;
      const wrapped = target.kind === 'array' || target.kind === 'function' ? `(*${inner})` : `*${inner}`;
      return split(target, wrapped);
    }
    case 'array':
      return split(t.element, `${inner}[${t.count ?? ''}]`);
    case 'function': {
      const params = t.params.map(typeName);
      if (t.varargs) params.push('...');
      const list = params.length === 0 && t.prototyped ? 'void' : params.join(', ');
      return split(t.returns, `${inner}(${list})`);
    }
    case 'const':
    case 'volatile':
    case 'restrict':
    case 'atomic': {
      const kw = t.kind === 'atomic' ? '_Atomic' : t.kind;
      // A qualified array is an array of qualified elements; gcc often qualifies both.
      if (t.target.kind === 'array') {
        const element = t.target.element;
        const q = element.kind === t.kind ? element : { kind: t.kind, target: element, size: element.size } as QualifiedType;
        return split({ ...t.target, element: q }, inner);
      }
      if (stripToPointer(t.target)) {
        // A qualified pointer: the qualifier goes after the star (`char * const`).
        return split(t.target, inner === '' ? kw : `${kw} ${inner}`);
      }
      const s = split(t.target, inner);
      return { base: `${kw} ${s.base}`, declarator: s.declarator };
    }
  }
}

function stripToPointer(t: Type): boolean {
  while (t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic') t = t.target;
  return t.kind === 'pointer';
}

/**
 * gdb's `ptype`: typedefs along the declarator are looked through, and the struct, union or
 * enum the declaration is built on is spelled out with its members (which keep their typedef
 * names; an anonymous aggregate among them is spelled out too).
 */
export function ptype(t: Type): string {
  return declareShown(t, '', 1, 0);
}

/** A declaration with gdb's `show` level: > 0 looks through typedefs and expands aggregates. */
function declareShown(t: Type, name: string, show: number, indent: number): string {
  const shown = show > 0 ? lookThrough(t) : t;
  const { base, declarator } = split(shown, name);
  const core = coreType(shown);
  let head = base;
  if ((core.kind === 'struct' || core.kind === 'union' || core.kind === 'enum') && show >= 0 && (show > 0 || core.name === undefined)) {
    const plain = core.name === undefined ? `${core.kind} {...}` : `${core.kind} ${core.name}`;
    head = base.slice(0, base.length - plain.length) + body(core, show - 1, indent);
  }
  return declarator === '' ? head : `${head} ${declarator}`;
}

/** The type with typedefs removed along its declarator chain (pointer targets, elements, returns). */
function lookThrough(t: Type): Type {
  switch (t.kind) {
    case 'typedef': return lookThrough(t.target);
    case 'pointer': return { ...t, target: lookThrough(t.target) };
    case 'array': return { ...t, element: lookThrough(t.element) };
    case 'function': return { ...t, returns: lookThrough(t.returns) };
    case 'const':
    case 'volatile':
    case 'restrict':
    case 'atomic': return { ...t, target: lookThrough(t.target) };
    default: return t;
  }
}

/** The type a declarator is built around (what is left after pointers, arrays, functions and qualifiers). */
function coreType(t: Type): Type {
  for (;;) {
    if (t.kind === 'pointer') t = t.target;
    else if (t.kind === 'array') t = t.element;
    else if (t.kind === 'function') t = t.returns;
    else if (t.kind === 'const' || t.kind === 'volatile' || t.kind === 'restrict' || t.kind === 'atomic') t = t.target;
    else return t;
  }
}

function body(t: StructType | EnumType, show: number, indent: number): string {
  const name = t.name === undefined ? t.kind : `${t.kind} ${t.name}`;
  if (t.kind === 'enum') {
    let next = 0;
    const items = t.enumerators.map((e) => {
      const s = e.value === next ? e.name : `${e.name} = ${e.value}`;
      next = e.value + 1;
      return s;
    });
    return `${name} {${items.join(', ')}}`;
  }
  if (t.incomplete) return `${name} {\n${' '.repeat(indent + 4)}<incomplete type>\n${' '.repeat(indent)}}`;
  const pad = ' '.repeat(indent + 4);
  const lines = t.members.map((m) => {
    const decl = declareShown(m.type, m.name ?? '', show, indent + 4);
    return `${pad}${decl}${m.bitSize !== undefined ? ` : ${m.bitSize}` : ''};`;
  });
  if (lines.length === 0) return `${name} {\n${' '.repeat(indent)}}`;
  return `${name} {\n${lines.join('\n')}\n${' '.repeat(indent)}}`;
}
