/* The virtio-mmio driver layer of virtio-mmio.h: one object for both transport versions, which
 * differ only in how features are confirmed and where a queue's rings are placed. */
#include "virtio-mmio.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "c-rt.h"

static struct vio_dev *irq_devs[VIRTIO_MMIO_SLOTS];
static unsigned irq_dev_count;

static uint32_t rd(struct vio_dev *d, unsigned off)
{
  return *(volatile uint32_t *)(d->base + off);
}

static void wr(struct vio_dev *d, unsigned off, uint32_t value)
{
  *(volatile uint32_t *)(d->base + off) = value;
}

void vio_fail(const char *why)
{
  printf("FAIL: %s\n", why);
  _exit(1);
}

void vio_probe_version(struct vio_dev *d, uint32_t device_id, unsigned version)
{
  memset(d, 0, sizeof *d);
  for (unsigned slot = 0; slot < VIRTIO_MMIO_SLOTS; slot++) {
    uintptr_t base = VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SLOT_SIZE;
    if (*(volatile uint32_t *)(base + VIRTIO_MMIO_MAGIC_VALUE) != VIRT_MAGIC)
      continue;
    if (*(volatile uint32_t *)(base + VIRTIO_MMIO_DEVICE_ID) != device_id)
      continue;
    d->base = base;
    d->slot = slot;
    d->irq = VIRTIO_MMIO_IRQ_BASE + slot;
    d->version = rd(d, VIRTIO_MMIO_VERSION);
    if (d->version != version) {
      printf("FAIL: the transport is version %u, the guest was built for %u\n", d->version, version);
      _exit(1);
    }
    return;
  }
  printf("FAIL: no virtio device with id %lu\n", (unsigned long)device_id);
  _exit(1);
}

uint32_t vio_status(struct vio_dev *d)
{
  return rd(d, VIRTIO_MMIO_STATUS);
}

uint64_t vio_begin(struct vio_dev *d)
{
  wr(d, VIRTIO_MMIO_STATUS, 0);
  if (rd(d, VIRTIO_MMIO_STATUS) != 0)
    vio_fail("the device did not reset");
  wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
  wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
  wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
  uint32_t lo = rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
  wr(d, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
  uint32_t hi = rd(d, VIRTIO_MMIO_DEVICE_FEATURES);
  return ((uint64_t)hi << 32) | lo;
}

void vio_set_features(struct vio_dev *d, uint64_t features)
{
  wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
  wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)features);
  wr(d, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
  wr(d, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(features >> 32));
  if (d->version == 1) {
    wr(d, VIRTIO_MMIO_GUEST_PAGE_SIZE, VQ_PAGE_SIZE);
    return;
  }
  wr(d, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
  if (!(rd(d, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK))
    vio_fail("the device refused the features");
}

void vio_driver_ok(struct vio_dev *d)
{
  wr(d, VIRTIO_MMIO_STATUS, rd(d, VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK);
}

void vio_reset(struct vio_dev *d)
{
  wr(d, VIRTIO_MMIO_STATUS, 0);
}

uint8_t vio_cfg8(struct vio_dev *d, unsigned off)
{
  return *(volatile uint8_t *)(d->base + VIRTIO_MMIO_CONFIG + off);
}

uint16_t vio_cfg16(struct vio_dev *d, unsigned off)
{
  return *(volatile uint16_t *)(d->base + VIRTIO_MMIO_CONFIG + off);
}

uint32_t vio_cfg32(struct vio_dev *d, unsigned off)
{
  return *(volatile uint32_t *)(d->base + VIRTIO_MMIO_CONFIG + off);
}

uint64_t vio_cfg64(struct vio_dev *d, unsigned off)
{
  for (unsigned tries = 0; tries < 1000; tries++) {
    uint32_t gen = d->version == 1 ? 0 : rd(d, VIRTIO_MMIO_CONFIG_GENERATION);
    uint32_t lo = vio_cfg32(d, off);
    uint32_t hi = vio_cfg32(d, off + 4);
    if (d->version == 1 || rd(d, VIRTIO_MMIO_CONFIG_GENERATION) == gen)
      return ((uint64_t)hi << 32) | lo;
  }
  vio_fail("the config generation never settled");
}

void vio_cfg_write8(struct vio_dev *d, unsigned off, uint8_t value)
{
  *(volatile uint8_t *)(d->base + VIRTIO_MMIO_CONFIG + off) = value;
}

void vq_setup(struct vio_dev *d, struct virtq *q, unsigned index, struct vq_mem *mem)
{
  memset(mem, 0, sizeof *mem);
  q->dev = d;
  q->mem = mem;
  q->index = index;
  q->free_head = 0;
  q->num_free = VQ_SIZE;
  q->avail_idx = 0;
  q->last_used = 0;
  for (unsigned i = 0; i < VQ_SIZE; i++)
    mem->desc[i].next = (uint16_t)(i + 1);

  wr(d, VIRTIO_MMIO_QUEUE_SEL, index);
  uint32_t max = rd(d, VIRTIO_MMIO_QUEUE_NUM_MAX);
  if (max == 0)
    vio_fail("the queue does not exist");
  if (max < VQ_SIZE)
    vio_fail("the queue is smaller than the guest's");
  wr(d, VIRTIO_MMIO_QUEUE_NUM, VQ_SIZE);
  if (d->version == 1) {
    uint32_t pfn = (uint32_t)(uintptr_t)mem / VQ_PAGE_SIZE;
    wr(d, VIRTIO_MMIO_QUEUE_ALIGN, VQ_PAGE_SIZE);
    wr(d, VIRTIO_MMIO_QUEUE_PFN, pfn);
    if (rd(d, VIRTIO_MMIO_QUEUE_PFN) != pfn)
      vio_fail("QueuePFN does not read back");
  } else {
    if (rd(d, VIRTIO_MMIO_QUEUE_READY) != 0)
      vio_fail("the queue is ready before the driver set it up");
    wr(d, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)(uintptr_t)mem->desc);
    wr(d, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
    wr(d, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)(uintptr_t)&mem->avail);
    wr(d, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
    wr(d, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)(uintptr_t)&mem->used);
    wr(d, VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
    wr(d, VIRTIO_MMIO_QUEUE_READY, 1);
    if (rd(d, VIRTIO_MMIO_QUEUE_READY) != 1)
      vio_fail("QueueReady does not read back");
  }
}

uint16_t vq_add(struct virtq *q, const struct vq_buf *bufs, unsigned n)
{
  if (n == 0 || n > q->num_free)
    vio_fail("no free descriptors for the chain");
  uint16_t head = q->free_head;
  uint16_t i = head;
  for (unsigned k = 0; k < n; k++) {
    struct virtq_desc *desc = &q->mem->desc[i];
    desc->addr = (uintptr_t)bufs[k].addr;
    desc->len = bufs[k].len;
    desc->flags = (uint16_t)((bufs[k].device_writes ? VIRTQ_DESC_F_WRITE : 0) | (k + 1 < n ? VIRTQ_DESC_F_NEXT : 0));
    i = desc->next; /* the chain's next link, or the free list after the last */
  }
  q->free_head = i;
  q->num_free = (uint16_t)(q->num_free - n);
  q->mem->avail.ring[q->avail_idx % VQ_SIZE] = head;
  q->avail_idx = (uint16_t)(q->avail_idx + 1);
  return head;
}

void vq_kick(struct virtq *q)
{
  __sync_synchronize(); /* descriptors and ring entries before the index */
  *(volatile uint16_t *)&q->mem->avail.idx = q->avail_idx;
  __sync_synchronize(); /* the index before the notification */
  wr(q->dev, VIRTIO_MMIO_QUEUE_NOTIFY, q->index);
}

int vq_take_used(struct virtq *q, uint32_t *len)
{
  volatile struct virtq_used *used = &q->mem->used;
  if (used->idx == q->last_used)
    return -1;
  __sync_synchronize(); /* the index before the element it covers */
  uint32_t id = used->ring[q->last_used % VQ_SIZE].id;
  uint32_t n = used->ring[q->last_used % VQ_SIZE].len;
  q->last_used = (uint16_t)(q->last_used + 1);
  if (id >= VQ_SIZE)
    vio_fail("the device used a descriptor id out of range");
  uint16_t last = (uint16_t)id;
  unsigned count = 1;
  while (q->mem->desc[last].flags & VIRTQ_DESC_F_NEXT) {
    last = q->mem->desc[last].next;
    if (++count > VQ_SIZE)
      vio_fail("a used chain loops");
  }
  q->mem->desc[last].next = q->free_head;
  q->free_head = (uint16_t)id;
  q->num_free = (uint16_t)(q->num_free + count);
  if (q->num_free > VQ_SIZE)
    vio_fail("the device used a chain twice");
  if (len != NULL)
    *len = n;
  return (int)id;
}

uint16_t vq_poll(struct virtq *q, uint32_t *len)
{
  for (unsigned i = 0; i < VIO_POLL_LIMIT; i++) {
    int head = vq_take_used(q, len);
    if (head >= 0)
      return (uint16_t)head;
  }
  vio_fail("the device never returned a polled chain");
}

void vio_wait_irq(struct vio_dev *d, unsigned *seen)
{
  /* Interrupts stay masked between the test and the wfi, so none is taken in between and lost;
   * wfi wakes on the pending interrupt all the same. */
  for (unsigned wakes = 0; wakes < VIO_WAKE_LIMIT; wakes++) {
    if (d->irqs != *seen) {
      *seen = d->irqs;
      return;
    }
    __asm__ volatile("wfi");
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
  }
  vio_fail("woken too often without the device's interrupt");
}

uint16_t vq_wait(struct virtq *q, uint32_t *len)
{
  for (;;) {
    /* The handler runs only inside vio_wait_irq, so the interrupt for a chain used after this
     * test is still ahead and counts as new there. */
    unsigned seen = q->dev->irqs;
    int head = vq_take_used(q, len);
    if (head >= 0)
      return (uint16_t)head;
    vio_wait_irq(q->dev, &seen);
  }
}

static void ack(struct vio_dev *d)
{
  wr(d, VIRTIO_MMIO_INTERRUPT_ACK, rd(d, VIRTIO_MMIO_INTERRUPT_STATUS));
}

void vio_irq_quiesce(struct vio_dev *d)
{
  ack(d);
  /* A PLIC that latches the edge keeps the source pending after the line falls, until it is
   * claimed: claim whatever is left, so the next wait starts clean on any PLIC. */
  for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
    uint32_t source = *(volatile uint32_t *)PLIC_CLAIM_M;
    if (source == 0)
      return;
    *(volatile uint32_t *)PLIC_CLAIM_M = source;
  }
  vio_fail("the PLIC keeps interrupting");
}

static void __attribute__((interrupt("machine"), aligned(4))) on_trap(void)
{
  uint32_t cause = csr_read(mcause);
  if (cause != (CAUSE_INTERRUPT | IRQ_M_EXT)) {
    printf("unexpected trap: mcause=%08lx mepc=%08lx mtval=%08lx\n", (unsigned long)cause,
           (unsigned long)csr_read(mepc), (unsigned long)csr_read(mtval));
    _exit(2);
  }
  uint32_t source = *(volatile uint32_t *)PLIC_CLAIM_M;
  if (source == 0)
    return; /* another context claimed it first, or it went away: nothing to complete */
  struct vio_dev *d = NULL;
  for (unsigned i = 0; i < irq_dev_count; i++)
    if (irq_devs[i]->irq == source)
      d = irq_devs[i];
  if (d == NULL) {
    printf("unexpected trap: PLIC source %lu\n", (unsigned long)source);
    _exit(2);
  }
  /* Acknowledge before completing: the line is a level, and the PLIC pends it again only on a
   * new rising edge. */
  ack(d);
  d->irqs = d->irqs + 1;
  *(volatile uint32_t *)PLIC_CLAIM_M = source;
}

void vio_irq_enable(struct vio_dev *d)
{
  if (irq_dev_count == VIRTIO_MMIO_SLOTS)
    vio_fail("too many devices with interrupts");
  irq_devs[irq_dev_count++] = d;
  *(volatile uint32_t *)(PLIC_BASE + 4 * d->irq) = 1;
  volatile uint32_t *enable = (volatile uint32_t *)(PLIC_ENABLE_M + 4 * (d->irq / 32));
  *enable = *enable | (1u << (d->irq % 32));
  *(volatile uint32_t *)PLIC_THRESHOLD_M = 0;
  csr_write(mtvec, (uint32_t)(uintptr_t)&on_trap);
  csr_set(mie, MIP_MEIP);
}

uint32_t vio_fnv1a(const void *data, unsigned len)
{
  const uint8_t *p = data;
  uint32_t h = 2166136261u;
  for (unsigned i = 0; i < len; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}
