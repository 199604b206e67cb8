/* A bare-metal virtio-blk driver (virtio 1.2 §5.2) on the virt board's virtio-mmio transport:
 * legacy version 1 here, modern version 2 when built with VIRTIO_VERSION 2 (virtio-blk-modern.c).
 * The disk is test/support/virtio-peers.ts's makeDiskImage(path, 64): 64 sectors of 512 bytes,
 * byte i of sector s being (s * 31 + i * 7 + (i >> 8)) & 0xff.
 * It reads the capacity, negotiates SEG_MAX, BLK_SIZE and FLUSH if offered, then: (a) a polled
 * read of sectors 0-7; (b) four reads posted with one notify, completed by interrupt and printed
 * in request order; (c) a write of sector 5 and a read-back of 4-6; (d) a flush; (e) a read past
 * the end, which must fail with IOERR; (f) GET_ID. Everything it prints follows from the disk's
 * contents, never from when or in which order the device completes requests.
 * On QEMU: -drive file=disk.img,if=none,format=raw,id=d0,snapshot=on
 * -device virtio-blk-device,drive=d0 (slot 7), plus -global virtio-mmio.force-legacy=false for
 * version 2. snapshot=on keeps (c)'s write out of the image, so every run reads the same disk. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "c-rt.h"
#include "virtio-mmio.h"

#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9

#define VIRTIO_BLK_T_IN 0u
#define VIRTIO_BLK_T_OUT 1u
#define VIRTIO_BLK_T_FLUSH 4u
#define VIRTIO_BLK_T_GET_ID 8u

#define VIRTIO_BLK_S_OK 0u
#define VIRTIO_BLK_S_IOERR 1u

#define VIRTIO_BLK_CFG_CAPACITY 0
#define VIRTIO_BLK_CFG_SEG_MAX 12
#define VIRTIO_BLK_CFG_BLK_SIZE 20
#define VIRTIO_BLK_ID_BYTES 20

#define SECTOR 512u
#define DISK_SECTORS 64u
#define STATUS_UNSET 0xeeu
#define ID_FILL '#'

struct virtio_blk_outhdr {
  uint32_t type;
  uint32_t reserved;
  uint64_t sector;
};

struct blk_req {
  struct virtio_blk_outhdr hdr;
  uint8_t status;
  uint16_t head;
  int done;
  uint32_t used_len;
};

static struct vio_dev dev;
static struct virtq vq;
static struct vq_mem vq_mem;

static uint64_t features; /* as negotiated */
static struct blk_req reqs[4];
static uint8_t big[8 * SECTOR];
static uint8_t batch_buf[4][4 * SECTOR];
static uint8_t one_sector[SECTOR];
static uint8_t id_buf[VIRTIO_BLK_ID_BYTES];

static uint8_t pattern(unsigned sector, unsigned i)
{
  return (uint8_t)((sector * 31u + i * 7u + (i >> 8)) & 0xffu);
}

static uint8_t written(unsigned i)
{
  return (uint8_t)(0xa5u ^ (i * 3u));
}

/* The first sector of `count` at `buf` (first at `sector`) that differs from the disk pattern,
 * or -1. */
static int bad_sector(const uint8_t *buf, unsigned sector, unsigned count)
{
  for (unsigned s = 0; s < count; s++)
    for (unsigned i = 0; i < SECTOR; i++)
      if (buf[s * SECTOR + i] != pattern(sector + s, i))
        return (int)(sector + s);
  return -1;
}

/* Header, data (if any) and status in separate descriptors, the common layout. */
static void add_req(struct blk_req *r, uint32_t type, uint64_t sector, void *data, uint32_t len, int device_writes)
{
  r->hdr = (struct virtio_blk_outhdr){ type, 0, sector };
  r->status = STATUS_UNSET;
  r->done = 0;
  r->used_len = 0;
  struct vq_buf bufs[3];
  unsigned n = 0;
  bufs[n++] = (struct vq_buf){ &r->hdr, sizeof r->hdr, 0 };
  if (len != 0)
    bufs[n++] = (struct vq_buf){ data, len, device_writes };
  bufs[n++] = (struct vq_buf){ &r->status, 1, 1 };
  r->head = vq_add(&vq, bufs, n);
}

/* Marks the request a used chain belongs to as done. */
static void complete(uint16_t head, uint32_t len, unsigned nreqs)
{
  for (unsigned k = 0; k < nreqs; k++) {
    if (reqs[k].head == head && !reqs[k].done) {
      reqs[k].done = 1;
      reqs[k].used_len = len;
      return;
    }
  }
  vio_fail("the device used a chain no request is waiting for");
}

/* One request, posted alone and polled for. */
static struct blk_req *polled(uint32_t type, uint64_t sector, void *data, uint32_t len, int device_writes)
{
  add_req(&reqs[0], type, sector, data, len, device_writes);
  vq_kick(&vq);
  uint32_t used_len;
  uint16_t head = vq_poll(&vq, &used_len);
  complete(head, used_len, 1);
  return &reqs[0];
}

static void negotiate(void)
{
  uint64_t offered = vio_begin(&dev);
  int seg_max = (offered & VIO_BIT(VIRTIO_BLK_F_SEG_MAX)) != 0;
  int blk_size = (offered & VIO_BIT(VIRTIO_BLK_F_BLK_SIZE)) != 0;
  int flush = (offered & VIO_BIT(VIRTIO_BLK_F_FLUSH)) != 0;
  printf("device offers: SEG_MAX %s, BLK_SIZE %s, FLUSH %s", seg_max ? "yes" : "no", blk_size ? "yes" : "no", flush ? "yes" : "no");
#if VIRTIO_VERSION == 2
  int version_1 = (offered & VIO_BIT(VIRTIO_F_VERSION_1)) != 0;
  printf(", VERSION_1 %s", version_1 ? "yes" : "no");
  if (!version_1) {
    printf("\n");
    vio_fail("a modern device must offer VERSION_1");
  }
#endif
  printf("\n");
  uint64_t want = offered & (VIO_BIT(VIRTIO_BLK_F_SEG_MAX) | VIO_BIT(VIRTIO_BLK_F_BLK_SIZE) | VIO_BIT(VIRTIO_BLK_F_FLUSH) | VIO_BIT(VIRTIO_F_VERSION_1));
#if VIRTIO_VERSION == 1
  want &= ~VIO_BIT(VIRTIO_F_VERSION_1);
#endif
  vio_set_features(&dev, want);
  features = want;

  uint64_t capacity = vio_cfg64(&dev, VIRTIO_BLK_CFG_CAPACITY);
  printf("capacity %lu sectors\n", (unsigned long)capacity);
  if (capacity != DISK_SECTORS)
    vio_fail("the disk must be the 64-sector test image");
  if (blk_size)
    printf("blk_size %lu\n", (unsigned long)vio_cfg32(&dev, VIRTIO_BLK_CFG_BLK_SIZE));
  if (seg_max) {
    uint32_t n = vio_cfg32(&dev, VIRTIO_BLK_CFG_SEG_MAX);
    printf("seg_max %lu\n", (unsigned long)n);
    if (n < 1)
      vio_fail("every request here has a data segment");
  }
}

static void read_polled(void)
{
  memset(big, 0, sizeof big);
  struct blk_req *r = polled(VIRTIO_BLK_T_IN, 0, big, sizeof big, 1);
  int bad = bad_sector(big, 0, 8);
  printf("(a) polled read of sectors 0-7: status %u, used len %lu, %s, fnv %08lx\n", r->status,
         (unsigned long)r->used_len, bad < 0 ? "pattern ok" : "PATTERN WRONG", (unsigned long)vio_fnv1a(big, sizeof big));
  if (r->status != VIRTIO_BLK_S_OK || bad >= 0)
    vio_fail("the first read");
}

static void read_batch(void)
{
  static const unsigned sectors[4] = { 10, 20, 30, 40 };
  static const unsigned lengths[4] = { 512, 1024, 512, 2048 };
  memset(batch_buf, 0, sizeof batch_buf);
  for (unsigned k = 0; k < 4; k++)
    add_req(&reqs[k], VIRTIO_BLK_T_IN, sectors[k], batch_buf[k], lengths[k], 1);
  /* The polled requests left their interrupt pending: clear it, so the chains below are taken
   * only after an interrupt raised for them (QEMU completes them within the notify already). */
  vio_irq_quiesce(&dev);
  unsigned seen = dev.irqs;
  vq_kick(&vq);
  for (unsigned done = 0; done < 4;) {
    vio_wait_irq(&dev, &seen);
    uint32_t used_len;
    for (int head; (head = vq_take_used(&vq, &used_len)) >= 0; done++)
      complete((uint16_t)head, used_len, 4);
  }
  printf("(b) four reads, one notify, completed by interrupt:\n");
  int failed = 0;
  for (unsigned k = 0; k < 4; k++) {
    struct blk_req *r = &reqs[k];
    int bad = bad_sector(batch_buf[k], sectors[k], lengths[k] / SECTOR);
    printf("  sector %u, %u bytes: status %u, used len %lu, %s, fnv %08lx\n", sectors[k], lengths[k], r->status,
           (unsigned long)r->used_len, bad < 0 ? "pattern ok" : "PATTERN WRONG", (unsigned long)vio_fnv1a(batch_buf[k], lengths[k]));
    failed |= r->status != VIRTIO_BLK_S_OK || bad >= 0;
  }
  if (failed)
    vio_fail("a batched read");
}

static void write_and_read_back(void)
{
  for (unsigned i = 0; i < SECTOR; i++)
    one_sector[i] = written(i);
  struct blk_req *r = polled(VIRTIO_BLK_T_OUT, 5, one_sector, SECTOR, 0);
  printf("(c) write of sector 5: status %u, used len %lu\n", r->status, (unsigned long)r->used_len);
  if (r->status != VIRTIO_BLK_S_OK)
    vio_fail("the write");

  uint8_t *back = big;
  memset(back, 0, 3 * SECTOR);
  r = polled(VIRTIO_BLK_T_IN, 4, back, 3 * SECTOR, 1);
  int landed = 1;
  for (unsigned i = 0; i < SECTOR; i++)
    landed &= back[SECTOR + i] == written(i);
  int before = bad_sector(back, 4, 1) < 0;
  int after = bad_sector(back + 2 * SECTOR, 6, 1) < 0;
  printf("    read-back of sectors 4-6: status %u, used len %lu, sector 4 %s, sector 5 %s, sector 6 %s\n", r->status,
         (unsigned long)r->used_len, before ? "intact" : "CHANGED", landed ? "written" : "NOT WRITTEN", after ? "intact" : "CHANGED");
  if (r->status != VIRTIO_BLK_S_OK || !landed || !before || !after)
    vio_fail("the read-back");
}

static void flush(void)
{
  if (!(features & VIO_BIT(VIRTIO_BLK_F_FLUSH))) {
    printf("(d) flush: not offered\n");
    return;
  }
  struct blk_req *r = polled(VIRTIO_BLK_T_FLUSH, 0, NULL, 0, 0);
  printf("(d) flush: status %u, used len %lu\n", r->status, (unsigned long)r->used_len);
  if (r->status != VIRTIO_BLK_S_OK)
    vio_fail("the flush");
}

static void read_past_end(void)
{
  memset(one_sector, 0, sizeof one_sector);
  struct blk_req *r = polled(VIRTIO_BLK_T_IN, DISK_SECTORS, one_sector, SECTOR, 1);
  printf("(e) read of sector %u, past the end: status %u, used len %lu\n", DISK_SECTORS, r->status, (unsigned long)r->used_len);
  if (r->status != VIRTIO_BLK_S_IOERR)
    vio_fail("a read past the end must fail with VIRTIO_BLK_S_IOERR");
}

static void get_id(void)
{
  memset(id_buf, ID_FILL, sizeof id_buf);
  struct blk_req *r = polled(VIRTIO_BLK_T_GET_ID, 0, id_buf, sizeof id_buf, 1);
  printf("(f) get id: status %u, used len %lu", r->status, (unsigned long)r->used_len);
  if (r->status == VIRTIO_BLK_S_OK) {
    /* NUL-terminated only when shorter than the 20 bytes; what the device did not write keeps
     * the fill byte and shows. */
    printf(", id \"");
    for (unsigned i = 0; i < sizeof id_buf && id_buf[i] != 0; i++)
      printf(id_buf[i] >= 0x20 && id_buf[i] < 0x7f ? "%c" : "\\x%02x", id_buf[i]);
    printf("\"");
  }
  printf("\n");
}

int main(void)
{
  printf("virtio-blk, transport version %d\n", VIRTIO_VERSION);
  vio_probe(&dev, VIRTIO_ID_BLOCK);
  printf("virtio-blk in slot %u, PLIC source %u\n", dev.slot, dev.irq);
  negotiate();
  vq_setup(&dev, &vq, 0, &vq_mem);
  vio_driver_ok(&dev);
  vio_irq_enable(&dev);
  read_polled();
  read_batch();
  write_and_read_back();
  flush();
  read_past_end();
  get_id();
  vio_reset(&dev);
  printf("reset: status %lu\n", (unsigned long)vio_status(&dev));
  return 0;
}
