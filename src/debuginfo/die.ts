// A debugging information entry: its tag, its attributes already decoded from their forms (see
// compile-unit.ts), its children and parent. References are absolute .debug_info offsets and
// resolve through the unit, so one DIE can point into another unit (DW_FORM_ref_addr).

import {
  DW_AT_abstract_origin, DW_AT_name, DW_AT_specification, DW_FORM_addr, DW_FORM_addrx, DW_FORM_addrx1,
  DW_FORM_addrx2, DW_FORM_addrx3, DW_FORM_addrx4, DW_FORM_block, DW_FORM_block1, DW_FORM_block2,
  DW_FORM_block4, DW_FORM_data1, DW_FORM_data16, DW_FORM_data2, DW_FORM_data4, DW_FORM_data8,
  DW_FORM_exprloc, DW_FORM_implicit_const, DW_FORM_loclistx, DW_FORM_ref1, DW_FORM_ref2, DW_FORM_ref4,
  DW_FORM_ref8, DW_FORM_ref_addr, DW_FORM_ref_udata, DW_FORM_rnglistx, DW_FORM_sdata, DW_FORM_sec_offset,
  DW_FORM_udata,
} from './dwarf-constants.js';
import type { CompileUnit } from './compile-unit.js';

/**
 * A decoded value: addresses, constants, offsets and references are numbers (a data8 constant
 * beyond 2^53 is a bigint), strings are strings, flags booleans, blocks and exprlocs bytes.
 */
export type AttrValue = number | bigint | string | boolean | Uint8Array;

export interface Attribute {
  readonly name: number;
  readonly form: number;
  readonly value: AttrValue;
}

export class Die {
  readonly children: Die[] = [];

  constructor(
    readonly unit: CompileUnit,
    /** Offset of the DIE in .debug_info: its identity. */
    readonly offset: number,
    readonly tag: number,
    readonly attrs: readonly Attribute[],
    readonly parent: Die | undefined,
  ) {}

  attr(name: number): Attribute | undefined {
    for (const a of this.attrs) if (a.name === name) return a;
    return undefined;
  }

  has(name: number): boolean {
    return this.attr(name) !== undefined;
  }

  /** The attribute here, or on the DIE this one completes (abstract origin, specification). */
  attrDeep(name: number): Attribute | undefined {
    const own = this.attr(name);
    if (own !== undefined) return own;
    let die = this.ref(DW_AT_abstract_origin) ?? this.ref(DW_AT_specification);
    for (let hops = 0; die !== undefined && hops < 8; hops++) {
      const a = die.attr(name);
      if (a !== undefined) return a;
      die = die.ref(DW_AT_abstract_origin) ?? die.ref(DW_AT_specification);
    }
    return undefined;
  }

  get name(): string | undefined {
    const v = this.attrDeep(DW_AT_name)?.value;
    return typeof v === 'string' ? v : undefined;
  }

  string(name: number): string | undefined {
    const v = this.attr(name)?.value;
    return typeof v === 'string' ? v : undefined;
  }

  /** A constant, flag or offset attribute as a number (bigints and blocks give undefined). */
  number(name: number): number | undefined {
    const v = this.attr(name)?.value;
    return typeof v === 'number' ? v : typeof v === 'boolean' ? (v ? 1 : 0) : undefined;
  }

  flag(name: number): boolean {
    const v = this.attrDeep(name)?.value;
    return v === true || (typeof v === 'number' && v !== 0);
  }

  /** The DIE a reference attribute points to. */
  ref(name: number): Die | undefined {
    const a = this.attr(name);
    if (a === undefined || !isReferenceForm(a.form)) return undefined;
    return this.unit.dieAt(a.value as number);
  }

  /** Like ref(), following abstract origins and specifications for the attribute. */
  refDeep(name: number): Die | undefined {
    const a = this.attrDeep(name);
    if (a === undefined || !isReferenceForm(a.form)) return undefined;
    return this.unit.dieAt(a.value as number);
  }
}

export function isReferenceForm(form: number): boolean {
  return form === DW_FORM_ref1 || form === DW_FORM_ref2 || form === DW_FORM_ref4 || form === DW_FORM_ref8
    || form === DW_FORM_ref_udata || form === DW_FORM_ref_addr;
}

export function isBlockForm(form: number): boolean {
  return form === DW_FORM_exprloc || form === DW_FORM_block || form === DW_FORM_block1
    || form === DW_FORM_block2 || form === DW_FORM_block4;
}

export function isAddressForm(form: number): boolean {
  return form === DW_FORM_addr || form === DW_FORM_addrx || form === DW_FORM_addrx1 || form === DW_FORM_addrx2
    || form === DW_FORM_addrx3 || form === DW_FORM_addrx4;
}

export function isConstantForm(form: number): boolean {
  return form === DW_FORM_data1 || form === DW_FORM_data2 || form === DW_FORM_data4 || form === DW_FORM_data8
    || form === DW_FORM_sdata || form === DW_FORM_udata || form === DW_FORM_implicit_const || form === DW_FORM_data16;
}

/** Forms that point into .debug_loclists/.debug_loc or .debug_rnglists/.debug_ranges. */
export function isListForm(form: number, version: number): boolean {
  // Before DWARF 4, location lists were data4/data8 offsets.
  return form === DW_FORM_sec_offset || form === DW_FORM_loclistx || form === DW_FORM_rnglistx
    || (version < 4 && (form === DW_FORM_data4 || form === DW_FORM_data8));
}

/** A constant attribute as a signed number, reading the unsigned forms (data1/2/4) as two's complement. */
export function signedConstant(a: Attribute): number | undefined {
  if (typeof a.value !== 'number') return undefined;
  switch (a.form) {
    case DW_FORM_data1: return (a.value << 24) >> 24;
    case DW_FORM_data2: return (a.value << 16) >> 16;
    case DW_FORM_data4: return a.value | 0;
    default: return a.value;
  }
}
