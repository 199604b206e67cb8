// What the Variables view shows at a stop, and what hovers, watches and the debug console
// evaluate: a frame's Locals (parameters and locals), the program's Globals, the Registers (ABI
// names), the CSRs (decoded into their fields) and the Replay position, each value expandable into its members, elements or pointee.
// Handles (variablesReference) are valid while the program is stopped: reset() at every stop.

import type { DebugProtocol } from '@vscode/debugprotocol';
import type { DebugInfo } from '../debuginfo/debug-info.js';
import type { StackFrame } from '../debuginfo/stack.js';
import type { Value } from '../debuginfo/values.js';
import type { DebugEngine } from '../engine/debug-engine.js';
import { readCsrAsDebugger } from '../emu/cpu/csr-inspect.js';
import { csrFields, privilegeName, SHOWN_CSRS } from './csr-fields.js';

/** x0–x31 as the psABI names them. */
export const ABI_NAMES = [
  'zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6',
] as const;

type Handle =
  | { kind: 'locals'; frame: StackFrame }
  | { kind: 'csrs' }
  | { kind: 'csr'; csr: number; value: number }
  | { kind: 'globals' }
  | { kind: 'registers'; frame: StackFrame | undefined }
  | { kind: 'replay' }
  | { kind: 'value'; value: Value; evaluateName: string };

export class FrameScopes {
  private handles: Handle[] = [];

  constructor(
    private readonly info: DebugInfo | undefined,
    private readonly engine: DebugEngine,
  ) {}

  reset(): void {
    this.handles = [];
  }

  scopes(frame: StackFrame | undefined): DebugProtocol.Scope[] {
    const scopes: DebugProtocol.Scope[] = [];
    if (frame !== undefined && this.info !== undefined) {
      scopes.push({ name: 'Locals', presentationHint: 'locals', variablesReference: this.handle({ kind: 'locals', frame }), expensive: false });
    }
    if (this.info !== undefined) scopes.push({ name: 'Globals', variablesReference: this.handle({ kind: 'globals' }), expensive: true });
    scopes.push({ name: 'Registers', presentationHint: 'registers', variablesReference: this.handle({ kind: 'registers', frame }), expensive: false });
    scopes.push({ name: 'CSRs', variablesReference: this.handle({ kind: 'csrs' }), expensive: false });
    scopes.push({ name: 'Replay', variablesReference: this.handle({ kind: 'replay' }), expensive: false });
    return scopes;
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const h = this.handles[args.variablesReference - 1];
    if (h === undefined) return [];
    switch (h.kind) {
      case 'locals': {
        const vars = [...h.frame.parameters(), ...h.frame.locals()];
        return vars.map((v) => this.variable(v.name, h.frame.value(v), v.name));
      }
      case 'globals': {
        const memory = this.memory();
        return this.info!.globals().map((g) => this.variable(g.name, this.info!.staticValue(g, memory), g.name));
      }
      case 'registers':
        return ABI_NAMES.map((name, i): DebugProtocol.Variable => {
          const v = i === 0 ? 0n : h.frame === undefined ? BigInt(this.engine.machine.cpu.x[i] >>> 0) : h.frame.readRegister(i);
          return { name, value: v === undefined ? '<not saved>' : `0x${v.toString(16).padStart(8, '0')}`, evaluateName: `$${name}`, variablesReference: 0 };
        }).concat([{ name: 'pc', value: `0x${(h.frame?.pc ?? this.engine.machine.cpu.pc).toString(16).padStart(8, '0')}`, evaluateName: '$pc', variablesReference: 0 }]);
      case 'csrs': {
        const m = this.engine.machine;
        const rows: DebugProtocol.Variable[] = [{ name: 'priv', value: privilegeName(m.cpu.priv), evaluateName: '$priv', variablesReference: 0 }];
        for (const { name, csr } of SHOWN_CSRS) {
          const value = readCsrAsDebugger(m, csr);
          if (value === undefined) continue;
          const fields = csrFields(csr, value).length;
          rows.push({ name, value: `0x${value.toString(16).padStart(8, '0')}`, evaluateName: `$${name}`, variablesReference: fields > 0 ? this.handle({ kind: 'csr', csr, value }) : 0 });
        }
        return rows;
      }
      case 'csr':
        return csrFields(h.csr, h.value).map((f) => ({ name: f.name, value: f.value, variablesReference: 0 }));
      case 'replay': {
        const i = this.engine.info();
        const rows: [string, string][] = [
          ['mode', i.mode], ['icount', String(i.icount)], ['virtual time', `${i.virtualTimeNs} ns`],
          ['history', `${i.historyStart} to ${i.historyEnd}`], ['position', i.atLiveEdge ? 'the live edge' : 'in recorded history'],
          ['keyframes', `${i.keyframes.count} (${(i.keyframes.bytes / 2 ** 20).toFixed(1)} MiB)`],
        ];
        return rows.map(([name, value]) => ({ name, value, variablesReference: 0 }));
      }
      case 'value': {
        const children = h.value.children(args.start ?? 0, args.count ?? Infinity);
        return children.map((c) => this.variable(c.name, c.value, childExpression(h.evaluateName, c.name)));
      }
    }
  }

  /**
   * Sets a variable (or register) of a listed container to a C expression's value, through the
   * engine (which refuses inside recorded history, saying why); returns the value read back.
   */
  setVariable(args: DebugProtocol.SetVariableArguments, frame: StackFrame | undefined): { value: string; variablesReference: number } {
    const h = this.handles[args.variablesReference - 1];
    if (h === undefined) throw new Error('the variable is no longer shown: the program has moved');
    if (h.kind === 'registers') {
      const n = (ABI_NAMES as readonly string[]).indexOf(args.name);
      const value = this.number(args.value, frame);
      this.engine.writeRegister(args.name === 'pc' ? 32 : n, Number(BigInt.asIntN(32, value)));
      return { value: `0x${BigInt.asUintN(32, value).toString(16).padStart(8, '0')}`, variablesReference: 0 };
    }
    const target = this.valueOf(h, args.name);
    if (target === undefined) throw new Error(`${args.name} cannot be set here`);
    const size = target.bytes().length;
    const bytes = new Uint8Array(size);
    let v = BigInt.asUintN(size * 8, this.number(args.value, h.kind === 'locals' ? h.frame : frame));
    for (let i = 0; i < size; i++, v >>= 8n) bytes[i] = Number(v & 0xffn);
    const storage = target.storage;
    if (target.address !== undefined) this.engine.writeMemory(target.address, bytes);
    else if (storage.kind === 'bytes' && storage.register !== undefined && size <= 4) {
      this.engine.writeRegister(storage.register, new DataView(new Uint8Array([...bytes, 0, 0, 0, 0]).buffer).getInt32(0, true));
    } else throw new Error(`${args.name} is neither in memory nor in a register: it cannot be set`);
    const again = this.valueOf(h, args.name);
    return { value: again?.format() ?? '?', variablesReference: 0 };
  }

  private valueOf(h: Handle, name: string): Value | undefined {
    switch (h.kind) {
      case 'locals': {
        const v = [...h.frame.parameters(), ...h.frame.locals()].find((x) => x.name === name);
        return v === undefined ? undefined : h.frame.value(v);
      }
      case 'globals': {
        const g = this.info?.globals().find((x) => x.name === name);
        return g === undefined ? undefined : this.info!.staticValue(g, this.memory());
      }
      case 'value':
        return h.value.children().find((c) => c.name === name)?.value;
      default:
        return undefined;
    }
  }

  /** A C expression's value as a number (a new value typed into the Variables view). */
  private number(text: string, frame: StackFrame | undefined): bigint {
    if (/^\s*-?(0x[0-9a-f]+|\d+)\s*$/i.test(text)) return BigInt(text.trim());
    if (this.info === undefined) throw new Error(`'${text}' is not a number`);
    return this.info.evaluate(text, this.memory(), frame).scalar();
  }

  /** For hovers, watches and the debug console: a C expression in the frame, or `$reg`. */
  evaluate(expression: string, frame: StackFrame | undefined): { result: string; variablesReference: number; memoryReference?: string } {
    const reg = /^\$(\w+)$/.exec(expression.trim());
    if (reg !== null) {
      const value = this.register(reg[1], frame);
      if (value !== undefined) return { result: `0x${value.toString(16).padStart(8, '0')}`, variablesReference: 0 };
    }
    if (this.info === undefined) throw new Error('the program has no debug information to evaluate expressions with');
    const value = this.info.evaluate(expression, this.memory(), frame);
    const v = this.variable(expression, value, expression);
    return { result: v.value, variablesReference: v.variablesReference, memoryReference: v.memoryReference };
  }

  private register(name: string, frame: StackFrame | undefined): bigint | undefined {
    const cpu = this.engine.machine.cpu;
    if (name === 'pc') return BigInt(frame?.pc ?? cpu.pc);
    if (name === 'priv') return BigInt(cpu.priv);
    const csr = SHOWN_CSRS.find((c) => c.name === name);
    if (csr !== undefined) {
      const value = readCsrAsDebugger(this.engine.machine, csr.csr);
      return value === undefined ? undefined : BigInt(value);
    }
    const i = (ABI_NAMES as readonly string[]).indexOf(name === 'fp' ? 's0' : name);
    const n = i >= 0 ? i : /^x(\d+)$/.test(name) ? Number(name.slice(1)) : -1;
    if (n < 0 || n > 31) return undefined;
    if (n === 0) return 0n;
    return frame === undefined ? BigInt(cpu.x[n] >>> 0) : frame.readRegister(n);
  }

  private variable(name: string, value: Value, evaluateName: string): DebugProtocol.Variable {
    const count = value.childCount();
    const v: DebugProtocol.Variable = {
      name,
      value: count > 0 ? value.summary() : value.format(),
      evaluateName,
      variablesReference: count > 0 ? this.handle({ kind: 'value', value, evaluateName }) : 0,
    };
    if (count > 100) v.indexedVariables = count;
    if (value.address !== undefined) v.memoryReference = `0x${value.address.toString(16)}`;
    return v;
  }

  private handle(h: Handle): number {
    this.handles.push(h);
    return this.handles.length;
  }

  private memory(): { readMemory(a: number, n: number): Uint8Array | undefined } {
    return {
      readMemory: (a, n) => {
        const bytes = this.engine.readMemory(a, n);
        return bytes.length === n ? bytes : undefined;
      },
    };
  }
}

/** The C expression of a child: `s.member`, `a[3]`, `*p`. */
function childExpression(parent: string, child: string): string {
  if (child === '*') return `*(${parent})`;
  if (child.startsWith('[')) return `(${parent})${child}`;
  return `(${parent}).${child}`;
}
