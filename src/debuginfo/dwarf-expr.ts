// The DWARF expression evaluator (DWARF 5 section 2.5/2.6): runs a location description or a
// DWARF expression over a context the caller supplies (registers by DWARF number, memory, the
// frame base, the CFA, entry values) and says where the object is: in memory, in a register,
// a computed value, literal bytes, pieces of those, or nowhere (optimized out).

import { ByteReader, DwarfError } from './byte-reader.js';
import * as C from './dwarf-constants.js';

/** What an expression can ask about the frame it describes. Values are unsigned, address-sized. */
export interface ExprContext {
  readonly addressSize: number;
  /** A register by DWARF number (x0–x31 are 0–31); undefined when not known in this frame. */
  readRegister(regno: number): bigint | undefined;
  /** Bytes of target memory; undefined when unreadable. */
  readMemory(address: number, size: number): Uint8Array | undefined;
  /** DW_AT_frame_base of the function, evaluated at the current pc. */
  frameBase?(): bigint | undefined;
  /** The canonical frame address from the call frame information. */
  cfa?(): bigint | undefined;
  /** DW_OP_entry_value: the value the sub-expression had on entry to the function, if known. */
  entryValue?(expr: Uint8Array): bigint | undefined;
  /** DW_OP_addrx / DW_OP_constx: entry of the unit's .debug_addr table. */
  indexedAddress?(index: number): number;
}

export type Location =
  | { readonly kind: 'memory'; readonly address: number }
  | { readonly kind: 'register'; readonly regno: number }
  /** DW_OP_stack_value: the object's value itself. */
  | { readonly kind: 'value'; readonly value: bigint }
  /** DW_OP_implicit_value: the object's bytes. */
  | { readonly kind: 'implicit'; readonly bytes: Uint8Array }
  | { readonly kind: 'composite'; readonly pieces: readonly Piece[] }
  | { readonly kind: 'unavailable'; readonly reason: string };

export interface Piece {
  readonly location: Location;
  readonly sizeBits: number;
  /** DW_OP_bit_piece's offset into the location. */
  readonly offsetBits: number;
}

export const OPTIMIZED_OUT: Location = { kind: 'unavailable', reason: 'optimized out' };

const MAX_OPERATIONS = 100_000;

/** Raised inside evaluation; evaluate() turns it into an unavailable location. */
class Unavailable extends Error {}

/**
 * Evaluates a location description. `initialStack` seeds the stack (DW_AT_data_member_location
 * style expressions push the object address first). Never throws for a well-formed expression
 * whose inputs are missing: the answer is then `unavailable` with the reason.
 */
export function evaluateLocation(expr: Uint8Array, ctx: ExprContext, initialStack: bigint[] = []): Location {
  try {
    return run(expr, ctx, initialStack);
  } catch (e) {
    if (e instanceof Unavailable) return { kind: 'unavailable', reason: e.message };
    if (e instanceof DwarfError) return { kind: 'unavailable', reason: `bad DWARF expression: ${e.message}` };
    throw e;
  }
}

/** Evaluates a DWARF expression for its value (DW_AT_frame_base, CFA rules): the top of the stack. */
export function evaluateValue(expr: Uint8Array, ctx: ExprContext, initialStack: bigint[] = []): bigint | undefined {
  const loc = evaluateLocation(expr, ctx, initialStack);
  switch (loc.kind) {
    case 'memory': return BigInt(loc.address);
    case 'value': return loc.value;
    // A frame base of DW_OP_regN means the register holds the base address.
    case 'register': return ctx.readRegister(loc.regno);
    default: return undefined;
  }
}

function run(expr: Uint8Array, ctx: ExprContext, initial: bigint[]): Location {
  const bits = BigInt(ctx.addressSize * 8);
  const mask = (1n << bits) - 1n;
  const signBit = 1n << (bits - 1n);
  const wrap = (v: bigint): bigint => v & mask;
  const signed = (v: bigint): bigint => ((v & signBit) !== 0n ? v - (1n << bits) : v);
  const stack: bigint[] = initial.map(wrap);
  const pieces: Piece[] = [];
  const r = new ByteReader(expr, 'DWARF expression');
  // The location of the current piece when it is not "address on the stack".
  let pending: Location | undefined;

  const pop = (): bigint => {
    const v = stack.pop();
    if (v === undefined) throw new DwarfError('stack underflow');
    return v;
  };
  const push = (v: bigint): void => {
    stack.push(wrap(v));
  };
  const reg = (n: number): bigint => {
    const v = ctx.readRegister(n);
    if (v === undefined) throw new Unavailable(`register ${n} is not available in this frame`);
    return v;
  };
  const mem = (address: bigint, size: number): bigint => {
    const b = ctx.readMemory(Number(address), size);
    if (b === undefined) throw new Unavailable(`cannot read memory at 0x${address.toString(16)}`);
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
  };
  const currentLocation = (): Location => {
    if (pending !== undefined) return pending;
    if (stack.length === 0) return OPTIMIZED_OUT; // an empty piece: that part is optimized out
    return { kind: 'memory', address: Number(stack[stack.length - 1]) };
  };

  // Branches can loop; a damaged expression must not hang the debugger.
  let budget = MAX_OPERATIONS;
  while (!r.atEnd) {
    if (--budget < 0) throw new Unavailable(`the DWARF expression did not finish in ${MAX_OPERATIONS} operations`);
    const op = r.u8();
    if (op >= C.DW_OP_lit0 && op <= C.DW_OP_lit31) { push(BigInt(op - C.DW_OP_lit0)); continue; }
    if (op >= C.DW_OP_reg0 && op <= C.DW_OP_reg31) { pending = { kind: 'register', regno: op - C.DW_OP_reg0 }; continue; }
    if (op >= C.DW_OP_breg0 && op <= C.DW_OP_breg31) { push(reg(op - C.DW_OP_breg0) + BigInt(r.sleb())); continue; }
    switch (op) {
      case C.DW_OP_addr: push(BigInt(r.unsigned(ctx.addressSize))); break;
      case C.DW_OP_addrx:
      case C.DW_OP_constx: {
        const index = r.uleb();
        if (ctx.indexedAddress === undefined) throw new Unavailable('DW_OP_addrx without a unit');
        push(BigInt(ctx.indexedAddress(index)));
        break;
      }
      case C.DW_OP_deref: push(mem(pop(), ctx.addressSize)); break;
      case C.DW_OP_deref_size: { const n = r.u8(); push(mem(pop(), n)); break; }
      case C.DW_OP_deref_type: { const n = r.u8(); r.uleb(); push(mem(pop(), Math.min(n, ctx.addressSize))); break; }
      case C.DW_OP_const1u: push(BigInt(r.u8())); break;
      case C.DW_OP_const1s: push(BigInt(r.i8())); break;
      case C.DW_OP_const2u: push(BigInt(r.u16())); break;
      case C.DW_OP_const2s: push(BigInt(r.i16())); break;
      case C.DW_OP_const4u: push(BigInt(r.u32())); break;
      case C.DW_OP_const4s: push(BigInt(r.i32())); break;
      case C.DW_OP_const8u: { const v = r.u64(); push(typeof v === 'bigint' ? v : BigInt(v)); break; }
      case C.DW_OP_const8s: push(r.i64()); break;
      case C.DW_OP_constu: push(BigInt(r.uleb())); break;
      case C.DW_OP_consts: push(BigInt(r.sleb())); break;
      case C.DW_OP_const_type: { r.uleb(); const n = r.u8(); const b = r.bytesOf(n); let v = 0n; for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]); push(v); break; }
      case C.DW_OP_dup: { const v = pop(); stack.push(v, v); break; }
      case C.DW_OP_drop: pop(); break;
      case C.DW_OP_over: { if (stack.length < 2) throw new DwarfError('stack underflow'); stack.push(stack[stack.length - 2]); break; }
      case C.DW_OP_pick: { const i = r.u8(); const v = stack[stack.length - 1 - i]; if (v === undefined) throw new DwarfError('DW_OP_pick past the stack'); stack.push(v); break; }
      case C.DW_OP_swap: { const a = pop(); const b = pop(); stack.push(a, b); break; }
      case C.DW_OP_rot: { const a = pop(); const b = pop(); const c = pop(); stack.push(a, c, b); break; }
      case C.DW_OP_abs: { const v = signed(pop()); push(v < 0n ? -v : v); break; }
      case C.DW_OP_and: push(pop() & pop()); break;
      case C.DW_OP_div: {
        const d = signed(pop()); const n = signed(pop());
        if (d === 0n) throw new Unavailable('division by zero in a DWARF expression');
        push(n / d);
        break;
      }
      case C.DW_OP_minus: { const b = pop(); const a = pop(); push(a - b); break; }
      case C.DW_OP_mod: {
        const d = pop(); const n = pop();
        if (d === 0n) throw new Unavailable('division by zero in a DWARF expression');
        push(n % d);
        break;
      }
      case C.DW_OP_mul: push(pop() * pop()); break;
      case C.DW_OP_neg: push(-signed(pop())); break;
      case C.DW_OP_not: push(~pop()); break;
      case C.DW_OP_or: push(pop() | pop()); break;
      case C.DW_OP_plus: push(pop() + pop()); break;
      case C.DW_OP_plus_uconst: push(pop() + BigInt(r.uleb())); break;
      case C.DW_OP_shl: { const s = pop(); const v = pop(); push(s >= bits ? 0n : v << s); break; }
      case C.DW_OP_shr: { const s = pop(); const v = pop(); push(s >= bits ? 0n : v >> s); break; }
      case C.DW_OP_shra: { const s = pop(); const v = signed(pop()); push(v >> (s >= bits ? bits - 1n : s)); break; }
      case C.DW_OP_xor: push(pop() ^ pop()); break;
      case C.DW_OP_eq: case C.DW_OP_ge: case C.DW_OP_gt: case C.DW_OP_le: case C.DW_OP_lt: case C.DW_OP_ne: {
        const b = signed(pop()); const a = signed(pop());
        const t = op === C.DW_OP_eq ? a === b : op === C.DW_OP_ge ? a >= b : op === C.DW_OP_gt ? a > b
          : op === C.DW_OP_le ? a <= b : op === C.DW_OP_lt ? a < b : a !== b;
        push(t ? 1n : 0n);
        break;
      }
      case C.DW_OP_skip: { const off = r.i16(); r.pos += off; break; }
      case C.DW_OP_bra: { const off = r.i16(); if (pop() !== 0n) r.pos += off; break; }
      case C.DW_OP_regx: pending = { kind: 'register', regno: r.uleb() }; break;
      case C.DW_OP_bregx: { const n = r.uleb(); push(reg(n) + BigInt(r.sleb())); break; }
      case C.DW_OP_regval_type: { const n = r.uleb(); r.uleb(); push(reg(n)); break; }
      case C.DW_OP_fbreg: {
        const off = BigInt(r.sleb());
        const base = ctx.frameBase?.();
        if (base === undefined) throw new Unavailable('the frame base is not known');
        push(base + off);
        break;
      }
      case C.DW_OP_call_frame_cfa: {
        const cfa = ctx.cfa?.();
        if (cfa === undefined) throw new Unavailable('the call frame address is not known (no call frame information)');
        push(cfa);
        break;
      }
      case C.DW_OP_piece: {
        const size = r.uleb();
        pieces.push({ location: currentLocation(), sizeBits: size * 8, offsetBits: 0 });
        pending = undefined;
        stack.length = 0;
        break;
      }
      case C.DW_OP_bit_piece: {
        const size = r.uleb();
        const offset = r.uleb();
        pieces.push({ location: currentLocation(), sizeBits: size, offsetBits: offset });
        pending = undefined;
        stack.length = 0;
        break;
      }
      case C.DW_OP_implicit_value: { const n = r.uleb(); pending = { kind: 'implicit', bytes: r.bytesOf(n) }; break; }
      case C.DW_OP_stack_value: pending = { kind: 'value', value: pop() }; break;
      case C.DW_OP_entry_value:
      case C.DW_OP_GNU_entry_value: {
        const sub = r.bytesOf(r.uleb());
        const v = ctx.entryValue?.(sub);
        if (v === undefined) throw new Unavailable('optimized out');
        push(v);
        break;
      }
      case C.DW_OP_convert:
      case C.DW_OP_reinterpret:
        r.uleb(); // typed stack: the generic type covers what gcc converts between on RV32
        break;
      case C.DW_OP_nop: break;
      case C.DW_OP_implicit_pointer:
      case C.DW_OP_GNU_implicit_pointer:
        throw new Unavailable('a pointer the compiler optimized away (implicit pointer)');
      case C.DW_OP_GNU_parameter_ref:
        throw new Unavailable('optimized out');
      default:
        throw new Unavailable(`DWARF operation 0x${op.toString(16)} is not supported`);
    }
  }
  if (pieces.length > 0) return { kind: 'composite', pieces };
  if (pending !== undefined) return pending;
  if (stack.length === 0) return OPTIMIZED_OUT;
  return { kind: 'memory', address: Number(stack[stack.length - 1]) };
}
