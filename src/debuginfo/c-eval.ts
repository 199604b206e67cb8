// Evaluates parsed C expressions to Values in a stack frame (or with globals only): names
// resolve to locals and parameters (innermost block first), then statics of the frame's unit,
// globals, enumerators and functions; C's conversions and pointer arithmetic apply. Errors are
// EvalErrors worded like gdb's.

import type { DebugInfo, TargetMemory } from './debug-info.js';
import { EvalError, parseExpression, type Expr, type TypeSpec } from './c-parser.js';
import {
  DW_ATE_boolean, DW_ATE_float, DW_ATE_signed, DW_ATE_signed_char, DW_ATE_unsigned, DW_ATE_unsigned_char,
  DW_TAG_enumeration_type, DW_TAG_enumerator,
} from './dwarf-constants.js';
import type { StackFrame } from './stack.js';
import { isSignedType, stripTypedefs, typeName, type Type } from './types.js';
import { Value, ValueError } from './values.js';

export { EvalError } from './c-parser.js';

export interface EvalScope {
  readonly info: DebugInfo;
  readonly memory: TargetMemory;
  /** Locals, parameters and registers come from here; without it only globals are visible. */
  readonly frame?: StackFrame;
}

/** RISC-V register names for $name, by DWARF number. */
const REGISTER_NAMES = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/** The <stdint.h> and <stddef.h> names known even when the program's DWARF lacks them. */
const STDINT: Record<string, string> = {
  int8_t: 'signed char', uint8_t: 'unsigned char', int16_t: 'short', uint16_t: 'unsigned short',
  int32_t: 'int', uint32_t: 'unsigned int', int64_t: 'long long', uint64_t: 'unsigned long long',
  intptr_t: 'int', uintptr_t: 'unsigned int', size_t: 'unsigned int', ssize_t: 'int', ptrdiff_t: 'int',
};

export function evaluateExpression(text: string, scope: EvalScope): Value {
  return new Evaluator(scope).run(text);
}

class Evaluator {
  private readonly pc: number | undefined;

  constructor(private readonly scope: EvalScope) {
    this.pc = scope.frame?.physical.lookupPc;
  }

  private get ctx() {
    return this.scope.info.valueContext(this.scope.memory);
  }

  run(text: string): Value {
    const expr = parseExpression(text, (name) => this.isTypedefName(name));
    try {
      const v = this.eval(expr);
      // Like gdb, fail when the value's memory cannot be read (optimized-out values print as such).
      if (v.storage.kind === 'memory' && stripTypedefs(v.type).kind !== 'function') v.bytes();
      return v;
    } catch (e) {
      if (e instanceof ValueError) throw new EvalError(e.message.replace(/^<(.*)>$/, 'value has been $1'));
      throw e;
    }
  }

  private isTypedefName(name: string): boolean {
    if (this.lookupVariable(name) !== undefined) return false;
    return name in STDINT || this.scope.info.typeByName(name, this.pc) !== undefined;
  }

  // ---- types ----

  /** A base type by its C name, from the program's DWARF when it has it. */
  private base(name: string): Type {
    const dwarfName = DWARF_BASE_NAMES[name] ?? name;
    const t = this.scope.info.typeByName(dwarfName, this.pc);
    if (t !== undefined) return t;
    const spec = BASE_TYPES[dwarfName];
    if (spec === undefined) throw new EvalError(`No symbol "${name}" in current context.`);
    return { kind: 'base', name: dwarfName, size: spec[0], encoding: spec[1] };
  }

  private resolveType(spec: TypeSpec): Type {
    let t: Type;
    const words = spec.base;
    if (/^(struct|union|enum) /.test(words)) {
      const found = this.scope.info.typeByName(words, this.pc);
      if (found === undefined) throw new EvalError(`No ${words.split(' ')[0]} type named ${words.split(' ')[1]}.`);
      t = found;
    } else if (CANONICAL[normaliseBase(words)] !== undefined || BASE_TYPES[words] !== undefined) {
      t = words === 'void' ? { kind: 'void', size: 0 } : this.base(CANONICAL[normaliseBase(words)] ?? words);
    } else {
      const found = this.scope.info.typeByName(words, this.pc);
      if (found !== undefined) t = found;
      else if (words in STDINT) t = { kind: 'typedef', name: words, target: this.base(STDINT[words]), size: this.base(STDINT[words]).size };
      else throw new EvalError(`No symbol "${words}" in current context.`);
    }
    if (spec.qualifiers.includes('const')) t = { kind: 'const', target: t, size: t.size };
    if (spec.qualifiers.includes('volatile')) t = { kind: 'volatile', target: t, size: t.size };
    for (let i = 0; i < spec.pointers; i++) t = { kind: 'pointer', size: this.ctx.addressSize, target: t };
    for (let i = spec.arrays.length - 1; i >= 0; i--) {
      t = { kind: 'array', element: t, count: spec.arrays[i], lowerBound: 0, size: spec.arrays[i] * t.size };
    }
    return t;
  }

  // ---- names ----

  private lookupVariable(name: string): Value | undefined {
    const frame = this.scope.frame;
    if (frame !== undefined) {
      const local = [...frame.locals(), ...frame.parameters()].find((v) => v.name === name);
      if (local !== undefined) return frame.value(local);
    }
    const global = this.scope.info.findGlobal(name, this.pc);
    if (global !== undefined) {
      // A global's location needs no frame; a frame-less read still works for statics.
      return this.scope.info.staticValue(global, this.scope.memory);
    }
    return undefined;
  }

  private identifier(name: string): Value {
    const v = this.lookupVariable(name);
    if (v !== undefined) return v;
    const enumerator = this.enumerator(name);
    if (enumerator !== undefined) return enumerator;
    const fn = this.scope.info.functions.functionsNamed(name)[0];
    if (fn !== undefined) {
      const type = this.scope.info.types.fromDie(fn.die);
      return new Value(type, { kind: 'memory', address: fn.entryPc }, this.ctx);
    }
    if (this.scope.info.symbols.addressOf(name) !== undefined) {
      throw new EvalError(`'${name}' has unknown type; cast it to its declared type`);
    }
    throw new EvalError(`No symbol "${name}" in current context.`);
  }

  /** An enumerator constant (`BLUE`), from the enums of pc's unit first. */
  private enumerator(name: string): Value | undefined {
    const info = this.scope.info;
    const first = this.pc === undefined ? undefined : info.dwarf.unitForPc(this.pc);
    const units = first === undefined ? info.dwarf.units : [first, ...info.dwarf.units.filter((u) => u !== first)];
    for (const u of units) {
      for (const d of u.root.children) {
        if (d.tag !== DW_TAG_enumeration_type || !d.children.some((c) => c.tag === DW_TAG_enumerator && c.name === name)) continue;
        const type = info.types.fromDie(d);
        const t = stripTypedefs(type);
        const value = t.kind === 'enum' ? t.enumerators.find((x) => x.name === name)?.value ?? 0 : 0;
        return Value.fromBigInt(type, BigInt(value), this.ctx);
      }
    }
    return undefined;
  }

  private register(name: string): Value {
    const frame = this.scope.frame;
    if (frame === undefined) throw new EvalError('No registers.');
    const ctx = this.ctx;
    if (name === 'pc') return Value.fromBigInt(registerType(1, ctx.addressSize), BigInt(frame.pc), ctx);
    let regno = REGISTER_NAMES.indexOf(name === 'fp' ? 's0' : name);
    const m = /^x([0-9]|[12][0-9]|3[01])$/.exec(name);
    if (m !== null) regno = Number(m[1]);
    if (regno < 0) throw new EvalError(`Invalid register name "$${name}".`);
    const v = frame.readRegister(regno);
    const type = registerType(regno, ctx.addressSize);
    if (v === undefined) return new Value(type, { kind: 'unavailable', reason: 'not saved' }, ctx);
    return Value.fromBigInt(type, v, ctx);
  }

  // ---- evaluation ----

  private eval(e: Expr): Value {
    const ctx = this.ctx;
    switch (e.kind) {
      case 'number': return Value.fromBigInt(this.literalType(e), e.value, ctx);
      case 'float': return this.fromFloat(e.value, this.base('double'));
      case 'char': return Value.fromBigInt(this.base('char'), BigInt(e.value), ctx);
      case 'string': {
        const ch = this.base('char');
        return new Value({ kind: 'array', element: ch, count: e.value.length, lowerBound: 0, size: e.value.length }, { kind: 'bytes', bytes: e.value }, ctx);
      }
      case 'ident': return this.identifier(e.name);
      case 'register': return this.register(e.name);
      case 'member': {
        let obj = this.eval(e.object);
        const t = stripTypedefs(obj.type);
        if (t.kind === 'pointer') obj = obj.deref();
        else if (e.arrow) throw new EvalError('Attempt to extract a component of a value that is not a structure pointer.');
        const st = stripTypedefs(obj.type);
        if (st.kind !== 'struct' && st.kind !== 'union') {
          throw new EvalError(`Attempt to extract a component of a value that is not a structure${e.arrow ? ' pointer' : ''}.`);
        }
        const m = obj.member(e.name);
        if (m === undefined) throw new EvalError(`There is no member named ${e.name}.`);
        return m;
      }
      case 'index': {
        const obj = this.eval(e.object);
        const index = this.eval(e.index);
        const t = stripTypedefs(obj.type);
        if (t.kind === 'array') return obj.element(Number(this.integer(index)));
        if (t.kind === 'pointer') return this.pointerAdd(obj, this.integer(index)).deref();
        // C allows i[a]; gdb does too.
        const it = stripTypedefs(index.type);
        if (it.kind === 'array' || it.kind === 'pointer') return this.eval({ kind: 'index', object: e.index, index: e.object });
        throw new EvalError(`cannot subscript something of type \`${typeName(obj.type)}'`);
      }
      case 'unary': return this.unary(e.op, e.operand);
      case 'binary': return this.binary(e.op, e.left, e.right);
      case 'conditional': return this.truth(this.eval(e.test)) ? this.eval(e.then) : this.eval(e.else);
      case 'cast': return this.cast(this.eval(e.operand), this.resolveType(e.type));
      case 'sizeof-type': return this.sizeValue(stripTypedefs(this.resolveType(e.type)).size);
      case 'sizeof-expr': return this.sizeValue(stripTypedefs(this.eval(e.operand).type).size);
    }
  }

  private sizeValue(n: number): Value {
    // gdb gives sizeof the type int.
    return Value.fromBigInt(this.base('int'), BigInt(n), this.ctx);
  }

  private literalType(e: Extract<Expr, { kind: 'number' }>): Type {
    // C's rules for the type of an integer constant, for ILP32 (int and long are 32 bits).
    const fits = (bits: number, signed: boolean): boolean => e.value < (1n << BigInt(signed ? bits - 1 : bits));
    const candidates: [string, number, boolean][] = [];
    const signedOk = !e.unsigned;
    const unsignedOk = e.unsigned || !e.decimal;
    for (const [name, bits] of [['int', 32], ['long', 32], ['long long', 64]] as [string, number][]) {
      if (e.long === 2 && name !== 'long long') continue;
      if (e.long === 1 && name === 'int') continue;
      if (signedOk) candidates.push([name, bits, true]);
      if (unsignedOk) candidates.push([`unsigned ${name}`, bits, false]);
    }
    for (const [name, bits, signed] of candidates) if (fits(bits, signed)) return this.base(name);
    return this.base('unsigned long long');
  }

  private fromFloat(v: number, type: Type): Value {
    const size = stripTypedefs(type).size;
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    if (size === 4) view.setFloat32(0, v, true);
    else view.setFloat64(0, v, true);
    return new Value(type, { kind: 'bytes', bytes }, this.ctx);
  }

  private isFloat(t: Type): boolean {
    const s = stripTypedefs(t);
    return s.kind === 'base' && s.encoding === DW_ATE_float;
  }

  private isInteger(t: Type): boolean {
    const s = stripTypedefs(t);
    return (s.kind === 'base' && s.encoding !== DW_ATE_float) || s.kind === 'enum';
  }

  private integer(v: Value): bigint {
    const t = stripTypedefs(v.type);
    if (this.isFloat(t)) return BigInt(Math.trunc(v.float()));
    if (!this.isInteger(t) && t.kind !== 'pointer') throw new EvalError(`Argument to arithmetic operation not a number or boolean.`);
    return v.scalar();
  }

  private truth(v: Value): boolean {
    const d = this.decay(v);
    if (this.isFloat(d.type)) return d.float() !== 0;
    return this.integer(d) !== 0n;
  }

  /** Arrays become pointers to their first element, functions pointers to themselves. */
  private decay(v: Value): Value {
    const t = stripTypedefs(v.type);
    if (t.kind === 'array' || t.kind === 'function') {
      const address = v.address;
      if (address === undefined) return v;
      const target = t.kind === 'array' ? t.element : v.type;
      return Value.fromBigInt({ kind: 'pointer', size: this.ctx.addressSize, target }, BigInt(address), this.ctx);
    }
    return v;
  }

  /** The integer promotions: types smaller than int become int. */
  private promote(t: Type): Type {
    const s = stripTypedefs(t);
    if (s.kind === 'enum') return this.base(s.signed || s.size < 4 ? 'int' : 'unsigned int');
    if (s.kind === 'base' && s.size < 4) return this.base('int');
    if (s.kind === 'base' && s.encoding === DW_ATE_boolean) return this.base('int');
    return t;
  }

  /** C's usual arithmetic conversions for two integer operands. */
  private common(a: Type, b: Type): Type {
    const pa = this.promote(a);
    const pb = this.promote(b);
    const sa = stripTypedefs(pa).size;
    const sb = stripTypedefs(pb).size;
    if (sa !== sb) return sa > sb ? pa : pb;
    if (!isSignedType(pa)) return pa;
    if (!isSignedType(pb)) return pb;
    return pa;
  }

  private pointerAdd(p: Value, n: bigint): Value {
    const t = stripTypedefs(p.type);
    if (t.kind !== 'pointer') throw new EvalError('not a pointer');
    const target = stripTypedefs(t.target);
    const size = target.kind === 'void' ? 1 : target.size;
    return Value.fromBigInt(p.type, p.scalar() + n * BigInt(size), this.ctx);
  }

  private unary(op: string, operandExpr: Expr): Value {
    const ctx = this.ctx;
    if (op === '&') {
      const v = this.eval(operandExpr);
      const address = v.address;
      if (address === undefined) {
        if (v.bits !== undefined) throw new EvalError('Attempt to take address of value not located in memory.');
        if (operandExpr.kind === 'ident') {
          const s = v.storage;
          if (s.kind === 'bytes' && s.register !== undefined) {
            throw new EvalError(`Address requested for identifier "${operandExpr.name}" which is in register $${REGISTER_NAMES[s.register] ?? s.register}`);
          }
          throw new EvalError(`Can't take address of "${operandExpr.name}" which isn't an lvalue.`);
        }
        throw new EvalError('Attempt to take address of value not located in memory.');
      }
      return Value.fromBigInt({ kind: 'pointer', size: ctx.addressSize, target: v.type }, BigInt(address), ctx);
    }
    const v = this.eval(operandExpr);
    if (op === '*') {
      const t = stripTypedefs(v.type);
      if (t.kind === 'array') return v.element(t.lowerBound);
      if (t.kind === 'function') return v;
      if (t.kind === 'pointer') {
        if (stripTypedefs(t.target).kind === 'void') throw new EvalError('Attempt to take contents of a non-pointer value.');
        return v.deref();
      }
      if (this.isInteger(t)) {
        // gdb reads `*0x80000000` as a long at that address.
        return new Value(this.base('long'), { kind: 'memory', address: Number(BigInt.asUintN(32, v.scalar())) }, ctx);
      }
      throw new EvalError('Attempt to take contents of a non-pointer value.');
    }
    if (op === '!') return Value.fromBigInt(this.base('int'), this.truth(v) ? 0n : 1n, ctx);
    if (this.isFloat(v.type)) {
      if (op === '-') return this.fromFloat(-v.float(), v.type);
      if (op === '+') return v;
      throw new EvalError('Argument to complement operation not an integer, boolean.');
    }
    const t = this.promote(v.type);
    const x = this.integer(v);
    switch (op) {
      case '-': return Value.fromBigInt(t, -x, ctx);
      case '+': return Value.fromBigInt(t, x, ctx);
      case '~': return Value.fromBigInt(t, ~x, ctx);
      default: throw new EvalError(`unknown operator ${op}`);
    }
  }

  private binary(op: string, leftExpr: Expr, rightExpr: Expr): Value {
    const ctx = this.ctx;
    if (op === '&&' || op === '||') {
      const l = this.truth(this.eval(leftExpr));
      if (op === '&&' && !l) return Value.fromBigInt(this.base('int'), 0n, ctx);
      if (op === '||' && l) return Value.fromBigInt(this.base('int'), 1n, ctx);
      return Value.fromBigInt(this.base('int'), this.truth(this.eval(rightExpr)) ? 1n : 0n, ctx);
    }
    if (op === '@') {
      const l = this.eval(leftExpr);
      const n = Number(this.integer(this.eval(rightExpr)));
      if (n <= 0) throw new EvalError('Only values in memory can be extended with \'@\'.');
      if (l.address === undefined) throw new EvalError('Only values in memory can be extended with \'@\'.');
      const size = stripTypedefs(l.type).size;
      return new Value({ kind: 'array', element: l.type, count: n, lowerBound: 0, size: n * size }, { kind: 'memory', address: l.address }, ctx);
    }
    const l = this.decay(this.eval(leftExpr));
    const r = this.decay(this.eval(rightExpr));
    const lt = stripTypedefs(l.type);
    const rt = stripTypedefs(r.type);
    // Pointer arithmetic.
    if (lt.kind === 'pointer' || rt.kind === 'pointer') {
      if ((op === '+' || op === '-') && lt.kind === 'pointer' && this.isInteger(rt)) {
        return this.pointerAdd(l, op === '+' ? this.integer(r) : -this.integer(r));
      }
      if (op === '+' && rt.kind === 'pointer' && this.isInteger(lt)) return this.pointerAdd(r, this.integer(l));
      if (op === '-' && lt.kind === 'pointer' && rt.kind === 'pointer') {
        const size = BigInt(Math.max(1, stripTypedefs(lt.target).size));
        return Value.fromBigInt(this.base('long'), (BigInt.asIntN(32, l.scalar()) - BigInt.asIntN(32, r.scalar())) / size, ctx);
      }
      if (['==', '!=', '<', '>', '<=', '>='].includes(op)) {
        return Value.fromBigInt(this.base('int'), compare(op, l.scalar(), r.scalar()) ? 1n : 0n, ctx);
      }
      throw new EvalError('Argument to arithmetic operation not a number or boolean.');
    }
    if (this.isFloat(lt) || this.isFloat(rt)) {
      const a = this.isFloat(lt) ? l.float() : Number(this.integer(l));
      const b = this.isFloat(rt) ? r.float() : Number(this.integer(r));
      const type = stripTypedefs(lt).size === 8 || stripTypedefs(rt).size === 8 || !this.isFloat(lt) || !this.isFloat(rt)
        ? (this.isFloat(lt) && stripTypedefs(lt).size === 8 ? l.type : this.isFloat(rt) && stripTypedefs(rt).size === 8 ? r.type : this.isFloat(lt) ? l.type : r.type)
        : l.type;
      switch (op) {
        case '+': return this.fromFloat(a + b, type);
        case '-': return this.fromFloat(a - b, type);
        case '*': return this.fromFloat(a * b, type);
        case '/': return this.fromFloat(a / b, type);
        case '==': case '!=': case '<': case '>': case '<=': case '>=':
          return Value.fromBigInt(this.base('int'), compareNum(op, a, b) ? 1n : 0n, ctx);
        default: throw new EvalError('Integer only operation.');
      }
    }
    if (!this.isInteger(lt) || !this.isInteger(rt)) {
      throw new EvalError('Argument to arithmetic operation not a number or boolean.');
    }
    const shift = op === '<<' || op === '>>';
    const type = shift ? this.promote(l.type) : this.common(l.type, r.type);
    const bits = stripTypedefs(type).size * 8;
    const signed = isSignedType(type);
    const norm = (x: bigint): bigint => (signed ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x));
    const a = norm(this.integer(l));
    const b = shift ? this.integer(r) : norm(this.integer(r));
    let result: bigint;
    switch (op) {
      case '+': result = a + b; break;
      case '-': result = a - b; break;
      case '*': result = a * b; break;
      case '/': if (b === 0n) throw new EvalError('Division by zero'); result = a / b; break;
      case '%': if (b === 0n) throw new EvalError('Division by zero'); result = a % b; break;
      case '<<': result = a << b; break;
      case '>>': result = a >> b; break;
      case '&': result = a & b; break;
      case '|': result = a | b; break;
      case '^': result = a ^ b; break;
      default:
        return Value.fromBigInt(this.base('int'), compare(op, a, b) ? 1n : 0n, ctx);
    }
    return Value.fromBigInt(type, result, ctx);
  }

  private cast(v: Value, to: Type): Value {
    const ctx = this.ctx;
    const target = stripTypedefs(to);
    const d = this.decay(v);
    const from = stripTypedefs(d.type);
    if (target.kind === 'void') return new Value(to, { kind: 'bytes', bytes: new Uint8Array(0) }, ctx);
    if (target.kind === 'struct' || target.kind === 'union' || target.kind === 'array') {
      if (typeName(stripTypedefs(v.type)) === typeName(target)) return new Value(to, v.storage, ctx, v.bits);
      throw new EvalError('Invalid cast.');
    }
    if (target.kind === 'base' && target.encoding === DW_ATE_float) {
      return this.fromFloat(this.isFloat(from) ? d.float() : Number(d.scalar()), to);
    }
    if (from.kind === 'struct' || from.kind === 'union' || from.kind === 'void') throw new EvalError('Invalid cast.');
    const x = this.isFloat(from) ? BigInt(Math.trunc(d.float())) : d.scalar();
    if (target.kind === 'base' && target.encoding === DW_ATE_boolean) return Value.fromBigInt(to, x !== 0n ? 1n : 0n, ctx);
    return Value.fromBigInt(to, x, ctx);
  }
}

/**
 * gdb's types for RISC-V registers: the return address (and pc) are code pointers, the stack,
 * global, thread and frame pointers data pointers, the rest `long`.
 */
function registerType(regno: number, addressSize: number): Type {
  const fnType: Type = { kind: 'function', returns: { kind: 'void', size: 0 }, params: [], varargs: false, prototyped: false, size: 1 };
  if (regno === 1) return { kind: 'pointer', size: addressSize, target: fnType };
  if (regno === 2 || regno === 3 || regno === 4 || regno === 8) return { kind: 'pointer', size: addressSize, target: { kind: 'void', size: 0 } };
  return { kind: 'base', name: 'long', size: addressSize, encoding: DW_ATE_signed };
}

function compare(op: string, a: bigint, b: bigint): boolean {
  switch (op) {
    case '==': return a === b;
    case '!=': return a !== b;
    case '<': return a < b;
    case '>': return a > b;
    case '<=': return a <= b;
    default: return a >= b;
  }
}

function compareNum(op: string, a: number, b: number): boolean {
  return compare(op, BigInt(Math.sign(a - b)), 0n);
}

/** Spellings people type for base types, as the names the type model uses (gdb's). */
const DWARF_BASE_NAMES: Record<string, string> = {
  unsigned: 'unsigned int', bool: '_Bool', signed: 'int', 'long int': 'long', 'short int': 'short',
};

/** Size and DW_ATE_* of each base type on RV32 (ILP32), for the ones a program's DWARF lacks. */
const BASE_TYPES: Record<string, [number, number]> = {
  char: [1, DW_ATE_unsigned_char], 'signed char': [1, DW_ATE_signed_char], 'unsigned char': [1, DW_ATE_unsigned_char],
  short: [2, DW_ATE_signed], 'unsigned short': [2, DW_ATE_unsigned], int: [4, DW_ATE_signed],
  'unsigned int': [4, DW_ATE_unsigned], long: [4, DW_ATE_signed], 'unsigned long': [4, DW_ATE_unsigned],
  'long long': [8, DW_ATE_signed], 'unsigned long long': [8, DW_ATE_unsigned], _Bool: [1, DW_ATE_boolean],
  float: [4, DW_ATE_float], double: [8, DW_ATE_float], 'long double': [16, DW_ATE_float],
};

/** Word order and redundant `int` do not matter in C's base type names: a canonical key for each. */
function normaliseBase(words: string): string {
  const w = words.split(' ').filter((x) => x !== '');
  const count = (s: string): number => w.filter((x) => x === s).length;
  const unsigned = count('unsigned') > 0;
  const longs = count('long');
  if (count('char') > 0) return unsigned ? 'unsigned char' : count('signed') > 0 ? 'signed char' : 'char';
  if (count('short') > 0) return unsigned ? 'unsigned short' : 'short';
  if (longs === 2) return unsigned ? 'unsigned long long' : 'long long';
  if (longs === 1 && count('double') > 0) return 'long double';
  if (longs === 1) return unsigned ? 'unsigned long' : 'long';
  if (count('double') > 0) return 'double';
  if (count('float') > 0) return 'float';
  if (count('_Bool') > 0 || count('bool') > 0) return 'bool';
  if (count('void') > 0) return 'void';
  if (unsigned) return 'unsigned';
  if (count('int') > 0 || count('signed') > 0) return 'int';
  return words;
}

const CANONICAL: Record<string, string> = {
  char: 'char', 'signed char': 'signed char', 'unsigned char': 'unsigned char', short: 'short', 'unsigned short': 'unsigned short',
  int: 'int', unsigned: 'unsigned int', long: 'long', 'unsigned long': 'unsigned long', 'long long': 'long long',
  'unsigned long long': 'unsigned long long', float: 'float', double: 'double', 'long double': 'long double', bool: 'bool', void: 'void',
};
