// Range lists (.debug_rnglists in DWARF 5, .debug_ranges before) and location lists
// (.debug_loclists, .debug_loc): both are address ranges relative to a base that entries can
// change, the second with a location expression per range. Ranges are half-open [low, high).

import { ByteReader, DwarfError } from './byte-reader.js';
import type { CompileUnit } from './compile-unit.js';
import { isAddressForm, isConstantForm, type Die } from './die.js';
import {
  DW_AT_high_pc, DW_AT_low_pc, DW_AT_ranges, DW_LLE_base_address, DW_LLE_base_addressx,
  DW_LLE_default_location, DW_LLE_end_of_list, DW_LLE_offset_pair, DW_LLE_start_end, DW_LLE_start_length,
  DW_LLE_startx_endx, DW_LLE_startx_length, DW_RLE_base_address, DW_RLE_base_addressx, DW_RLE_end_of_list,
  DW_RLE_offset_pair, DW_RLE_start_end, DW_RLE_start_length, DW_RLE_startx_endx, DW_RLE_startx_length,
} from './dwarf-constants.js';

export interface AddressRange {
  readonly low: number;
  readonly high: number;
}

export interface LocationListEntry extends AddressRange {
  readonly expr: Uint8Array;
}

export interface LocationList {
  readonly entries: readonly LocationListEntry[];
  /** DW_LLE_default_location: where the object is at any pc no entry covers. */
  readonly defaultExpr?: Uint8Array;
}

/** The address ranges a DIE covers (DW_AT_low_pc/DW_AT_high_pc or DW_AT_ranges); empty when none. */
export function dieRanges(die: Die): AddressRange[] {
  const ranges = die.attr(DW_AT_ranges);
  if (ranges !== undefined && typeof ranges.value === 'number') return readRangeList(die.unit, ranges.value);
  const low = die.attr(DW_AT_low_pc);
  const high = die.attr(DW_AT_high_pc);
  if (low === undefined || typeof low.value !== 'number') return [];
  if (high === undefined || typeof high.value !== 'number') return [{ low: low.value, high: low.value + 1 }];
  // DWARF 4+: a constant high_pc is the size; an address-form one is the end address.
  const end = isAddressForm(high.form) ? high.value : isConstantForm(high.form) ? low.value + high.value : high.value;
  return end > low.value ? [{ low: low.value, high: end }] : [];
}

/** The range list at `offset` (.debug_rnglists for DWARF 5 units, .debug_ranges before). */
export function readRangeList(unit: CompileUnit, offset: number): AddressRange[] {
  const s = unit.sections;
  const out: AddressRange[] = [];
  let base = unit.baseAddress;
  if (unit.version >= 5) {
    if (s.rnglists === undefined) throw new DwarfError('DW_AT_ranges points into .debug_rnglists, which is missing');
    const r = new ByteReader(s.rnglists, '.debug_rnglists', offset);
    const size = unit.addressSize;
    for (;;) {
      const kind = r.u8();
      switch (kind) {
        case DW_RLE_end_of_list: return out.filter((x) => x.high > x.low);
        case DW_RLE_base_addressx: base = unit.indexedAddress(r.uleb()); break;
        case DW_RLE_startx_endx: { const a = unit.indexedAddress(r.uleb()); out.push({ low: a, high: unit.indexedAddress(r.uleb()) }); break; }
        case DW_RLE_startx_length: { const a = unit.indexedAddress(r.uleb()); out.push({ low: a, high: a + r.uleb() }); break; }
        case DW_RLE_offset_pair: { const a = r.uleb(); out.push({ low: base + a, high: base + r.uleb() }); break; }
        case DW_RLE_base_address: base = r.unsigned(size); break;
        case DW_RLE_start_end: { const a = r.unsigned(size); out.push({ low: a, high: r.unsigned(size) }); break; }
        case DW_RLE_start_length: { const a = r.unsigned(size); out.push({ low: a, high: a + r.uleb() }); break; }
        default: throw new DwarfError(`.debug_rnglists: unknown entry kind ${kind} at 0x${(r.pos - 1).toString(16)}`);
      }
    }
  }
  if (s.ranges === undefined) throw new DwarfError('DW_AT_ranges points into .debug_ranges, which is missing');
  const r = new ByteReader(s.ranges, '.debug_ranges', offset);
  const size = unit.addressSize;
  const maxAddress = size === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  for (;;) {
    const a = r.unsigned(size);
    const b = r.unsigned(size);
    if (a === 0 && b === 0) return out.filter((x) => x.high > x.low);
    if (a === maxAddress) base = b;
    else out.push({ low: base + a, high: base + b });
  }
}

/** The location list at `offset` (.debug_loclists for DWARF 5 units, .debug_loc before). */
export function readLocationList(unit: CompileUnit, offset: number): LocationList {
  const s = unit.sections;
  const entries: LocationListEntry[] = [];
  let defaultExpr: Uint8Array | undefined;
  let base = unit.baseAddress;
  const size = unit.addressSize;
  if (unit.version >= 5) {
    if (s.loclists === undefined) throw new DwarfError('a location list points into .debug_loclists, which is missing');
    const r = new ByteReader(s.loclists, '.debug_loclists', offset);
    for (;;) {
      const kind = r.u8();
      let low: number;
      let high: number;
      switch (kind) {
        case DW_LLE_end_of_list: return { entries, defaultExpr };
        case DW_LLE_base_addressx: base = unit.indexedAddress(r.uleb()); continue;
        case DW_LLE_base_address: base = r.unsigned(size); continue;
        case DW_LLE_default_location: defaultExpr = r.bytesOf(r.uleb()); continue;
        case DW_LLE_startx_endx: low = unit.indexedAddress(r.uleb()); high = unit.indexedAddress(r.uleb()); break;
        case DW_LLE_startx_length: low = unit.indexedAddress(r.uleb()); high = low + r.uleb(); break;
        case DW_LLE_offset_pair: low = base + r.uleb(); high = base + r.uleb(); break;
        case DW_LLE_start_end: low = r.unsigned(size); high = r.unsigned(size); break;
        case DW_LLE_start_length: low = r.unsigned(size); high = low + r.uleb(); break;
        default: throw new DwarfError(`.debug_loclists: unknown entry kind ${kind} at 0x${(r.pos - 1).toString(16)}`);
      }
      const expr = r.bytesOf(r.uleb());
      entries.push({ low, high, expr });
    }
  }
  if (s.loc === undefined) throw new DwarfError('a location list points into .debug_loc, which is missing');
  const r = new ByteReader(s.loc, '.debug_loc', offset);
  const maxAddress = size === 4 ? 0xffffffff : Number.MAX_SAFE_INTEGER;
  for (;;) {
    const a = r.unsigned(size);
    const b = r.unsigned(size);
    if (a === 0 && b === 0) return { entries };
    if (a === maxAddress) { base = b; continue; }
    const expr = r.bytesOf(r.u16());
    entries.push({ low: base + a, high: base + b, expr });
  }
}

/** The expression that applies at pc, or undefined when the object has no location there. */
export function locationAt(list: LocationList, pc: number): Uint8Array | undefined {
  for (const e of list.entries) if (pc >= e.low && pc < e.high) return e.expr;
  return list.defaultExpr;
}

