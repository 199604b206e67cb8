// `--serial SPEC`: which host backend the guest's UART is connected to, in QEMU's -serial
// spelling for the kinds rvreplay has (stdio, none/null, file:PATH, tcp:[HOST]:PORT[,options]).
// A bad spec is refused in one line before the guest starts: unknown kind, bad port, a host other
// than this machine, an unreadable file, a port already in use.

import type { CharBackend, CharUse } from '../emu/host/char-backend.js';
import { FileCharBackend } from '../emu/host/file-chardev.js';
import { NullCharBackend } from '../emu/host/null-chardev.js';
import { StdioCharBackend } from '../emu/host/stdio-chardev.js';
import { TCP_SERIAL_HOST, TcpCharBackend } from '../emu/host/tcp-chardev.js';
import { CliError } from './cli-error.js';
import { stringOption, type OptionSpec } from './options.js';
import { readInputFile } from './read-input-file.js';

const KINDS = 'stdio, none, file:PATH or tcp:PORT';
/** QEMU -serial kinds rvreplay does not offer, named so the refusal can say so. */
const QEMU_ONLY_KINDS = ['vc', 'pty', 'chardev', 'pipe', 'udp', 'telnet', 'websocket', 'unix', 'mon', 'braille', 'msmouse'];
/** tcp options that say what rvreplay does anyway (QEMU's spelling, old and new). */
const TCP_OPTIONS_ACCEPTED = ['server', 'server=on', 'wait=on', 'nodelay', 'nodelay=on'];

/** The option, for the commands that run a guest live (`run`, `record`). */
export const SERIAL_OPTION: OptionSpec<string> = stringOption('serial', 'SPEC',
  "the UART's host side: stdio, none, file:PATH or tcp:PORT (see above)", 'stdio');

/** The --help paragraph of the commands that run a guest live. */
export const SERIAL_HELP = [
  '--serial SPEC connects the guest UART to: stdio (stdin/stdout, the default); none (output',
  'discarded, no input: a guest waiting for input stops with 125); file:PATH (the file\'s bytes are',
  'the input, given as the UART takes them, then input ends; output goes to stdout -- unlike QEMU\'s',
  'file:, which writes the output); tcp:PORT or tcp:127.0.0.1:PORT (a server on 127.0.0.1 only:',
  'the guest starts when one client connects; its bytes are the input, the output goes to it; when',
  'it disconnects, input ends; PORT 0 picks a free port, printed on stderr).',
].join('\n');

/**
 * The backend `text` names, ready to open. `output-only` is replay's use: the log supplies the
 * input, so a file of input makes no sense there.
 */
export function parseSerialSpec(text: string, use: CharUse = 'input-output'): CharBackend {
  if (text === 'stdio') return new StdioCharBackend(process.stdin, process.stdout, use);
  if (text === 'none' || text === 'null') return new NullCharBackend();
  const colon = text.indexOf(':');
  const kind = colon < 0 ? text : text.slice(0, colon);
  const rest = colon < 0 ? '' : text.slice(colon + 1);
  if (kind === 'file') {
    if (use === 'output-only') {
      throw new CliError(`--serial ${text}: replay reads no input (it comes from the log); use stdio, none or tcp:PORT`);
    }
    if (rest === '') throw new CliError('--serial file: needs a path (file:PATH)');
    return new FileCharBackend(readSerialInput(text, rest), process.stdout);
  }
  if (kind === 'tcp') {
    const port = parseTcp(text, rest);
    return new TcpCharBackend(port, use, (actual) =>
      process.stderr.write(`rvreplay: serial on tcp ${TCP_SERIAL_HOST}:${actual}, waiting for a connection\n`));
  }
  if (QEMU_ONLY_KINDS.includes(kind) || /^COM\d+$|^\/dev\//.test(kind)) {
    throw new CliError(`--serial ${text}: rvreplay does not have QEMU's '${kind}' serial backend; use ${KINDS}`);
  }
  throw new CliError(`--serial '${text}': unknown serial backend; use ${KINDS}`);
}

/** Opens the backend (a TCP server waits for its client here), reporting failure in one line. */
export async function openSerial(backend: CharBackend, text: string): Promise<void> {
  try {
    await backend.open();
  } catch (e) {
    throw new CliError(`--serial ${text}: ${(e as Error).message}`);
  }
}

function readSerialInput(text: string, path: string): Uint8Array {
  try {
    return readInputFile(path);
  } catch (e) {
    throw new CliError(`--serial ${text}: ${(e as Error).message}`);
  }
}

/** `[HOST:]PORT[,option...]`, with HOST empty, 127.0.0.1 or localhost. Returns the port. */
function parseTcp(text: string, rest: string): number {
  const [address, ...options] = rest.split(',');
  const sep = address.lastIndexOf(':');
  const host = sep < 0 ? '' : address.slice(0, sep);
  const portText = sep < 0 ? address : address.slice(sep + 1);
  if (host !== '' && host !== TCP_SERIAL_HOST && host !== 'localhost') {
    throw new CliError(`--serial ${text}: the serial port is served on ${TCP_SERIAL_HOST} only, not on '${host}'`);
  }
  const port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port <= 65535)) {
    throw new CliError(`--serial ${text}: the port must be a number from 0 to 65535 (0 picks a free one), not '${portText}'`);
  }
  for (const o of options) {
    if (TCP_OPTIONS_ACCEPTED.includes(o)) continue;
    if (o === 'server=off') throw new CliError(`--serial ${text}: rvreplay is the server; it does not connect to one (server=off)`);
    if (o === 'wait=off' || o === 'nowait') {
      throw new CliError(`--serial ${text}: the guest starts only once the client is connected (${o} is not supported)`);
    }
    throw new CliError(`--serial ${text}: unknown tcp option '${o}' (rvreplay takes server=on, wait=on, nodelay=on)`);
  }
  return port;
}
