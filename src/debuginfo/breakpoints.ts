// Where breakpoints go, decided the way gdb 13 decides for gcc's line tables: a function
// breakpoint lands after the prologue (where the line table marks its end, or else at the end of
// the function's first line), a line breakpoint on the first statement address of the line in
// each block, and a line without code moves to the next line that has some. In units gcc
// optimised (they have location lists, so variables are valid from the first instruction) and
// in assembly no prologue is skipped.

import { DW_AT_location, DW_LANG_Mips_Assembler } from './dwarf-constants.js';
import type { CompileUnit } from './compile-unit.js';
import { isListForm, type Die } from './die.js';
import type { LineTable, SourceLine } from './line-table.js';
import { Scope, type FunctionIndex } from './scopes.js';

export interface BreakpointLocation {
  readonly address: number;
  /** Source position reported for the breakpoint (the line the breakpoint was moved to). */
  readonly path: string | undefined;
  readonly line: number | undefined;
  /** The innermost function (inlined functions included) the address is in. */
  readonly functionName: string | undefined;
}

export class BreakpointResolver {
  private readonly locationsValid = new Map<CompileUnit, boolean>();

  constructor(private readonly lines: LineTable, private readonly functions: FunctionIndex) {}

  /** Locations for a breakpoint on `line` of `file` (a path or its trailing components). */
  lineBreakpoint(file: string, line: number): BreakpointLocation[] {
    const found = this.lines.lineAddresses(file, line);
    const candidates = found.flatMap((f) => f.addresses.map((address) => ({ address, path: f.path, line: f.line })));
    // One location per block: the first address of the line in each innermost block.
    const blocks = candidates.map((c) => {
      const s = this.functions.scopeAt(c.address);
      return s === undefined ? undefined : Scope.symbolBlock(s).die.offset;
    });
    const keep = candidates.map(() => true);
    for (let i = 0; i < candidates.length; i++) {
      if (blocks[i] === undefined) continue;
      for (let j = i + 1; j < candidates.length; j++) {
        if (blocks[j] === blocks[i]) {
          keep[j] = false;
          break;
        }
      }
    }
    const out: BreakpointLocation[] = [];
    candidates.forEach((c, i) => {
      if (!keep[i]) return;
      const moved = this.skipPrologue(c.address, true);
      out.push(moved ?? { address: c.address, path: c.path, line: c.line, functionName: this.functions.scopeAt(c.address)?.functionScope.name });
    });
    return dedupe(out);
  }

  /**
   * Locations for a breakpoint on a function: one per out-of-line copy with this name and one
   * at the entry of each place it was inlined, by address.
   */
  functionBreakpoint(name: string): BreakpointLocation[] {
    const copies = this.functions.functionsNamed(name).map((fn) => this.functionStart(fn));
    const inlined = this.functions.inlinedInstances(name).map((s): BreakpointLocation => {
      const at = this.lines.lineAt(s.entryPc);
      return { address: s.entryPc, path: at?.path, line: at?.line, functionName: name };
    });
    return dedupe([...copies, ...inlined].sort((a, b) => a.address - b.address));
  }

  /** Where a breakpoint on this function goes. */
  functionStart(fn: Scope): BreakpointLocation {
    const entry = fn.entryPc;
    const at = this.lines.lineAt(entry);
    if (at !== undefined && (this.unitLocationsValid(fn.unit) || isAssembly(fn.unit))) {
      return { address: entry, path: at.path, line: at.line, functionName: fn.name };
    }
    return this.skipPrologue(entry, false) ?? { address: entry, path: at?.path, line: at?.line, functionName: fn.name };
  }

  /**
   * Moves an address at or before the end of its function's prologue to the prologue's end;
   * undefined when it stays where it is.
   */
  private skipPrologue(address: number, explicitLine: boolean): BreakpointLocation | undefined {
    const fn = this.functions.functionAt(address);
    // In assembly the user sees every instruction: a line means that line.
    if (fn === undefined || (explicitLine && isAssembly(fn.unit))) return undefined;
    const start = fn.entryPc;
    let pc = start;
    let startLine: SourceLine | undefined;
    // Where the compiler marks the prologue's end (gcc 12 does not; newer compilers do), go there.
    const marked = this.lines.prologueEnd(start, fn.ranges.find((r) => start >= r.low && start < r.high)?.high ?? fn.high);
    if (marked !== undefined) {
      pc = marked;
      startLine = this.lines.lineAt(pc);
    } else if (!this.unitLocationsValid(fn.unit)) {
      pc = this.postPrologue(fn, start);
      startLine = this.lines.lineAt(pc);
      // Left in the middle of a line: go to the start of the next one if it is still in the function.
      if (startLine !== undefined && startLine.address !== pc && start <= startLine.end && startLine.end < fn.high) {
        pc = startLine.end;
        startLine = this.lines.lineAt(pc);
      }
    } else {
      startLine = this.lines.lineAt(pc);
    }
    if (address >= pc) return undefined;
    let path = startLine?.path;
    let line = startLine?.line;
    // Stopped inside inlined code: report the inlined function's own line, as gdb does.
    let s: Scope | undefined = this.functions.scopeAt(pc);
    let inlined: Scope | undefined;
    while (s !== undefined) {
      if (s.kind === 'inlined') inlined = s;
      else if (s.kind === 'function') break;
      s = s.parent;
    }
    if (inlined !== undefined && inlined.declLine !== undefined) {
      line = inlined.declLine;
      path = inlined.declFile ?? path;
    }
    return { address: pc, path, line, functionName: this.functions.scopeAt(pc)?.functionScope.name };
  }

  /** gdb's skip_prologue_using_sal: the end of the function's first line (or lines before it). */
  private postPrologue(fn: Scope, start: number): number {
    const range = fn.ranges.find((r) => start >= r.low && start < r.high) ?? { low: fn.low, high: fn.high };
    const endPc = range.high;
    let prologue = this.lines.lineAt(start);
    if (prologue === undefined) return start;
    // Two line entries at the function's first address: a prologue of no instructions.
    const file = this.lines.allUnitLines().flatMap((u) => u.files).find((f) => f.path === prologue?.path
      && f.entries.some((e) => e.address === start));
    if (file !== undefined) {
      const e = file.entries;
      let idx = 0;
      while (idx + 1 < e.length && (e[idx].address !== prologue.address || e[idx].line === 0)) idx++;
      if (idx + 1 < e.length && e[idx + 1].line !== 0 && e[idx + 1].address === start) return start;
    }
    if (prologue.end >= endPc) return start; // one line for the whole function
    while (prologue.end < endPc) {
      const next = this.lines.lineAt(prologue.end);
      if (next === undefined || next.line >= prologue.line || next.path !== prologue.path) break;
      // A lower line number from inlined code says nothing about the prologue.
      let s: Scope | undefined = this.functions.scopeAt(prologue.end);
      let inInlined = false;
      while (s !== undefined && s.kind !== 'function') {
        if (s.kind === 'inlined') inInlined = true;
        s = s.parent;
      }
      if (inInlined) break;
      prologue = next;
    }
    const post = prologue.end < endPc ? prologue.end : prologue.address;
    return Math.max(start, post);
  }

  /**
   * gdb trusts variable locations from a function's first instruction (and skips no prologue)
   * in units from gcc that use location lists.
   */
  private unitLocationsValid(unit: CompileUnit): boolean {
    let v = this.locationsValid.get(unit);
    if (v === undefined) {
      const producer = unit.producer ?? '';
      v = /^GNU /.test(producer) && hasLocationList(unit.root);
      this.locationsValid.set(unit, v);
    }
    return v;
  }
}

/** Units the assembler described (gas writes DW_LANG_Mips_Assembler for .S files). */
export function isAssembly(unit: CompileUnit): boolean {
  return unit.language === DW_LANG_Mips_Assembler;
}

function hasLocationList(die: Die): boolean {
  const loc = die.attr(DW_AT_location);
  if (loc !== undefined && isListForm(loc.form, die.unit.version)) return true;
  return die.children.some(hasLocationList);
}

function dedupe(locations: BreakpointLocation[]): BreakpointLocation[] {
  const seen = new Set<number>();
  return locations.filter((l) => !seen.has(l.address) && (seen.add(l.address), true));
}
