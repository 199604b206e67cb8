// What a virtio device type (rng, later blk, net, ...) and the transport that hosts it see of each
// other, and the constants both use: the device status bits (virtio 1.2 §2.1) and the reserved
// feature bits (§6). The transport (virtio-mmio.ts) owns the registers, feature negotiation, the
// queues' state and the interrupt; a device type only says what it is and reacts to the driver.

import type { AsyncInput, DeliveryResult } from '../async-input.js';
import type { AccessSize } from '../bus.js';
import type { Virtqueue } from './virtqueue.js';

// Device status bits (§2.1).
export const VIRTIO_CONFIG_S_ACKNOWLEDGE = 1;
export const VIRTIO_CONFIG_S_DRIVER = 2;
export const VIRTIO_CONFIG_S_DRIVER_OK = 4;
export const VIRTIO_CONFIG_S_FEATURES_OK = 8;
export const VIRTIO_CONFIG_S_NEEDS_RESET = 0x40;
export const VIRTIO_CONFIG_S_FAILED = 0x80;

// Reserved feature bits (§6), and the two legacy ones QEMU still offers on a legacy transport.
export const VIRTIO_F_NOTIFY_ON_EMPTY = 24;
export const VIRTIO_F_ANY_LAYOUT = 27;
export const VIRTIO_F_INDIRECT_DESC = 28;
export const VIRTIO_F_EVENT_IDX = 29;
/** Legacy only (QEMU's VIRTIO_F_BAD_FEATURE): never offered, masked from modern feature words. */
export const VIRTIO_F_BAD_FEATURE = 30;
export const VIRTIO_F_VERSION_1 = 32;
export const VIRTIO_F_RING_RESET = 40;

// Device IDs (§5).
export const VIRTIO_ID_NET = 1;
export const VIRTIO_ID_BLOCK = 2;
export const VIRTIO_ID_RNG = 4;
export const VIRTIO_ID_INPUT = 18;

/** Feature bit `n` (0–31) of a 32-bit feature word. */
export function featureBit(n: number): number {
  return (1 << n) >>> 0;
}

/** The `size`-byte little-endian value at `offset` of a device's configuration bytes. */
export function readConfigBytes(config: Uint8Array, offset: number, size: AccessSize): number {
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + config[offset + i];
  return v;
}

/** The transport's services, as a device type uses them. */
export interface VirtioTransport {
  /** The device status register (VIRTIO_CONFIG_S_* bits). */
  readonly status: number;
  /** The device's queue `index` (as many as the device declared). */
  queue(index: number): Virtqueue;
  /** Whether feature `bit` was negotiated. */
  hasFeature(bit: number): boolean;
  /** Used buffers were returned on queue `index`: interrupt the driver if it wants to be. */
  notifyQueue(index: number): void;
  /** The configuration space changed: a configuration change interrupt once the driver is up. */
  notifyConfig(): void;
}

/**
 * A virtio device type behind a transport. Its architectural state, if any, lives in the state
 * arena like every device's. Methods may throw VirtqueueError when the driver's rings or buffers
 * are malformed: the transport catches it and marks the device broken.
 */
export interface VirtioDevice {
  readonly deviceId: number;
  /** The device type's own feature bits, as [bits 0–31, bits 32–63]. */
  readonly deviceFeatures: readonly [number, number];
  /** The size of each of its queues at reset (QEMU's virtio_add_queue sizes). */
  readonly queueSizes: readonly number[];
  /** Bytes of device-specific configuration at offset 0x100; reads past it return all ones. */
  readonly configSize: number;
  /** Called once, by the transport that hosts the device. */
  attach(transport: VirtioTransport): void;
  /** Reads `size` bytes of configuration at `offset` (inside configSize), little-endian. */
  readConfig(offset: number, size: AccessSize): number;
  writeConfig(offset: number, size: AccessSize, value: number): void;
  /** The driver wrote queue `index` to QueueNotify. */
  queueNotify(index: number): void;
  /** The driver wrote the status register (the new value is in transport.status). */
  statusChanged(): void;
  /** A device reset: device-type state back to its power-on values. */
  reset(): void;
  /** Rebuilds what the device derives from its arena state after a snapshot restore. */
  afterRestore(): void;
  /** Takes an asynchronous input from the host (a completion, a frame, an event), if it has any. */
  deliver?(input: AsyncInput): DeliveryResult;
}
