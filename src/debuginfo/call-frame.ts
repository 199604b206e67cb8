// Call frame information (DWARF 5 section 6.4): CIEs and FDEs from .debug_frame (what gcc emits
// for bare-metal RISC-V) or .eh_frame (the same with GNU pointer encodings), and the DW_CFA_*
// interpreter that turns an FDE into the rule row for one pc: how to find the CFA and where
// each caller register was saved.

import { ByteReader, DwarfError } from './byte-reader.js';
import * as C from './dwarf-constants.js';

export type RegisterRule =
  | { readonly kind: 'undefined' }
  | { readonly kind: 'same' }
  /** Saved at CFA + offset. */
  | { readonly kind: 'offset'; readonly offset: number }
  /** The value is CFA + offset. */
  | { readonly kind: 'val-offset'; readonly offset: number }
  /** Saved in another register. */
  | { readonly kind: 'register'; readonly regno: number }
  /** Saved at the address the expression computes (CFA pushed first). */
  | { readonly kind: 'expression'; readonly expr: Uint8Array }
  /** The value is what the expression computes (CFA pushed first). */
  | { readonly kind: 'val-expression'; readonly expr: Uint8Array };

export type CfaRule =
  | { readonly kind: 'reg-offset'; readonly regno: number; readonly offset: number }
  | { readonly kind: 'expression'; readonly expr: Uint8Array };

export interface CfiRow {
  /** First address the row applies to. */
  readonly location: number;
  readonly cfa: CfaRule;
  /** Rules by DWARF register number; a register not listed keeps the CIE's default (same value). */
  readonly registers: ReadonlyMap<number, RegisterRule>;
  readonly returnAddressRegister: number;
}

export interface Cie {
  readonly offset: number;
  readonly version: number;
  readonly augmentation: string;
  readonly codeAlignment: number;
  readonly dataAlignment: number;
  readonly returnAddressRegister: number;
  readonly initialInstructions: Uint8Array;
  readonly addressSize: number;
  /** .eh_frame 'R' augmentation: how FDE addresses are encoded. */
  readonly fdeEncoding: number;
  readonly signalFrame: boolean;
}

export interface Fde {
  /** Which section it came from. */
  readonly section: '.debug_frame' | '.eh_frame';
  readonly offset: number;
  readonly cie: Cie;
  readonly low: number;
  readonly high: number;
  readonly instructions: Uint8Array;
}

/** All FDEs of .debug_frame and .eh_frame, searchable by pc. */
export class CallFrameInfo {
  readonly fdes: readonly Fde[];

  constructor(sections: { frame?: Uint8Array; ehFrame?: Uint8Array; ehFrameAddr: number; addressSize: number }) {
    const fdes: Fde[] = [];
    if (sections.frame !== undefined) fdes.push(...parseFrameSection(sections.frame, false, 0, sections.addressSize));
    if (sections.ehFrame !== undefined) fdes.push(...parseFrameSection(sections.ehFrame, true, sections.ehFrameAddr, sections.addressSize));
    // Entries for code the linker discarded cover address 0 onwards; keep real ones first.
    this.fdes = fdes.filter((f) => f.high > f.low).sort((a, b) => a.low - b.low);
  }

  /** The FDE whose range holds pc. */
  fdeFor(pc: number): Fde | undefined {
    let lo = 0;
    let hi = this.fdes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.fdes[mid].low <= pc) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
      const f = this.fdes[i];
      if (pc >= f.low && pc < f.high) return f;
    }
    return undefined;
  }

  /** The rule row that applies at pc, or undefined when no FDE covers it. */
  rowAt(pc: number): CfiRow | undefined {
    const fde = this.fdeFor(pc);
    return fde === undefined ? undefined : executeFde(fde, pc);
  }
}

function parseFrameSection(bytes: Uint8Array, eh: boolean, sectionAddr: number, addressSize: number): Fde[] {
  const name: Fde['section'] = eh ? '.eh_frame' : '.debug_frame';
  const cies = new Map<number, Cie>();
  const fdes: Fde[] = [];
  const r = new ByteReader(bytes, name);
  const parseCie = (offset: number): Cie => {
    const hit = cies.get(offset);
    if (hit !== undefined) return hit;
    const c = new ByteReader(bytes, name, offset);
    const { length, dwarf64 } = c.initialLength();
    const end = c.pos + length;
    c.skip(dwarf64 ? 8 : 4); // CIE id
    const version = c.u8();
    const augmentation = c.cstring();
    let cieAddressSize = addressSize;
    if (version >= 4) {
      cieAddressSize = c.u8();
      c.u8(); // segment selector size
    }
    const codeAlignment = c.uleb();
    const dataAlignment = c.sleb();
    const returnAddressRegister = version === 1 ? c.u8() : c.uleb();
    let fdeEncoding = C.DW_EH_PE_absptr;
    let signalFrame = false;
    if (augmentation.startsWith('z')) {
      const augLength = c.uleb();
      const augEnd = c.pos + augLength;
      for (const ch of augmentation.slice(1)) {
        if (ch === 'R') fdeEncoding = c.u8();
        else if (ch === 'P') { const enc = c.u8(); readEncoded(c, enc, sectionAddr, cieAddressSize); }
        else if (ch === 'L') c.u8();
        else if (ch === 'S') signalFrame = true;
        else break;
      }
      c.pos = augEnd;
    } else if (augmentation !== '') {
      // An augmentation this reader does not know changes the layout: skip the CIE's FDEs.
      throw new DwarfError(`${name}: CIE at 0x${offset.toString(16)} has unknown augmentation "${augmentation}"`);
    }
    const cie: Cie = {
      offset, version, augmentation, codeAlignment, dataAlignment, returnAddressRegister,
      initialInstructions: bytes.subarray(c.pos, end), addressSize: cieAddressSize, fdeEncoding, signalFrame,
    };
    cies.set(offset, cie);
    return cie;
  };

  while (!r.atEnd) {
    const start = r.pos;
    const { length, dwarf64 } = r.initialLength();
    if (length === 0) { continue; } // a zero terminator (eh_frame) or padding
    const end = r.pos + length;
    const idPos = r.pos;
    const rawId = dwarf64 ? r.u64() : r.u32();
    const isCie = eh ? rawId === 0 : rawId === 0xffffffff || rawId === 0xffffffffffffffffn;
    const id = typeof rawId === 'bigint' ? 0 : rawId;
    if (isCie) {
      try { parseCie(start); } catch { /* reported when an FDE needs it */ }
      r.pos = end;
      continue;
    }
    const cieOffset = eh ? idPos - id : id;
    let cie: Cie;
    try {
      cie = parseCie(cieOffset);
    } catch {
      r.pos = end;
      continue;
    }
    let low: number;
    let range: number;
    if (eh) {
      low = readEncoded(r, cie.fdeEncoding, sectionAddr, cie.addressSize);
      range = readEncoded(r, cie.fdeEncoding & 0x0f, sectionAddr, cie.addressSize);
      if (cie.augmentation.startsWith('z')) r.skip(r.uleb());
    } else {
      low = r.unsigned(cie.addressSize);
      range = r.unsigned(cie.addressSize);
    }
    fdes.push({ section: name, offset: start, cie, low, high: low + range, instructions: bytes.subarray(r.pos, end) });
    r.pos = end;
  }
  return fdes;
}

/** A pointer in .eh_frame's encoding (DW_EH_PE_*). */
function readEncoded(r: ByteReader, encoding: number, sectionAddr: number, addressSize: number): number {
  if (encoding === C.DW_EH_PE_omit) return 0;
  const here = sectionAddr + r.pos;
  let v: number;
  switch (encoding & 0x0f) {
    case C.DW_EH_PE_absptr: v = r.unsigned(addressSize); break;
    case C.DW_EH_PE_uleb128: v = r.uleb(); break;
    case C.DW_EH_PE_udata2: v = r.u16(); break;
    case C.DW_EH_PE_udata4: v = r.u32(); break;
    case C.DW_EH_PE_udata8: v = r.u64Number(); break;
    case C.DW_EH_PE_sleb128: v = r.sleb(); break;
    case C.DW_EH_PE_sdata2: v = r.i16(); break;
    case C.DW_EH_PE_sdata4: v = r.i32(); break;
    case C.DW_EH_PE_sdata8: v = Number(r.i64()); break;
    default: throw new DwarfError(`.eh_frame: unknown pointer encoding 0x${encoding.toString(16)}`);
  }
  if ((encoding & 0x70) === C.DW_EH_PE_pcrel) v += here;
  if (addressSize === 4) v >>>= 0;
  return v;
}

interface MutableRow {
  cfa: CfaRule;
  registers: Map<number, RegisterRule>;
}

/** Runs the CIE's initial instructions, then the FDE's up to pc (6.4.2). */
export function executeFde(fde: Fde, pc: number): CfiRow {
  const cie = fde.cie;
  const initial: MutableRow = { cfa: { kind: 'reg-offset', regno: 0, offset: 0 }, registers: new Map() };
  const state = { loc: fde.low };
  run(cie.initialInstructions, cie, initial, undefined, state, Infinity);
  const row: MutableRow = { cfa: initial.cfa, registers: new Map(initial.registers) };
  state.loc = fde.low;
  run(fde.instructions, cie, row, initial, state, pc);
  return { location: state.loc, cfa: row.cfa, registers: row.registers, returnAddressRegister: cie.returnAddressRegister };
}

function run(code: Uint8Array, cie: Cie, row: MutableRow, initial: MutableRow | undefined, state: { loc: number }, pc: number): void {
  const r = new ByteReader(code, 'call frame instructions');
  const stack: MutableRow[] = [];
  const daf = cie.dataAlignment;
  const caf = cie.codeAlignment;
  const restore = (regno: number): void => {
    const rule = initial?.registers.get(regno);
    if (rule === undefined) row.registers.delete(regno);
    else row.registers.set(regno, rule);
  };
  const advance = (delta: number): boolean => {
    const next = state.loc + delta * caf;
    if (next > pc) return false;
    state.loc = next;
    return true;
  };
  while (!r.atEnd) {
    const op = r.u8();
    const high = op & 0xc0;
    const low = op & 0x3f;
    if (high === C.DW_CFA_advance_loc) { if (!advance(low)) return; continue; }
    if (high === C.DW_CFA_offset) { row.registers.set(low, { kind: 'offset', offset: r.uleb() * daf }); continue; }
    if (high === C.DW_CFA_restore) { restore(low); continue; }
    switch (op) {
      case C.DW_CFA_nop: break;
      case C.DW_CFA_set_loc: {
        const loc = r.unsigned(cie.addressSize);
        if (loc > pc) return;
        state.loc = loc;
        break;
      }
      case C.DW_CFA_advance_loc1: if (!advance(r.u8())) return; break;
      case C.DW_CFA_advance_loc2: if (!advance(r.u16())) return; break;
      case C.DW_CFA_advance_loc4: if (!advance(r.u32())) return; break;
      case C.DW_CFA_offset_extended: { const reg = r.uleb(); row.registers.set(reg, { kind: 'offset', offset: r.uleb() * daf }); break; }
      case C.DW_CFA_offset_extended_sf: { const reg = r.uleb(); row.registers.set(reg, { kind: 'offset', offset: r.sleb() * daf }); break; }
      case C.DW_CFA_GNU_negative_offset_extended: { const reg = r.uleb(); row.registers.set(reg, { kind: 'offset', offset: -r.uleb() * daf }); break; }
      case C.DW_CFA_val_offset: { const reg = r.uleb(); row.registers.set(reg, { kind: 'val-offset', offset: r.uleb() * daf }); break; }
      case C.DW_CFA_val_offset_sf: { const reg = r.uleb(); row.registers.set(reg, { kind: 'val-offset', offset: r.sleb() * daf }); break; }
      case C.DW_CFA_restore_extended: restore(r.uleb()); break;
      case C.DW_CFA_undefined: row.registers.set(r.uleb(), { kind: 'undefined' }); break;
      case C.DW_CFA_same_value: row.registers.set(r.uleb(), { kind: 'same' }); break;
      case C.DW_CFA_register: { const reg = r.uleb(); row.registers.set(reg, { kind: 'register', regno: r.uleb() }); break; }
      case C.DW_CFA_remember_state: stack.push({ cfa: row.cfa, registers: new Map(row.registers) }); break;
      case C.DW_CFA_restore_state: {
        const s = stack.pop();
        if (s === undefined) throw new DwarfError('DW_CFA_restore_state without DW_CFA_remember_state');
        // The CFA rule comes back with the registers, as gcc's and gdb's unwinders do.
        row.cfa = s.cfa;
        row.registers = s.registers;
        break;
      }
      case C.DW_CFA_def_cfa: { const regno = r.uleb(); row.cfa = { kind: 'reg-offset', regno, offset: r.uleb() }; break; }
      case C.DW_CFA_def_cfa_sf: { const regno = r.uleb(); row.cfa = { kind: 'reg-offset', regno, offset: r.sleb() * daf }; break; }
      case C.DW_CFA_def_cfa_register: {
        const regno = r.uleb();
        row.cfa = row.cfa.kind === 'reg-offset' ? { kind: 'reg-offset', regno, offset: row.cfa.offset } : { kind: 'reg-offset', regno, offset: 0 };
        break;
      }
      case C.DW_CFA_def_cfa_offset: {
        const offset = r.uleb();
        if (row.cfa.kind === 'reg-offset') row.cfa = { kind: 'reg-offset', regno: row.cfa.regno, offset };
        break;
      }
      case C.DW_CFA_def_cfa_offset_sf: {
        const offset = r.sleb() * daf;
        if (row.cfa.kind === 'reg-offset') row.cfa = { kind: 'reg-offset', regno: row.cfa.regno, offset };
        break;
      }
      case C.DW_CFA_def_cfa_expression: row.cfa = { kind: 'expression', expr: r.bytesOf(r.uleb()) }; break;
      case C.DW_CFA_expression: { const reg = r.uleb(); row.registers.set(reg, { kind: 'expression', expr: r.bytesOf(r.uleb()) }); break; }
      case C.DW_CFA_val_expression: { const reg = r.uleb(); row.registers.set(reg, { kind: 'val-expression', expr: r.bytesOf(r.uleb()) }); break; }
      case C.DW_CFA_GNU_args_size: r.uleb(); break;
      default: throw new DwarfError(`unknown call frame instruction 0x${op.toString(16)}`);
    }
  }
}
