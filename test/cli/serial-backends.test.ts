// `--serial` through the built CLI: the guest's UART on a TCP client (typed with pauses, echoed
// back, recorded and replayed to stdout with no client at all), on the contents of a file, on
// nothing; a client that hangs up; and every bad spec refused in one line before the guest starts.
// Every wait on a socket or a child is bounded, so a failure cannot hang the run.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { EventKind } from '../../src/shared/log-events.js';
import { CLI, buildAsmGuest, runCli, type CliResult } from '../support/cli.js';
import { ECHO_IRQ, FINISHER, UART } from '../support/guests.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('serial');
after(() => tmp.cleanup());

/** A bound on every wait: reaching it fails the test instead of hanging it. */
const BOUND_MS = 20_000;
const WAITING = /^rvreplay: serial on tcp 127\.0\.0\.1:(\d+), waiting for a connection$/m;

/** Prints "hi" and passes without reading anything. */
const HELLO = `
  .globl _start
_start:
  li t0, ${UART}
  li t1, 'h'
  sb t1, 0(t0)
  li t1, 'i'
  sb t1, 0(t0)
  li t0, ${FINISHER}
  li t1, 0x5555
  sw t1, 0(t0)
  j .
`;

const echoElf = buildAsmGuest(tmp.dir, 'echo', ECHO_IRQ);

interface Session {
  /** The port rvreplay announced on stderr. */
  port: Promise<number>;
  done: Promise<CliResult>;
  signal(name: NodeJS.Signals): void;
}

/** Starts the CLI with no stdin; `port` resolves when it says it waits for a TCP client. */
function startCli(args: string[]): Session {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let announced: (port: number) => void = () => {};
  let notAnnounced: (e: Error) => void = () => {};
  const port = new Promise<number>((resolve, reject) => {
    announced = resolve;
    notAnnounced = reject;
  });
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('latin1')));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    const m = WAITING.exec(stderr);
    if (m !== null) announced(Number(m[1]));
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS);
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      notAnnounced(new Error(`rvreplay ended (status ${status}) without waiting for a client: ${stderr}`));
      resolve({ status, stdout, stderr });
    });
  });
  return { port, done, signal: (name) => child.kill(name) };
}

/** A TCP client of rvreplay's serial port, collecting what the guest sends. */
class Client {
  received = '';
  private readonly closing: Promise<void>;
  private readonly socket: Socket;
  private watchers: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d: Buffer) => {
      this.received += d.toString('latin1');
      this.watchers.forEach((w) => w());
    });
    this.closing = new Promise((resolve) => socket.on('close', () => resolve()));
    socket.on('close', () => this.watchers.forEach((w) => w()));
    socket.on('error', () => {});
  }

  static connect(port: number): Promise<Client> {
    return bounded(new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new Client(socket)));
      socket.once('error', reject);
    }), `a connection to port ${port}`);
  }

  /** Resolves when rvreplay has closed the connection. */
  closed(): Promise<void> {
    return bounded(this.closing, 'the connection to close');
  }

  send(text: string): void {
    this.socket.write(text);
  }

  /** Shuts down the client's sending side (the guest's input ends). */
  end(): void {
    this.socket.end();
  }

  /** Resolves once everything received so far is `text`; fails if the connection closes first. */
  until(text: string): Promise<void> {
    return bounded(new Promise((resolve, reject) => {
      const check = (): void => {
        if (this.received === text) resolve();
        else if (!text.startsWith(this.received) || this.socket.destroyed) reject(new Error(`received '${this.received}', expected '${text}'`));
      };
      this.watchers.push(check);
      check();
    }), `'${text}' from the guest`);
  }
}

function bounded<T>(p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up waiting for ${what}`)), BOUND_MS);
  });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Types "he", "llo" and "q" with pauses, each part after the echo of the one before. */
async function typeHello(client: Client): Promise<void> {
  client.send('he');
  await client.until('he');
  await pause(200);
  client.send('llo');
  await client.until('hello');
  await pause(200);
  client.send('q');
}

test('run --serial tcp:0: waits for a client, echoes what it types to it, exits on q', async () => {
  const s = startCli(['run', echoElf, '--serial', 'tcp:0']);
  const client = await Client.connect(await s.port);
  await typeHello(client);
  await client.closed();
  const r = await s.done;
  assert.equal(r.status, 0, r.stderr);
  assert.equal(client.received, 'hello');
  assert.equal(r.stdout, '', 'the output went to the client, not stdout');
  assert.match(r.stderr, WAITING);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
});

test('record --serial tcp:0, then replay to stdout with no client and no input', async () => {
  const log = join(tmp.dir, 'tcp.rr');
  const s = startCli(['record', echoElf, '--rrfile', log, '--serial', 'tcp:localhost:0']);
  const client = await Client.connect(await s.port);
  await typeHello(client);
  await client.closed();
  const rec = await s.done;
  assert.equal(rec.status, 0, rec.stderr);
  assert.equal(client.received, 'hello');
  assert.equal(rec.stdout, '');
  const inputs = [...LogReader.open(readFileSync(log)).events()].filter((e) => e.kind === EventKind.SerialInput);
  assert.ok(inputs.length >= 3, 'the typed bytes are in the log');

  const rep = await runCli(['replay', echoElf, '--rrfile', log], { timeoutMs: BOUND_MS });
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, 'hello');
  assert.equal(rep.stderr, '');

  // The replayed output can go to a client too, or nowhere.
  const toTcp = startCli(['replay', echoElf, '--rrfile', log, '--serial', 'tcp:0']);
  const watcher = await Client.connect(await toTcp.port);
  watcher.send('ignored: replay reads no input');
  await watcher.closed();
  const repTcp = await toTcp.done;
  assert.equal(repTcp.status, 0, repTcp.stderr);
  assert.equal(watcher.received, 'hello');
  assert.equal(repTcp.stdout, '');
  const repNone = await runCli(['replay', echoElf, '--rrfile', log, '--serial', 'none'], { timeoutMs: BOUND_MS });
  assert.equal(repNone.status, 0, repNone.stderr);
  assert.equal(repNone.stdout, '');
});

test('a client that hangs up ends the input: a guest waiting for more stops with 125', async () => {
  const s = startCli(['run', echoElf, '--serial', 'tcp:0']);
  const client = await Client.connect(await s.port);
  client.send('ab');
  await client.until('ab');
  client.end();
  await client.closed();
  const r = await s.done;
  assert.equal(r.status, 125, r.stderr);
  assert.match(r.stderr, /waits for an interrupt that can never come.*no more input/);
});

test('SIGINT ends a recording whose guest waits for a silent client; the replay ends there too', async () => {
  const log = join(tmp.dir, 'sigint.rr');
  const s = startCli(['record', echoElf, '--rrfile', log, '--serial', 'tcp:0']);
  const client = await Client.connect(await s.port);
  client.send('a');
  await client.until('a');
  s.signal('SIGINT');
  const rec = await s.done;
  assert.equal(rec.status, 130, rec.stderr);
  assert.match(rec.stderr, /stopped by a signal/);
  await client.closed();
  const rep = await runCli(['replay', echoElf, '--rrfile', log], { timeoutMs: BOUND_MS });
  assert.equal(rep.status, 130, rep.stderr);
  assert.equal(rep.stdout, 'a');
});

test('--serial file:PATH: the file is the input, the output goes to stdout', async () => {
  const input = join(tmp.dir, 'input.txt');
  writeFileSync(input, 'helloq');
  const r = await runCli(['run', echoElf, '--serial', `file:${input}`], { timeoutMs: BOUND_MS });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, 'hello');

  // Without the q, every byte is still echoed (the last one too) before input counts as ended.
  const noQuit = join(tmp.dir, 'no-quit.txt');
  writeFileSync(noQuit, 'hello');
  const r2 = await runCli(['run', echoElf, '--serial', `file:${noQuit}`], { timeoutMs: BOUND_MS });
  assert.equal(r2.status, 125, r2.stderr);
  assert.equal(r2.stdout, 'hello');
  assert.match(r2.stderr, /no more input/);

  // Recorded from a file, replayed from the log alone.
  const log = join(tmp.dir, 'file.rr');
  const rec = await runCli(['record', echoElf, '--rrfile', log, '--serial', `file:${input}`], { timeoutMs: BOUND_MS });
  assert.equal(rec.status, 0, rec.stderr);
  const rep = await runCli(['replay', echoElf, '--rrfile', log], { timeoutMs: BOUND_MS });
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, 'hello');
});

test('--serial none: output is discarded and there is no input', async () => {
  const hello = buildAsmGuest(tmp.dir, 'hello', HELLO);
  const plain = await runCli(['run', hello], { timeoutMs: BOUND_MS });
  assert.equal(plain.stdout, 'hi', 'the guest does print');
  const r = await runCli(['run', hello, '--serial', 'none'], { timeoutMs: BOUND_MS });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '');
  const waiting = await runCli(['run', echoElf, '--serial', 'none'], { chunks: [{ delayMs: 0, text: 'stdin is not read' }], timeoutMs: BOUND_MS });
  assert.equal(waiting.status, 125, waiting.stderr);
  assert.equal(waiting.stdout, '');
  assert.match(waiting.stderr, /waits for an interrupt that can never come.*no more input/);
});

test('bad specs are refused in one line with status 2, before the guest starts', async () => {
  const busy = createServer();
  await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
  const busyPort = (busy.address() as AddressInfo).port;
  try {
    const cases: [string[], RegExp][] = [
      [['run', echoElf, '--serial', 'bogus'], /--serial 'bogus': unknown serial backend; use stdio, none, file:PATH or tcp:PORT$/],
      [['run', echoElf, '--serial', 'pty'], /does not have QEMU's 'pty' serial backend/],
      [['run', echoElf, '--serial', 'tcp:99999'], /--serial tcp:99999: the port must be a number from 0 to 65535/],
      [['run', echoElf, '--serial', 'tcp:port'], /the port must be a number/],
      [['run', echoElf, '--serial', 'tcp:10.0.0.1:1234'], /--serial tcp:10\.0\.0\.1:1234: the serial port is served on 127\.0\.0\.1 only, not on '10\.0\.0\.1'/],
      [['run', echoElf, '--serial', 'tcp:0,server=off'], /does not connect to one/],
      [['run', echoElf, '--serial', 'tcp:0,wait=off'], /wait=off is not supported/],
      [['run', echoElf, '--serial', 'file:/nonexistent'], /--serial file:\/nonexistent: cannot read \/nonexistent: no such file/],
      [['run', echoElf, '--serial', 'file:'], /file: needs a path/],
      [['run', echoElf, '--serial', `tcp:${busyPort}`], new RegExp(`cannot listen on 127\\.0\\.0\\.1:${busyPort}: the port is in use`)],
      [['record', echoElf, '--rrfile', join(tmp.dir, 'bad.rr'), '--serial', 'tcp:1.2.3.4:5'], /served on 127\.0\.0\.1 only/],
      [['replay', echoElf, '--rrfile', join(tmp.dir, 'bad.rr'), '--serial', `file:${echoElf}`], /replay reads no input/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { timeoutMs: BOUND_MS });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr.trim(), message);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  } finally {
    busy.close();
  }
});

test('--help of run, record and replay documents --serial', async () => {
  for (const command of ['run', 'record', 'replay']) {
    const r = await runCli([command, '--help']);
    assert.equal(r.status, 0);
    assert.ok(r.stdout.includes('--serial SPEC'), `${command} --help mentions --serial`);
    assert.match(r.stdout, /tcp:PORT/);
  }
  const run = await runCli(['run', '--help']);
  assert.match(run.stdout, /file:PATH \(the file's bytes are\s+the input/);
  assert.match(run.stdout, /unlike QEMU's\s+file:/);
});
