// One gdb connection at the packet level: acknowledges what arrives (`+`, or `-` for a bad
// checksum so gdb retransmits), retransmits the last packet sent when gdb answers `-`, switches
// to no-ack mode after QStartNoAckMode, and hands complete packets, interrupts and oversize
// packets to the session above. Bytes in, bytes out; it knows nothing of sockets.

import { RspParser, framePacket, latin1Text } from './rsp-packet.js';

export interface RspChannelHandler {
  /** A packet arrived intact (its payload, still escaped). */
  packet(payload: Uint8Array): void;
  /** gdb sent the interrupt byte (Ctrl-C). */
  interrupt(): void;
  /** A packet longer than the announced PacketSize arrived; it must be answered with an error. */
  oversize(length: number): void;
}

export class RspChannel {
  private readonly parser: RspParser;
  private ackMode = true;
  private lastSent: Uint8Array | undefined;

  constructor(
    private readonly write: (bytes: Uint8Array) => void,
    private readonly handler: RspChannelHandler,
    maxPayload: number,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.parser = new RspParser(maxPayload);
  }

  get acknowledging(): boolean {
    return this.ackMode;
  }

  /**
   * After the OK that answers QStartNoAckMode has been sent: neither side acknowledges from now
   * on. (gdb still acknowledges that OK itself; a stray `+` is ignored like any other.)
   */
  stopAcknowledging(): void {
    this.ackMode = false;
  }

  receive(chunk: Uint8Array): void {
    for (const e of this.parser.feed(chunk)) {
      switch (e.kind) {
        case 'packet':
          if (this.ackMode) this.write(PLUS);
          this.handler.packet(e.payload);
          break;
        case 'bad-checksum':
          if (this.ackMode) {
            this.log(`gdb: bad checksum on packet ${JSON.stringify(latin1Text(e.payload.subarray(0, 80)))}; asked for it again`);
            this.write(MINUS);
          } else {
            // Nobody retransmits in no-ack mode and gdb waits for an answer: like gdbserver, take
            // the packet as it came (over TCP a bad checksum means a client bug, not line noise).
            this.log(`gdb: bad checksum on packet ${JSON.stringify(latin1Text(e.payload.subarray(0, 80)))} in no-ack mode; taken as is`);
            this.handler.packet(e.payload);
          }
          break;
        case 'oversize':
          if (this.ackMode && !e.checksumOk) {
            this.write(MINUS);
            break;
          }
          if (this.ackMode) this.write(PLUS);
          this.log(`gdb: refused a packet of ${e.length} bytes (the limit is ${this.parser.maxPayload})`);
          this.handler.oversize(e.length);
          break;
        case 'nack':
          if (this.ackMode && this.lastSent !== undefined) this.write(this.lastSent);
          break;
        case 'ack':
          break;
        case 'interrupt':
          this.handler.interrupt();
          break;
      }
    }
  }

  send(payload: string | Uint8Array): void {
    const framed = framePacket(payload);
    this.lastSent = framed;
    this.write(framed);
  }
}

const PLUS = Uint8Array.of(0x2b);
const MINUS = Uint8Array.of(0x2d);
