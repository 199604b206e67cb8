/* The virtio-input guest (virtio-input.c) on the modern transport, version 2: VIRTIO_F_VERSION_1,
 * FEATURES_OK and QueueReady. On QEMU: -device virtio-keyboard-device plus
 * -global virtio-mmio.force-legacy=false. */
#define VIRTIO_VERSION 2
#include "virtio-input.c"
