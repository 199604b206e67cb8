/* The virtio-net guest (virtio-net.c) on the modern transport, version 2: VIRTIO_F_VERSION_1,
 * so the 12-byte virtio_net_hdr with num_buffers, FEATURES_OK and QueueReady. On QEMU: the same
 * -netdev and -device virtio-net-device,netdev=n0, plus -global virtio-mmio.force-legacy=false. */
#define VIRTIO_VERSION 2
#include "virtio-net.c"
