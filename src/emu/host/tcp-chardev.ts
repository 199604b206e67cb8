// The TCP character backend (`--serial tcp:PORT`): a server on 127.0.0.1 that waits for one
// client before the guest starts (QEMU's `server=on,wait=on`); then the guest's output goes to
// the socket and what the client sends goes to the UART. The server stops listening once the
// client is in (one client per session, so nothing else can join a recording). When the client
// shuts down its side, input ends; when the connection is gone, output is discarded. Output-only
// (replay), what the client sends is read and dropped.

import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { InputQueue, OutputBuffer, type CharBackend, type CharUse } from './char-backend.js';

/** The only address served: the serial port is not for other machines to reach. */
export const TCP_SERIAL_HOST = '127.0.0.1';
/** How long close() lets a slow client take the last output before dropping the connection. */
const CLOSE_GRACE_MS = 2000;

export class TcpCharBackend implements CharBackend {
  private server: Server | undefined;
  private socket: Socket | undefined;
  private readonly out = new OutputBuffer((bytes) => {
    if (this.connected) this.socket!.write(bytes);
  });
  private readonly input = new InputQueue();
  readonly quitRequested = false;

  constructor(
    private readonly port: number,
    use: CharUse,
    /** Told the port once listening (the one the system picked when `port` is 0). */
    private readonly onListening: (port: number) => void,
  ) {
    if (use === 'output-only') this.input.end();
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      // allowHalfOpen: a client that has sent all it will send still gets the guest's replies.
      const server = createServer({ allowHalfOpen: true });
      this.server = server;
      server.on('error', (e: NodeJS.ErrnoException) => {
        server.close();
        reject(new Error(listenError(e, this.port)));
      });
      server.on('connection', (socket) => {
        if (this.socket !== undefined) {
          socket.destroy(); // a second client in the same instant as the first
          return;
        }
        server.close();
        this.attach(socket);
        resolve();
      });
      server.listen(this.port, TCP_SERIAL_HOST, () => this.onListening((server.address() as AddressInfo).port));
    });
  }

  close(): Promise<void> {
    this.flush();
    this.server?.close();
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const grace = setTimeout(() => socket.destroy(), CLOSE_GRACE_MS);
      socket.once('close', () => {
        clearTimeout(grace);
        resolve();
      });
      socket.end();
      socket.resume(); // read (and drop) until the client closes too, so its last bytes cannot reset the connection
    });
  }

  write(byte: number): void {
    if (this.connected) this.out.push(byte);
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

  private get connected(): boolean {
    return this.socket !== undefined && this.socket.writable;
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    socket.setNoDelay(true); // typed keys and their echo go out at once
    socket.on('data', (chunk: Buffer) => this.input.push(chunk)); // dropped once input has ended (or output-only)
    socket.on('end', () => this.input.end());
    socket.on('error', () => socket.destroy()); // a reset: 'close' follows
    socket.on('close', () => {
      this.input.end();
      this.out.discard();
    });
  }
}

function listenError(e: NodeJS.ErrnoException, port: number): string {
  const where = `${TCP_SERIAL_HOST}:${port}`;
  if (e.code === 'EADDRINUSE') return `cannot listen on ${where}: the port is in use`;
  if (e.code === 'EACCES') return `cannot listen on ${where}: permission denied`;
  return `cannot listen on ${where}: ${e.message}`;
}
