// The gdb stub's TCP server: listens on 127.0.0.1:PORT (port 0 picks a free one; `port` says
// which), serves one gdb session over the engine, and refuses any other connection while it
// does (the socket is closed at once). A server serves a single session: when it ends (gdb
// detached, killed, or went away) the server stops listening and `closed` says how; to take
// another client, start another server.
//
//   const server = await startGdbServer(engine, { port: 1234, log: (l) => console.error(l) });
//   await server.waitForClient();
//   const { how } = await server.closed;

import { createServer, type Server, type Socket } from 'node:net';
import { GdbSession, type SessionEnd } from './gdb-session.js';
import type { DebugEngine } from '../engine/debug-engine.js';

export interface GdbServerOptions {
  port: number;
  /** The address to listen on; 127.0.0.1 unless given. */
  host?: string;
  /** Connection events, protocol trouble and internal errors, one line each. */
  log?: (line: string) => void;
  /** The PacketSize announced to gdb (16 KiB unless given). */
  packetSize?: number;
}

export async function startGdbServer(engine: DebugEngine, options: GdbServerOptions): Promise<GdbServer> {
  const host = options.host ?? '127.0.0.1';
  const tcp = createServer();
  await new Promise<void>((resolve, reject) => {
    tcp.once('error', reject);
    tcp.listen(options.port, host, () => {
      tcp.off('error', reject);
      resolve();
    });
  });
  return new GdbServer(engine, tcp, host, options);
}

export class GdbServer {
  /** The port listened on (the one the system chose when 0 was asked for). */
  readonly port: number;
  /** Resolves when the session ends, or when the server closes before any client came. */
  readonly closed: Promise<{ how: SessionEnd }>;
  private resolveClosed!: (end: { how: SessionEnd }) => void;
  private readonly client: Promise<void>;
  private resolveClient!: () => void;
  private rejectClient!: (e: Error) => void;
  private session: GdbSession | undefined;
  private socket: Socket | undefined;
  private listening = true;
  private stopped: Promise<void> | undefined;
  private readonly log: (line: string) => void;

  constructor(
    private readonly engine: DebugEngine,
    private readonly tcp: Server,
    readonly host: string,
    private readonly options: GdbServerOptions,
  ) {
    const address = tcp.address();
    this.port = typeof address === 'object' && address !== null ? address.port : options.port;
    this.log = options.log ?? (() => {});
    this.closed = new Promise((resolve) => (this.resolveClosed = resolve));
    this.client = new Promise<void>((resolve, reject) => {
      this.resolveClient = resolve;
      this.rejectClient = reject;
    });
    this.client.catch(() => {}); // a server closed before anyone connected is not an error by itself
    tcp.on('connection', (socket) => this.accept(socket));
    tcp.on('error', (e) => this.log(`gdb server: ${e.message}`));
  }

  /** Resolves when gdb connects; rejects if the server closes first. */
  waitForClient(): Promise<void> {
    return this.client;
  }

  /** Ends the session if there is one (its motion is cancelled) and stops listening. */
  async close(): Promise<void> {
    this.session?.close();
    this.socket?.destroy();
    await this.stopListening();
    const how = this.session === undefined ? 'disconnect' : await this.session.ended;
    this.rejectClient(new Error('the gdb server closed before a client connected'));
    this.resolveClosed({ how });
  }

  private accept(socket: Socket): void {
    const peer = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.on('error', (e) => this.log(`gdb connection ${peer}: ${e.message}`));
    if (this.session !== undefined || !this.listening) {
      this.log(`gdb server: refused ${peer}: one gdb at a time`);
      socket.destroy();
      return;
    }
    this.log(`gdb server: ${peer} connected`);
    socket.setNoDelay(true);
    this.socket = socket;
    const session = new GdbSession(this.engine, {
      write: (bytes) => {
        if (!socket.destroyed) socket.write(bytes);
      },
      // Everything written so far goes out first; then the connection is gone for good.
      close: () => socket.end(() => socket.destroy()),
    }, { log: this.log, packetSize: this.options.packetSize });
    this.session = session;
    socket.on('data', (chunk: Buffer) => session.receive(chunk));
    socket.on('close', () => session.connectionClosed());
    void session.ended.then(async (how) => {
      this.log(`gdb server: session ended (${how})`);
      await this.stopListening();
      this.resolveClosed({ how });
    });
    this.resolveClient();
  }

  /** Resolves once the listener is closed and its connection gone. */
  private stopListening(): Promise<void> {
    this.listening = false;
    this.stopped ??= new Promise((resolve) => this.tcp.close(() => resolve()));
    return this.stopped;
  }
}
