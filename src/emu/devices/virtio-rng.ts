// virtio-rng (virtio 1.2 §5.4, device id 4): one request queue of device-writable buffers that
// the device fills from the host's EntropySource. It fills them synchronously, when the driver
// notifies the queue or sets DRIVER_OK with buffers already posted, so where host bytes enter the
// machine is a function of icount: every chain available at that moment is served by one read of
// the source, then one used-buffer interrupt if the driver wants it. QEMU serves the same requests
// from its main loop a little later (a driver waits for the used ring either way) and has a rate
// limit, unlimited by default, that is not modelled. The device has no state of its own: the
// queue's state is the transport's.

import type { AccessSize } from '../bus.js';
import type { EntropySource } from '../host/ports.js';
import { VIRTIO_CONFIG_S_DRIVER_OK, VIRTIO_ID_RNG, type VirtioDevice, type VirtioTransport } from './virtio-device.js';
import type { VirtqChain } from './virtqueue.js';

/** The request queue's size at reset, as QEMU's virtio-rng declares it. */
const REQUEST_QUEUE_SIZE = 8;
const REQUEST_QUEUE = 0;

export class VirtioRng implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_RNG;
  readonly deviceFeatures: readonly [number, number] = [0, 0];
  readonly queueSizes: readonly number[] = [REQUEST_QUEUE_SIZE];
  readonly configSize = 0;
  private transport: VirtioTransport | undefined;

  constructor(
    private readonly entropy: EntropySource,
    /** Names this device to the entropy source (its virtio-mmio slot). */
    private readonly sourceId: number,
  ) {}

  attach(transport: VirtioTransport): void {
    this.transport = transport;
  }

  readConfig(_offset: number, _size: AccessSize): number {
    return 0; // no configuration space: the transport answers past it
  }

  writeConfig(_offset: number, _size: AccessSize, _value: number): void {}

  queueNotify(index: number): void {
    if (index === REQUEST_QUEUE) this.serve();
  }

  statusChanged(): void {
    this.serve();
  }

  reset(): void {}

  afterRestore(): void {}

  /** Fills every available request, returns them, and interrupts the driver if it asked to be. */
  private serve(): void {
    const t = this.transport!;
    const q = t.queue(REQUEST_QUEUE);
    if (!q.ready || !(t.status & VIRTIO_CONFIG_S_DRIVER_OK)) return;
    const chains: VirtqChain[] = [];
    for (let c = q.pop(); c !== undefined; c = q.pop()) chains.push(c);
    if (chains.length === 0) return;
    const bytes = new Uint8Array(chains.reduce((n, c) => n + c.writableBytes, 0));
    if (bytes.length > 0) this.entropy.fill(bytes, this.sourceId);
    let at = 0;
    for (const c of chains) {
      const n = q.write(c, 0, bytes.subarray(at, at + c.writableBytes));
      at += n;
      q.push(c, n);
    }
    t.notifyQueue(REQUEST_QUEUE);
  }
}
