// The file character backend (`--serial file:PATH`): the guest's input is the file's contents,
// handed to the UART as fast as it takes them, after which input ends; its output goes to stdout.
// This is the input side, where QEMU's `file:` is output only (it writes the guest's output to the
// file): a scripted session to record and replay. The CLI reads the file before the guest starts,
// so a missing file is refused up front.

import { InputQueue, OutputBuffer, type CharBackend } from './char-backend.js';

export class FileCharBackend implements CharBackend {
  private readonly out = new OutputBuffer((bytes) => this.stdout.write(bytes));
  private readonly input = new InputQueue();
  readonly quitRequested = false;

  constructor(
    private readonly contents: Uint8Array,
    private readonly stdout: NodeJS.WritableStream,
  ) {}

  open(): Promise<void> {
    this.input.push(this.contents);
    this.input.end();
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.flush();
    return Promise.resolve();
  }

  write(byte: number): void {
    this.out.push(byte);
  }

  flush(): void {
    this.out.flush();
  }

  get inputOpen(): boolean {
    return this.input.open;
  }

  deliver(accept: (byte: number) => boolean): void {
    this.input.deliver(accept);
  }

  waitForInput(): Promise<void> {
    return this.input.wait();
  }
}
