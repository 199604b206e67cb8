// One unit of .debug_info (DWARF 2 to 5): its header, and its DIE tree parsed on first use.
// Attribute forms are decoded here, resolving the indirect ones (strx, addrx, rnglistx,
// loclistx) through the unit's bases, so the rest of the library sees plain values.

import type { AbbrevTable, AttributeSpec } from './abbrev.js';
import { ByteReader, DwarfError, stringAt } from './byte-reader.js';
import { Die, type Attribute, type AttrValue } from './die.js';
import {
  DW_AT_addr_base, DW_AT_comp_dir, DW_AT_language, DW_AT_loclists_base, DW_AT_low_pc, DW_AT_name,
  DW_AT_producer, DW_AT_rnglists_base, DW_AT_stmt_list, DW_AT_str_offsets_base, DW_FORM_addr, DW_FORM_addrx,
  DW_FORM_addrx1, DW_FORM_addrx2, DW_FORM_addrx3, DW_FORM_addrx4, DW_FORM_block, DW_FORM_block1,
  DW_FORM_block2, DW_FORM_block4, DW_FORM_data1, DW_FORM_data16, DW_FORM_data2, DW_FORM_data4,
  DW_FORM_data8, DW_FORM_exprloc, DW_FORM_flag, DW_FORM_flag_present, DW_FORM_implicit_const,
  DW_FORM_indirect, DW_FORM_line_strp, DW_FORM_loclistx, DW_FORM_ref1, DW_FORM_ref2, DW_FORM_ref4,
  DW_FORM_ref8, DW_FORM_ref_addr, DW_FORM_ref_sig8, DW_FORM_ref_sup4, DW_FORM_ref_sup8, DW_FORM_ref_udata,
  DW_FORM_rnglistx, DW_FORM_sdata, DW_FORM_sec_offset, DW_FORM_string, DW_FORM_strp, DW_FORM_strp_sup,
  DW_FORM_strx, DW_FORM_strx1, DW_FORM_strx2, DW_FORM_strx3, DW_FORM_strx4, DW_FORM_udata,
  DW_UT_skeleton, DW_UT_split_compile, DW_UT_split_type, DW_UT_type, formName,
} from './dwarf-constants.js';
import type { DwarfSections } from './dwarf-sections.js';

/** What a unit needs from the whole file: sections, shared abbreviation tables, DIEs of other units. */
export interface UnitContext {
  readonly sections: DwarfSections;
  abbrevTable(offset: number): AbbrevTable;
  dieAt(offset: number): Die | undefined;
}

export class CompileUnit {
  readonly version: number;
  readonly unitType: number;
  readonly addressSize: number;
  readonly dwarf64: boolean;
  /** Offset just past the unit in .debug_info. */
  readonly end: number;
  private readonly abbrevOffset: number;
  private readonly firstDie: number;
  private dies: Map<number, Die> | undefined;
  private rootDie: Die | undefined;
  // The unit's bases (DWARF 5); known once the root DIE is read.
  private basesKnown = false;
  strOffsetsBase = 0;
  addrBase = 0;
  rnglistsBase = 0;
  loclistsBase = 0;

  constructor(
    private readonly ctx: UnitContext,
    /** Offset of the unit header in .debug_info. */
    readonly offset: number,
  ) {
    const info = ctx.sections.info as Uint8Array;
    const r = new ByteReader(info, '.debug_info', offset);
    const { length, dwarf64 } = r.initialLength();
    this.dwarf64 = dwarf64;
    this.end = r.pos + length;
    if (this.end > info.length) throw new DwarfError(`.debug_info: unit at 0x${offset.toString(16)} runs past the end of the section`);
    this.version = r.u16();
    if (this.version < 2 || this.version > 5) throw new DwarfError(`.debug_info: unit at 0x${offset.toString(16)} has DWARF version ${this.version}, rvreplay reads 2 to 5`);
    if (this.version >= 5) {
      this.unitType = r.u8();
      this.addressSize = r.u8();
      this.abbrevOffset = r.offset(dwarf64);
      if (this.unitType === DW_UT_skeleton || this.unitType === DW_UT_split_compile) r.skip(8); // dwo_id
      else if (this.unitType === DW_UT_type || this.unitType === DW_UT_split_type) { r.skip(8); r.offset(dwarf64); }
    } else {
      this.unitType = 1;
      this.abbrevOffset = r.offset(dwarf64);
      this.addressSize = r.u8();
    }
    this.firstDie = r.pos;
  }

  get sections(): DwarfSections {
    return this.ctx.sections;
  }

  get offsetSize(): number {
    return this.dwarf64 ? 8 : 4;
  }

  /** The unit's top DIE (DW_TAG_compile_unit or DW_TAG_partial_unit). */
  get root(): Die {
    this.parse();
    return this.rootDie as Die;
  }

  /** The DIE at a .debug_info offset inside this unit. */
  dieAt(offset: number): Die | undefined {
    if (offset >= this.offset && offset < this.end) {
      this.parse();
      return this.dies?.get(offset);
    }
    return this.ctx.dieAt(offset);
  }

  get name(): string | undefined {
    return this.root.string(DW_AT_name);
  }

  get compDir(): string | undefined {
    return this.root.string(DW_AT_comp_dir);
  }

  get producer(): string | undefined {
    return this.root.string(DW_AT_producer);
  }

  get language(): number | undefined {
    return this.root.number(DW_AT_language);
  }

  /** Offset of the unit's line program in .debug_line. */
  get lineProgramOffset(): number | undefined {
    return this.root.number(DW_AT_stmt_list);
  }

  /** The base address of range and location lists: the unit's DW_AT_low_pc, or 0. */
  get baseAddress(): number {
    return this.root.number(DW_AT_low_pc) ?? 0;
  }

  /** Entry `index` of .debug_addr for this unit. */
  indexedAddress(index: number): number {
    const section = this.ctx.sections.addr;
    if (section === undefined) throw new DwarfError(`unit at 0x${this.offset.toString(16)} indexes .debug_addr, which is missing`);
    const r = new ByteReader(section, '.debug_addr', this.addrBase + index * this.addressSize);
    return r.unsigned(this.addressSize);
  }

  /** Entry `index` of the unit's .debug_str_offsets table, as a string. */
  indexedString(index: number): string {
    const offsets = this.ctx.sections.strOffsets;
    if (offsets === undefined) throw new DwarfError(`unit at 0x${this.offset.toString(16)} indexes .debug_str_offsets, which is missing`);
    const r = new ByteReader(offsets, '.debug_str_offsets', this.strOffsetsBase + index * this.offsetSize);
    return stringAt(this.ctx.sections.str, r.offset(this.dwarf64), '.debug_str');
  }

  /** Offset in .debug_rnglists or .debug_loclists of entry `index` of the offsets table at `base`. */
  private listOffset(section: Uint8Array | undefined, name: string, base: number, index: number): number {
    if (section === undefined) throw new DwarfError(`unit at 0x${this.offset.toString(16)} indexes ${name}, which is missing`);
    const r = new ByteReader(section, name, base + index * this.offsetSize);
    return base + r.offset(this.dwarf64);
  }

  private parse(): void {
    if (this.dies !== undefined) return;
    const info = this.ctx.sections.info as Uint8Array;
    const abbrevs = this.ctx.abbrevTable(this.abbrevOffset);
    const r = new ByteReader(info, '.debug_info', this.firstDie);
    this.readBases(r, abbrevs);
    const dies = new Map<number, Die>();
    const parents: Die[] = [];
    r.pos = this.firstDie;
    while (r.pos < this.end) {
      const at = r.pos;
      const code = r.uleb();
      if (code === 0) {
        parents.pop();
        if (parents.length === 0) break;
        continue;
      }
      const abbrev = abbrevs.get(code);
      if (abbrev === undefined) throw new DwarfError(`.debug_info: DIE at 0x${at.toString(16)} uses abbreviation ${code}, which its table does not define`);
      const attrs: Attribute[] = abbrev.specs.map((s) => ({ name: s.name, form: s.form, value: this.readForm(r, s.form, s) }));
      const parent = parents[parents.length - 1];
      const die = new Die(this, at, abbrev.tag, attrs, parent);
      if (parent === undefined) {
        if (this.rootDie !== undefined) break; // only one top DIE per unit
        this.rootDie = die;
      } else {
        parent.children.push(die);
      }
      dies.set(at, die);
      if (abbrev.hasChildren) parents.push(die);
      else if (parent === undefined) break;
    }
    if (this.rootDie === undefined) throw new DwarfError(`.debug_info: unit at 0x${this.offset.toString(16)} has no DIE`);
    this.dies = dies;
  }

  /**
   * Reads the bases from the root DIE before anything is decoded with them: the root's own
   * strx/addrx attributes may come before DW_AT_str_offsets_base or DW_AT_addr_base.
   */
  private readBases(r: ByteReader, abbrevs: AbbrevTable): void {
    // Defaults for a unit that indexes without saying where: just past the tables' headers.
    this.strOffsetsBase = this.dwarf64 ? 16 : 8;
    this.addrBase = this.dwarf64 ? 16 : 8;
    this.rnglistsBase = this.dwarf64 ? 20 : 12;
    this.loclistsBase = this.dwarf64 ? 20 : 12;
    const code = r.uleb();
    const abbrev = abbrevs.get(code);
    if (abbrev !== undefined) {
      for (const s of abbrev.specs) {
        const v = this.readForm(r, s.form, s);
        if (typeof v !== 'number') continue;
        if (s.name === DW_AT_str_offsets_base) this.strOffsetsBase = v;
        else if (s.name === DW_AT_addr_base) this.addrBase = v;
        else if (s.name === DW_AT_rnglists_base) this.rnglistsBase = v;
        else if (s.name === DW_AT_loclists_base) this.loclistsBase = v;
      }
    }
    this.basesKnown = true;
  }

  private readForm(r: ByteReader, form: number, spec: AttributeSpec): AttrValue {
    const s = this.ctx.sections;
    switch (form) {
      case DW_FORM_addr: return r.unsigned(this.addressSize);
      case DW_FORM_block2: return r.bytesOf(r.u16());
      case DW_FORM_block4: return r.bytesOf(r.u32());
      case DW_FORM_block1: return r.bytesOf(r.u8());
      case DW_FORM_block:
      case DW_FORM_exprloc: return r.bytesOf(r.uleb());
      case DW_FORM_data1: return r.u8();
      case DW_FORM_data2: return r.u16();
      case DW_FORM_data4: return r.u32();
      case DW_FORM_data8: return r.u64();
      case DW_FORM_data16: return r.bytesOf(16);
      case DW_FORM_sdata: return r.sleb();
      case DW_FORM_udata: return r.uleb();
      case DW_FORM_implicit_const: return spec.implicitConst;
      case DW_FORM_flag: return r.u8() !== 0;
      case DW_FORM_flag_present: return true;
      case DW_FORM_string: return r.cstring();
      case DW_FORM_strp: return stringAt(s.str, r.offset(this.dwarf64), '.debug_str');
      case DW_FORM_line_strp: return stringAt(s.lineStr, r.offset(this.dwarf64), '.debug_line_str');
      case DW_FORM_strp_sup: r.offset(this.dwarf64); return '<string in supplementary file>';
      case DW_FORM_strx: return this.strx(r.uleb());
      case DW_FORM_strx1: return this.strx(r.u8());
      case DW_FORM_strx2: return this.strx(r.u16());
      case DW_FORM_strx3: return this.strx(r.u24());
      case DW_FORM_strx4: return this.strx(r.u32());
      case DW_FORM_addrx: return this.addrx(r.uleb());
      case DW_FORM_addrx1: return this.addrx(r.u8());
      case DW_FORM_addrx2: return this.addrx(r.u16());
      case DW_FORM_addrx3: return this.addrx(r.u24());
      case DW_FORM_addrx4: return this.addrx(r.u32());
      case DW_FORM_ref1: return this.offset + r.u8();
      case DW_FORM_ref2: return this.offset + r.u16();
      case DW_FORM_ref4: return this.offset + r.u32();
      case DW_FORM_ref8: return this.offset + r.u64Number();
      case DW_FORM_ref_udata: return this.offset + r.uleb();
      // DWARF 2 sized DW_FORM_ref_addr like an address; later versions like an offset.
      case DW_FORM_ref_addr: return this.version === 2 ? r.unsigned(this.addressSize) : r.offset(this.dwarf64);
      case DW_FORM_ref_sig8: return r.i64();
      case DW_FORM_ref_sup4: return r.u32();
      case DW_FORM_ref_sup8: return r.u64Number();
      case DW_FORM_sec_offset: return r.offset(this.dwarf64);
      case DW_FORM_loclistx: {
        const index = r.uleb();
        return this.basesKnown ? this.listOffset(s.loclists, '.debug_loclists', this.loclistsBase, index) : index;
      }
      case DW_FORM_rnglistx: {
        const index = r.uleb();
        return this.basesKnown ? this.listOffset(s.rnglists, '.debug_rnglists', this.rnglistsBase, index) : index;
      }
      case DW_FORM_indirect: return this.readForm(r, r.uleb(), spec);
      default:
        throw new DwarfError(`.debug_info: unit at 0x${this.offset.toString(16)} uses ${formName(form)}, which rvreplay cannot decode`);
    }
  }

  private strx(index: number): string | number {
    return this.basesKnown ? this.indexedString(index) : index;
  }

  private addrx(index: number): number {
    return this.basesKnown ? this.indexedAddress(index) : index;
  }
}
