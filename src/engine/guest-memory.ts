// Guest memory as a debugger reads it: virtual addresses translated as the hart would translate
// a load now, without side effects (no A/D bits, no TLB fill, no trap), and only RAM: device
// registers are not read, since reading one can change the device. Writes are to RAM alone too,
// translated the same way, a page at a time.

import type { VirtMachine } from '../emu/machine.js';
import { EngineError } from './debug-engine.js';

/** Up to `length` bytes from `address`; shorter when a byte cannot be read (empty if the first cannot). */
export function readGuestMemory(m: VirtMachine, address: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const va = (address + done) >>> 0;
    const pa = m.cpu.inspectTranslation(va);
    const n = Math.min(length - done, 0x1000 - (va & 0xfff));
    if (pa === undefined || !m.ram.contains(pa, n)) break;
    out.set(m.ram.u8.subarray(pa - m.ram.base, pa - m.ram.base + n), done);
    done += n;
  }
  return out.subarray(0, done);
}

/** `bytes` for `address` on, as physical RAM pieces (one per page); EngineError when a byte is not in RAM. */
export function physicalPieces(m: VirtMachine, address: number, bytes: Uint8Array): [number, Uint8Array][] {
  const pieces: [number, Uint8Array][] = [];
  for (let done = 0; done < bytes.length;) {
    const va = (address + done) >>> 0;
    const n = Math.min(bytes.length - done, 0x1000 - (va & 0xfff));
    const pa = m.cpu.inspectTranslation(va);
    if (pa === undefined || !m.ram.contains(pa, n)) throw new EngineError(`0x${va.toString(16)} cannot be written: it is not mapped to RAM`);
    pieces.push([pa, bytes.subarray(done, done + n)]);
    done += n;
  }
  return pieces;
}
