// An unpopulated virtio-mmio transport slot, answering as QEMU 7.2's do on the virt board: the
// magic value, version 1 (legacy, QEMU's default force-legacy=on), device id 0 (so no driver
// claims it) and the vendor id; every other register reads 0 and every write is ignored.
// Narrow reads see the low bytes of the register at their exact offset and 0 elsewhere, as QEMU's
// handler compares the offset without aligning it. Stateless.
import type { AccessSize, MmioDevice } from '../bus.js';

/** Bytes QEMU decodes per slot; accesses in the rest of the 0x1000 slot fault there. */
export const VIRTIO_MMIO_REGION_SIZE = 0x200;

const VIRTIO_MMIO_MAGIC_VALUE = 0x000;
const VIRTIO_MMIO_VERSION = 0x004;
const VIRTIO_MMIO_VENDOR_ID = 0x00c;

const VIRT_MAGIC = 0x74726976; // 'virt'
const VIRT_VERSION_LEGACY = 1;
const VIRT_VENDOR = 0x554d4551; // 'QEMU'

export class VirtioMmioEmpty implements MmioDevice {
  read(offset: number, size: AccessSize): number {
    let value: number;
    switch (offset) {
      case VIRTIO_MMIO_MAGIC_VALUE:
        value = VIRT_MAGIC;
        break;
      case VIRTIO_MMIO_VERSION:
        value = VIRT_VERSION_LEGACY;
        break;
      case VIRTIO_MMIO_VENDOR_ID:
        value = VIRT_VENDOR;
        break;
      default:
        return 0;
    }
    return size === 4 ? value : value & (2 ** (8 * size) - 1);
  }

  write(_offset: number, _size: AccessSize, _value: number): void {
    // No backend: write-ignored.
  }
}
