// The virtio-mmio register layout (virtio 1.2 §4.2.2, with the legacy registers of §4.2.4),
// spelled as Linux's and QEMU's virtio_mmio.h spell it, and the identity values QEMU's
// transports answer with. Shared by the transport and the empty slots.

/** Bytes QEMU decodes per slot; accesses in the rest of the 0x1000 slot fault there. */
export const VIRTIO_MMIO_REGION_SIZE = 0x200;

export const VIRTIO_MMIO_MAGIC_VALUE = 0x000;
export const VIRTIO_MMIO_VERSION = 0x004;
export const VIRTIO_MMIO_DEVICE_ID = 0x008;
export const VIRTIO_MMIO_VENDOR_ID = 0x00c;
export const VIRTIO_MMIO_DEVICE_FEATURES = 0x010;
export const VIRTIO_MMIO_DEVICE_FEATURES_SEL = 0x014;
export const VIRTIO_MMIO_DRIVER_FEATURES = 0x020;
export const VIRTIO_MMIO_DRIVER_FEATURES_SEL = 0x024;
/** Legacy only. */
export const VIRTIO_MMIO_GUEST_PAGE_SIZE = 0x028;
export const VIRTIO_MMIO_QUEUE_SEL = 0x030;
export const VIRTIO_MMIO_QUEUE_NUM_MAX = 0x034;
export const VIRTIO_MMIO_QUEUE_NUM = 0x038;
/** Legacy only. */
export const VIRTIO_MMIO_QUEUE_ALIGN = 0x03c;
/** Legacy only. */
export const VIRTIO_MMIO_QUEUE_PFN = 0x040;
export const VIRTIO_MMIO_QUEUE_READY = 0x044;
export const VIRTIO_MMIO_QUEUE_NOTIFY = 0x050;
export const VIRTIO_MMIO_INTERRUPT_STATUS = 0x060;
export const VIRTIO_MMIO_INTERRUPT_ACK = 0x064;
export const VIRTIO_MMIO_STATUS = 0x070;
export const VIRTIO_MMIO_QUEUE_DESC_LOW = 0x080;
export const VIRTIO_MMIO_QUEUE_DESC_HIGH = 0x084;
/** The spec's QueueDriverLow/High: the available ring. */
export const VIRTIO_MMIO_QUEUE_AVAIL_LOW = 0x090;
export const VIRTIO_MMIO_QUEUE_AVAIL_HIGH = 0x094;
/** The spec's QueueDeviceLow/High: the used ring. */
export const VIRTIO_MMIO_QUEUE_USED_LOW = 0x0a0;
export const VIRTIO_MMIO_QUEUE_USED_HIGH = 0x0a4;
export const VIRTIO_MMIO_SHM_SEL = 0x0ac;
export const VIRTIO_MMIO_SHM_LEN_LOW = 0x0b0;
export const VIRTIO_MMIO_SHM_LEN_HIGH = 0x0b4;
export const VIRTIO_MMIO_CONFIG_GENERATION = 0x0fc;
/** The device-specific configuration space starts here. */
export const VIRTIO_MMIO_CONFIG = 0x100;

/** InterruptStatus bits: a used buffer was returned; the configuration changed. */
export const VIRTIO_MMIO_INT_VRING = 1;
export const VIRTIO_MMIO_INT_CONFIG = 2;

export const VIRT_MAGIC = 0x74726976; // 'virt'
export const VIRT_VERSION_LEGACY = 1;
export const VIRT_VERSION = 2;
export const VIRT_VENDOR = 0x554d4551; // 'QEMU'
