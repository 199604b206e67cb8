// One connected gdb: takes its packets (through the RspChannel), translates each into calls on
// the DebugEngine, and answers. All-stop, one thread (the hart, thread id 1). A motion (c, s,
// bc, bs, vCont) answers only when the engine's promise resolves; while it runs, the interrupt
// byte calls engine.cancel() and the stop reply that follows says SIGINT. gdb sends nothing else
// while it waits, but anything that does arrive is queued and answered in order afterwards.
//
// Error replies carry the numbers of packet-error.ts (an EngineError is E02, any other exception
// E03 and is logged; the session goes on), and E00 for a bad qXfer request as the manual says.
// gdb 13 shows the text of an `E.text` reply for P, G and resumption packets, and would misread
// it elsewhere (m, qRcmd) unless it announced error-message+ in qSupported (gdb 15 and later);
// so text is sent where it is understood and the number everywhere else.

import { EngineError, type DebugEngine, type EngineStop } from '../engine/debug-engine.js';
import { GdbBreakpoints, type ZType } from './gdb-breakpoints.js';
import { runMonitorCommand } from './monitor-commands.js';
import { RspChannel } from './rsp-channel.js';
import { hexToText, parseHex32, textToHex } from './rsp-hex.js';
import { latin1Text } from './rsp-packet.js';
import { REG_PC } from './gdb-registers.js';
import { GdbTargetAccess } from './gdb-target-access.js';
import { E_BAD_PACKET, E_INTERNAL, E_REFUSED, PacketError } from './packet-error.js';
import { THREAD_ID, stopReply, type StopReplyOptions } from './stop-reply.js';
import { FEATURE_DOCUMENTS } from './target-xml.js';

/** How a session ended: gdb detached (D), killed (k, vKill), or the connection went away. */
export type SessionEnd = 'detach' | 'kill' | 'disconnect';

/** The connection under a session: bytes out, and closing once the last reply has gone. */
export interface SessionTransport {
  write(bytes: Uint8Array): void;
  close(): void;
}

export interface GdbSessionOptions {
  /** Where protocol trouble and internal errors are reported (one line each). */
  log?: (line: string) => void;
  /** The PacketSize announced to gdb: the longest packet accepted. */
  packetSize?: number;
}

export const DEFAULT_PACKET_SIZE = 0x4000;

/** A reply (undefined: none, as for `k`), now or when an engine operation resolves. */
type Reply = string | undefined;

export class GdbSession {
  /** Resolves once, when the session ends. */
  readonly ended: Promise<SessionEnd>;
  private resolveEnded!: (how: SessionEnd) => void;
  private done = false;
  private readonly channel: RspChannel;
  private readonly log: (line: string) => void;
  private readonly packetSize: number;
  /** An engine operation is running: packets wait in `queue`, the interrupt byte cancels it. */
  private busy = false;
  private readonly queue: (() => void)[] = [];
  // What gdb said it understands in qSupported.
  private swbreak = false;
  private hwbreak = false;
  private errorMessages = false;
  private readonly breakpoints: GdbBreakpoints;
  private readonly target: GdbTargetAccess;
  private lastStop = `T05thread:${THREAD_ID};`;

  constructor(
    private readonly engine: DebugEngine,
    private readonly transport: SessionTransport,
    options: GdbSessionOptions = {},
  ) {
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
    this.breakpoints = new GdbBreakpoints(engine);
    this.log = options.log ?? (() => {});
    this.packetSize = options.packetSize ?? DEFAULT_PACKET_SIZE;
    this.target = new GdbTargetAccess(engine, this.packetSize);
    this.channel = new RspChannel(
      (bytes) => {
        if (!this.done) this.transport.write(bytes);
      },
      {
        packet: (payload) => this.onPacket(payload),
        interrupt: () => this.onInterrupt(),
        oversize: () => this.inTurn(() => this.reply('', this.error(E_BAD_PACKET, `packets are limited to ${this.packetSize} bytes`, false))),
      },
      this.packetSize,
      this.log,
    );
  }

  /** Bytes from gdb. */
  receive(chunk: Uint8Array): void {
    if (!this.done) this.channel.receive(chunk);
  }

  /** The connection closed under the session (gdb exited or the socket failed). */
  connectionClosed(): void {
    if (this.busy) this.engine.cancel();
    this.finish('disconnect');
  }

  /** Ends the session from this side (the server is closing). */
  close(): void {
    if (this.busy) this.engine.cancel();
    this.finish('disconnect');
    this.transport.close();
  }

  // ---- dispatch ----

  private onPacket(payload: Uint8Array): void {
    this.inTurn(() => this.dispatch(payload));
  }

  /** Runs `answer` now, or after the engine operation in progress (answers keep their order). */
  private inTurn(answer: () => void): void {
    if (this.busy) this.queue.push(answer);
    else answer();
  }

  private onInterrupt(): void {
    // Outside a motion the interrupt is stale (the stop it asked for has already been sent).
    if (this.busy) this.engine.cancel();
    else this.log('gdb: interrupt while stopped, ignored');
  }

  private dispatch(payload: Uint8Array): void {
    const text = latin1Text(payload);
    let result: Reply | Promise<Reply>;
    try {
      result = this.handle(text, payload);
    } catch (e) {
      result = this.failure(text, e);
    }
    if (!(result instanceof Promise)) {
      this.reply(text, result);
      return;
    }
    this.busy = true;
    result
      .catch((e: unknown) => this.failure(text, e))
      .then((reply) => {
        this.busy = false;
        this.reply(text, reply);
        while (!this.busy && !this.done && this.queue.length > 0) this.queue.shift()!();
      });
  }

  private reply(packet: string, reply: Reply): void {
    if (reply === undefined || this.done) return;
    this.channel.send(reply);
    if (packet === 'QStartNoAckMode' && reply === 'OK') this.channel.stopAcknowledging();
  }

  /** The reply to a packet whose handling threw. */
  private failure(packet: string, e: unknown): string {
    const textOk = acceptsErrorText(packet);
    if (e instanceof PacketError) return this.error(e.code, e.message, textOk);
    if (e instanceof EngineError) return this.error(E_REFUSED, e.message, textOk);
    this.log(`gdb: internal error on packet ${JSON.stringify(packet.slice(0, 80))}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return this.error(E_INTERNAL, `internal error: ${e instanceof Error ? e.message : String(e)}`, textOk);
  }

  private error(code: number, message: string, textOk: boolean): string {
    if (textOk || this.errorMessages) return `E.${asciiLine(message)}`;
    return `E${code.toString(16).padStart(2, '0')}`;
  }

  private handle(p: string, raw: Uint8Array): Reply | Promise<Reply> {
    switch (p[0]) {
      case '?': return this.lastStop;
      case 'g': return this.target.readRegisters();
      case 'G': return this.target.writeRegisters(p.slice(1));
      case 'p': return this.target.readRegister(p.slice(1));
      case 'P': return this.target.writeRegister(p.slice(1));
      case 'm': return this.target.readMemory(p.slice(1));
      case 'M': return this.target.writeMemoryHex(p.slice(1));
      case 'X': return this.target.writeMemoryBinary(raw);
      case 'c': case 'C': return this.resume(p, 'continue');
      case 's': case 'S': return this.resume(p, 'step');
      case 'b':
        if (p === 'bc') return this.motion('reverse', () => this.engine.reverseContinue());
        if (p === 'bs') return this.motion('reverse', () => this.engine.reverseStepi());
        return '';
      case 'Z': case 'z': return this.breakOrWatch(p);
      case 'H': return 'OK'; // one thread: every thread selection is that one
      case 'T': return isOurThread(p.slice(1)) ? 'OK' : this.error(E_BAD_PACKET, 'no such thread', false);
      case 'D':
        this.reply(p, 'OK');
        this.end('detach');
        return undefined;
      case 'k':
        this.end('kill'); // `k` has no reply
        return undefined;
      case 'q': return this.query(p);
      case 'Q': return p === 'QStartNoAckMode' ? 'OK' : '';
      case 'v': return this.verbose(p);
      default: return ''; // unsupported
    }
  }

  // ---- queries ----

  private query(p: string): Reply | Promise<Reply> {
    if (p === 'qSupported' || p.startsWith('qSupported:')) return this.supported(p.slice('qSupported:'.length));
    if (p.startsWith('qXfer:features:read:')) return this.features(p.slice('qXfer:features:read:'.length));
    if (p.startsWith('qRcmd,')) return this.monitor(p.slice('qRcmd,'.length));
    if (p === 'qAttached' || p.startsWith('qAttached:')) return '1'; // detaching must not kill the target
    if (p === 'qC') return `QC${THREAD_ID}`;
    if (p === 'qfThreadInfo') return `m${THREAD_ID}`;
    if (p === 'qsThreadInfo') return 'l';
    if (p.startsWith('qThreadExtraInfo,')) return textToHex('hart 0');
    if (p === 'qSymbol::') return 'OK'; // no symbols wanted
    return '';
  }

  private supported(gdbFeatures: string): string {
    const features = new Set(gdbFeatures.split(';'));
    this.swbreak = features.has('swbreak+');
    this.hwbreak = features.has('hwbreak+');
    this.errorMessages = features.has('error-message+');
    return [
      `PacketSize=${this.packetSize.toString(16)}`,
      'qXfer:features:read+',
      'QStartNoAckMode+',
      'ReverseStep+',
      'ReverseContinue+',
      'swbreak+',
      'hwbreak+',
    ].join(';');
  }

  private features(args: string): string {
    const m = /^([^:]+):([0-9a-fA-F]+),([0-9a-fA-F]+)$/.exec(args);
    const doc = m === null ? undefined : FEATURE_DOCUMENTS.get(m[1]);
    const offset = m === null ? undefined : parseHex32(m[2]);
    const length = m === null ? undefined : parseHex32(m[3]);
    if (doc === undefined || offset === undefined || length === undefined) return 'E00';
    // Escapes can double a reply; keep it inside the packet size gdb was told.
    const chunk = doc.slice(offset, offset + Math.min(length, (this.packetSize >>> 1) - 8));
    return (offset + chunk.length < doc.length ? 'm' : 'l') + chunk;
  }

  private monitor(hex: string): Promise<Reply> | string {
    const line = hexToText(hex);
    if (line === undefined) return this.error(E_BAD_PACKET, 'the command is not hex', false);
    return runMonitorCommand(line, { engine: this.engine, lastRefusal: this.target.lastRefusal }).then((r) => {
      this.console(r.output);
      return r.ok ? 'OK' : this.error(E_BAD_PACKET, r.output.split('\n')[0], false);
    });
  }

  private verbose(p: string): Reply | Promise<Reply> {
    if (p === 'vCont?') return 'vCont;c;C;s;S'; // gdb uses vCont only if c and C are both there
    if (p.startsWith('vCont;')) return this.vCont(p.slice('vCont;'.length));
    if (p === 'vKill' || p.startsWith('vKill;')) {
      this.reply(p, 'OK');
      this.end('kill');
      return undefined;
    }
    return ''; // vMustReplyEmpty and everything else
  }

  // ---- breakpoints and watchpoints ----

  private breakOrWatch(p: string): string {
    // Z TYPE,ADDR,KIND[;cond...]: conditions are not offered (no ConditionalBreakpoints+).
    const m = /^[Zz]([0-9]+),([0-9a-fA-F]+),([0-9a-fA-F]+)(?:;.*)?$/.exec(p);
    if (m === null) throw new PacketError(E_BAD_PACKET, 'Z/z needs TYPE,ADDR,KIND in hex');
    const type = Number(m[1]);
    if (type > 4) return ''; // a type we do not know: unsupported, as the manual asks
    const address = parseHex32(m[2]);
    const kind = parseHex32(m[3]);
    if (address === undefined || kind === undefined) throw new PacketError(E_BAD_PACKET, 'Z/z needs TYPE,ADDR,KIND in hex');
    if (type >= 2 && kind === 0) throw new PacketError(E_BAD_PACKET, 'a watchpoint needs a length');
    if (p[0] === 'Z') this.breakpoints.insert(type as ZType, address, kind);
    else this.breakpoints.remove(type as ZType, address, kind);
    return 'OK';
  }

  // ---- motions ----

  private resume(p: string, how: 'continue' | 'step'): Reply | Promise<Reply> {
    // c [ADDR], s [ADDR], C SIG[;ADDR], S SIG[;ADDR]: the signal means nothing to a bare hart.
    const m = /^[cs]([0-9a-fA-F]*)$|^[CS][0-9a-fA-F]{2}(?:;([0-9a-fA-F]+))?$/.exec(p);
    if (m === null) throw new PacketError(E_BAD_PACKET, `${p[0]} takes an optional address in hex`);
    const addrText = m[1] || m[2];
    if (addrText) {
      const address = parseHex32(addrText);
      if (address === undefined) throw new PacketError(E_BAD_PACKET, 'the resume address is not hex');
      this.target.writeRegisterNumber(REG_PC, address);
    }
    return this.motion('forward', how === 'continue' ? () => this.engine.continue() : () => this.engine.stepi());
  }

  private vCont(actions: string): Reply | Promise<Reply> {
    // The first action that applies to our thread (or to all) is the one that counts.
    for (const a of actions.split(';')) {
      const m = /^([cCsSrt])([^:]*)(?::(.*))?$/.exec(a);
      if (m === null) throw new PacketError(E_BAD_PACKET, `bad vCont action "${a}"`);
      if (m[3] !== undefined && !isOurThread(m[3])) continue;
      switch (m[1]) {
        case 'c': case 'C': return this.motion('forward', () => this.engine.continue());
        // A range step (not offered) may stop after one step: gdb checks the range itself.
        case 's': case 'S': case 'r': return this.motion('forward', () => this.engine.stepi());
        case 't': return 'OK'; // already stopped
      }
    }
    throw new PacketError(E_BAD_PACKET, 'no vCont action for thread 1');
  }

  /**
   * Starts a motion now (synchronously, so an interrupt byte right behind the packet reaches
   * the motion it was meant for) and answers with the stop reply when it resolves.
   */
  private motion(direction: 'forward' | 'reverse', start: () => Promise<EngineStop>): Promise<Reply> {
    let running: Promise<EngineStop>;
    try {
      running = start();
    } catch (e) {
      running = Promise.reject(e);
    }
    return running.then(async (engineStop) => {
      const stop = engineStop.reason.kind === 'watchpoint' ? await this.beforeAccess(engineStop, direction) : engineStop;
      const r = stopReply(stop, this.stopOptions);
      if (r.console !== undefined) this.console(r.console);
      this.lastStop = r.packet;
      return r.packet;
    });
  }

  /**
   * gdb for RISC-V has non-steppable watchpoints: it expects the stop before the accessing
   * instruction has run (as QEMU reports it), removes its watchpoints, steps over that
   * instruction in the direction it was going, and only then shows the old and new values. The
   * engine stops where the access is behind the motion (just after the instruction going
   * forward, just before it in reverse), so the stub steps back over the instruction first and
   * gdb's own step brings the position back to where the engine stopped. If that step cannot be
   * taken (the start of history), the stop is reported where it is.
   */
  private async beforeAccess(stop: EngineStop, direction: 'forward' | 'reverse'): Promise<EngineStop> {
    try {
      const back = direction === 'forward' ? await this.engine.reverseStepi() : await this.engine.stepi();
      if (back.reason.kind === 'done') return { ...stop, icount: back.icount, pc: back.pc };
      if (back.reason.kind === 'history-begin' || back.reason.kind === 'history-end') return stop;
      return back; // interrupted or diverged on the way: say so, from where it is now
    } catch (e) {
      this.log(`gdb: could not step back over the watched access: ${e instanceof Error ? e.message : String(e)}`);
      return stop;
    }
  }

  private get stopOptions(): StopReplyOptions {
    return {
      swbreak: this.swbreak,
      hwbreak: this.hwbreak,
      breakpointKinds: (pc) => this.breakpoints.kindsAt(pc),
    };
  }

  // ---- output and ending ----

  /** Text for gdb's console, as `O` packets (allowed while a motion or a qRcmd is answering). */
  private console(text: string): void {
    const bytes = new TextEncoder().encode(text);
    const step = Math.max(64, (this.packetSize >>> 1) - 8);
    for (let i = 0; i < bytes.length; i += step) {
      let hex = '';
      for (const b of bytes.subarray(i, i + step)) hex += (b < 16 ? '0' : '') + b.toString(16);
      if (!this.done) this.channel.send(`O${hex}`);
    }
  }

  private end(how: SessionEnd): void {
    this.finish(how);
    this.transport.close();
  }

  private finish(how: SessionEnd): void {
    if (this.done) return;
    this.done = true;
    this.queue.length = 0;
    // What this gdb inserted must not outlive it: the engine may serve another front end.
    try {
      this.breakpoints.removeAll();
    } catch (e) {
      this.log(`gdb: could not remove breakpoints at the end of the session: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.resolveEnded(how);
  }
}

/** Thread ids that mean the hart: 1, 0 (any), -1 (all), and their multiprocess forms. */
function isOurThread(id: string): boolean {
  return /^(?:p(?:1|-1)\.)?(?:1|0|-1)$/.test(id);
}

/** Packets whose error reply gdb (13 and older) shows as text when it is `E.text`. */
function acceptsErrorText(packet: string): boolean {
  return /^(?:[PGcsCS]|b[cs]$|vCont;)/.test(packet);
}

/** Error text for a reply: one line of printable ASCII. */
function asciiLine(text: string): string {
  return text.split('\n')[0].replace(/[^\x20-\x7e]/g, '?').slice(0, 200);
}
