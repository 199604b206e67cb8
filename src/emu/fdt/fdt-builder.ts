// A writer for flattened device trees (DTB format version 17, last compatible version 16, as in
// the Devicetree Specification v0.4 §5). Nodes are opened and closed in order, properties come
// before a node's children, property names are deduplicated in the strings block, and phandles
// are handed out by label so a reference can be written before the node it names.

const FDT_MAGIC = 0xd00dfeed;
const FDT_VERSION = 17;
const FDT_LAST_COMP_VERSION = 16;
const FDT_HEADER_SIZE = 40;
const FDT_BEGIN_NODE = 0x1;
const FDT_END_NODE = 0x2;
const FDT_PROP = 0x3;
const FDT_END = 0x9;
const FDT_RESERVE_ENTRY_SIZE = 16;

const TWO_32 = 2 ** 32;
const NODE_NAME = /^[0-9A-Za-z,._+-]+(@[0-9A-Za-z,._+-]+)?$/;
const PROPERTY_NAME = /^[0-9A-Za-z,._+?#-]+$/;

const utf8 = new TextEncoder();

interface OpenNode {
  name: string;
  hasChildren: boolean;
}

export class FdtBuilder {
  /** The structure block, as big-endian bytes appended in order. */
  private readonly struct: number[] = [];
  private readonly strings: number[] = [];
  private readonly stringOffsets = new Map<string, number>();
  private readonly reservations: Array<{ address: number; size: number }> = [];
  private readonly open: OpenNode[] = [];
  private rootClosed = false;
  private built = false;
  private readonly phandles = new Map<string, number>();
  private readonly definedPhandles = new Set<string>();
  private bootCpuId = 0;

  /** Adds a memory reservation block entry: [address, address + size) is not for the OS. */
  addReservation(address: number, size: number): this {
    this.reservations.push({ address, size });
    return this;
  }

  setBootCpuId(id: number): this {
    this.bootCpuId = id;
    return this;
  }

  /** Opens a node; the first node is the root and is named ''. */
  beginNode(name: string): this {
    if (this.rootClosed) throw new Error('fdt: a node after the root was closed');
    if (this.open.length === 0) {
      if (name !== '') throw new Error(`fdt: the root node must be named '', not '${name}'`);
    } else {
      if (!NODE_NAME.test(name)) throw new Error(`fdt: bad node name '${name}'`);
      this.open[this.open.length - 1].hasChildren = true;
    }
    this.open.push({ name, hasChildren: false });
    this.word(FDT_BEGIN_NODE);
    this.bytesPadded(utf8.encode(name), true);
    return this;
  }

  endNode(): this {
    if (this.open.pop() === undefined) throw new Error('fdt: endNode with no open node');
    this.word(FDT_END_NODE);
    if (this.open.length === 0) this.rootClosed = true;
    return this;
  }

  /** A property with no value (a flag such as `interrupt-controller`). */
  propEmpty(name: string): this {
    return this.prop(name, new Uint8Array(0));
  }

  /** A property of 32-bit cells. */
  propU32(name: string, ...cells: number[]): this {
    const b = new Uint8Array(4 * cells.length);
    const v = new DataView(b.buffer);
    cells.forEach((c, i) => v.setUint32(4 * i, checkU32(c, name)));
    return this.prop(name, b);
  }

  /** A property of 64-bit values, each as two cells (high, low). Exact up to 2^53. */
  propU64(name: string, ...values: number[]): this {
    const cells: number[] = [];
    for (const x of values) {
      if (!Number.isSafeInteger(x) || x < 0) throw new Error(`fdt: ${name}: ${x} is not a u64`);
      cells.push(Math.floor(x / TWO_32), x % TWO_32);
    }
    return this.propU32(name, ...cells);
  }

  propString(name: string, value: string): this {
    return this.propStrings(name, value);
  }

  /** A string list: each string NUL-terminated, back to back. */
  propStrings(name: string, ...values: string[]): this {
    const parts = values.map((s) => {
      if (s.includes('\0')) throw new Error(`fdt: ${name}: string contains NUL`);
      return utf8.encode(s);
    });
    const b = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
    let at = 0;
    for (const p of parts) {
      b.set(p, at);
      at += p.length + 1;
    }
    return this.prop(name, b);
  }

  propBytes(name: string, value: Uint8Array): this {
    return this.prop(name, value);
  }

  /** Gives the open node the phandle of `label` (its `phandle` property). */
  propPhandle(label: string): this {
    if (this.definedPhandles.has(label)) throw new Error(`fdt: phandle '${label}' defined twice`);
    this.definedPhandles.add(label);
    return this.propU32('phandle', this.phandle(label));
  }

  /** The phandle value for `label`, for use in cells; the labelled node may come later. */
  phandle(label: string): number {
    let p = this.phandles.get(label);
    if (p === undefined) {
      p = this.phandles.size + 1;
      this.phandles.set(label, p);
    }
    return p;
  }

  /** The finished blob. The builder should not be used afterwards. */
  build(): Uint8Array {
    if (!this.rootClosed) throw new Error('fdt: the root node is not closed');
    if (this.built) throw new Error('fdt: build() called twice');
    this.built = true;
    for (const label of this.phandles.keys()) {
      if (!this.definedPhandles.has(label)) throw new Error(`fdt: phandle '${label}' referenced but not defined`);
    }
    this.word(FDT_END);

    const rsvOffset = FDT_HEADER_SIZE; // 8-aligned as the format requires
    const rsvSize = FDT_RESERVE_ENTRY_SIZE * (this.reservations.length + 1);
    const structOffset = rsvOffset + rsvSize;
    const stringsOffset = structOffset + this.struct.length;
    const total = stringsOffset + this.strings.length;

    const out = new Uint8Array(total);
    const v = new DataView(out.buffer);
    v.setUint32(0, FDT_MAGIC);
    v.setUint32(4, total);
    v.setUint32(8, structOffset);
    v.setUint32(12, stringsOffset);
    v.setUint32(16, rsvOffset);
    v.setUint32(20, FDT_VERSION);
    v.setUint32(24, FDT_LAST_COMP_VERSION);
    v.setUint32(28, this.bootCpuId);
    v.setUint32(32, this.strings.length);
    v.setUint32(36, this.struct.length);
    this.reservations.forEach((r, i) => {
      const at = rsvOffset + FDT_RESERVE_ENTRY_SIZE * i;
      v.setUint32(at, Math.floor(r.address / TWO_32));
      v.setUint32(at + 4, r.address % TWO_32);
      v.setUint32(at + 8, Math.floor(r.size / TWO_32));
      v.setUint32(at + 12, r.size % TWO_32);
    }); // the terminating all-zero entry is already zero
    out.set(this.struct, structOffset);
    out.set(this.strings, stringsOffset);
    return out;
  }

  private prop(name: string, value: Uint8Array): this {
    const node = this.open[this.open.length - 1];
    if (node === undefined) throw new Error(`fdt: property '${name}' outside any node`);
    if (node.hasChildren) throw new Error(`fdt: property '${name}' after a child of '${node.name}'`);
    if (!PROPERTY_NAME.test(name)) throw new Error(`fdt: bad property name '${name}'`);
    this.word(FDT_PROP);
    this.word(value.length);
    this.word(this.stringOffset(name));
    this.bytesPadded(value, false);
    return this;
  }

  private stringOffset(name: string): number {
    let off = this.stringOffsets.get(name);
    if (off === undefined) {
      off = this.strings.length;
      this.stringOffsets.set(name, off);
      for (const b of utf8.encode(name)) this.strings.push(b);
      this.strings.push(0);
    }
    return off;
  }

  private word(w: number): void {
    this.struct.push((w >>> 24) & 0xff, (w >>> 16) & 0xff, (w >>> 8) & 0xff, w & 0xff);
  }

  /** Appends bytes (and a NUL when asked), then zero padding to the next 4-byte boundary. */
  private bytesPadded(b: Uint8Array, nulTerminate: boolean): void {
    for (const x of b) this.struct.push(x);
    if (nulTerminate) this.struct.push(0);
    while (this.struct.length % 4 !== 0) this.struct.push(0);
  }
}

function checkU32(c: number, name: string): number {
  if (!Number.isInteger(c) || c < 0 || c >= TWO_32) throw new Error(`fdt: ${name}: ${c} is not a u32 cell`);
  return c;
}
