// virtio-net (virtio 1.2 §5.1, device id 1) as QEMU 7.2's virtio-net-device presents it over a
// backend without a vnet header (-netdev dgram/socket): no offloads, a MAC address and link
// status in the configuration space, a receive queue and a transmit queue. Transmitted frames
// go straight to the host's NetHost (output, like the UART's: not replayed). Received frames are
// async input: the host queues them and they reach the device at a checkpoint, where the device
// takes one if the driver has a receive buffer posted and asks for it to be offered again later
// if not (QEMU's net queue holds packets while the device cannot receive).

import type { AsyncInput, DeliveryResult } from '../async-input.js';
import type { AccessSize } from '../bus.js';
import type { NetHost } from '../host/ports.js';
import {
  VIRTIO_CONFIG_S_DRIVER_OK,
  VIRTIO_F_VERSION_1,
  VIRTIO_ID_NET,
  featureBit,
  readConfigBytes,
  type VirtioDevice,
  type VirtioTransport,
} from './virtio-device.js';

// Feature bits (§5.1.3).
export const VIRTIO_NET_F_MAC = 5;
export const VIRTIO_NET_F_STATUS = 16;
export const VIRTIO_NET_S_LINK_UP = 1;

/** The header before each frame: struct virtio_net_hdr, with num_buffers once VERSION_1 is negotiated. */
const NET_HDR_LEGACY = 10;
const NET_HDR_MODERN = 12;
const NET_HDR_NUM_BUFFERS = 10;
/** QEMU 7.2's rx_queue_size and tx_queue_size defaults. */
const QUEUE_SIZE = 256;
const RX_QUEUE = 0;
const TX_QUEUE = 1;
/** mac then status. */
const CONFIG_SIZE = 8;


export class VirtioNet implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_NET;
  readonly deviceFeatures: readonly [number, number] = [(featureBit(VIRTIO_NET_F_MAC) | featureBit(VIRTIO_NET_F_STATUS)) >>> 0, 0];
  readonly queueSizes: readonly number[] = [QUEUE_SIZE, QUEUE_SIZE];
  readonly configSize = CONFIG_SIZE;
  private transport: VirtioTransport | undefined;
  private readonly config = new Uint8Array(CONFIG_SIZE);

  constructor(
    mac: Uint8Array,
    private readonly host: NetHost,
    /** Names this device to the host (its virtio-mmio slot). */
    readonly hostId: number,
  ) {
    this.config.set(mac.subarray(0, 6), 0);
    this.config[6] = VIRTIO_NET_S_LINK_UP;
  }

  attach(transport: VirtioTransport): void {
    this.transport = transport;
  }

  readConfig(offset: number, size: AccessSize): number {
    return readConfigBytes(this.config, offset, size);
  }

  writeConfig(): void {
    // The MAC is writable only for a legacy driver without CTRL_MAC_ADDR; QEMU ignores it too.
  }

  queueNotify(index: number): void {
    if (index === TX_QUEUE) this.transmit();
    // A receive buffer posted: queued frames are offered again at the next checkpoint.
  }

  statusChanged(): void {
    if (this.transport!.status & VIRTIO_CONFIG_S_DRIVER_OK) this.transmit();
  }

  reset(): void {}

  afterRestore(): void {}

  deliver(input: AsyncInput): DeliveryResult {
    if (input.kind !== 'net') return { taken: false, retry: false, why: `a virtio-net device takes no ${input.kind} input` };
    const t = this.transport!;
    const q = t.queue(RX_QUEUE);
    if (!(t.status & VIRTIO_CONFIG_S_DRIVER_OK) || !q.ready || q.isEmpty()) return { taken: false, retry: true };
    const chain = q.pop()!;
    const hdrBytes = this.headerBytes;
    if (chain.writableBytes < hdrBytes + input.frame.length) {
      // One buffer per frame without MRG_RXBUF: QEMU reports the frame too big and drops it.
      q.push(chain, 0);
      t.notifyQueue(RX_QUEUE);
      return { taken: true, status: 1 };
    }
    const hdr = new Uint8Array(hdrBytes);
    if (hdrBytes === NET_HDR_MODERN) hdr[NET_HDR_NUM_BUFFERS] = 1;
    q.write(chain, 0, hdr);
    q.write(chain, hdrBytes, input.frame);
    q.push(chain, hdrBytes + input.frame.length);
    t.notifyQueue(RX_QUEUE);
    return { taken: true, status: 0 };
  }

  private get headerBytes(): number {
    return this.transport!.hasFeature(VIRTIO_F_VERSION_1) ? NET_HDR_MODERN : NET_HDR_LEGACY;
  }

  /** Sends every frame the driver has queued for transmission, and returns the buffers. */
  private transmit(): void {
    const t = this.transport!;
    if (!(t.status & VIRTIO_CONFIG_S_DRIVER_OK)) return;
    const q = t.queue(TX_QUEUE);
    let sent = false;
    for (let chain = q.pop(); chain !== undefined; chain = q.pop()) {
      const hdrBytes = this.headerBytes;
      if (chain.readableBytes > hdrBytes) this.host.transmit(this.hostId, q.read(chain, hdrBytes, chain.readableBytes - hdrBytes));
      q.push(chain, 0);
      sent = true;
    }
    if (sent) t.notifyQueue(TX_QUEUE);
  }
}
