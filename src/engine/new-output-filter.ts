// The guest's output as a user should see it while moving around in time: each byte once, when
// execution first passes the instruction that wrote it. Replaying history again (a seek, a
// reverse step) writes the same bytes again; this filter drops those below the frontier, the
// furthest icount reached so far.

import type { CharSink } from '../emu/host/ports.js';

export class NewOutputFilter implements CharSink {
  /** The furthest position reached: output from instructions before it has been shown. */
  frontier = 0;
  /** Where the machine is: set once it is built (the machine needs this sink to be built). */
  icount: () => number = () => 0;

  constructor(private readonly out: CharSink) {}

  write(byte: number): void {
    if (this.icount() >= this.frontier) this.out.write(byte);
  }

  /** The machine reached `icount`. */
  reached(icount: number): void {
    if (icount > this.frontier) this.frontier = icount;
  }
}
