// The machine option that puts virtio devices in the virt board's virtio-mmio slots, where QEMU
// puts them, and the one place that builds a device type from its kind and the host ports it
// reads.

import type { BlockHost, DiskImage, EntropySource, NetHost } from '../host/ports.js';
import type { StateArena } from '../state.js';
import { VIRT_VIRTIO_COUNT } from '../virt-map.js';
import { DiskOverlay } from './disk-overlay.js';
import { VirtioBlk } from './virtio-blk.js';
import type { VirtioDevice } from './virtio-device.js';
import { VirtioInput } from './virtio-input.js';
import { VirtioNet } from './virtio-net.js';
import { VirtioRng } from './virtio-rng.js';

export type VirtioDeviceKind = 'rng' | 'blk' | 'net' | 'keyboard' | 'mouse';
export const VIRTIO_DEVICE_KINDS: readonly VirtioDeviceKind[] = ['rng', 'blk', 'net', 'keyboard', 'mouse'];

/** QEMU's first NIC's MAC address (52:54:00:12:34:56), the net device's default. */
export const DEFAULT_MAC = '52:54:00:12:34:56';

/** One device in one slot (0 is the transport at 0x10001000). */
export interface VirtioSlotConfig {
  slot: number;
  kind: VirtioDeviceKind;
  /** blk: which of the host's disk images it serves (an index into MachineHost.disks). */
  disk?: number;
  /** net: its MAC address, as six colon-separated hex bytes (DEFAULT_MAC when absent). */
  mac?: string;
}

/** The host ports device types may read. */
export interface VirtioHostPorts {
  entropy?: EntropySource;
  /** Base images of the machine's disks, in the order VirtioSlotConfig.disk counts them. */
  disks?: readonly DiskImage[];
  /** Where block requests go (needed when the machine has a disk). */
  block?: BlockHost;
  /** Where transmitted frames go (a machine without a network backend drops them). */
  net?: NetHost;
}

/** The six bytes of a MAC address written as colon-separated hex; throws a RangeError if malformed. */
export function parseMac(text: string): Uint8Array {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new RangeError(`'${text}' is not a MAC address (six hex bytes separated by colons)`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/**
 * The slot of QEMU's n-th `-device virtio-*-device` (from 0). Its virt board creates the
 * transports so that devices from the command line fill them from the highest address down:
 * the first lands at 0x10008000 (slot 7, PLIC source 8).
 */
export function qemuVirtioSlot(n: number): number {
  return VIRT_VIRTIO_COUNT - 1 - n;
}

/** Throws a RangeError naming the first slot that is out of range, taken twice or of no known kind. */
export function checkVirtioSlots(devices: readonly VirtioSlotConfig[]): void {
  const taken = new Set<number>();
  for (const d of devices) {
    if (!Number.isInteger(d.slot) || d.slot < 0 || d.slot >= VIRT_VIRTIO_COUNT) {
      throw new RangeError(`virtio slot must be 0–${VIRT_VIRTIO_COUNT - 1}, not ${d.slot}`);
    }
    if (taken.has(d.slot)) throw new RangeError(`virtio slot ${d.slot} is given two devices`);
    if (!VIRTIO_DEVICE_KINDS.includes(d.kind)) throw new RangeError(`virtio slot ${d.slot}: unknown device kind '${String(d.kind)}'`);
    if (d.kind === 'blk' && !(Number.isInteger(d.disk) && d.disk! >= 0)) throw new RangeError(`virtio slot ${d.slot}: a blk device needs a disk index`);
    if (d.mac !== undefined) parseMac(d.mac);
    taken.add(d.slot);
  }
}

/** Builds the device type for a slot; `name` is the slot's prefix for its state-arena regions. */
export function createVirtioDevice(config: VirtioSlotConfig, host: VirtioHostPorts, arena: StateArena, name: string): VirtioDevice {
  switch (config.kind) {
    case 'rng':
      if (host.entropy === undefined) throw new Error(`virtio-rng in slot ${config.slot} needs an entropy source`);
      return new VirtioRng(host.entropy, config.slot);
    case 'blk': {
      const image = host.disks?.[config.disk!];
      if (image === undefined) throw new Error(`virtio-blk in slot ${config.slot} needs disk image ${config.disk}`);
      if (host.block === undefined) throw new Error(`virtio-blk in slot ${config.slot} needs a block host`);
      return new VirtioBlk(arena, name, new DiskOverlay(arena, name, image), host.block, config.slot);
    }
    case 'net':
      return new VirtioNet(parseMac(config.mac ?? DEFAULT_MAC), host.net ?? { transmit: () => {} }, config.slot);
    case 'keyboard':
    case 'mouse':
      return new VirtioInput(arena, name, config.kind);
  }
}
