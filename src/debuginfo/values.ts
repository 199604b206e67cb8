// Values of program objects: where the bytes are (target memory, bytes computed from registers
// or expressions, or nowhere), their type, and how a debugger shows them. format() writes what
// gdb's `print` writes; children() lists members, elements or the pointee lazily, in pages, for
// a DAP variables request.

import {
  DW_ATE_boolean, DW_ATE_float, DW_ATE_signed_char, DW_ATE_unsigned_char, DW_ATE_UTF,
} from './dwarf-constants.js';
import type { Location } from './dwarf-expr.js';
import { formatChar, formatFloat, formatString, PRINT_MAX, REPEAT_THRESHOLD } from './format.js';
import {
  isSignedType, stripTypedefs, typeName, type ArrayType, type Member, type StructType, type Type,
} from './types.js';

export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** What values need from the debugged machine and the symbol tables. */
export interface ValueContext {
  readonly addressSize: number;
  readMemory(address: number, size: number): Uint8Array | undefined;
  /** "grid+24" for an address a data or function symbol covers. */
  symbolize(address: number): string | undefined;
}

export type ValueStorage =
  | { readonly kind: 'memory'; readonly address: number }
  /**
   * Bytes already known; `valid` (one flag per byte) marks pieces that were optimized out;
   * `register` says the object lives in that register (DWARF number), for messages.
   */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly valid?: Uint8Array; readonly register?: number }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface ValueChild {
  readonly name: string;
  readonly value: Value;
}

/** How registers are read when a location names one (value, DWARF register number). */
export type RegisterReader = (regno: number) => bigint | undefined;

export class Value {
  constructor(
    readonly type: Type,
    readonly storage: ValueStorage,
    readonly ctx: ValueContext,
    /** For a bitfield: its bits, counted from the start of the storage. */
    readonly bits?: { readonly offset: number; readonly size: number },
  ) {}

  /** A value at a location computed by a DWARF expression. */
  static fromLocation(type: Type, loc: Location, ctx: ValueContext, readRegister: RegisterReader): Value {
    const size = stripTypedefs(type).size;
    switch (loc.kind) {
      case 'memory': return new Value(type, { kind: 'memory', address: loc.address }, ctx);
      case 'unavailable': return new Value(type, loc, ctx);
      default: {
        const bytes = new Uint8Array(size);
        const valid = new Uint8Array(size);
        try {
          fillBytes(loc, bytes, valid, 0, size * 8, 0, ctx, readRegister);
        } catch (e) {
          if (e instanceof ValueError) return new Value(type, { kind: 'unavailable', reason: e.message }, ctx);
          throw e;
        }
        return new Value(type, {
          kind: 'bytes', bytes, valid: valid.every((v) => v === 1) ? undefined : valid,
          register: loc.kind === 'register' ? loc.regno : undefined,
        }, ctx);
      }
    }
  }

  /** A value from a number (literals, results of arithmetic). */
  static fromBigInt(type: Type, v: bigint, ctx: ValueContext): Value {
    const size = stripTypedefs(type).size;
    const bytes = new Uint8Array(size);
    let x = BigInt.asUintN(size * 8, v);
    for (let i = 0; i < size; i++) { bytes[i] = Number(x & 0xffn); x >>= 8n; }
    return new Value(type, { kind: 'bytes', bytes }, ctx);
  }

  /** The address of the object, when it lives in memory (not for bitfields). */
  get address(): number | undefined {
    return this.storage.kind === 'memory' && this.bits === undefined ? this.storage.address : undefined;
  }

  get available(): boolean {
    return this.storage.kind !== 'unavailable';
  }

  /** The object's bytes; throws ValueError when they cannot be had. */
  bytes(): Uint8Array {
    const size = stripTypedefs(this.type).size;
    const s = this.storage;
    switch (s.kind) {
      case 'unavailable': throw new ValueError(`<${s.reason}>`);
      case 'bytes':
        if (s.valid !== undefined && s.valid.subarray(0, size).some((v) => v === 0)) throw new ValueError('<optimized out>');
        return s.bytes.subarray(0, size);
      case 'memory': {
        const b = this.ctx.readMemory(s.address, size);
        if (b === undefined) throw new ValueError(`Cannot access memory at address 0x${s.address.toString(16)}`);
        return b;
      }
    }
  }

  /** The value as an integer (integers, chars, bools, enums, pointers, bitfields). */
  scalar(): bigint {
    const t = stripTypedefs(this.type);
    if (this.bits !== undefined) {
      const first = Math.floor(this.bits.offset / 8);
      const last = Math.floor((this.bits.offset + this.bits.size - 1) / 8);
      const whole = this.sliceBytes(first, last - first + 1);
      let v = 0n;
      for (let i = whole.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(whole[i]);
      v = (v >> BigInt(this.bits.offset - first * 8)) & ((1n << BigInt(this.bits.size)) - 1n);
      return isSignedType(t) ? BigInt.asIntN(this.bits.size, v) : v;
    }
    if (t.kind === 'struct' || t.kind === 'union' || t.kind === 'array' || t.kind === 'function' || t.kind === 'void') {
      throw new ValueError(`${typeName(this.type)} is not a scalar`);
    }
    const b = this.bytes();
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    if (t.kind === 'base' && t.encoding === DW_ATE_float) return BigInt(Math.trunc(this.float()));
    return isSignedType(t) ? BigInt.asIntN(b.length * 8, v) : v;
  }

  /** A float or double as a number. */
  float(): number {
    const b = this.bytes();
    const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
    if (b.length === 4) return view.getFloat32(0, true);
    if (b.length === 8) return view.getFloat64(0, true);
    throw new ValueError(`floating-point values of ${b.length} bytes are not supported`);
  }

  private sliceBytes(offset: number, size: number): Uint8Array {
    const s = this.storage;
    if (s.kind === 'memory') {
      const b = this.ctx.readMemory(s.address + offset, size);
      if (b === undefined) throw new ValueError(`Cannot access memory at address 0x${(s.address + offset).toString(16)}`);
      return b;
    }
    if (s.kind === 'unavailable') throw new ValueError(`<${s.reason}>`);
    if (s.valid !== undefined && s.valid.subarray(offset, offset + size).some((v) => v === 0)) throw new ValueError('<optimized out>');
    return s.bytes.subarray(offset, offset + size);
  }

  /** A part of this object: `size` bytes at `offset`, seen as `type`. */
  private part(type: Type, offset: number): Value {
    const s = this.storage;
    switch (s.kind) {
      case 'memory': return new Value(type, { kind: 'memory', address: s.address + offset }, this.ctx);
      case 'unavailable': return new Value(type, s, this.ctx);
      case 'bytes': {
        const size = stripTypedefs(type).size;
        return new Value(type, { kind: 'bytes', bytes: s.bytes.subarray(offset, offset + size), valid: s.valid?.subarray(offset, offset + size) }, this.ctx);
      }
    }
  }

  /** The struct or union members (undefined for other types). */
  get members(): readonly Member[] | undefined {
    const t = stripTypedefs(this.type);
    return t.kind === 'struct' || t.kind === 'union' ? t.members : undefined;
  }

  /** Member `m` of this struct or union. */
  memberValue(m: Member): Value {
    if (m.bitSize !== undefined && m.bitOffset !== undefined) {
      return new Value(m.type, this.storage, this.ctx, { offset: m.bitOffset, size: m.bitSize });
    }
    return this.part(m.type, m.offset);
  }

  /** The member called `name`, looking into anonymous struct/union members as C does. */
  member(name: string): Value | undefined {
    const members = this.members;
    if (members === undefined) return undefined;
    for (const m of members) {
      if (m.name === name) return this.memberValue(m);
      if (m.name === undefined) {
        const inner = this.memberValue(m).member(name);
        if (inner !== undefined) return inner;
      }
    }
    return undefined;
  }

  /** Element i of an array (counting from the array's lower bound, 0 in C). */
  element(i: number): Value {
    const t = stripTypedefs(this.type);
    if (t.kind !== 'array') throw new ValueError(`cannot subscript something of type \`${typeName(this.type)}'`);
    const size = stripTypedefs(t.element).size;
    return this.part(t.element, (i - t.lowerBound) * size);
  }

  /** What a pointer points to. */
  deref(): Value {
    const t = stripTypedefs(this.type);
    if (t.kind !== 'pointer') throw new ValueError('Attempt to take contents of a non-pointer value.');
    const target = t.target;
    if (stripTypedefs(target).kind === 'void') throw new ValueError('Attempt to take contents of a non-pointer value.');
    return new Value(target, { kind: 'memory', address: Number(this.scalar()) }, this.ctx);
  }

  /** A short form for a variables list: scalars in full, aggregates as `{...}`. */
  summary(): string {
    const t = stripTypedefs(this.type);
    if ((t.kind === 'struct' || t.kind === 'union') || (t.kind === 'array' && !isCharLike(t.element))) {
      if (!this.available) return this.format(false);
      return t.kind === 'array' ? `${typeName(this.type)}` : '{...}';
    }
    return this.format(false);
  }

  /** The value as gdb's `print` writes it; `top` adds the `(type *)` prefix gdb gives pointers. */
  format(top = true): string {
    try {
      return this.formatUnsafe(top);
    } catch (e) {
      if (e instanceof ValueError) return e.message.startsWith('<') ? e.message : `<error: ${e.message}>`;
      throw e;
    }
  }

  private formatUnsafe(top: boolean): string {
    const t = stripTypedefs(this.type);
    // An aggregate with nothing behind it still shows its shape, each part unavailable (as gdb does).
    if (this.storage.kind === 'unavailable' && t.kind !== 'struct' && t.kind !== 'union' && t.kind !== 'array') {
      return `<${this.storage.reason}>`;
    }
    switch (t.kind) {
      case 'void': return 'void';
      case 'base': return this.formatBase(t.encoding, t.size);
      case 'enum': {
        const v = this.scalar();
        const e = t.enumerators.find((x) => BigInt(x.value) === v);
        return e !== undefined ? e.name : v.toString();
      }
      case 'pointer': return this.formatPointer(top);
      case 'array': return this.formatArray(t);
      case 'struct':
      case 'union': return this.formatStruct(t);
      case 'function': {
        const a = this.address ?? 0;
        const sym = this.ctx.symbolize(a);
        return `{${typeName(this.type)}} 0x${a.toString(16)}${sym === undefined ? '' : ` <${sym}>`}`;
      }
      default: return '?';
    }
  }

  private formatBase(encoding: number, size: number): string {
    if (encoding === DW_ATE_float) return formatFloat(this.float(), size === 4 ? 9 : 17);
    const v = this.scalar();
    if (encoding === DW_ATE_boolean) return v === 0n ? 'false' : v === 1n ? 'true' : v.toString();
    if ((encoding === DW_ATE_signed_char || encoding === DW_ATE_unsigned_char || encoding === DW_ATE_UTF) && size === 1) {
      return formatChar(v, Number(BigInt.asUintN(8, v)));
    }
    return v.toString();
  }

  private formatPointer(top: boolean): string {
    const t = stripTypedefs(this.type);
    if (t.kind !== 'pointer') return '?';
    const address = Number(BigInt.asUintN(this.ctx.addressSize * 8, this.scalar()));
    const hex = `0x${address.toString(16)}`;
    const target = stripTypedefs(t.target);
    const sym = address === 0 ? undefined : this.ctx.symbolize(address);
    const text = sym === undefined ? hex : `${hex} <${sym}>`;
    // gdb shows the string behind a char pointer, and no type prefix for it.
    if (target.kind === 'base' && isCharLike(target) && address !== 0) return `${text} ${this.readCString(address)}`;
    return top ? `(${typeName(this.type)}) ${text}` : text;
  }

  /** The string a char pointer points to, as gdb shows it after the address. */
  private readCString(address: number): string {
    const out: number[] = [];
    for (let i = 0; i < PRINT_MAX; i++) {
      const b = this.ctx.readMemory(address + i, 1);
      if (b === undefined) {
        return out.length === 0 ? `<error: Cannot access memory at address 0x${address.toString(16)}>` : formatString(out);
      }
      if (b[0] === 0) return formatString(out);
      out.push(b[0]);
    }
    return formatString(out, true);
  }

  private formatArray(t: ArrayType): string {
    const count = t.count ?? 0;
    if (isCharLike(t.element) && this.isFullyAvailable()) {
      const b = this.bytes();
      let n = Math.min(b.length, count);
      // gdb leaves out one trailing NUL (the string's terminator); embedded ones stay.
      const limited = n > PRINT_MAX;
      if (limited) n = PRINT_MAX;
      else if (n > 0 && b[n - 1] === 0) n--;
      // Print elements stop at the print limit; trailing NULs past a string are repeats.
      return formatString(b.subarray(0, n), limited);
    }
    const items: string[] = [];
    let i = 0;
    const shown = Math.min(count, PRINT_MAX);
    let printed = 0;
    while (i < count && printed < shown) {
      const text = this.element(t.lowerBound + i).format(false);
      let run = 1;
      while (i + run < count && this.element(t.lowerBound + i + run).format(false) === text) run++;
      if (run > REPEAT_THRESHOLD) {
        items.push(`${text} <repeats ${run} times>`);
        i += run;
        printed += REPEAT_THRESHOLD;
      } else {
        items.push(text);
        i++;
        printed++;
      }
    }
    return `{${items.join(', ')}${i < count ? '...' : ''}}`;
  }

  private formatStruct(t: StructType): string {
    const parts = t.members.map((m) => {
      const v = this.memberValue(m);
      const text = v.format(false);
      return m.name === undefined ? text : `${m.name} = ${text}`;
    });
    return `{${parts.join(', ')}}`;
  }

  /** True when every byte of the object can be read (or could be, for memory). */
  private isFullyAvailable(): boolean {
    const s = this.storage;
    return s.kind === 'memory' || (s.kind === 'bytes' && (s.valid === undefined || s.valid.every((v) => v === 1)));
  }

  /** How many children a variables view shows under this value. */
  childCount(): number {
    const t = stripTypedefs(this.type);
    switch (t.kind) {
      case 'struct':
      case 'union': return t.members.length;
      case 'array': return isCharLike(t.element) && this.available ? 0 : t.count ?? 0;
      case 'pointer': {
        const target = stripTypedefs(t.target);
        if (target.kind === 'void' || target.kind === 'function' || isCharLike(target)) return 0;
        if (!this.available) return 0;
        return 1;
      }
      default: return 0;
    }
  }

  /**
   * The children a variables view lists, from `start`, at most `count`: struct members by name,
   * array elements as `[i]`, and for a pointer the object it points to as `*`.
   */
  children(start = 0, count = Infinity): ValueChild[] {
    const t = stripTypedefs(this.type);
    const end = Math.min(this.childCount(), start + count);
    const out: ValueChild[] = [];
    for (let i = start; i < end; i++) {
      if (t.kind === 'struct' || t.kind === 'union') {
        const m = t.members[i];
        out.push({ name: m.name ?? `<anonymous ${stripTypedefs(m.type).kind}>`, value: this.memberValue(m) });
      } else if (t.kind === 'array') {
        out.push({ name: `[${t.lowerBound + i}]`, value: this.element(t.lowerBound + i) });
      } else if (t.kind === 'pointer') {
        out.push({ name: '*', value: this.deref() });
      }
    }
    return out;
  }
}

/** char, signed char, unsigned char (and UTF-8 char8_t): what gdb prints as characters and strings. */
export function isCharLike(t: Type): boolean {
  const s = stripTypedefs(t);
  return s.kind === 'base' && s.size === 1
    && (s.encoding === DW_ATE_signed_char || s.encoding === DW_ATE_unsigned_char || s.encoding === DW_ATE_UTF);
}

/**
 * Writes `sizeBits` bits of a location into bytes at `destBit` (pieces of a composite go one
 * after another), marking the bytes it could fill as valid.
 */
function fillBytes(loc: Location, out: Uint8Array, valid: Uint8Array, destBit: number, sizeBits: number, srcBit: number,
  ctx: ValueContext, readRegister: RegisterReader): void {
  let src: Uint8Array | undefined;
  const srcBytes = Math.ceil((srcBit + sizeBits) / 8);
  switch (loc.kind) {
    case 'composite': {
      let at = destBit;
      for (const p of loc.pieces) {
        fillBytes(p.location, out, valid, at, p.sizeBits, p.offsetBits, ctx, readRegister);
        at += p.sizeBits;
      }
      return;
    }
    case 'unavailable': return; // those bytes stay invalid
    case 'memory':
      src = ctx.readMemory(loc.address, srcBytes);
      if (src === undefined) throw new ValueError(`Cannot access memory at address 0x${loc.address.toString(16)}`);
      break;
    case 'register': {
      // A value wider than a register continues in the next ones (RV32: a long long in a0/a1).
      src = new Uint8Array(srcBytes);
      for (let i = 0; i < srcBytes; i += ctx.addressSize) {
        const v = readRegister(loc.regno + i / ctx.addressSize);
        if (v === undefined) return;
        let x = v;
        for (let k = 0; k < ctx.addressSize && i + k < srcBytes; k++) { src[i + k] = Number(x & 0xffn); x >>= 8n; }
      }
      break;
    }
    case 'value': {
      src = new Uint8Array(srcBytes);
      let x = loc.value;
      for (let k = 0; k < srcBytes; k++) { src[k] = Number(x & 0xffn); x >>= 8n; }
      break;
    }
    case 'implicit':
      src = new Uint8Array(srcBytes);
      src.set(loc.bytes.subarray(0, srcBytes));
      break;
  }
  for (let i = 0; i < sizeBits; i++) {
    const s = srcBit + i;
    const d = destBit + i;
    if ((d >> 3) >= out.length) break;
    const bit = (src[s >> 3] >> (s & 7)) & 1;
    out[d >> 3] = (out[d >> 3] & ~(1 << (d & 7))) | (bit << (d & 7));
    valid[d >> 3] = 1;
  }
}
