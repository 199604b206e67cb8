// An unpopulated virtio-mmio transport slot, answering as QEMU 7.2's do on the virt board: the
// magic value, the transport version (1 with QEMU's default force-legacy=on, 2 without), device
// id 0 (so no driver claims it) and the vendor id; every other register reads 0 and every write
// is ignored. Narrow reads see the low bytes of the register at their exact offset and 0
// elsewhere, as QEMU's handler compares the offset without aligning it. Stateless.
import type { AccessSize, MmioDevice } from '../bus.js';
import {
  VIRT_MAGIC,
  VIRT_VENDOR,
  VIRT_VERSION,
  VIRT_VERSION_LEGACY,
  VIRTIO_MMIO_MAGIC_VALUE,
  VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_VERSION,
} from './virtio-mmio-regs.js';

export { VIRTIO_MMIO_REGION_SIZE } from './virtio-mmio-regs.js';

export class VirtioMmioEmpty implements MmioDevice {
  constructor(private readonly legacy = true) {}

  read(offset: number, size: AccessSize): number {
    let value: number;
    switch (offset) {
      case VIRTIO_MMIO_MAGIC_VALUE:
        value = VIRT_MAGIC;
        break;
      case VIRTIO_MMIO_VERSION:
        value = this.legacy ? VIRT_VERSION_LEGACY : VIRT_VERSION;
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
