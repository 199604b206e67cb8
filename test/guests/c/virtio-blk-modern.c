/* The virtio-blk guest (virtio-blk.c) on the modern transport, version 2: VIRTIO_F_VERSION_1 and
 * FEATURES_OK, the queue placed through QueueDesc/Avail/Used and QueueReady. On QEMU: the same
 * -drive and -device virtio-blk-device,drive=d0, plus -global virtio-mmio.force-legacy=false. */
#define VIRTIO_VERSION 2
#include "virtio-blk.c"
