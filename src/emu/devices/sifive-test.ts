// The SiFive test finisher of QEMU's virt board: the guest ends the run (pass, fail with a code)
// or asks for a reset by writing one word. It holds no state; the machine decides what an event
// means (the CLI exits with the code, the debugger stops).
import type { AccessSize, MmioDevice } from '../bus.js';

const FINISHER_FAIL = 0x3333;
const FINISHER_PASS = 0x5555;
const FINISHER_RESET = 0x7777;

export type FinisherEvent = { kind: 'pass' } | { kind: 'fail'; code: number } | { kind: 'reset' };

export class SifiveTest implements MmioDevice {
  constructor(private readonly onFinish: (e: FinisherEvent) => void) {}

  read(_offset: number, _size: AccessSize): number {
    return 0;
  }

  write(offset: number, size: AccessSize, value: number): void {
    // QEMU takes 16- and 32-bit writes to the first register; a 16-bit write carries code 0.
    if (offset !== 0 || size === 1) return;
    switch (value & 0xffff) {
      case FINISHER_PASS:
        this.onFinish({ kind: 'pass' });
        return;
      case FINISHER_FAIL:
        this.onFinish({ kind: 'fail', code: (value >>> 16) & 0xffff });
        return;
      case FINISHER_RESET:
        this.onFinish({ kind: 'reset' });
        return;
    }
  }
}
