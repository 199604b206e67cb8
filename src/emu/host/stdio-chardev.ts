// The stdio character backend: guest output to stdout (buffered, flushed between execution
// slices), host input from stdin queued until the guest's UART has room. On a terminal, stdin is
// put in raw mode so keys reach the guest as typed; Ctrl-A x quits, Ctrl-A Ctrl-A sends Ctrl-A
// (QEMU's -nographic convention).

import type { CharSink } from './ports.js';

const CTRL_A = 0x01;

export class StdioCharBackend implements CharSink {
  private out: number[] = [];
  private readonly input: number[] = [];
  private inputEnded = false;
  private escape = false;
  private waiter: (() => void) | undefined;
  private rawMode = false;
  /** Set when the user asked to quit (Ctrl-A x). */
  quitRequested = false;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly stdout: NodeJS.WriteStream,
  ) {}

  /** Starts reading stdin. Without this, the guest gets no input (and input counts as ended). */
  open(): void {
    if (this.stdin.isTTY) {
      this.stdin.setRawMode(true);
      this.rawMode = true;
    }
    this.stdin.on('data', (chunk: Buffer) => this.onData(chunk));
    this.stdin.on('end', () => this.onEnd());
    this.stdin.on('error', () => this.onEnd());
    this.stdin.resume();
  }

  close(): void {
    this.flush();
    if (this.rawMode) this.stdin.setRawMode(false);
    this.stdin.pause();
    this.stdin.removeAllListeners('data');
    this.stdin.destroy();
  }

  write(byte: number): void {
    this.out.push(byte);
  }

  flush(): void {
    if (this.out.length === 0) return;
    this.stdout.write(Uint8Array.from(this.out));
    this.out = [];
  }

  /** True while more input may come. */
  get inputOpen(): boolean {
    return !this.inputEnded || this.input.length > 0;
  }

  /** Hands queued input bytes to `accept` until it refuses one. */
  deliver(accept: (byte: number) => boolean): void {
    let n = 0;
    while (n < this.input.length && accept(this.input[n])) n++;
    if (n > 0) this.input.splice(0, n);
  }

  /** Resolves when input arrives or ends, or the user quits. */
  waitForInput(): Promise<void> {
    if (this.input.length > 0 || this.inputEnded || this.quitRequested) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  private onData(chunk: Buffer): void {
    for (const b of chunk) {
      if (this.rawMode && this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */) this.quitRequested = true;
        else if (b === CTRL_A) this.input.push(b);
        continue;
      }
      if (this.rawMode && b === CTRL_A) this.escape = true;
      else this.input.push(b);
    }
    this.wake();
  }

  private onEnd(): void {
    this.inputEnded = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
