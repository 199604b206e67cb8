// Test helper: a raw GDB remote protocol client over TCP, for driving the stub packet by packet
// as gdb would (and as gdb would not: bad checksums, garbage, oversize packets). Every wait is
// bounded: a stub that does not answer fails the test with a message instead of hanging it.

import { connect, type Socket } from 'node:net';
import { RspParser, framePacket, latin1Text, unescapeBinary, type RspEvent } from '../../src/gdbstub/rsp-packet.js';
import { fromHex } from '../../src/gdbstub/rsp-hex.js';

/** How long any single wait may take before the test fails. */
export const WAIT_BOUND_MS = 20_000;

export interface RspAnswer {
  /** The reply packet (unescaped, as text). */
  reply: string;
  /** What came in `O` packets before it, decoded. */
  console: string;
}

export class RspClient {
  /** Acknowledge replies and expect acknowledgements (off after QStartNoAckMode). */
  acking = true;
  private readonly parser = new RspParser(1 << 20);
  private readonly events: RspEvent[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  readonly closed: Promise<void>;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.events.push(...this.parser.feed(chunk));
      this.waiter?.();
    });
    this.closed = new Promise((resolve) => socket.on('close', () => {
      this.ended = true;
      this.waiter?.();
      resolve();
    }));
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<RspClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RspClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends bytes exactly as given. */
  sendRaw(bytes: Uint8Array | string): void {
    this.socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  }

  /** Sends one framed packet; in ack mode, waits for the stub's `+`. */
  async send(payload: string | Uint8Array): Promise<void> {
    this.sendRaw(framePacket(payload));
    if (this.acking) {
      const e = await this.next();
      if (e.kind !== 'ack') throw new Error(`expected + after sending ${describe(payload)}, got ${JSON.stringify(e)}`);
    }
  }

  /** Sends a packet and returns the reply, with any console output that came before it. */
  async request(payload: string | Uint8Array): Promise<RspAnswer> {
    await this.send(payload);
    return this.answer();
  }

  /** Reads packets up to the next one that is not console output. */
  async answer(): Promise<RspAnswer> {
    let console = '';
    for (;;) {
      const reply = await this.packet();
      if (reply.startsWith('O') && reply !== 'OK' && /^O([0-9a-f]{2})+$/.test(reply)) {
        console += Buffer.from(fromHex(reply.slice(1))!).toString('utf8');
        continue;
      }
      return { reply, console };
    }
  }

  /** The next packet from the stub (acknowledged in ack mode), unescaped, as text. */
  async packet(): Promise<string> {
    const e = await this.next();
    if (e.kind !== 'packet') throw new Error(`expected a packet, got ${JSON.stringify(e)}`);
    if (this.acking) this.sendRaw('+');
    return latin1Text(unescapeBinary(e.payload)!);
  }

  /** The next thing the stub sent: a packet, an ack or a nack. */
  async next(): Promise<RspEvent> {
    const deadline = Date.now() + WAIT_BOUND_MS;
    while (this.events.length === 0) {
      if (this.ended) throw new Error('the stub closed the connection');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the stub sent nothing within ${WAIT_BOUND_MS} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.events.shift()!;
  }

  /** Resolves when the stub has closed the connection (bounded). */
  async waitClosed(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.closed,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the stub did not close the connection within ${WAIT_BOUND_MS} ms`)), WAIT_BOUND_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  /** Anything received and not yet read. */
  get pending(): readonly RspEvent[] {
    return this.events;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Bounds a promise: a test waiting on the stub fails with `what` instead of hanging. */
export async function within<T>(promise: Promise<T>, what: string, ms = WAIT_BOUND_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function describe(payload: string | Uint8Array): string {
  const text = typeof payload === 'string' ? payload : latin1Text(payload);
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
}
