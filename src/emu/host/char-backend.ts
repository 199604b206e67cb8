// The host side of a serial port (QEMU's "chardev"): what the live loop, `record` and `replay`
// see of a backend, whatever it is (stdio, a file, a TCP client, nothing). Output is buffered and
// written between execution slices; input waits in the backend until the UART has room, and is
// handed over only between slices, through deliver() (which the recorder wraps in `record`).
// Also here: the input queue the backends with input share, so "input ended" means the same
// thing for all of them.

import type { CharSink } from './ports.js';

export interface CharBackend extends CharSink {
  /**
   * Starts the host side: reads input, or (TCP) waits for the client to connect. The guest
   * starts only once this resolves. Rejects with a message fit for the user.
   */
  open(): Promise<void>;
  /** Writes what is buffered and releases the host side; resolves once output is on its way. */
  close(): Promise<void>;
  /** Writes the guest's buffered output to the host. */
  flush(): void;
  /** True while more input may come (queued bytes count). */
  readonly inputOpen: boolean;
  /** Hands queued input bytes to `accept` until it refuses one. */
  deliver(accept: (byte: number) => boolean): void;
  /** Resolves when input arrives or ends, or the user quits. */
  waitForInput(): Promise<void>;
  /** Set when the user asked to quit from the backend itself (Ctrl-A x on a terminal). */
  readonly quitRequested: boolean;
}

/** Guest output collected between slices and sent to the host in one piece. */
export class OutputBuffer {
  private bytes: number[] = [];

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  push(byte: number): void {
    this.bytes.push(byte);
  }

  /** Sends what is collected (nothing when empty). */
  flush(): void {
    if (this.bytes.length === 0) return;
    const chunk = Uint8Array.from(this.bytes);
    this.bytes = [];
    this.send(chunk);
  }

  /** Drops what is collected (the receiver is gone). */
  discard(): void {
    this.bytes = [];
  }
}

/** Whether a backend feeds the guest: `replay` takes its input from the log, never the host. */
export type CharUse = 'input-output' | 'output-only';

/** Host bytes waiting for the guest's UART, and whether more can come. */
export class InputQueue {
  private bytes: number[] = [];
  private ended = false;
  private waiter: (() => void) | undefined;

  get open(): boolean {
    return !this.ended || this.bytes.length > 0;
  }

  push(chunk: Uint8Array | readonly number[]): void {
    if (this.ended) return;
    for (const b of chunk) this.bytes.push(b);
    this.wake();
  }

  /** No more input will come; what is queued is still delivered. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  deliver(accept: (byte: number) => boolean): void {
    let n = 0;
    while (n < this.bytes.length && accept(this.bytes[n])) n++;
    if (n > 0) this.bytes.splice(0, n);
  }

  /** Resolves when bytes are queued, input ends, or wake() is called. */
  wait(): Promise<void> {
    if (this.bytes.length > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => (this.waiter = resolve));
  }

  /** Releases a pending wait() (a backend's quit request). */
  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
