// One line number program of .debug_line (DWARF 2 to 5): the header with its directory and file
// tables, and the state machine run to the rows it describes, grouped into sequences.

import { ByteReader, DwarfError, stringAt } from './byte-reader.js';
import {
  DW_FORM_block, DW_FORM_data1, DW_FORM_data16, DW_FORM_data2, DW_FORM_data4, DW_FORM_data8,
  DW_FORM_line_strp, DW_FORM_string, DW_FORM_strp, DW_FORM_strx, DW_FORM_strx1, DW_FORM_strx2,
  DW_FORM_strx3, DW_FORM_strx4, DW_FORM_udata, DW_LNCT_directory_index, DW_LNCT_path,
  DW_LNE_define_file, DW_LNE_end_sequence, DW_LNE_set_address, DW_LNE_set_discriminator,
  DW_LNS_advance_line, DW_LNS_advance_pc, DW_LNS_const_add_pc, DW_LNS_copy, DW_LNS_fixed_advance_pc,
  DW_LNS_negate_stmt, DW_LNS_set_basic_block, DW_LNS_set_column, DW_LNS_set_epilogue_begin,
  DW_LNS_set_file, DW_LNS_set_isa, DW_LNS_set_prologue_end, formName,
} from './dwarf-constants.js';
import type { DwarfSections } from './dwarf-sections.js';
import { joinPath, normalizePath, locateSource, type SourceLocation } from './paths.js';

export interface LineRow {
  readonly address: number;
  /** Index into the program's file table. */
  readonly file: number;
  readonly line: number;
  /** 0 when the compiler gave no column. */
  readonly column: number;
  readonly isStmt: boolean;
  readonly prologueEnd: boolean;
  readonly epilogueBegin: boolean;
  readonly discriminator: number;
  readonly endSequence: boolean;
}

/** Rows of one contiguous run of code; the last row (end_sequence) marks the end address. */
export interface LineSequence {
  readonly low: number;
  readonly high: number;
  readonly rows: readonly LineRow[];
  readonly program: LineProgram;
}

export interface LineFile {
  /** Absolute, normalised path: compilation directory + directory + name. */
  readonly path: string;
  /** The name as the table spells it. */
  readonly name: string;
}

export class LineProgram {
  readonly version: number;
  /** File table indexed as DW_LNS_set_file counts: from 0 in DWARF 5, from 1 before. */
  readonly files: (LineFile | undefined)[] = [];
  readonly sequences: LineSequence[] = [];
  private readonly dirs: string[] = [];

  /**
   * Parses the program at `offset`. `compDir` is the unit's DW_AT_comp_dir, the base of relative
   * directories; `strx` resolves DW_FORM_strx* entries through the unit's string offsets;
   * `sourceLocation` turns the paths into paths on this machine.
   */
  constructor(sections: DwarfSections, readonly offset: number, compDir: string | undefined, addressSize: number,
    strx?: (index: number) => string, sourceLocation: SourceLocation = {}) {
    const section = sections.line;
    if (section === undefined) throw new DwarfError('a unit has a line program but the file has no .debug_line');
    const r = new ByteReader(section, '.debug_line', offset);
    const { length, dwarf64 } = r.initialLength();
    const end = r.pos + length;
    this.version = r.u16();
    if (this.version < 2 || this.version > 5) throw new DwarfError(`.debug_line: program at 0x${offset.toString(16)} has version ${this.version}`);
    if (this.version >= 5) {
      addressSize = r.u8();
      r.u8(); // segment_selector_size
    }
    const headerLength = r.offset(dwarf64);
    const programStart = r.pos + headerLength;
    const minInstLength = r.u8();
    const maxOps = this.version >= 4 ? r.u8() : 1;
    const defaultIsStmt = r.u8() !== 0;
    const lineBase = r.i8();
    const lineRange = r.u8();
    const opcodeBase = r.u8();
    const opcodeLengths = [0];
    for (let i = 1; i < opcodeBase; i++) opcodeLengths.push(r.u8());
    if (lineRange === 0) throw new DwarfError(`.debug_line: program at 0x${offset.toString(16)} has line_range 0`);

    const fileEntry = (name: string, dirIndex: number): LineFile => {
      const dir = this.version >= 5 ? this.dirs[dirIndex] : dirIndex === 0 ? compDir : this.dirs[dirIndex - 1];
      return { name, path: locateSource(normalizePath(joinPath(joinPath(compDir, dir ?? ''), name)), sourceLocation) };
    };
    if (this.version >= 5) {
      const readEntries = (): Map<number, string | number>[] => {
        const formats: [number, number][] = [];
        const formatCount = r.u8();
        for (let i = 0; i < formatCount; i++) formats.push([r.uleb(), r.uleb()]);
        const count = r.uleb();
        const entries = [];
        for (let i = 0; i < count; i++) {
          const e = new Map<number, string | number>();
          for (const [type, form] of formats) e.set(type, readEntryForm(r, form, sections, dwarf64, strx));
          entries.push(e);
        }
        return entries;
      };
      for (const d of readEntries()) this.dirs.push(String(d.get(DW_LNCT_path) ?? ''));
      for (const f of readEntries()) this.files.push(fileEntry(String(f.get(DW_LNCT_path) ?? ''), Number(f.get(DW_LNCT_directory_index) ?? 0)));
    } else {
      for (;;) {
        const d = r.cstring();
        if (d === '') break;
        this.dirs.push(d);
      }
      this.files.push(undefined);
      for (;;) {
        const name = r.cstring();
        if (name === '') break;
        const dir = r.uleb();
        r.uleb(); // mtime
        r.uleb(); // length
        this.files.push(fileEntry(name, dir));
      }
    }

    // The state machine (6.2.2), one register set; rows collect into sequences.
    r.pos = programStart;
    let rows: LineRow[] = [];
    let address = 0, opIndex = 0, file = 1, line = 1, column = 0, isStmt = defaultIsStmt;
    let prologueEnd = false, epilogueBegin = false, discriminator = 0;
    const reset = (): void => {
      address = 0; opIndex = 0; file = 1; line = 1; column = 0; isStmt = defaultIsStmt;
      prologueEnd = false; epilogueBegin = false; discriminator = 0;
    };
    const emit = (endSequence: boolean): void => {
      rows.push({ address, file, line, column, isStmt, prologueEnd, epilogueBegin, discriminator, endSequence });
      discriminator = 0;
      prologueEnd = false;
      epilogueBegin = false;
      if (endSequence) {
        if (rows.length > 1) {
          this.sequences.push({ low: rows[0].address, high: address, rows, program: this });
        }
        rows = [];
        reset();
      }
    };
    const advance = (operationAdvance: number): void => {
      if (maxOps === 1) {
        address += minInstLength * operationAdvance;
      } else {
        address += minInstLength * Math.floor((opIndex + operationAdvance) / maxOps);
        opIndex = (opIndex + operationAdvance) % maxOps;
      }
    };
    while (r.pos < end) {
      const op = r.u8();
      if (op >= opcodeBase) {
        const adjusted = op - opcodeBase;
        advance(Math.floor(adjusted / lineRange));
        line += lineBase + (adjusted % lineRange);
        emit(false);
        continue;
      }
      switch (op) {
        case 0: {
          const len = r.uleb();
          const next = r.pos + len;
          if (len === 0) break;
          const sub = r.u8();
          if (sub === DW_LNE_end_sequence) emit(true);
          else if (sub === DW_LNE_set_address) { address = r.unsigned(Math.min(addressSize, len - 1)); opIndex = 0; }
          else if (sub === DW_LNE_define_file) {
            const name = r.cstring();
            const dir = r.uleb();
            this.files.push(fileEntry(name, dir));
          } else if (sub === DW_LNE_set_discriminator) discriminator = r.uleb();
          r.pos = next;
          break;
        }
        case DW_LNS_copy: emit(false); break;
        case DW_LNS_advance_pc: advance(r.uleb()); break;
        case DW_LNS_advance_line: line += r.sleb(); break;
        case DW_LNS_set_file: file = r.uleb(); break;
        case DW_LNS_set_column: column = r.uleb(); break;
        case DW_LNS_negate_stmt: isStmt = !isStmt; break;
        case DW_LNS_set_basic_block: break;
        case DW_LNS_const_add_pc: advance(Math.floor((255 - opcodeBase) / lineRange)); break;
        case DW_LNS_fixed_advance_pc: address += r.u16(); opIndex = 0; break;
        case DW_LNS_set_prologue_end: prologueEnd = true; break;
        case DW_LNS_set_epilogue_begin: epilogueBegin = true; break;
        case DW_LNS_set_isa: r.uleb(); break;
        default:
          // An opcode this reader does not know: skip its ULEB128 operands as the header says.
          for (let i = 0; i < (opcodeLengths[op] ?? 0); i++) r.uleb();
      }
    }
  }

  file(index: number): LineFile | undefined {
    return this.files[index];
  }
}

function readEntryForm(r: ByteReader, form: number, sections: DwarfSections, dwarf64: boolean,
  strx: ((index: number) => string) | undefined): string | number {
  const indexed = (index: number): string => {
    if (strx === undefined) throw new DwarfError('.debug_line: DW_FORM_strx in a line table without a unit');
    return strx(index);
  };
  switch (form) {
    case DW_FORM_string: return r.cstring();
    case DW_FORM_line_strp: return stringAt(sections.lineStr, r.offset(dwarf64), '.debug_line_str');
    case DW_FORM_strp: return stringAt(sections.str, r.offset(dwarf64), '.debug_str');
    case DW_FORM_strx: return indexed(r.uleb());
    case DW_FORM_strx1: return indexed(r.u8());
    case DW_FORM_strx2: return indexed(r.u16());
    case DW_FORM_strx3: return indexed(r.u24());
    case DW_FORM_strx4: return indexed(r.u32());
    case DW_FORM_udata: return r.uleb();
    case DW_FORM_data1: return r.u8();
    case DW_FORM_data2: return r.u16();
    case DW_FORM_data4: return r.u32();
    case DW_FORM_data8: r.skip(8); return 0;
    case DW_FORM_data16: r.skip(16); return 0; // MD5
    case DW_FORM_block: r.skip(r.uleb()); return 0;
    default: throw new DwarfError(`.debug_line: file entry uses ${formName(form)}`);
  }
}
