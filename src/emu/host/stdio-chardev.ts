// The stdio character backend (`--serial stdio`, the default): guest output to stdout (buffered,
// flushed between execution slices), host input from stdin queued until the guest's UART has
// room. On a terminal, stdin is put in raw mode so keys reach the guest as typed; Ctrl-A x quits,
// Ctrl-A Ctrl-A sends Ctrl-A (QEMU's -nographic convention). Output-only (replay), stdin is left
// alone.

import { InputQueue, OutputBuffer, type CharBackend, type CharUse } from './char-backend.js';

const CTRL_A = 0x01;

export class StdioCharBackend implements CharBackend {
  private readonly out = new OutputBuffer((bytes) => this.stdout.write(bytes));
  private readonly input = new InputQueue();
  private escape = false;
  private rawMode = false;
  private reading = false;
  /** Set when the user asked to quit (Ctrl-A x). */
  quitRequested = false;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
    private readonly use: CharUse = 'input-output',
  ) {}

  /** Starts reading stdin. Without this, the guest gets no input (and input counts as ended). */
  open(): Promise<void> {
    if (this.use === 'output-only') return Promise.resolve();
    if (this.stdin.isTTY) {
      this.stdin.setRawMode(true);
      this.rawMode = true;
    }
    this.stdin.on('data', (chunk: Buffer) => this.onData(chunk));
    this.stdin.on('end', () => this.input.end());
    this.stdin.on('error', () => this.input.end());
    this.stdin.resume();
    this.reading = true;
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.flush();
    if (this.reading) {
      if (this.rawMode) this.stdin.setRawMode(false);
      this.stdin.pause();
      this.stdin.removeAllListeners('data');
      this.stdin.destroy();
      this.reading = false;
    }
    return Promise.resolve();
  }

  write(byte: number): void {
    this.out.push(byte);
  }

  flush(): void {
    this.out.flush();
  }

  get inputOpen(): boolean {
    return this.reading && this.input.open;
  }

  deliver(accept: (byte: number) => boolean): void {
    this.input.deliver(accept);
  }

  waitForInput(): Promise<void> {
    if (this.quitRequested || !this.reading) return Promise.resolve();
    return this.input.wait();
  }

  private onData(chunk: Buffer): void {
    const bytes: number[] = [];
    for (const b of chunk) {
      if (this.rawMode && this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */) this.quitRequested = true;
        else if (b === CTRL_A) bytes.push(b);
        continue;
      }
      if (this.rawMode && b === CTRL_A) this.escape = true;
      else bytes.push(b);
    }
    this.input.push(bytes);
    this.input.wake(); // a quit request alone must release the loop too
  }
}
