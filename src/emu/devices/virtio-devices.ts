// The machine option that puts virtio devices in the virt board's virtio-mmio slots, where QEMU
// puts them, and the one place that builds a device type from its kind and the host ports it
// reads.

import type { EntropySource } from '../host/ports.js';
import { VIRT_VIRTIO_COUNT } from '../virt-map.js';
import type { VirtioDevice } from './virtio-device.js';
import { VirtioRng } from './virtio-rng.js';

export type VirtioDeviceKind = 'rng';
export const VIRTIO_DEVICE_KINDS: readonly VirtioDeviceKind[] = ['rng'];

/** One device in one slot (0 is the transport at 0x10001000). */
export interface VirtioSlotConfig {
  slot: number;
  kind: VirtioDeviceKind;
}

/** The host ports device types may read. */
export interface VirtioHostPorts {
  entropy?: EntropySource;
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
    taken.add(d.slot);
  }
}

export function createVirtioDevice(config: VirtioSlotConfig, host: VirtioHostPorts): VirtioDevice {
  switch (config.kind) {
    case 'rng':
      if (host.entropy === undefined) throw new Error(`virtio-rng in slot ${config.slot} needs an entropy source`);
      return new VirtioRng(host.entropy, config.slot);
  }
}
