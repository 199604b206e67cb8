// NS16550A UART as QEMU's `serial` device presents it on the virt board (reg-shift 0, 8 registers).
// Transmission is instantaneous: a THR write reaches the CharSink at once and THRE/TEMT are set
// again before the write returns. Reception comes from the host only through receive(), between
// execution slices. The receiver FIFO and every register live in the state arena; the character
// timeout is a VirtualTimer whose deadline is also kept there so a restore can re-arm it.
import type { AccessSize, MmioDevice } from '../bus.js';
import type { CharSink } from '../host/ports.js';
import type { IrqLine } from '../interrupts.js';
import type { StateArena } from '../state.js';
import type { TimerQueue, VirtualClock, VirtualTimer } from '../timers.js';

/** Bytes the guest can address; QEMU's region is this size, the DT's `reg` is larger. */
export const UART16550_REGION_SIZE = 8;

// Register offsets (DLAB selects DLL/DLM at 0/1).
const UART_RBR = 0; // read; THR on write; DLL when DLAB
const UART_IER = 1; // DLM when DLAB
const UART_IIR = 2; // read; FCR on write
const UART_LCR = 3;
const UART_MCR = 4;
const UART_LSR = 5;
const UART_MSR = 6;
const UART_SCR = 7;

const IER_ERBFI = 0x01; // received data available
const IER_ETBEI = 0x02; // transmitter holding register empty
const IER_ELSI = 0x04; // receiver line status
const IER_EDSSI = 0x08; // modem status

const IIR_NO_INT = 0x01;
const IIR_ID_MASK = 0x06;
const IIR_MSI = 0x00;
const IIR_THRI = 0x02;
const IIR_RDI = 0x04;
const IIR_RLSI = 0x06;
const IIR_CTI = 0x0c;
const IIR_FIFO_ENABLED = 0xc0;

const FCR_FIFO_ENABLE = 0x01;
const FCR_RCVR_RESET = 0x02;
const FCR_XMIT_RESET = 0x04;
/** The FCR bits that stick (trigger level, DMA mode, enable); the resets self-clear. */
const FCR_STICKY = 0xc9;

const LCR_DLAB = 0x80;

const MCR_LOOP = 0x10;
const MCR_MASK = 0x1f;
const MCR_OUT2 = 0x08;

const LSR_DR = 0x01;
const LSR_OE = 0x02;
const LSR_BI = 0x10;
const LSR_THRE = 0x20;
const LSR_TEMT = 0x40;
/** The LSR bits that raise the receiver line status interrupt (OE, PE, FE, BI). */
const LSR_INT_ANY = 0x1e;

const MSR_CTS = 0x10;
const MSR_DSR = 0x20;
const MSR_DCD = 0x80;
const MSR_ANY_DELTA = 0x0f;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];
/** Reference clock divided as QEMU's virt board divides it (hw/riscv/virt.c: 399193). */
const BAUDBASE = 399193;
const NANOSECONDS_PER_SECOND = 1_000_000_000;
/** Before the guest programs the line: 9600 baud, 10-bit frames, as QEMU resets it. */
const RESET_CHAR_NS = Math.floor(NANOSECONDS_PER_SECOND / 9600) * 10;
/** Idle character times before the character-timeout interrupt, as QEMU counts them. */
const TIMEOUT_CHARS = 4;

// Indices into the register region.
const R_RBR = 0; // holding register when FIFOs are off
const R_IER = 1;
const R_IIR = 2;
const R_FCR = 3;
const R_LCR = 4;
const R_MCR = 5;
const R_LSR = 6;
const R_MSR = 7;
const R_SCR = 8;
const R_DIVISOR = 9;
const R_THR_IPENDING = 10; // THRE interrupt latched until IIR read / THR write
const R_TIMEOUT_IPENDING = 11;
const R_FIFO_HEAD = 12;
const R_FIFO_COUNT = 13;
const R_FIFO_TRIGGER = 14;
const R_CHAR_NS = 15; // one character time at the programmed line settings
const R_COUNT = 16;

export class Uart16550 implements MmioDevice {
  private readonly r: Uint32Array;
  private readonly fifo: Uint8Array;
  /** Virtual-time deadline of the character timeout, Infinity when idle. */
  private readonly timeoutAt: Float64Array;
  private readonly timeoutTimer: VirtualTimer;

  constructor(
    arena: StateArena,
    name: string,
    private readonly irq: IrqLine,
    private readonly out: CharSink,
    private readonly clock: VirtualClock,
    timers: TimerQueue,
  ) {
    this.r = arena.u32(`${name}.regs`, R_COUNT);
    this.fifo = arena.u8(`${name}.rxfifo`, FIFO_SIZE);
    this.timeoutAt = arena.f64(`${name}.timeout`, 1);
    this.timeoutTimer = timers.create(`${name}.rx-timeout`, () => this.onTimeout());
    this.reset();
  }

  /** The power-on state, as QEMU's serial_reset leaves it. */
  reset(): void {
    this.r.fill(0);
    this.fifo.fill(0);
    this.r[R_IIR] = IIR_NO_INT;
    this.r[R_LSR] = LSR_TEMT | LSR_THRE;
    this.r[R_MSR] = MSR_DCD | MSR_DSR | MSR_CTS;
    this.r[R_DIVISOR] = 0x0c;
    this.r[R_MCR] = MCR_OUT2;
    this.r[R_FIFO_TRIGGER] = 1;
    this.r[R_CHAR_NS] = RESET_CHAR_NS;
    this.armCharTimeout(Infinity);
    this.irq.set(false);
  }

  /** Re-arms the character timeout and re-drives the interrupt line from the registers. */
  afterRestore(): void {
    this.timeoutTimer.deadlineNs = this.timeoutAt[0];
    this.update();
  }

  /** Host side: how many bytes receive() would take now. Loopback disconnects the line. */
  rxSpace(): number {
    if (this.r[R_MCR] & MCR_LOOP) return 0;
    if (this.r[R_FCR] & FCR_FIFO_ENABLE) return FIFO_SIZE - this.r[R_FIFO_COUNT];
    return this.r[R_LSR] & LSR_DR ? 0 : 1;
  }

  /** Host side: one byte arriving on the line. False (byte not taken) when there is no room. */
  receive(byte: number): boolean {
    if (this.rxSpace() === 0) return false;
    this.receiveByte(byte & 0xff);
    return true;
  }

  read(offset: number, _size: AccessSize): number {
    // QEMU's serial_mm handles a wider access as one access to the register at its offset.
    if (offset >= UART16550_REGION_SIZE) return 0;
    const r = this.r;
    switch (offset) {
      case UART_RBR:
        if (r[R_LCR] & LCR_DLAB) return r[R_DIVISOR] & 0xff;
        return this.readRbr();
      case UART_IER:
        if (r[R_LCR] & LCR_DLAB) return (r[R_DIVISOR] >>> 8) & 0xff;
        return r[R_IER];
      case UART_IIR: {
        const iir = r[R_IIR];
        if ((iir & IIR_ID_MASK) === IIR_THRI) {
          r[R_THR_IPENDING] = 0;
          this.update();
        }
        return iir;
      }
      case UART_LCR:
        return r[R_LCR];
      case UART_MCR:
        return r[R_MCR];
      case UART_LSR: {
        const lsr = r[R_LSR];
        if (lsr & (LSR_BI | LSR_OE)) {
          r[R_LSR] = lsr & ~(LSR_BI | LSR_OE);
          this.update();
        }
        return lsr;
      }
      case UART_MSR:
        return this.readMsr();
      case UART_SCR:
        return r[R_SCR];
    }
    return 0;
  }

  write(offset: number, _size: AccessSize, value: number): void {
    if (offset >= UART16550_REGION_SIZE) return;
    const r = this.r;
    const v = value & 0xff;
    switch (offset) {
      case UART_RBR:
        if (r[R_LCR] & LCR_DLAB) {
          r[R_DIVISOR] = (r[R_DIVISOR] & 0xff00) | v;
          this.updateParameters();
        } else {
          this.transmit(v);
        }
        return;
      case UART_IER:
        if (r[R_LCR] & LCR_DLAB) {
          r[R_DIVISOR] = (r[R_DIVISOR] & 0x00ff) | (v << 8);
          this.updateParameters();
        } else {
          this.writeIer(v);
        }
        return;
      case UART_IIR:
        this.writeFcr(v);
        return;
      case UART_LCR:
        r[R_LCR] = v;
        this.updateParameters();
        return;
      case UART_MCR:
        r[R_MCR] = v & MCR_MASK;
        return;
      case UART_SCR:
        r[R_SCR] = v;
        return;
    }
    // LSR and MSR are read-only.
  }

  private readRbr(): number {
    const r = this.r;
    let byte: number;
    if (r[R_FCR] & FCR_FIFO_ENABLE) {
      byte = 0;
      if (r[R_FIFO_COUNT] > 0) {
        byte = this.fifo[r[R_FIFO_HEAD]];
        r[R_FIFO_HEAD] = (r[R_FIFO_HEAD] + 1) % FIFO_SIZE;
        r[R_FIFO_COUNT]--;
      }
      // Reading restarts the idle count: the timeout measures time since the last FIFO activity.
      if (r[R_FIFO_COUNT] === 0) r[R_LSR] &= ~(LSR_DR | LSR_BI);
      else this.armCharTimeout(this.clock.nowNs() + TIMEOUT_CHARS * r[R_CHAR_NS]);
      r[R_TIMEOUT_IPENDING] = 0;
    } else {
      byte = r[R_RBR];
      r[R_LSR] &= ~(LSR_DR | LSR_BI);
    }
    this.update();
    return byte;
  }

  private readMsr(): number {
    const r = this.r;
    const mcr = r[R_MCR];
    if (mcr & MCR_LOOP) {
      // Loopback wires the modem outputs to the inputs: OUT2→DCD, OUT1→RI, RTS→CTS, DTR→DSR.
      return ((mcr & 0x0c) << 4) | ((mcr & 0x02) << 3) | ((mcr & 0x01) << 5);
    }
    const msr = r[R_MSR];
    if (msr & MSR_ANY_DELTA) {
      r[R_MSR] = msr & 0xf0;
      this.update();
    }
    return msr;
  }

  private transmit(byte: number): void {
    const r = this.r;
    if (r[R_MCR] & MCR_LOOP) this.receiveByte(byte);
    else this.out.write(byte);
    // The byte left at once, so the holding register is empty again and THRE re-latches:
    // a driver with ETBEI set sees the next "transmitter empty" immediately.
    r[R_LSR] |= LSR_THRE | LSR_TEMT;
    r[R_THR_IPENDING] = 1;
    this.update();
  }

  private writeIer(v: number): void {
    const r = this.r;
    const changed = (r[R_IER] ^ v) & 0x0f;
    r[R_IER] = v & 0x0f;
    // Turning ETBEI on while THR is empty raises THRE even if an IIR read had cleared it
    // (not in the datasheet, but drivers rely on it and QEMU does it).
    if (changed & IER_ETBEI) {
      r[R_THR_IPENDING] = r[R_IER] & IER_ETBEI && r[R_LSR] & LSR_THRE ? 1 : 0;
    }
    if (changed) this.update();
  }

  private writeFcr(v: number): void {
    const r = this.r;
    // Switching the FIFOs on or off flushes both.
    if ((v ^ r[R_FCR]) & FCR_FIFO_ENABLE) v |= FCR_XMIT_RESET | FCR_RCVR_RESET;
    if (v & FCR_RCVR_RESET) {
      r[R_LSR] &= ~(LSR_DR | LSR_BI);
      this.armCharTimeout(Infinity);
      r[R_TIMEOUT_IPENDING] = 0;
      r[R_FIFO_HEAD] = 0;
      r[R_FIFO_COUNT] = 0;
    }
    if (v & FCR_XMIT_RESET) {
      r[R_LSR] |= LSR_THRE;
      r[R_THR_IPENDING] = 1;
    }
    r[R_FCR] = v & FCR_STICKY;
    if (v & FCR_FIFO_ENABLE) {
      r[R_IIR] |= IIR_FIFO_ENABLED;
      r[R_FIFO_TRIGGER] = TRIGGER_LEVELS[(v >>> 6) & 3];
    } else {
      r[R_IIR] &= ~IIR_FIFO_ENABLED;
    }
    this.update();
  }

  private receiveByte(byte: number): void {
    const r = this.r;
    if (r[R_FCR] & FCR_FIFO_ENABLE) {
      // An overrun keeps what the FIFO holds and drops the new byte.
      if (r[R_FIFO_COUNT] < FIFO_SIZE) {
        this.fifo[(r[R_FIFO_HEAD] + r[R_FIFO_COUNT]) % FIFO_SIZE] = byte;
        r[R_FIFO_COUNT]++;
      } else {
        r[R_LSR] |= LSR_OE;
      }
      r[R_LSR] |= LSR_DR;
      this.armCharTimeout(this.clock.nowNs() + TIMEOUT_CHARS * r[R_CHAR_NS]);
    } else {
      if (r[R_LSR] & LSR_DR) r[R_LSR] |= LSR_OE;
      r[R_RBR] = byte;
      r[R_LSR] |= LSR_DR;
    }
    this.update();
  }

  private onTimeout(): void {
    this.timeoutAt[0] = Infinity;
    if (this.r[R_FIFO_COUNT] > 0) {
      this.r[R_TIMEOUT_IPENDING] = 1;
      this.update();
    }
  }

  private armCharTimeout(deadlineNs: number): void {
    this.timeoutAt[0] = deadlineNs;
    this.timeoutTimer.deadlineNs = deadlineNs;
  }

  /** Recomputes the character time from the divisor and frame format, as QEMU does. */
  private updateParameters(): void {
    const r = this.r;
    const divisor = r[R_DIVISOR];
    if (divisor === 0 || divisor > BAUDBASE) return;
    const lcr = r[R_LCR];
    const dataBits = (lcr & 0x03) + 5;
    const parityBits = lcr & 0x08 ? 1 : 0;
    const stopBits = lcr & 0x04 ? 2 : 1;
    const speed = Math.floor(BAUDBASE / divisor);
    r[R_CHAR_NS] = Math.floor(NANOSECONDS_PER_SECOND / speed) * (1 + dataBits + parityBits + stopBits);
  }

  /** Picks the highest-priority pending interrupt into IIR and drives the line. */
  private update(): void {
    const r = this.r;
    const ier = r[R_IER];
    const lsr = r[R_LSR];
    let id = IIR_NO_INT;
    if (ier & IER_ELSI && lsr & LSR_INT_ANY) {
      id = IIR_RLSI;
    } else if (ier & IER_ERBFI && r[R_TIMEOUT_IPENDING]) {
      id = IIR_CTI;
    } else if (
      ier & IER_ERBFI &&
      lsr & LSR_DR &&
      (!(r[R_FCR] & FCR_FIFO_ENABLE) || r[R_FIFO_COUNT] >= r[R_FIFO_TRIGGER])
    ) {
      id = IIR_RDI;
    } else if (ier & IER_ETBEI && r[R_THR_IPENDING]) {
      id = IIR_THRI;
    } else if (ier & IER_EDSSI && r[R_MSR] & MSR_ANY_DELTA) {
      id = IIR_MSI;
    }
    r[R_IIR] = id | (r[R_IIR] & 0xf0);
    this.irq.set(id !== IIR_NO_INT);
  }
}
