// .debug_abbrev: the abbreviation tables that say, per abbreviation code, a DIE's tag, whether it
// has children and which attributes in which forms follow it (DW_FORM_implicit_const carries its
// value here instead of in the DIE).

import { ByteReader, DwarfError } from './byte-reader.js';
import { DW_FORM_implicit_const } from './dwarf-constants.js';

export interface AttributeSpec {
  readonly name: number;
  readonly form: number;
  /** The value of a DW_FORM_implicit_const attribute. */
  readonly implicitConst: number;
}

export interface Abbrev {
  readonly code: number;
  readonly tag: number;
  readonly hasChildren: boolean;
  readonly specs: readonly AttributeSpec[];
}

export type AbbrevTable = ReadonlyMap<number, Abbrev>;

/** Parses the table at `offset`; units often share one, so callers cache by offset. */
export function parseAbbrevTable(section: Uint8Array | undefined, offset: number): AbbrevTable {
  if (section === undefined) throw new DwarfError('.debug_info is present but .debug_abbrev is missing');
  const r = new ByteReader(section, '.debug_abbrev', offset);
  const table = new Map<number, Abbrev>();
  for (;;) {
    const code = r.uleb();
    if (code === 0) break;
    const tag = r.uleb();
    const hasChildren = r.u8() !== 0;
    const specs: AttributeSpec[] = [];
    for (;;) {
      const name = r.uleb();
      const form = r.uleb();
      if (name === 0 && form === 0) break;
      specs.push({ name, form, implicitConst: form === DW_FORM_implicit_const ? r.sleb() : 0 });
    }
    table.set(code, { code, tag, hasChildren, specs });
  }
  return table;
}
