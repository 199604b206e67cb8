// A debugger's write to the machine (memory or a register) as an input of the recording: applied
// the same way when it is made at the live edge and when replay reaches its event, so the replay
// follows. Memory is addressed physically (the translation was the debugger's, at write time).

import type { VirtMachine } from '../emu/machine.js';
import { PAGE_SIZE } from '../emu/memory/ram.js';
import { DEBUG_WRITE_PC, DebugWriteTarget, EventKind, type LogEvent } from '../shared/log-events.js';

export type DebugWriteEvent = Extract<LogEvent, { kind: typeof EventKind.DebugWrite }>;

/** Applies the write to the machine; returns why it cannot be, or undefined when done. */
export function applyDebugWrite(m: VirtMachine, e: DebugWriteEvent): string | undefined {
  if (e.target === DebugWriteTarget.Memory) {
    if (!m.ram.contains(e.address, e.bytes.length)) return `0x${e.address.toString(16)} (${e.bytes.length} bytes) is not in RAM`;
    m.ram.write(e.address, e.bytes);
    // Dirty tracking sees it as it sees a device's DMA.
    for (let page = e.address - (e.address % PAGE_SIZE); page < e.address + e.bytes.length; page += PAGE_SIZE) m.ram.noteWrite(page);
    return undefined;
  }
  if (e.target !== DebugWriteTarget.Register || e.bytes.length !== 4 || e.address < 1 || e.address > DEBUG_WRITE_PC) {
    return `a register write must name x1–x31 or the pc (32) with 4 bytes`;
  }
  const value = new DataView(e.bytes.buffer, e.bytes.byteOffset, 4).getInt32(0, true);
  if (e.address === DEBUG_WRITE_PC) m.cpu.pc = value;
  else m.cpu.x[e.address] = value;
  return undefined;
}
