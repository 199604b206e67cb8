/* A bare-metal virtio-input driver (virtio 1.2 §5.8) for a keyboard on the virt board's
 * virtio-mmio transport: legacy version 1 here, modern version 2 when built with VIRTIO_VERSION 2
 * (virtio-input-modern.c). Through the config space's select/subsel window it reads the device's
 * name (VIRTIO_INPUT_CFG_ID_NAME) and its EV_KEY bitmap (VIRTIO_INPUT_CFG_EV_BITS), of which it
 * prints only whether the keys a keyboard needs are there. It posts 8 event buffers on the
 * eventq, prints "ready", then prints every event as "type code value" in decimal, EV_SYN
 * included, re-posting each buffer, until the release of KEY_Q. Events come by interrupt.
 * On QEMU: -device virtio-keyboard-device (slot 7), plus -global virtio-mmio.force-legacy=false
 * for version 2; the host sends keys with QMP input-send-event once "ready" is out
 * (test/support/virtio-peers.ts, virtio-io.md). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "c-rt.h"
#include "virtio-mmio.h"

#define VIRTIO_INPUT_CFG_SELECT 0
#define VIRTIO_INPUT_CFG_SUBSEL 1
#define VIRTIO_INPUT_CFG_SIZE 2
#define VIRTIO_INPUT_CFG_U 8
#define VIRTIO_INPUT_CFG_U_BYTES 128

#define VIRTIO_INPUT_CFG_ID_NAME 0x01
#define VIRTIO_INPUT_CFG_EV_BITS 0x11

#define EV_SYN 0
#define EV_KEY 1
#define KEY_ESC 1
#define KEY_Q 16
#define KEY_A 30
#define KEY_SPACE 57

#define EVENT_QUEUE 0
#define EVENT_BUFFERS 8

struct virtio_input_event {
  uint16_t type;
  uint16_t code;
  uint32_t value;
};

static struct vio_dev dev;
static struct virtq eventq;
static struct vq_mem event_mem;

static struct {
  struct virtio_input_event ev;
  uint16_t head;
} events[EVENT_BUFFERS];

/* Selects a config item; returns its size and copies its bytes to `out` (128 bytes). */
static unsigned config_item(uint8_t select, uint8_t subsel, uint8_t *out)
{
  vio_cfg_write8(&dev, VIRTIO_INPUT_CFG_SELECT, select);
  vio_cfg_write8(&dev, VIRTIO_INPUT_CFG_SUBSEL, subsel);
  unsigned size = vio_cfg8(&dev, VIRTIO_INPUT_CFG_SIZE);
  if (size > VIRTIO_INPUT_CFG_U_BYTES)
    vio_fail("a config item larger than its union");
  memset(out, 0, VIRTIO_INPUT_CFG_U_BYTES);
  for (unsigned i = 0; i < size; i++)
    out[i] = vio_cfg8(&dev, VIRTIO_INPUT_CFG_U + i);
  return size;
}

static int has_bit(const uint8_t *bitmap, unsigned size, unsigned bit)
{
  return bit / 8 < size && (bitmap[bit / 8] >> (bit % 8)) & 1;
}

static void post_event(unsigned i)
{
  struct vq_buf buf = { &events[i].ev, sizeof events[i].ev, 1 };
  events[i].ev = (struct virtio_input_event){ 0xffff, 0xffff, 0xffffffffu };
  events[i].head = vq_add(&eventq, &buf, 1);
}

static void negotiate(void)
{
  uint64_t offered = vio_begin(&dev);
#if VIRTIO_VERSION == 2
  int version_1 = (offered & VIO_BIT(VIRTIO_F_VERSION_1)) != 0;
  printf("device offers: VERSION_1 %s\n", version_1 ? "yes" : "no");
  if (!version_1)
    vio_fail("a modern device must offer VERSION_1");
  vio_set_features(&dev, VIO_BIT(VIRTIO_F_VERSION_1));
#else
  (void)offered;
  vio_set_features(&dev, 0);
#endif
}

static void identify(void)
{
  uint8_t item[VIRTIO_INPUT_CFG_U_BYTES];
  unsigned size = config_item(VIRTIO_INPUT_CFG_ID_NAME, 0, item);
  printf("name (%u bytes): \"", size);
  for (unsigned i = 0; i < size && item[i] != 0; i++)
    printf(item[i] >= 0x20 && item[i] < 0x7f ? "%c" : "\\x%02x", item[i]);
  printf("\"\n");
  size = config_item(VIRTIO_INPUT_CFG_EV_BITS, EV_KEY, item);
  int keyboard = has_bit(item, size, KEY_ESC) && has_bit(item, size, KEY_Q) && has_bit(item, size, KEY_A) && has_bit(item, size, KEY_SPACE);
  printf("keyboard: %s\n", keyboard ? "yes" : "no");
  if (!keyboard)
    vio_fail("the device reports no keyboard keys");
}

int main(void)
{
  printf("virtio-input, transport version %d\n", VIRTIO_VERSION);
  vio_probe(&dev, VIRTIO_ID_INPUT);
  printf("virtio-input in slot %u, PLIC source %u\n", dev.slot, dev.irq);
  negotiate();
  identify();
  vq_setup(&dev, &eventq, EVENT_QUEUE, &event_mem);
  vio_irq_enable(&dev);
  vio_driver_ok(&dev);
  for (unsigned i = 0; i < EVENT_BUFFERS; i++)
    post_event(i);
  vq_kick(&eventq);
  printf("ready\n");

  for (;;) {
    uint32_t len;
    uint16_t head = vq_wait(&eventq, &len);
    unsigned i = 0;
    while (i < EVENT_BUFFERS && events[i].head != head)
      i++;
    if (i == EVENT_BUFFERS)
      vio_fail("the device used a buffer the driver never posted");
    if (len != sizeof events[i].ev)
      vio_fail("an event buffer came back with a length other than 8");
    struct virtio_input_event ev = events[i].ev;
    printf("%u %u %ld\n", ev.type, ev.code, (long)(int32_t)ev.value);
    post_event(i);
    vq_kick(&eventq);
    if (ev.type == EV_KEY && ev.code == KEY_Q && ev.value == 0)
      break;
  }
  vio_reset(&dev);
  printf("done\n");
  return 0;
}
