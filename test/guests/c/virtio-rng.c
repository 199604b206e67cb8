/* A bare-metal virtio-rng driver on the virt board's virtio-mmio transport. It probes the eight
 * slots (magic, version, device id), brings the entropy device up (legacy version 1 here; modern
 * version 2 when built with VIRTIO_VERSION 2, as virtio-rng-modern.c does), and makes three
 * requests: one it polls for, one made of an indirect descriptor table that completes by its PLIC
 * interrupt, and one whose interrupt it suppresses (VIRTQ_AVAIL_F_NO_INTERRUPT in legacy mode,
 * used_event with VIRTIO_F_EVENT_IDX in modern mode). It prints only what every run shares --
 * where the device is, what the transport offers, how many bytes came back and that they are not
 * all zero -- never the entropy itself, and it waits for completions without counting, since QEMU
 * completes requests a little later than the notification and rvreplay at once.
 * On QEMU: -device virtio-rng-device (slot 7), plus -global virtio-mmio.force-legacy=false for
 * version 2. */
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include "c-rt.h"
#include "virtio-mmio-regs.h"

#ifndef VIRTIO_VERSION
#define VIRTIO_VERSION 1
#endif

#define QUEUE_SIZE 8u
#define PAGE_SIZE 4096u
/* Far more polls than QEMU needs to complete a request: only a lost request gets there. */
#define POLL_LIMIT 50000000u

struct virtq_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};

struct virtq_avail {
  uint16_t flags;
  uint16_t idx;
  uint16_t ring[QUEUE_SIZE];
  uint16_t used_event;
};

struct virtq_used_elem {
  uint32_t id;
  uint32_t len;
};

struct virtq_used {
  uint16_t flags;
  uint16_t idx;
  struct virtq_used_elem ring[QUEUE_SIZE];
  uint16_t avail_event;
};

/* The legacy layout with QueueAlign 4096: the used ring starts on the page after the rest. */
static struct {
  struct virtq_desc desc[QUEUE_SIZE];
  struct virtq_avail avail;
  struct virtq_used used __attribute__((aligned(PAGE_SIZE)));
} __attribute__((aligned(PAGE_SIZE))) vq;

static struct virtq_desc indirect[2] __attribute__((aligned(16)));
static uint8_t polled_buf[64];
static uint8_t irq_buf_a[16];
static uint8_t irq_buf_b[48];
static uint8_t quiet_buf[32];

static uintptr_t dev;
static unsigned dev_irq;
static volatile unsigned irq_count;
static volatile uint32_t irq_status;

static uint32_t rd(uintptr_t base, unsigned off)
{
  return *(volatile uint32_t *)(base + off);
}

static void wr(uintptr_t base, unsigned off, uint32_t value)
{
  *(volatile uint32_t *)(base + off) = value;
}

static void fail(const char *why)
{
  printf("FAIL: %s\n", why);
  _exit(1);
}

static int all_zero(const uint8_t *p, unsigned n)
{
  for (unsigned i = 0; i < n; i++)
    if (p[i] != 0)
      return 0;
  return 1;
}

static void __attribute__((interrupt("machine"), aligned(4))) on_trap(void)
{
  uint32_t cause = csr_read(mcause);
  if (cause != (CAUSE_INTERRUPT | IRQ_M_EXT)) {
    printf("unexpected trap: mcause=%08lx\n", (unsigned long)cause);
    _exit(2);
  }
  uint32_t source = *(volatile uint32_t *)PLIC_CLAIM_M;
  if (source == dev_irq) {
    uint32_t status = rd(dev, VIRTIO_MMIO_INTERRUPT_STATUS);
    wr(dev, VIRTIO_MMIO_INTERRUPT_ACK, status);
    irq_status = status;
    irq_count = irq_count + 1;
  }
  *(volatile uint32_t *)PLIC_CLAIM_M = source;
}

/* Makes descriptor `head` available and tells the device. */
static void post(uint16_t head)
{
  vq.avail.ring[vq.avail.idx % QUEUE_SIZE] = head;
  __sync_synchronize(); /* the ring entry before the index */
  vq.avail.idx = vq.avail.idx + 1;
  __sync_synchronize(); /* the index before the notification */
  wr(dev, VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

/* Waits until the device has used `count` chains in all; returns the last one. */
static struct virtq_used_elem wait_used(uint16_t count)
{
  volatile struct virtq_used *used = &vq.used;
  for (unsigned i = 0; used->idx != count; i++)
    if (i == POLL_LIMIT)
      fail("the device never returned the buffer");
  __sync_synchronize();
  struct virtq_used_elem e = { used->ring[(count - 1) % QUEUE_SIZE].id, used->ring[(count - 1) % QUEUE_SIZE].len };
  return e;
}

static void check_elem(struct virtq_used_elem e, uint16_t head, unsigned len, const char *what)
{
  if (e.id != head || e.len != len) {
    printf("FAIL: %s came back as descriptor %lu with %lu bytes\n", what, (unsigned long)e.id, (unsigned long)e.len);
    _exit(1);
  }
}

static void probe(void)
{
  for (unsigned slot = 0; slot < VIRTIO_MMIO_SLOTS; slot++) {
    uintptr_t base = VIRTIO_MMIO_BASE + slot * VIRTIO_MMIO_SLOT_SIZE;
    uint32_t magic = rd(base, VIRTIO_MMIO_MAGIC_VALUE);
    uint32_t version = rd(base, VIRTIO_MMIO_VERSION);
    uint32_t id = rd(base, VIRTIO_MMIO_DEVICE_ID);
    printf("slot %u at %08lx: magic %s, version %lu, device id %lu\n", slot, (unsigned long)base,
           magic == VIRT_MAGIC ? "ok" : "BAD", (unsigned long)version, (unsigned long)id);
    if (magic == VIRT_MAGIC && id == VIRTIO_ID_RNG && dev == 0) {
      dev = base;
      dev_irq = VIRTIO_MMIO_IRQ_BASE + slot;
    }
  }
  if (dev == 0)
    fail("no virtio-rng device");
  printf("virtio-rng at %08lx, PLIC source %u, vendor %08lx\n", (unsigned long)dev, dev_irq,
         (unsigned long)rd(dev, VIRTIO_MMIO_VENDOR_ID));
  if (rd(dev, VIRTIO_MMIO_VERSION) != VIRTIO_VERSION)
    fail("the transport is not the version this guest was built for");
}

static void negotiate(void)
{
  wr(dev, VIRTIO_MMIO_STATUS, 0);
  wr(dev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE);
  wr(dev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER);
  wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
  uint32_t lo = rd(dev, VIRTIO_MMIO_DEVICE_FEATURES);
  wr(dev, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
  uint32_t hi = rd(dev, VIRTIO_MMIO_DEVICE_FEATURES);
  printf("device features: %08lx %08lx\n", (unsigned long)hi, (unsigned long)lo);
#if VIRTIO_VERSION == 1
  uint32_t want_lo = lo & (1u << VIRTIO_F_INDIRECT_DESC);
  uint32_t want_hi = 0;
#else
  uint32_t want_lo = lo & ((1u << VIRTIO_F_INDIRECT_DESC) | (1u << VIRTIO_F_EVENT_IDX));
  uint32_t want_hi = hi & (1u << (VIRTIO_F_VERSION_1 - 32));
#endif
  wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
  wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, want_lo);
  wr(dev, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
  wr(dev, VIRTIO_MMIO_DRIVER_FEATURES, want_hi);
  printf("driver features: %08lx %08lx\n", (unsigned long)want_hi, (unsigned long)want_lo);
#if VIRTIO_VERSION == 2
  wr(dev, VIRTIO_MMIO_STATUS, VIRTIO_CONFIG_S_ACKNOWLEDGE | VIRTIO_CONFIG_S_DRIVER | VIRTIO_CONFIG_S_FEATURES_OK);
  if (!(rd(dev, VIRTIO_MMIO_STATUS) & VIRTIO_CONFIG_S_FEATURES_OK))
    fail("the device refused the features");
  printf("config generation %lu\n", (unsigned long)rd(dev, VIRTIO_MMIO_CONFIG_GENERATION));
#endif
  printf("config space: %08lx (none)\n", (unsigned long)rd(dev, VIRTIO_MMIO_CONFIG));
}

static void setup_queue(void)
{
  wr(dev, VIRTIO_MMIO_QUEUE_SEL, 1);
  uint32_t max1 = rd(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
  wr(dev, VIRTIO_MMIO_QUEUE_SEL, 0);
  uint32_t max0 = rd(dev, VIRTIO_MMIO_QUEUE_NUM_MAX);
  printf("queue 0: max size %lu (queue 1: %lu)\n", (unsigned long)max0, (unsigned long)max1);
  if (max0 < QUEUE_SIZE)
    fail("the request queue is too small");
  wr(dev, VIRTIO_MMIO_QUEUE_NUM, QUEUE_SIZE);
#if VIRTIO_VERSION == 1
  wr(dev, VIRTIO_MMIO_GUEST_PAGE_SIZE, PAGE_SIZE);
  wr(dev, VIRTIO_MMIO_QUEUE_ALIGN, PAGE_SIZE);
  wr(dev, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)(uintptr_t)&vq / PAGE_SIZE);
  if (rd(dev, VIRTIO_MMIO_QUEUE_PFN) != (uint32_t)(uintptr_t)&vq / PAGE_SIZE)
    fail("QueuePFN does not read back");
  printf("queue 0: size %u, legacy layout at the queue's page frame\n", QUEUE_SIZE);
#else
  if (rd(dev, VIRTIO_MMIO_QUEUE_READY) != 0)
    fail("the queue is ready before the driver set it up");
  wr(dev, VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)(uintptr_t)vq.desc);
  wr(dev, VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
  wr(dev, VIRTIO_MMIO_QUEUE_AVAIL_LOW, (uint32_t)(uintptr_t)&vq.avail);
  wr(dev, VIRTIO_MMIO_QUEUE_AVAIL_HIGH, 0);
  wr(dev, VIRTIO_MMIO_QUEUE_USED_LOW, (uint32_t)(uintptr_t)&vq.used);
  wr(dev, VIRTIO_MMIO_QUEUE_USED_HIGH, 0);
  wr(dev, VIRTIO_MMIO_QUEUE_READY, 1);
  printf("queue 0: size %u, ready %lu\n", QUEUE_SIZE, (unsigned long)rd(dev, VIRTIO_MMIO_QUEUE_READY));
#endif
  uint32_t status = rd(dev, VIRTIO_MMIO_STATUS) | VIRTIO_CONFIG_S_DRIVER_OK;
  wr(dev, VIRTIO_MMIO_STATUS, status);
  printf("status %02lx\n", (unsigned long)rd(dev, VIRTIO_MMIO_STATUS));
}

static void polled_request(void)
{
  vq.desc[0] = (struct virtq_desc){ (uintptr_t)polled_buf, sizeof polled_buf, VIRTQ_DESC_F_WRITE, 0 };
  post(0);
  check_elem(wait_used(1), 0, sizeof polled_buf, "the polled request");
  printf("request 1 (polled): %u bytes, %s\n", (unsigned)sizeof polled_buf, all_zero(polled_buf, sizeof polled_buf) ? "ALL ZERO" : "not all zero");
#if VIRTIO_VERSION == 2
  printf("  avail_event %u\n", vq.used.avail_event);
#endif
  /* The first used buffer always interrupts, whatever the driver asked. */
  uint32_t status = rd(dev, VIRTIO_MMIO_INTERRUPT_STATUS);
  wr(dev, VIRTIO_MMIO_INTERRUPT_ACK, status);
  printf("  interrupt status %lu, after ack %lu\n", (unsigned long)status, (unsigned long)rd(dev, VIRTIO_MMIO_INTERRUPT_STATUS));
}

static void interrupt_request(void)
{
  *(volatile uint32_t *)(PLIC_BASE + 4 * dev_irq) = 1;
  *(volatile uint32_t *)(PLIC_ENABLE_M + 4 * (dev_irq / 32)) = 1u << (dev_irq % 32);
  *(volatile uint32_t *)PLIC_THRESHOLD_M = 0;
  /* The PLIC latched request 1's interrupt (a gateway pends on the rising edge and only a claim
   * clears it): claim it now, or it would fire before request 2's, at a moment that depends on
   * when QEMU completes the request. */
  uint32_t stale = *(volatile uint32_t *)PLIC_CLAIM_M;
  if (stale != 0)
    *(volatile uint32_t *)PLIC_CLAIM_M = stale;
  csr_write(mtvec, (uint32_t)(uintptr_t)&on_trap);
  csr_set(mie, MIP_MEIP);
#if VIRTIO_VERSION == 2
  vq.avail.used_event = 1; /* interrupt once the used index passes 1 */
#endif
  indirect[0] = (struct virtq_desc){ (uintptr_t)irq_buf_a, sizeof irq_buf_a, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1 };
  indirect[1] = (struct virtq_desc){ (uintptr_t)irq_buf_b, sizeof irq_buf_b, VIRTQ_DESC_F_WRITE, 0 };
  vq.desc[1] = (struct virtq_desc){ (uintptr_t)indirect, sizeof indirect, VIRTQ_DESC_F_INDIRECT, 0 };
  post(1);
  /* Wait with interrupts masked so none is taken between the test and the wfi. */
  while (irq_count == 0) {
    __asm__ volatile("wfi");
    csr_set(mstatus, MSTATUS_MIE);
    csr_clear(mstatus, MSTATUS_MIE);
  }
  check_elem(wait_used(2), 1, sizeof irq_buf_a + sizeof irq_buf_b, "the indirect request");
  int zero = all_zero(irq_buf_a, sizeof irq_buf_a) && all_zero(irq_buf_b, sizeof irq_buf_b);
  printf("request 2 (indirect, by interrupt): %u bytes, %s\n", (unsigned)(sizeof irq_buf_a + sizeof irq_buf_b), zero ? "ALL ZERO" : "not all zero");
  printf("  interrupts %u, interrupt status %lu\n", irq_count, (unsigned long)irq_status);
}

static void quiet_request(void)
{
#if VIRTIO_VERSION == 1
  vq.avail.flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
#else
  vq.avail.used_event = 5; /* not before the used index passes 5 */
#endif
  vq.desc[2] = (struct virtq_desc){ (uintptr_t)quiet_buf, sizeof quiet_buf, VIRTQ_DESC_F_WRITE, 0 };
  post(2);
  check_elem(wait_used(3), 2, sizeof quiet_buf, "the quiet request");
  printf("request 3 (interrupt suppressed): %u bytes, %s\n", (unsigned)sizeof quiet_buf, all_zero(quiet_buf, sizeof quiet_buf) ? "ALL ZERO" : "not all zero");
  printf("  interrupt status %lu, pending at the PLIC %lu\n", (unsigned long)rd(dev, VIRTIO_MMIO_INTERRUPT_STATUS),
         (unsigned long)((csr_read(mip) & MIP_MEIP) != 0));
}

static void reset(void)
{
  wr(dev, VIRTIO_MMIO_STATUS, 0);
#if VIRTIO_VERSION == 1
  uint32_t queue = rd(dev, VIRTIO_MMIO_QUEUE_PFN);
#else
  uint32_t queue = rd(dev, VIRTIO_MMIO_QUEUE_READY);
#endif
  printf("reset: status %lu, queue %s %lu\n", (unsigned long)rd(dev, VIRTIO_MMIO_STATUS),
         VIRTIO_VERSION == 1 ? "pfn" : "ready", (unsigned long)queue);
}

int main(void)
{
  printf("virtio-rng, transport version %d\n", VIRTIO_VERSION);
  probe();
  negotiate();
  setup_queue();
  polled_request();
  interrupt_request();
  quiet_request();
  reset();
  return 0;
}
