// The host side of the virtio I/O guests (test/guests/c/virtio-{blk,net,input}.c), usable against
// any emulator process: the pattern disk image, a UDP peer speaking QEMU's datagram framing (one
// raw Ethernet frame per datagram, no virtio-net header: `-netdev dgram` and `-netdev socket,udp=`),
// a QMP client to type keys into QEMU, and a process whose stdout a test can wait on.

import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';

export const SECTOR_SIZE = 512;

/** Byte `i` of sector `s` of the test disk: what virtio-blk.c checks every read against. */
export function diskPatternByte(s: number, i: number): number {
  return (s * 31 + i * 7 + (i >> 8)) & 0xff;
}

/** The bytes of `count` sectors of the test disk from sector `first`. */
export function diskPattern(first: number, count: number): Buffer {
  const b = Buffer.alloc(count * SECTOR_SIZE);
  for (let s = 0; s < count; s++) {
    for (let i = 0; i < SECTOR_SIZE; i++) b[s * SECTOR_SIZE + i] = diskPatternByte(first + s, i);
  }
  return b;
}

/** Writes the test disk (raw, `sectors` sectors of diskPatternByte) to `path`. */
export function makeDiskImage(path: string, sectors: number): void {
  writeFileSync(path, diskPattern(0, sectors));
}

/** FNV-1a over 32 bits: the checksum the guests print. */
export function fnv1a(data: Uint8Array): number {
  let h = 2166136261;
  for (const b of data) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

export function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** A UDP port free a moment ago on `host`, for an emulator's end of the link. */
export function freeUdpPort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createSocket('udp4');
    s.once('error', reject);
    s.bind(0, host, () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

export interface Datagram {
  frame: Buffer;
  /** The sender's UDP port. */
  from: number;
}

/**
 * The far end of an emulated NIC whose backend sends each Ethernet frame as one UDP datagram:
 * bound to an ephemeral port on 127.0.0.1, it sends frames to the emulator's port and queues the
 * ones the emulator sends.
 */
export class NetPeer {
  private readonly queue: Datagram[] = [];
  private waiter: (() => void) | null = null;

  private constructor(
    private readonly socket: UdpSocket,
    readonly host: string,
    readonly port: number,
  ) {
    socket.on('message', (msg, rinfo) => {
      this.queue.push({ frame: Buffer.from(msg), from: rinfo.port });
      this.waiter?.();
    });
  }

  static open(host = '127.0.0.1'): Promise<NetPeer> {
    return new Promise((resolve, reject) => {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, host, () => {
        s.off('error', reject);
        resolve(new NetPeer(s, host, s.address().port));
      });
    });
  }

  /** Sends one frame to the emulator's UDP port. */
  send(frame: Uint8Array, port: number): Promise<void> {
    return new Promise((resolve, reject) => this.socket.send(frame, port, this.host, (err) => (err ? reject(err) : resolve())));
  }

  /** The next frame the emulator sent (oldest first); rejects after `timeoutMs` without one. */
  async next(timeoutMs: number): Promise<Datagram> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame from the emulator within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = null;
    }
    return this.queue.shift() as Datagram;
  }

  /** Frames received and not yet taken by next(). */
  pending(): number {
    return this.queue.length;
  }

  close(): void {
    this.socket.close();
  }
}

export const ETH_HLEN = 14;

export function macText(mac: Uint8Array): string {
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

export function ethFrame(dst: Uint8Array, src: Uint8Array, ethertype: number, payload: Uint8Array): Buffer {
  const f = Buffer.alloc(ETH_HLEN + payload.length);
  f.set(dst, 0);
  f.set(src, 6);
  f.writeUInt16BE(ethertype, 12);
  f.set(payload, ETH_HLEN);
  return f;
}

/** One key of a QMP input-send-event batch: a QEMU qcode ("a", "shift", "1") and its direction. */
export interface KeyEvent {
  key: string;
  down: boolean;
}

/** How a QMP command fails when the connection closes (QEMU exited) before its reply. */
export class QmpClosedError extends Error {
  constructor() {
    super('QMP connection closed');
    this.name = 'QmpClosedError';
  }
}

/**
 * A QMP connection (QEMU started with `-qmp unix:PATH,server=on,wait=off`): it waits for the
 * socket, reads the greeting and leaves capabilities negotiation done. Asynchronous events are
 * skipped; replies arrive in command order.
 */
export class QmpClient {
  private buffered = '';
  private readonly replies: { resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private greeted: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private closed = false;

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => this.onData(chunk));
    // QEMU going away resets the connection: that fails the replies still owed, nothing else.
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      const closed = new QmpClosedError();
      this.greeted?.reject(closed);
      for (const r of this.replies.splice(0)) r.reject(closed);
    });
  }

  /** Connects to QMP at a unix socket path, retrying until it exists or `timeoutMs` passes. */
  static async connect(path: string, timeoutMs = 5000): Promise<QmpClient> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const socket = await new Promise<Socket>((resolve, reject) => {
          const s = connect(path, () => {
            s.off('error', reject);
            resolve(s);
          });
          s.once('error', reject);
        });
        const client = new QmpClient(socket);
        try {
          await client.greeting();
          await client.execute('qmp_capabilities');
        } catch (err) {
          client.close();
          throw err;
        }
        return client;
      } catch (err) {
        if (Date.now() > deadline) throw new Error(`cannot reach QMP at ${path}: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  }

  private greeting(): Promise<void> {
    return new Promise((resolve, reject) => (this.greeted = { resolve, reject }));
  }

  private onData(chunk: string): void {
    this.buffered += chunk;
    for (let nl = this.buffered.indexOf('\n'); nl >= 0; nl = this.buffered.indexOf('\n')) {
      const line = this.buffered.slice(0, nl).trim();
      this.buffered = this.buffered.slice(nl + 1);
      if (line === '') continue;
      const msg = JSON.parse(line) as { QMP?: unknown; event?: string; return?: unknown; error?: { class: string; desc: string } };
      if (msg.QMP !== undefined) {
        this.greeted?.resolve();
        this.greeted = null;
      } else if (msg.event === undefined) {
        const r = this.replies.shift();
        if (msg.error !== undefined) r?.reject(new Error(`QMP ${msg.error.class}: ${msg.error.desc}`));
        else r?.resolve(msg.return);
      }
    }
  }

  execute(command: string, args?: object): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.closed) {
        reject(new QmpClosedError());
        return;
      }
      this.replies.push({ resolve, reject });
      this.socket.write(JSON.stringify(args === undefined ? { execute: command } : { execute: command, arguments: args }) + '\n');
    });
  }

  /**
   * One input-send-event command: QEMU delivers the keys in order, then one EV_SYN. With
   * `endsGuest` (keys after which the guest exits), QEMU closing the connection instead of
   * replying also completes the command: QEMU 7.2's test finisher calls exit() straight from the
   * vCPU thread, which can run the guest to its end and exit before the main loop has written
   * the reply to this very command. Whether the keys arrived is then for the caller to check, by
   * the guest's output and exit status. A QMP error reply fails the command either way.
   */
  async sendKeys(events: readonly KeyEvent[], { endsGuest = false }: { endsGuest?: boolean } = {}): Promise<void> {
    try {
      await this.execute('input-send-event', {
        events: events.map((e) => ({ type: 'key', data: { down: e.down, key: { type: 'qcode', data: e.key } } })),
      });
    } catch (err) {
      if (endsGuest && err instanceof QmpClosedError) return;
      throw err;
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

export interface ProcessEnd {
  status: number | null;
  signal: NodeJS.Signals | null;
}

/** A running emulator whose stdout a test reads as it comes, to act when the guest says so. */
export class WatchedProcess {
  private out: Buffer[] = [];
  private err = '';
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();
  private ended: ProcessEnd | null = null;
  readonly exit: Promise<ProcessEnd>;

  constructor(command: string, args: readonly string[]) {
    this.child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (chunk: Buffer) => {
      this.out.push(chunk);
      for (const l of this.listeners) l();
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.err += chunk.toString()));
    this.exit = new Promise((resolve, reject) => {
      this.child.on('error', reject);
      this.child.on('close', (status, signal) => {
        this.ended = { status, signal };
        for (const l of this.listeners) l();
        resolve(this.ended);
      });
    });
    this.exit.catch(() => {}); // reported through waitFor/waitExit
  }

  /** Everything written to stdout so far, one char per byte. */
  get stdout(): string {
    return Buffer.concat(this.out).toString('latin1');
  }

  get stderr(): string {
    return this.err;
  }

  /** Resolves once `test(stdout)` holds; rejects if the process ends first or after `timeoutMs`. */
  waitFor(test: (stdout: string) => boolean, timeoutMs: number, what = 'the expected output'): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = (err?: Error): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = (): void => {
        if (test(this.stdout)) done();
        else if (this.ended !== null) done(new Error(`the process ended before ${what}: ${this.describe()}`));
      };
      const timer = setTimeout(() => done(new Error(`${what} did not come within ${timeoutMs} ms: ${this.describe()}`)), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Resolves with how the process ended; kills it and rejects after `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<ProcessEnd> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.kill();
        reject(new Error(`the process did not end within ${timeoutMs} ms: ${this.describe()}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exit, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** How far the process got, for failure messages. */
  describe(): string {
    const how = this.ended === null ? 'running' : this.ended.signal !== null ? `killed by ${this.ended.signal}` : `exit status ${this.ended.status}`;
    const err = this.err.trim();
    return `${how}${err === '' ? '' : `; stderr: ${err.slice(0, 2000)}`}\n--- stdout ---\n${this.stdout}`;
  }

  kill(): void {
    if (this.ended === null) this.child.kill('SIGKILL');
  }
}
