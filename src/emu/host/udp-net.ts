// The UDP network backend (`--net udp:LOCAL:REMOTE`): raw Ethernet frames, one per datagram,
// between a socket bound to 127.0.0.1:LOCAL and the peer at 127.0.0.1:REMOTE — the framing of
// QEMU's `-netdev dgram` (and `-netdev socket,udp=`), so another QEMU guest or a script can be
// the other end. Received frames go to the async queue; the guest's frames are sent at once.

import { createSocket, type Socket } from 'node:dgram';
import type { NetHost } from './ports.js';

export const UDP_NET_HOST = '127.0.0.1';

/** How long close() waits for frames still being sent. */
const CLOSE_GRACE_MS = 2000;

export class UdpNetBackend implements NetHost {
  private socket: Socket | undefined;
  /** Frames handed to the socket and not yet sent. */
  private sending = 0;
  private sent: (() => void) | undefined;

  constructor(
    private readonly localPort: number,
    private readonly remotePort: number,
    /** A frame from the peer (for the device in this slot). */
    private readonly onFrame: (frame: Uint8Array) => void,
  ) {}

  /** Binds the local socket; rejects with a message fit for the user. */
  open(): Promise<number> {
    return new Promise((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', (e: NodeJS.ErrnoException) => {
        socket.close();
        reject(new Error(e.code === 'EADDRINUSE' ? `UDP port ${this.localPort} on ${UDP_NET_HOST} is in use` : `cannot bind UDP port ${this.localPort}: ${e.message}`));
      });
      socket.on('message', (msg) => this.onFrame(new Uint8Array(msg.buffer, msg.byteOffset, msg.length).slice()));
      socket.bind(this.localPort, UDP_NET_HOST, () => {
        this.socket = socket;
        socket.removeAllListeners('error');
        socket.on('error', () => {}); // a peer not listening (ICMP unreachable) loses the frame, as on a wire
        resolve(socket.address().port);
      });
    });
  }

  transmit(_device: number, frame: Uint8Array): void {
    if (this.socket === undefined) return;
    this.sending++;
    this.socket.send(frame, this.remotePort, UDP_NET_HOST, () => {
      if (--this.sending === 0) this.sent?.();
    });
  }

  /** Closes the socket once the guest's last frames are out (a guest that exits right after sending). */
  async close(): Promise<void> {
    const socket = this.socket;
    if (socket === undefined) return;
    this.socket = undefined;
    if (this.sending > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CLOSE_GRACE_MS);
        this.sent = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    socket.close();
  }
}
