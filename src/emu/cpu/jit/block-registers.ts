// The guest registers compiled code keeps in JavaScript locals (`r5` for x5): V8 keeps locals in
// machine registers, where every access to the hart's register array is a load or a store to
// memory. A block records which registers it reads and writes; the function its blocks go into
// loads every register they use when it is called, and writes back the ones they write before a
// call that may trap (the interpreter goes on from the registers the hart holds) and when it
// returns.

export class BlockRegisters {
  /** Every register the block uses (x0 is the constant 0 and is never one). */
  readonly used = new Set<number>();
  readonly written = new Set<number>();

  /** The value of `n`. */
  read(n: number): string {
    if (n === 0) return '0';
    this.used.add(n);
    return `r${n}`;
  }

  /** Sets `n` to the int32 value of `expr` (a statement); nothing for x0. */
  write(n: number, expr: string): string {
    if (n === 0) return '';
    this.used.add(n);
    this.written.add(n);
    return `r${n} = (${expr}) | 0;`;
  }
}

/** The locals of a function whose blocks use `used`, loaded from the hart's registers (`x`). */
export function registerLocals(used: ReadonlySet<number>): string {
  if (used.size === 0) return '';
  return `let ${sorted(used).map((n) => `r${n} = x[${n}]`).join(', ')};`;
}

/** Writes the locals of `written` back to the hart's registers. */
export function storeRegisters(written: ReadonlySet<number>): string {
  return sorted(written).map((n) => `x[${n}] = r${n};`).join(' ');
}

function sorted(registers: ReadonlySet<number>): number[] {
  return [...registers].sort((a, b) => a - b);
}
