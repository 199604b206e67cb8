/* A bare-metal virtio-net driver (virtio 1.2 §5.1) on the virt board's virtio-mmio transport:
 * legacy version 1 here, modern version 2 when built with VIRTIO_VERSION 2 (virtio-net-modern.c).
 * It negotiates VIRTIO_NET_F_MAC and nothing else (no offloads, no MRG_RXBUF), so each frame
 * travels behind a virtio_net_hdr of 10 bytes (legacy) or 12 (VERSION_1, with num_buffers), kept
 * in its own descriptor as legacy devices without ANY_LAYOUT require. It posts 8 receive buffers
 * on queue 0, broadcasts one hello frame on queue 1 (ethertype 0x88b5, payload "hello") so the
 * host peer knows it is up, then answers 3 frames of ethertype 0x88b5: it prints each one's
 * length and checksum and sends back a reply with the MAC addresses swapped and every payload
 * byte XORed with 0xff. Frames of another ethertype are dropped unprinted. Receive completions
 * come by interrupt; the transmit ones are polled for before it exits.
 * On QEMU: -netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=P1,
 * remote.type=inet,remote.host=127.0.0.1,remote.port=P2 -device virtio-net-device,netdev=n0
 * (slot 7), plus -global virtio-mmio.force-legacy=false for version 2; the peer is
 * test/support/virtio-peers.ts's NetPeer. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "c-rt.h"
#include "virtio-mmio.h"

#define VIRTIO_NET_F_MAC 5

#define RX_QUEUE 0
#define TX_QUEUE 1
#define RX_BUFFERS 8
#define FRAMES 3
#define TX_FRAMES (1 + FRAMES)

#define ETH_ALEN 6
#define ETH_HLEN 14
#define ETH_MAX_FRAME 1514 /* without the FCS, which virtio-net never carries */
#define ETHERTYPE 0x88b5u /* IEEE 802 local experimental */

#if VIRTIO_VERSION == 1
#define NET_HDR_LEN 10
#else
#define NET_HDR_LEN 12
#endif

static struct vio_dev dev;
static struct virtq rxq, txq;
static struct vq_mem rx_mem, tx_mem;

static uint8_t mac[ETH_ALEN];

struct rx_slot {
  uint8_t hdr[NET_HDR_LEN];
  uint8_t frame[1536];
  uint16_t head;
};
static struct rx_slot rx[RX_BUFFERS];

/* All zero: no checksum offload, no GSO. */
static const uint8_t tx_hdr[NET_HDR_LEN];
static uint8_t tx_frame[TX_FRAMES][ETH_MAX_FRAME];

static void post_rx(struct rx_slot *slot)
{
  struct vq_buf bufs[2] = {
    { slot->hdr, sizeof slot->hdr, 1 },
    { slot->frame, sizeof slot->frame, 1 },
  };
  slot->head = vq_add(&rxq, bufs, 2);
}

static struct rx_slot *rx_slot_of(uint16_t head)
{
  for (unsigned i = 0; i < RX_BUFFERS; i++)
    if (rx[i].head == head)
      return &rx[i];
  vio_fail("the device used a receive chain the driver never posted");
}

static void transmit(const uint8_t *frame, uint32_t len)
{
  struct vq_buf bufs[2] = {
    { tx_hdr, sizeof tx_hdr, 0 },
    { frame, len, 0 },
  };
  vq_add(&txq, bufs, 2);
  vq_kick(&txq);
}

static void print_mac(const char *label, const uint8_t *m)
{
  printf("%s %02x:%02x:%02x:%02x:%02x:%02x", label, m[0], m[1], m[2], m[3], m[4], m[5]);
}

static void negotiate(void)
{
  uint64_t offered = vio_begin(&dev);
  int has_mac = (offered & VIO_BIT(VIRTIO_NET_F_MAC)) != 0;
  printf("device offers: MAC %s", has_mac ? "yes" : "no");
#if VIRTIO_VERSION == 2
  int version_1 = (offered & VIO_BIT(VIRTIO_F_VERSION_1)) != 0;
  printf(", VERSION_1 %s\n", version_1 ? "yes" : "no");
  if (!version_1)
    vio_fail("a modern device must offer VERSION_1");
  uint64_t want = VIO_BIT(VIRTIO_NET_F_MAC) | VIO_BIT(VIRTIO_F_VERSION_1);
#else
  printf("\n");
  uint64_t want = VIO_BIT(VIRTIO_NET_F_MAC);
#endif
  if (!has_mac)
    vio_fail("the guest needs the device's MAC address");
  vio_set_features(&dev, want);
  for (unsigned i = 0; i < ETH_ALEN; i++)
    mac[i] = vio_cfg8(&dev, i);
  print_mac("mac", mac);
  printf(", header %u bytes\n", NET_HDR_LEN);
}

static void send_hello(void)
{
  static const char hello[] = "hello";
  uint8_t *f = tx_frame[0];
  memset(f, 0xff, ETH_ALEN);
  memcpy(f + ETH_ALEN, mac, ETH_ALEN);
  f[12] = ETHERTYPE >> 8;
  f[13] = ETHERTYPE & 0xff;
  memcpy(f + ETH_HLEN, hello, sizeof hello - 1);
  transmit(f, ETH_HLEN + sizeof hello - 1);
  printf("hello sent: %u bytes\n", (unsigned)(ETH_HLEN + sizeof hello - 1));
}

/* Answers one frame: back to its sender, from us, the payload inverted. */
static void reply(unsigned n, const uint8_t *in, uint32_t len)
{
  uint8_t *out = tx_frame[n];
  memcpy(out, in + ETH_ALEN, ETH_ALEN);
  memcpy(out + ETH_ALEN, mac, ETH_ALEN);
  out[12] = in[12];
  out[13] = in[13];
  for (uint32_t i = ETH_HLEN; i < len; i++)
    out[i] = in[i] ^ 0xff;
  transmit(out, len);
  printf("reply %u sent: %lu bytes, fnv %08lx\n", n, (unsigned long)len, (unsigned long)vio_fnv1a(out, len));
}

int main(void)
{
  printf("virtio-net, transport version %d\n", VIRTIO_VERSION);
  vio_probe(&dev, VIRTIO_ID_NET);
  printf("virtio-net in slot %u, PLIC source %u\n", dev.slot, dev.irq);
  negotiate();
  vq_setup(&dev, &rxq, RX_QUEUE, &rx_mem);
  vq_setup(&dev, &txq, TX_QUEUE, &tx_mem);
  vio_irq_enable(&dev);
  vio_driver_ok(&dev);
  /* Buffers go in after DRIVER_OK (the device is live from there); QEMU holds frames back until
   * then and until a receive buffer is posted, so none is lost in between. */
  for (unsigned i = 0; i < RX_BUFFERS; i++)
    post_rx(&rx[i]);
  vq_kick(&rxq);
  printf("%u receive buffers posted\n", RX_BUFFERS);
  send_hello();

  for (unsigned n = 1; n <= FRAMES;) {
    uint32_t used_len;
    struct rx_slot *slot = rx_slot_of(vq_wait(&rxq, &used_len));
    if (used_len < NET_HDR_LEN + ETH_HLEN || used_len > NET_HDR_LEN + ETH_MAX_FRAME)
      vio_fail("a received frame has an impossible length");
    uint32_t len = used_len - NET_HDR_LEN;
    if (((unsigned)slot->frame[12] << 8 | slot->frame[13]) == ETHERTYPE) {
      printf("frame %u: %lu bytes, ", n, (unsigned long)len);
      print_mac("dst", slot->frame);
      print_mac(", src", slot->frame + ETH_ALEN);
      printf(", fnv %08lx\n", (unsigned long)vio_fnv1a(slot->frame, len));
      reply(n, slot->frame, len);
      n++;
    }
    post_rx(slot);
    vq_kick(&rxq);
  }

  for (unsigned done = 0; done < TX_FRAMES; done++)
    vq_poll(&txq, NULL);
  printf("all %u frames transmitted\n", TX_FRAMES);
  vio_reset(&dev);
  return 0;
}
