/* A small virtio-mmio driver layer shared by the virtio-blk, virtio-net and virtio-input guests
 * (virtio 1.2 §4.2, plus the legacy transport of its §4.2.4): slot probing, device bring-up on
 * either transport version, split virtqueues and the PLIC interrupt. The transport version is a
 * build-time choice of each guest (-DVIRTIO_VERSION=1|2, or a #define before including this
 * header); this layer, compiled once as virtio-mmio.c, takes it at run time through vio_probe(),
 * so one object serves both builds. On QEMU's virt board the eight slots sit at 0x10001000 +
 * i * 0x1000 with PLIC source 1 + i, and the n-th -device goes to slot 7 - n. */
#ifndef GUEST_VIRTIO_MMIO_H
#define GUEST_VIRTIO_MMIO_H

#include <stdint.h>

#ifndef VIRTIO_VERSION
#define VIRTIO_VERSION 1
#endif

#include "virtio-mmio-regs.h"

#define VIO_BIT(n) ((uint64_t)1 << (n))

/* Every queue this layer drives has this many descriptors (QEMU's smallest maximum, virtio-input's
 * 64, is larger), and the legacy layout with QueueAlign 4096 puts the used ring on its own page. */
#define VQ_SIZE 16u
#define VQ_PAGE_SIZE 4096u

/* Far more polls than QEMU needs to complete a request: only a lost request gets there. */
#define VIO_POLL_LIMIT 50000000u
/* A wait for an interrupt ends in failure after this many wake-ups that brought nothing. */
#define VIO_WAKE_LIMIT 1000000u

struct virtq_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

struct virtq_avail {
  uint16_t flags;
  uint16_t idx;
  uint16_t ring[VQ_SIZE];
  uint16_t used_event;
};

struct virtq_used_elem {
  uint32_t id;
  uint32_t len;
};

struct virtq_used {
  uint16_t flags;
  uint16_t idx;
  struct virtq_used_elem ring[VQ_SIZE];
  uint16_t avail_event;
};

/* A queue's rings in guest memory, in the legacy layout (valid for the modern one as well). */
struct vq_mem {
  struct virtq_desc desc[VQ_SIZE];
  struct virtq_avail avail;
  struct virtq_used used __attribute__((aligned(VQ_PAGE_SIZE)));
} __attribute__((aligned(VQ_PAGE_SIZE)));

struct vio_dev {
  uintptr_t base;
  unsigned slot;
  unsigned irq; /* PLIC source */
  unsigned version; /* transport version: 1 legacy, 2 modern */
  volatile unsigned irqs; /* interrupts taken (never printed: QEMU coalesces them by timing) */
};

struct virtq {
  struct vio_dev *dev;
  struct vq_mem *mem;
  unsigned index;
  uint16_t free_head;
  uint16_t num_free;
  uint16_t avail_idx; /* the driver's copy, published by vq_kick */
  uint16_t last_used;
};

/* One buffer of a descriptor chain. */
struct vq_buf {
  const void *addr;
  uint32_t len;
  int device_writes; /* 1: the device writes it (VIRTQ_DESC_F_WRITE); 0: the device reads it */
};

void vio_fail(const char *why) __attribute__((noreturn));

/* Finds the first slot holding a device of this id; fails unless its transport is `version`. */
void vio_probe_version(struct vio_dev *d, uint32_t device_id, unsigned version);
#define vio_probe(d, device_id) vio_probe_version((d), (device_id), VIRTIO_VERSION)

/* Resets the device, sets ACKNOWLEDGE and DRIVER, and returns the 64 device feature bits. */
uint64_t vio_begin(struct vio_dev *d);
/* Writes the driver's features; on the modern transport sets FEATURES_OK and fails if the device
 * refuses; on the legacy one writes GuestPageSize, which precedes any queue setup. */
void vio_set_features(struct vio_dev *d, uint64_t features);
void vio_driver_ok(struct vio_dev *d);
void vio_reset(struct vio_dev *d);
uint32_t vio_status(struct vio_dev *d);

uint8_t vio_cfg8(struct vio_dev *d, unsigned off);
uint16_t vio_cfg16(struct vio_dev *d, unsigned off);
uint32_t vio_cfg32(struct vio_dev *d, unsigned off);
/* A 64-bit field as two 32-bit reads, retried while the config generation moves (modern). */
uint64_t vio_cfg64(struct vio_dev *d, unsigned off);
void vio_cfg_write8(struct vio_dev *d, unsigned off, uint8_t value);

/* Places queue `index` at `mem` with VQ_SIZE descriptors; fails if the device's queue is smaller
 * or absent. */
void vq_setup(struct vio_dev *d, struct virtq *q, unsigned index, struct vq_mem *mem);
/* Chains the buffers into free descriptors and puts the chain in the available ring, unpublished
 * until vq_kick; returns the chain's head descriptor. Fails if the queue has too few free. */
uint16_t vq_add(struct virtq *q, const struct vq_buf *bufs, unsigned n);
/* Publishes every chain added since the last kick (one index update) and notifies the device. */
void vq_kick(struct virtq *q);
/* Takes the next used chain, if there is one: returns its head (and the length the device wrote
 * in *len) and frees its descriptors; returns -1 when the device has used nothing new. */
int vq_take_used(struct virtq *q, uint32_t *len);
/* Like vq_take_used, but spins until a chain comes back (VIO_POLL_LIMIT reads, then fails). */
uint16_t vq_poll(struct virtq *q, uint32_t *len);
/* Like vq_poll, but sleeps in wfi until the device's interrupt (vio_irq_enable first). */
uint16_t vq_wait(struct virtq *q, uint32_t *len);

/* Routes the device's PLIC source to this hart's M-mode context and enables mie.MEIE; the handler
 * acknowledges the device's InterruptStatus and counts in d->irqs. mstatus.MIE stays clear except
 * inside vio_wait_irq, so the handler runs only there. */
void vio_irq_enable(struct vio_dev *d);

/* Sleeps in wfi until the device has interrupted since the count `*seen` (d->irqs when the
 * caller last looked), then updates it. VIO_WAKE_LIMIT wake-ups without that fail; an interrupt
 * that never comes hangs here, to be ended by the test's time limit (see virtio-io.md). */
void vio_wait_irq(struct vio_dev *d, unsigned *seen);
/* Acknowledges the device's InterruptStatus and claims what the PLIC still has pending, so the
 * next vio_wait_irq waits for an interrupt raised after this. */
void vio_irq_quiesce(struct vio_dev *d);

/* FNV-1a, 32 bits: the checksum the guests print. */
uint32_t vio_fnv1a(const void *data, unsigned len);

#endif
