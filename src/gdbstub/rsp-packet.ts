// GDB remote serial protocol framing: `$payload#cs` packets with a modulo-256 checksum, the
// `}` escape (byte ^ 0x20) for `$ # } *` in binary data, the one-byte acknowledgements `+`/`-`,
// and the interrupt byte 0x03 that gdb sends outside packets. The parser is a byte-at-a-time
// state machine that never throws: garbage between packets is skipped, a bad checksum and an
// oversize packet are reported as events for the channel to answer.
//
// What gdb sends: it escapes `$ # } *` inside binary payloads (X, vFile:pwrite) and never uses
// run-length encoding (only a stub's replies may be RLE-compressed), so a `*` in a packet from
// gdb is plain data and nothing here expands runs. Payloads are handed over still escaped: only
// the binary part of an X packet is unescaped, by its handler (see unescapeBinary).

export const INTERRUPT_BYTE = 0x03;
const DOLLAR = 0x24; // $
const HASH = 0x23; // #
const ESCAPE = 0x7d; // }
const STAR = 0x2a; // *
const PLUS = 0x2b;
const MINUS = 0x2d;

export type RspEvent =
  /** A complete packet whose checksum matched: the payload between `$` and `#`, still escaped. */
  | { kind: 'packet'; payload: Uint8Array }
  | { kind: 'ack' }
  | { kind: 'nack' }
  | { kind: 'interrupt' }
  /** A packet whose checksum did not match (or whose checksum was not two hex digits). */
  | { kind: 'bad-checksum'; payload: Uint8Array }
  /** A packet longer than the limit; its payload was not kept. `checksumOk` says whether it arrived intact. */
  | { kind: 'oversize'; length: number; checksumOk: boolean };

export function checksum(bytes: Uint8Array): number {
  let sum = 0;
  for (const b of bytes) sum = (sum + b) & 0xff;
  return sum;
}

/** Escapes the bytes the protocol reserves (`$ # } *`) as `}` followed by the byte ^ 0x20. */
export function escapeBinary(bytes: Uint8Array): Uint8Array {
  let n = 0;
  for (const b of bytes) if (needsEscape(b)) n++;
  if (n === 0) return bytes;
  const out = new Uint8Array(bytes.length + n);
  let j = 0;
  for (const b of bytes) {
    if (needsEscape(b)) {
      out[j++] = ESCAPE;
      out[j++] = b ^ 0x20;
    } else {
      out[j++] = b;
    }
  }
  return out;
}

/** Undoes escapeBinary; undefined when the data ends in the middle of an escape. */
export function unescapeBinary(bytes: Uint8Array): Uint8Array | undefined {
  const out = new Uint8Array(bytes.length);
  let j = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === ESCAPE) {
      if (++i === bytes.length) return undefined;
      out[j++] = bytes[i] ^ 0x20;
    } else {
      out[j++] = bytes[i];
    }
  }
  return out.subarray(0, j);
}

function needsEscape(b: number): boolean {
  return b === DOLLAR || b === HASH || b === ESCAPE || b === STAR;
}

/** Bytes of a payload given as text: one byte per character (the protocol is 8-bit, not UTF-8). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

export function latin1Text(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) s += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return s;
}

/** A whole packet on the wire: `$`, the escaped payload, `#` and the checksum of what was sent. */
export function framePacket(payload: Uint8Array | string): Uint8Array {
  const body = escapeBinary(typeof payload === 'string' ? latin1Bytes(payload) : payload);
  const out = new Uint8Array(body.length + 4);
  out[0] = DOLLAR;
  out.set(body, 1);
  out[body.length + 1] = HASH;
  const cs = checksum(body);
  out[body.length + 2] = hexDigit(cs >>> 4);
  out[body.length + 3] = hexDigit(cs & 15);
  return out;
}

function hexDigit(v: number): number {
  return v < 10 ? 0x30 + v : 0x61 + v - 10;
}

function hexValue(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

const enum State {
  Idle,
  Payload,
  Checksum1,
  Checksum2,
}

export class RspParser {
  private state = State.Idle;
  private buf: Uint8Array;
  private length = 0;
  private sum = 0;
  private sent = 0;

  /** `maxPayload`: the longest payload kept (the PacketSize announced to gdb). */
  constructor(readonly maxPayload: number) {
    this.buf = new Uint8Array(Math.min(maxPayload, 1024));
  }

  /** Consumes bytes from the connection and returns what they completed, in order. */
  feed(chunk: Uint8Array): RspEvent[] {
    const events: RspEvent[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      switch (this.state) {
        case State.Idle:
          if (b === DOLLAR) this.begin();
          else if (b === PLUS) events.push({ kind: 'ack' });
          else if (b === MINUS) events.push({ kind: 'nack' });
          else if (b === INTERRUPT_BYTE) events.push({ kind: 'interrupt' });
          // Anything else between packets is noise (a line gdb's user typed, a stray newline).
          break;
        case State.Payload:
          if (b === HASH) {
            this.state = State.Checksum1;
          } else if (b === DOLLAR) {
            // An unescaped `$` cannot be data: the packet before it was cut short. Start over.
            this.begin();
          } else {
            this.sum = (this.sum + b) & 0xff;
            if (this.length < this.maxPayload) this.store(b);
            this.length++;
          }
          break;
        case State.Checksum1: {
          const v = hexValue(b);
          if (v < 0) {
            events.push(this.finish(false));
            i--; // the byte may begin the next packet
          } else {
            this.sent = v << 4;
            this.state = State.Checksum2;
          }
          break;
        }
        case State.Checksum2: {
          const v = hexValue(b);
          if (v < 0) {
            events.push(this.finish(false));
            i--;
          } else {
            events.push(this.finish((this.sent | v) === this.sum));
          }
          break;
        }
      }
    }
    return events;
  }

  private begin(): void {
    this.state = State.Payload;
    this.length = 0;
    this.sum = 0;
  }

  private store(b: number): void {
    if (this.length === this.buf.length) {
      const bigger = new Uint8Array(Math.min(this.maxPayload, this.buf.length * 2));
      bigger.set(this.buf);
      this.buf = bigger;
    }
    this.buf[this.length] = b;
  }

  private finish(checksumOk: boolean): RspEvent {
    this.state = State.Idle;
    if (this.length > this.maxPayload) return { kind: 'oversize', length: this.length, checksumOk };
    const payload = this.buf.slice(0, this.length);
    return checksumOk ? { kind: 'packet', payload } : { kind: 'bad-checksum', payload };
  }
}
