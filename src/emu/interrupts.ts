// Interrupt wiring. Devices drive numbered lines into an interrupt controller (the PLIC);
// controllers and the CLINT drive the hart's mip bits. Levels, not edges: a line stays raised
// until its device lowers it.

/** Something that takes numbered interrupt lines (the PLIC's sources). */
export interface IrqSink {
  setIrq(line: number, level: boolean): void;
}

/** One line into an IrqSink, handed to a device so it need not know its number. */
export class IrqLine {
  constructor(
    private readonly sink: IrqSink,
    readonly line: number,
  ) {}

  set(level: boolean): void {
    this.sink.setIrq(this.line, level);
  }
}

/** The hart side: controllers set or clear bits of mip (MIP_MEIP, MIP_MTIP, …). */
export interface HartInterruptInput {
  setPending(mipBit: number, level: boolean): void;
}
