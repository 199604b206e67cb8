// The target's registers and memory as gdb's packets ask for them: g/G (x0–x31 and pc), p/P (one
// register by its remote number, CSRs and the privilege level read-only), m (partial reads
// answered with what could be read, nothing readable an error), M and X (hex and escaped binary
// writes). Writes go through the engine, which refuses them inside recorded history; the last
// refusal is kept so `monitor info replay` can say why a write failed.

import { EngineError, type DebugEngine } from '../engine/debug-engine.js';
import { G_REGISTER_COUNT, REG_PC, isCsrRegnum, readGdbRegister } from './gdb-registers.js';
import { E_BAD_PACKET, E_MEMORY, E_REFUSED, PacketError } from './packet-error.js';
import { fromHex, le32Hex, parseHex32, parseLe32Hex } from './rsp-hex.js';
import { latin1Text, unescapeBinary } from './rsp-packet.js';

export class GdbTargetAccess {
  /** Why the last register or memory write was refused, if one was. */
  lastRefusal: string | undefined;

  constructor(
    private readonly engine: DebugEngine,
    private readonly packetSize: number,
  ) {}

  readRegisters(): string {
    let out = '';
    for (let i = 0; i < G_REGISTER_COUNT; i++) out += le32Hex(this.value(i));
    return out;
  }

  private value(regnum: number): number {
    const r = readGdbRegister(this.engine.machine, regnum);
    if (!('value' in r)) throw new Error(`register ${regnum} has no value`);
    return r.value;
  }

  writeRegisters(hex: string): string {
    if (hex.length !== G_REGISTER_COUNT * 8) {
      throw new PacketError(E_BAD_PACKET, `G needs ${G_REGISTER_COUNT} registers of 8 hex digits`);
    }
    const values: number[] = [];
    for (let i = 0; i < G_REGISTER_COUNT; i++) {
      const v = parseLe32Hex(hex.slice(8 * i, 8 * i + 8));
      if (v === undefined) throw new PacketError(E_BAD_PACKET, 'G holds a register that is not hex');
      values.push(v);
    }
    // Only what changes is written, so a G that repeats the registers succeeds inside history.
    for (let i = 1; i < G_REGISTER_COUNT; i++) {
      if (values[i] !== this.value(i)) this.guardedWrite(() => this.engine.writeRegister(i, values[i]));
    }
    return 'OK';
  }

  readRegister(args: string): string {
    const regnum = parseHex32(args);
    if (regnum === undefined) throw new PacketError(E_BAD_PACKET, 'p needs a register number in hex');
    const r = readGdbRegister(this.engine.machine, regnum);
    if ('value' in r) return le32Hex(r.value);
    if ('unavailable' in r) return 'xxxxxxxx';
    throw new PacketError(E_BAD_PACKET, `there is no register ${regnum}`);
  }

  writeRegister(args: string): string {
    const m = /^([0-9a-fA-F]+)=([0-9a-fA-F]*)$/.exec(args);
    const regnum = m === null ? undefined : parseHex32(m[1]);
    const value = m === null ? undefined : parseLe32Hex(m[2]);
    if (regnum === undefined || value === undefined) throw new PacketError(E_BAD_PACKET, 'P needs N=VALUE in hex');
    if (regnum === 0) return 'OK'; // x0 ignores writes
    if (regnum <= REG_PC) {
      this.writeRegisterNumber(regnum, value);
      return 'OK';
    }
    if (isCsrRegnum(regnum)) throw new PacketError(E_REFUSED, 'CSRs and the privilege level cannot be written from gdb');
    throw new PacketError(E_BAD_PACKET, `there is no register ${regnum}`);
  }

  /** x1–x31 or the pc (32), through the engine, which may refuse. */
  writeRegisterNumber(regnum: number, value: number): void {
    this.guardedWrite(() => this.engine.writeRegister(regnum, value));
  }

  /** A write the engine may refuse; the refusal is kept for `monitor info replay`. */
  private guardedWrite(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (e instanceof EngineError) this.lastRefusal = e.message;
      throw e;
    }
  }

  readMemory(args: string): string {
    const m = /^([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    const address = m === null ? undefined : parseHex32(m[1]);
    const requested = m === null ? undefined : parseHex32(m[2]);
    if (address === undefined || requested === undefined) throw new PacketError(E_BAD_PACKET, 'm needs ADDR,LENGTH in hex');
    // A reply may be shorter than asked: keep it inside the packet size, and below 2^32.
    const length = Math.min(requested, this.packetSize >>> 1, 0x1_0000_0000 - address);
    if (length === 0) return '';
    const bytes = this.engine.readMemory(address, length);
    if (bytes.length === 0) throw new PacketError(E_MEMORY, `cannot read memory at 0x${address.toString(16)}`);
    let out = '';
    for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
    return out;
  }

  writeMemoryHex(args: string): string {
    const m = /^([0-9a-fA-F]+),([0-9a-fA-F]+):([0-9a-fA-F]*)$/.exec(args);
    const address = m === null ? undefined : parseHex32(m[1]);
    const length = m === null ? undefined : parseHex32(m[2]);
    const data = m === null ? undefined : fromHex(m[3]);
    if (address === undefined || length === undefined || data === undefined || data.length !== length) {
      throw new PacketError(E_BAD_PACKET, 'M needs ADDR,LENGTH:DATA with LENGTH bytes of hex data');
    }
    return this.writeMemory(address, data);
  }

  writeMemoryBinary(raw: Uint8Array): string {
    const colon = raw.indexOf(0x3a);
    const m = colon < 0 ? null : /^X([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(latin1Text(raw.subarray(0, colon)));
    const address = m === null ? undefined : parseHex32(m[1]);
    const length = m === null ? undefined : parseHex32(m[2]);
    const data = colon < 0 ? undefined : unescapeBinary(raw.subarray(colon + 1));
    if (address === undefined || length === undefined || data === undefined || data.length !== length) {
      throw new PacketError(E_BAD_PACKET, 'X needs ADDR,LENGTH:DATA with LENGTH bytes of escaped data');
    }
    return this.writeMemory(address, data);
  }

  private writeMemory(address: number, data: Uint8Array): string {
    // A zero-length write is how gdb asks whether X works at all: it writes nothing.
    if (data.length === 0) return 'OK';
    if (address + data.length > 0x1_0000_0000) throw new PacketError(E_BAD_PACKET, 'the write runs past the end of the address space');
    this.guardedWrite(() => this.engine.writeMemory(address, data));
    return 'OK';
  }
}
