// Host input events for a virtio keyboard or mouse (`--keyboard SPEC`, `--mouse SPEC`): evdev
// events as text lines `TYPE CODE VALUE`, read from a file (all of it, queued at the start and
// taken as the guest posts buffers) or from a TCP client on 127.0.0.1 (as it types them; the
// extension will feed its own). TYPE is a number or EV_SYN, EV_KEY, EV_REL; CODE and VALUE are
// integers. Blank lines and lines starting with '#' are skipped; anything else is an error that
// names the line, since a silently dropped keystroke would make a recording that lies.

import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface InputEventLine {
  type: number;
  code: number;
  value: number;
}

const TYPE_NAMES: ReadonlyMap<string, number> = new Map([['EV_SYN', 0], ['EV_KEY', 1], ['EV_REL', 2], ['EV_ABS', 3], ['EV_MSC', 4]]);

/** Parses one line; undefined for a blank or comment line; throws an Error naming what is wrong. */
export function parseInputEventLine(line: string): InputEventLine | undefined {
  const text = line.trim();
  if (text === '' || text.startsWith('#')) return undefined;
  const parts = text.split(/\s+/);
  if (parts.length !== 3) throw new Error(`'${text}' is not an input event (TYPE CODE VALUE)`);
  const type = TYPE_NAMES.get(parts[0].toUpperCase()) ?? integer(parts[0], 0, 0xffff, 'TYPE');
  return { type, code: integer(parts[1], 0, 0xffff, 'CODE'), value: integer(parts[2], -(2 ** 31), 2 ** 32 - 1, 'VALUE') };
}

function integer(text: string, min: number, max: number, what: string): number {
  const n = /^-?(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new Error(`${what} '${text}' is not an integer from ${min} to ${max}`);
  return n;
}

/** A source of input events: events reach `onEvent` as they come; `open` says more may come. */
export interface InputEventSource {
  open(): Promise<void>;
  readonly inputOpen: boolean;
  close(): void;
}

/** Every event of a file, at the start. */
export class FileInputEventSource implements InputEventSource {
  inputOpen = true;

  constructor(
    private readonly path: string,
    private readonly onEvent: (e: InputEventLine) => void,
  ) {}

  open(): Promise<void> {
    const lines = readFileSync(this.path, 'utf8').split('\n');
    const events = lines.map((line, i) => {
      try {
        return parseInputEventLine(line);
      } catch (e) {
        throw new Error(`${this.path}:${i + 1}: ${(e as Error).message}`);
      }
    });
    for (const e of events) if (e !== undefined) this.onEvent(e);
    this.inputOpen = false;
    return Promise.resolve();
  }

  close(): void {}
}

/** Events typed by one TCP client on 127.0.0.1; open() resolves once the server listens. */
export class TcpInputEventSource implements InputEventSource {
  private server: Server | undefined;
  private socket: Socket | undefined;
  private ended = false;

  constructor(
    private readonly port: number,
    private readonly onEvent: (e: InputEventLine) => void,
    private readonly onListening: (port: number) => void,
    private readonly onError: (message: string) => void,
  ) {}

  get inputOpen(): boolean {
    return !this.ended;
  }

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer();
      this.server = server;
      server.once('error', (e: NodeJS.ErrnoException) => {
        reject(new Error(e.code === 'EADDRINUSE' ? `TCP port ${this.port} on 127.0.0.1 is in use` : `cannot listen on TCP port ${this.port}: ${e.message}`));
      });
      server.on('connection', (socket) => {
        if (this.socket !== undefined) {
          socket.destroy();
          return;
        }
        server.close();
        this.socket = socket;
        let pending = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => {
          pending += chunk;
          const lines = pending.split('\n');
          pending = lines.pop()!;
          for (const line of lines) this.take(line);
        });
        socket.on('close', () => {
          if (pending !== '') this.take(pending);
          this.ended = true;
        });
        socket.on('error', () => {});
      });
      server.listen(this.port, '127.0.0.1', () => {
        this.onListening((server.address() as AddressInfo).port);
        resolve();
      });
    });
  }

  private take(line: string): void {
    try {
      const e = parseInputEventLine(line);
      if (e !== undefined) this.onEvent(e);
    } catch (err) {
      this.onError((err as Error).message);
    }
  }

  close(): void {
    this.server?.close();
    this.socket?.destroy();
  }
}
