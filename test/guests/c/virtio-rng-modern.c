/* The virtio-rng guest (virtio-rng.c) on the modern transport, version 2: the features word
 * pair with VIRTIO_F_VERSION_1, FEATURES_OK, the queue placed through QueueDesc/Avail/Used and
 * QueueReady, and VIRTIO_F_EVENT_IDX to steer interrupts. On QEMU: -device virtio-rng-device
 * -global virtio-mmio.force-legacy=false. */
#define VIRTIO_VERSION 2
#include "virtio-rng.c"
