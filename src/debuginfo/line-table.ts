// Source lines for the debugger: address → line (with the address range of that line, for
// stepping), and (file, line) → addresses. The line programs' rows are folded into one table per
// source file of each unit the way gdb folds them (end markers where code leaves a file,
// duplicates dropped as gdb drops them), so lookups give the answers a gdb user expects.

import type { CompileUnit } from './compile-unit.js';
import type { DwarfInfo } from './dwarf-info.js';
import type { LineProgram } from './line-program.js';
import { pathMatches } from './paths.js';

/** One row of a file's table; line 0 marks where the file's code ends. */
export interface LineEntry {
  readonly address: number;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  readonly prologueEnd: boolean;
}

/** The table of one source file within one unit. */
export interface FileLines {
  /** Absolute, normalised path. */
  readonly path: string;
  /** Sorted by address; at equal addresses end markers come first. */
  readonly entries: readonly LineEntry[];
}

export interface UnitLines {
  readonly unit: CompileUnit;
  /** The unit's primary file first, then the others in order of first use. */
  readonly files: readonly FileLines[];
  /** Address ranges of the unit's line sequences. */
  readonly ranges: readonly { low: number; high: number }[];
}

/** Where an address is in the source, and the range of addresses of that line entry. */
export interface SourceLine {
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly isStmt: boolean;
  /** First address of the line entry that holds the queried address. */
  readonly address: number;
  /** End (exclusive) of that range: where the next line entry starts. */
  readonly end: number;
}

/** Addresses of one line in one file's table. */
export interface LineAddresses {
  readonly path: string;
  readonly line: number;
  readonly addresses: readonly number[];
}

export class LineTable {
  private readonly units = new Map<CompileUnit, UnitLines>();
  private spans: { low: number; high: number; lines: UnitLines }[] | undefined;

  /** `isCode` keeps out sequences the linker discarded (their addresses were relocated to 0). */
  constructor(private readonly info: DwarfInfo, private readonly isCode: (address: number) => boolean = () => true) {}

  /** The folded tables of a unit (built once). */
  unitLines(unit: CompileUnit): UnitLines | undefined {
    let u = this.units.get(unit);
    if (u === undefined) {
      const program = this.info.lineProgram(unit);
      if (program === undefined) return undefined;
      u = foldProgram(unit, program, this.isCode);
      this.units.set(unit, u);
    }
    return u;
  }

  /** Every unit's tables. */
  allUnitLines(): UnitLines[] {
    return this.info.units.flatMap((unit) => this.unitLines(unit) ?? []);
  }

  /** Every source file that has line entries. */
  files(): string[] {
    return [...new Set(this.allUnitLines().flatMap((u) => u.files.filter((f) => f.entries.length > 0).map((f) => f.path)))].sort();
  }

  private unitAt(pc: number): UnitLines | undefined {
    const spans = this.spans ??= this.allUnitLines().flatMap((lines) => lines.ranges.map((r) => ({ ...r, lines })))
      .sort((a, b) => a.low - b.low);
    // The last sequence starting at or below pc, then back over any that overlap it.
    let lo = 0;
    let hi = spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (spans[mid].low <= pc) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0; i--) if (pc < spans[i].high) return spans[i].lines;
    return undefined;
  }

  /**
   * The line holding pc: the last entry at or below pc in the unit's file tables (preferring a
   * statement entry at the same address), and where the line ends: the next entry of any file
   * above it (as gdb 13 computes it).
   */
  lineAt(pc: number): SourceLine | undefined {
    const unit = this.unitAt(pc);
    if (unit === undefined) return undefined;
    let best: LineEntry | undefined;
    let bestFile: FileLines | undefined;
    let bestEnd = 0;
    let alt: number | undefined;
    for (const file of unit.files) {
      const e = file.entries;
      if (e.length === 0) continue;
      if (e[0].address > pc && (alt === undefined || e[0].address < alt)) alt = e[0].address;
      const item = upperBound(e, pc);
      const prev = item > 0 ? e[item - 1] : undefined;
      if (prev !== undefined && prev.line !== 0 && (best === undefined || prev.address > best.address)) {
        best = prev;
        bestFile = file;
        if (!best.isStmt) {
          let t = upperBound(e, pc) - 1;
          while (t > 0 && e[t - 1].address === e[t].address && e[t - 1].line !== 0 && !e[t].isStmt) t--;
          if (e[t].isStmt) best = e[t];
        }
        if (bestEnd <= best.address) bestEnd = 0;
      }
      if (best !== undefined && item < e.length && e[item].address > best.address && (bestEnd === 0 || bestEnd > e[item].address)) {
        bestEnd = e[item].address;
      }
    }
    if (best === undefined || bestFile === undefined) return undefined;
    const unitEnd = Math.max(...unit.ranges.map((r) => r.high));
    const end = bestEnd !== 0 && (alt === undefined || bestEnd < alt) ? bestEnd : alt ?? unitEnd;
    return { path: bestFile.path, line: best.line, column: best.column, isStmt: best.isStmt, address: best.address, end };
  }

  /** The first address in [low, high) the compiler marked as the end of a prologue (DW_LNS_set_prologue_end). */
  prologueEnd(low: number, high: number): number | undefined {
    const unit = this.unitAt(low);
    let best: number | undefined;
    for (const f of unit?.files ?? []) {
      for (const e of f.entries) {
        if (e.prologueEnd && e.address >= low && e.address < high && (best === undefined || e.address < best)) best = e.address;
      }
    }
    return best;
  }

  /**
   * The statement addresses of `line` in every file table matching `file` (a full path or a
   * trailing part of one, like "dbg/walk.c"). When the line has none anywhere, the nearest
   * following line that has code is used instead, as gdb does; `line` in the answer says which.
   */
  lineAddresses(file: string, line: number): LineAddresses[] {
    const tables = this.allUnitLines().flatMap((u) => u.files.filter((f) => pathMatches(f.path, file)));
    const exact = (want: number): LineAddresses[] => tables.flatMap((f) => {
      const addresses = f.entries.filter((e) => e.isStmt && e.line === want).map((e) => e.address);
      return addresses.length > 0 ? [{ path: f.path, line: want, addresses }] : [];
    });
    const found = exact(line);
    if (found.length > 0) return found;
    let next: number | undefined;
    for (const f of tables) {
      for (const e of f.entries) if (e.isStmt && e.line > line && (next === undefined || e.line < next)) next = e.line;
    }
    return next === undefined ? [] : exact(next);
  }
}

/** Index of the first entry whose address is above pc. */
function upperBound(entries: readonly LineEntry[], pc: number): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (entries[mid].address <= pc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

interface MutableFile {
  path: string;
  entries: LineEntry[];
}

/**
 * Folds a line program into per-file tables. Rows switching file at the same address as a
 * statement row are dropped when they are not statements; where code leaves a file, an end
 * marker (line 0) is recorded in it, which removes that file's entries at the same address;
 * repeated rows of one line are dropped once the line has had a non-zero discriminator.
 */
function foldProgram(unit: CompileUnit, program: LineProgram, isCode: (address: number) => boolean): UnitLines {
  const files = new Map<string, MutableFile>();
  const fileFor = (path: string): MutableFile => {
    let f = files.get(path);
    if (f === undefined) {
      f = { path, entries: [] };
      files.set(path, f);
    }
    return f;
  };
  // The primary file first: it is the unit's name, file 1 before DWARF 5 and file 0/1 in DWARF 5.
  const primary = program.file(program.version >= 5 ? 0 : 1);
  if (primary !== undefined) fileFor(primary.path);

  const record = (f: MutableFile, e: LineEntry): void => {
    if (e.line === 0) {
      let lastLine: number | undefined;
      while (f.entries.length > 0) {
        const last = f.entries[f.entries.length - 1];
        lastLine = last.line;
        if (last.address !== e.address) break;
        f.entries.pop();
      }
      if (lastLine === undefined || lastLine === 0) return;
    }
    f.entries.push(e);
  };

  const ranges: { low: number; high: number }[] = [];
  for (const seq of program.sequences) {
    if (!isCode(seq.low)) continue;
    ranges.push({ low: seq.low, high: seq.high });
    let lastFile: MutableFile | undefined;
    let lastLine = 0;
    let lastAddress = 0;
    let stmtAtAddress = false;
    let lineHasDiscriminator = false;
    let prevLine = 1;
    let prevFile = -1;
    for (const row of seq.rows) {
      const file = program.file(row.file);
      if (file === undefined) continue;
      const current = fileFor(file.path);
      // gdb keeps "has this line had a discriminator" until the line or file changes.
      if (row.line !== prevLine || row.file !== prevFile) lineHasDiscriminator = false;
      lineHasDiscriminator ||= row.discriminator !== 0;
      prevLine = row.line;
      prevFile = row.file;
      const fileChanged = lastFile !== current;
      const ignore = (fileChanged && !row.endSequence && lastAddress === row.address && !row.isStmt && stmtAtAddress)
        || (!row.endSequence && row.line === 0);
      if (((fileChanged && !ignore) || row.endSequence) && lastFile !== undefined) {
        record(lastFile, { address: row.address, line: 0, column: 0, isStmt: true, prologueEnd: false });
      }
      if (!row.endSequence && !ignore) {
        if (fileChanged || row.line !== lastLine || !lineHasDiscriminator) {
          lastFile = current;
          record(current, { address: row.address, line: row.line, column: row.column, isStmt: row.isStmt, prologueEnd: row.prologueEnd });
          lastLine = row.line;
        }
      }
      if (lastAddress !== row.address) {
        stmtAtAddress = false;
        lastAddress = row.address;
      }
      stmtAtAddress ||= row.isStmt;
    }
  }
  const out: FileLines[] = [];
  for (const f of files.values()) {
    // Stable: at one address, end markers sort before lines.
    const entries = f.entries.map((e, i) => ({ e, i })).sort((a, b) =>
      a.e.address - b.e.address || (a.e.line === 0 ? 0 : 1) - (b.e.line === 0 ? 0 : 1) || a.i - b.i).map((x) => x.e);
    out.push({ path: f.path, entries });
  }
  return { unit, files: out, ranges };
}
