// ELF symbols for the debugger: an address as symbol+offset (disassembly, pointers to functions,
// frames without debug information) and a name as an address (function breakpoints).

import { STB_LOCAL, STT_FUNC, STT_OBJECT, type Elf, type ElfSymbol } from '../emu/elf.js';

export interface SymbolicAddress {
  readonly symbol: ElfSymbol;
  readonly name: string;
  /** address − symbol value. */
  readonly offset: number;
}

export class SymbolTable {
  constructor(private readonly elf: Elf) {}

  /** The function or object holding address, or the nearest label below it in its section. */
  lookup(address: number): SymbolicAddress | undefined {
    const symbol = this.elf.symbolAt(address);
    return symbol === undefined ? undefined : { symbol, name: displayName(symbol), offset: address - symbol.value };
  }

  /** "walk+20" (or "walk" at offset 0); undefined when no symbol covers the address. */
  describe(address: number): string | undefined {
    const s = this.lookup(address);
    return s === undefined ? undefined : s.offset === 0 ? s.name : `${s.name}+${s.offset}`;
  }

  /** The address of a defined symbol (globals preferred over locals of the same name). */
  addressOf(name: string): number | undefined {
    return this.elf.symbol(name)?.value;
  }

  /** Defined function symbols, by address. */
  functions(): ElfSymbol[] {
    return this.elf.symbols.filter((s) => s.type === STT_FUNC && s.shndx !== 0).sort((a, b) => a.value - b.value);
  }

  /** Defined data symbols, by address. */
  objects(): ElfSymbol[] {
    return this.elf.symbols.filter((s) => s.type === STT_OBJECT && s.shndx !== 0).sort((a, b) => a.value - b.value);
  }
}

/**
 * gcc numbers the names of local symbols it makes (`invocations.0` for a function's static,
 * `use_locals.constprop.0` for a clone); gdb shows them without the number, and so do we.
 */
function displayName(s: ElfSymbol): string {
  return s.binding === STB_LOCAL ? s.name.replace(/\.\d+$/, '') : s.name;
}
