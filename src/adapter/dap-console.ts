// The guest's serial console in a debug session: its output goes to VS Code as output events,
// collected and sent between motions (and whenever a few KiB have gathered); its input comes from
// the user (the rvreplay/serialInput request, from the console terminal) while recording, and
// waits in a queue until a checkpoint at the live edge hands it to the UART. A replay takes none:
// its input is in the log. Every byte shown is also kept with the icount it was written at, for
// the timeline's console pane.

import type { CharBackend } from '../emu/host/char-backend.js';
import { RecordedSerialOutput } from '../replay/timeline/serial-output.js';

export class DapConsole implements CharBackend {
  readonly quitRequested = false;
  private bytes: number[] = [];
  private readonly decoder = new TextDecoder();
  private readonly input: number[] = [];
  private wake: (() => void) | undefined;
  /** The output shown so far, each byte with its icount (a new log after going live starts it again). */
  shown = new RecordedSerialOutput();
  /** Where the machine is: set once it is built (the machine needs this console to be built). */
  icount: () => number = () => 0;

  constructor(
    private readonly send: (text: string) => void,
    /** True while recording: input may come, so a guest waiting for it waits. */
    readonly inputOpen: boolean,
  ) {}

  /** Bytes the user typed, for the guest. */
  type(bytes: Uint8Array): void {
    this.input.push(...bytes);
    this.wake?.();
    this.wake = undefined;
  }

  open(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.flush();
  }

  write(byte: number): void {
    this.shown.write(byte, this.icount());
    this.bytes.push(byte);
    if (this.bytes.length >= 4096) this.flush();
  }

  flush(): void {
    if (this.bytes.length === 0) return;
    // Streamed: a UTF-8 sequence split between two flushes is joined.
    const text = this.decoder.decode(Uint8Array.from(this.bytes), { stream: true });
    this.bytes = [];
    if (text !== '') this.send(text);
  }

  deliver(accept: (byte: number) => boolean): void {
    while (this.input.length > 0 && accept(this.input[0])) this.input.shift();
  }

  waitForInput(): Promise<void> {
    if (this.input.length > 0) return Promise.resolve();
    return new Promise((resolve) => (this.wake = resolve));
  }
}
