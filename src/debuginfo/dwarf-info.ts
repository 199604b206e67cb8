// The units of .debug_info with their DIE trees (parsed per unit on first use), shared
// abbreviation tables, DIE lookup by offset across units, and each unit's line program.

import { parseAbbrevTable, type AbbrevTable } from './abbrev.js';
import { ByteReader } from './byte-reader.js';
import { CompileUnit, type UnitContext } from './compile-unit.js';
import type { Die } from './die.js';
import type { DwarfSections } from './dwarf-sections.js';
import { LineProgram } from './line-program.js';
import { dieRanges, type AddressRange } from './lists.js';
import type { SourceLocation } from './paths.js';

export class DwarfInfo implements UnitContext {
  readonly units: readonly CompileUnit[];
  private readonly abbrevs = new Map<number, AbbrevTable>();
  private readonly programs = new Map<CompileUnit, LineProgram | null>();
  private unitRanges: { unit: CompileUnit; range: AddressRange }[] | undefined;

  constructor(readonly sections: DwarfSections, private readonly sourceLocation: SourceLocation = {}) {
    const units: CompileUnit[] = [];
    const info = sections.info;
    if (info !== undefined) {
      let offset = 0;
      while (offset < info.length) {
        // Padding between units (some linkers leave zeros) ends the walk.
        if (new ByteReader(info, '.debug_info', offset).u32() === 0) break;
        const unit = new CompileUnit(this, offset);
        units.push(unit);
        offset = unit.end;
      }
    }
    this.units = units;
  }

  abbrevTable(offset: number): AbbrevTable {
    let t = this.abbrevs.get(offset);
    if (t === undefined) {
      t = parseAbbrevTable(this.sections.abbrev, offset);
      this.abbrevs.set(offset, t);
    }
    return t;
  }

  /** The unit whose bytes hold a .debug_info offset. */
  unitContaining(offset: number): CompileUnit | undefined {
    let lo = 0;
    let hi = this.units.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.units[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    const u = this.units[lo];
    return u !== undefined && offset >= u.offset ? u : undefined;
  }

  dieAt(offset: number): Die | undefined {
    return this.unitContaining(offset)?.dieAt(offset);
  }

  /** The unit's line program, parsed once; undefined when it has none. */
  lineProgram(unit: CompileUnit): LineProgram | undefined {
    let p = this.programs.get(unit);
    if (p === undefined) {
      const offset = unit.lineProgramOffset;
      p = offset === undefined || this.sections.line === undefined ? null
        : new LineProgram(this.sections, offset, unit.compDir, unit.addressSize, (i) => unit.indexedString(i), this.sourceLocation);
      this.programs.set(unit, p);
    }
    return p ?? undefined;
  }

  /** The unit whose code covers pc (by the ranges of its top DIE). */
  unitForPc(pc: number): CompileUnit | undefined {
    if (this.unitRanges === undefined) {
      this.unitRanges = this.units.flatMap((unit) => dieRanges(unit.root).map((range) => ({ unit, range })))
        .sort((a, b) => a.range.low - b.range.low);
    }
    for (const { unit, range } of this.unitRanges) if (pc >= range.low && pc < range.high) return unit;
    return undefined;
  }
}
