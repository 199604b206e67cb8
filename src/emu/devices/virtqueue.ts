// A split virtqueue (virtio 1.2 §2.7, and the legacy layout of §2.7.2) as the device sees it: pop
// the descriptor chains the driver made available, read and write their buffers in guest RAM,
// return them through the used ring, and decide, as QEMU does, whether the driver wants to be
// interrupted (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with VIRTIO_F_EVENT_IDX). The queue's
// own state (size, ring addresses, indices) is a block of words the transport claims in the state
// arena; the rings and buffers are guest memory, and every page the device writes is noted with
// ram.noteWrite so dirty tracking and digests see DMA. Anything malformed (a ring or buffer
// outside RAM, an index beyond the queue, a loop, a zero-length buffer) throws VirtqueueError,
// which the transport turns into a broken device instead of an exception in the hart.

import { PAGE_SIZE, type Ram } from '../memory/ram.js';
import { VIRTIO_F_EVENT_IDX, VIRTIO_F_NOTIFY_ON_EMPTY } from './virtio-device.js';

export const VIRTQ_DESC_F_NEXT = 1;
export const VIRTQ_DESC_F_WRITE = 2;
export const VIRTQ_DESC_F_INDIRECT = 4;
export const VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

/** The largest queue a driver may configure: what QueueNumMax reads (QEMU's VIRTQUEUE_MAX_SIZE). */
export const VIRTQUEUE_MAX_SIZE = 1024;
/** The legacy used-ring alignment until the driver writes QueueAlign (QEMU's VIRTIO_PCI_VRING_ALIGN). */
export const VIRTIO_LEGACY_VRING_ALIGN = 4096;

// Guest memory layout (§2.7.5 – §2.7.8).
const VIRTQ_DESC_SIZE = 16;
const DESC_ADDR = 0;
const DESC_LEN = 8;
const DESC_FLAGS = 12;
const DESC_NEXT = 14;
const AVAIL_FLAGS = 0;
const AVAIL_IDX = 2;
const AVAIL_RING = 4;
const USED_IDX = 2;
const USED_RING = 4;
const USED_ELEM_SIZE = 8;

// Indices into the queue's state words.
const Q_NUM = 0; // the queue size; 0 for a queue that does not exist
const Q_ALIGN = 1; // legacy used-ring alignment
const Q_DESC_LO = 2;
const Q_DESC_HI = 3;
const Q_AVAIL_LO = 4;
const Q_AVAIL_HI = 5;
const Q_USED_LO = 6;
const Q_USED_HI = 7;
const Q_LAST_AVAIL = 8; // the next available-ring entry to pop (mod 2^16)
const Q_USED_IDX = 9; // the used index last published (mod 2^16)
const Q_SIGNALLED_USED = 10; // the used index of the last interrupt decision (EVENT_IDX)
const Q_SIGNALLED_VALID = 11;
const Q_INUSE = 12; // chains popped and not yet pushed
/** State words per queue, for the transport to claim. */
export const VIRTQUEUE_WORDS = 13;

const TWO_32 = 2 ** 32;

export class VirtqueueError extends Error {}

/** One buffer of a chain: guest-physical address and length. */
export interface VirtqBuffer {
  readonly addr: number;
  readonly len: number;
}

/** A descriptor chain: its head index, device-readable buffers, then device-writable ones. */
export interface VirtqChain {
  readonly head: number;
  readonly readable: readonly VirtqBuffer[];
  readonly writable: readonly VirtqBuffer[];
  readonly readableBytes: number;
  readonly writableBytes: number;
}

export interface NegotiatedFeatures {
  hasFeature(bit: number): boolean;
}

interface Desc {
  addr: number;
  len: number;
  flags: number;
  next: number;
}

export class Virtqueue {
  constructor(
    private readonly ram: Ram,
    /** This queue's VIRTQUEUE_WORDS words in the state arena. */
    private readonly s: Uint32Array,
    /** The size the queue has after a reset. */
    readonly defaultSize: number,
    private readonly features: NegotiatedFeatures,
  ) {
    this.reset();
    s[Q_ALIGN] = VIRTIO_LEGACY_VRING_ALIGN;
  }

  /** The queue as a device reset leaves it (QEMU keeps the legacy alignment). */
  reset(): void {
    const align = this.s[Q_ALIGN];
    this.s.fill(0);
    this.s[Q_ALIGN] = align;
    this.s[Q_NUM] = this.defaultSize;
  }

  get size(): number {
    return this.s[Q_NUM];
  }

  get descAddr(): number {
    return this.s[Q_DESC_LO] + this.s[Q_DESC_HI] * TWO_32;
  }

  get availAddr(): number {
    return this.s[Q_AVAIL_LO] + this.s[Q_AVAIL_HI] * TWO_32;
  }

  get usedAddr(): number {
    return this.s[Q_USED_LO] + this.s[Q_USED_HI] * TWO_32;
  }

  /** The driver has placed the rings (QEMU's virtio_queue_ready: the available ring is set). */
  get ready(): boolean {
    return this.availAddr !== 0;
  }

  /** QueueNum. As QEMU, a queue cannot be made to (dis)appear, nor exceed VIRTQUEUE_MAX_SIZE. */
  setSize(num: number): void {
    if ((num === 0) !== (this.s[Q_NUM] === 0) || num > VIRTQUEUE_MAX_SIZE) return;
    this.s[Q_NUM] = num;
  }

  /** Legacy QueueAlign: 0 is ignored. */
  setAlign(align: number): void {
    if (align === 0) return;
    this.s[Q_ALIGN] = align;
    this.layoutLegacy();
  }

  /** Legacy QueuePFN (as an address): the rings follow the descriptor table. */
  setLegacyAddress(desc: number): void {
    setAddr(this.s, Q_DESC_LO, desc);
    this.layoutLegacy();
  }

  /** Legacy: recomputes where the rings are after the size, address or alignment changed. */
  layoutLegacy(): void {
    const s = this.s;
    const num = s[Q_NUM];
    const desc = this.descAddr;
    if (num === 0 || desc === 0 || s[Q_ALIGN] === 0) return;
    const avail = desc + num * VIRTQ_DESC_SIZE;
    // As QEMU computes it, without the used_event word (the legacy spec counts it): the two
    // agree for every power-of-two size with the 4096 alignment drivers use.
    const used = Math.ceil((avail + AVAIL_RING + 2 * num) / s[Q_ALIGN]) * s[Q_ALIGN];
    setAddr(s, Q_AVAIL_LO, avail);
    setAddr(s, Q_USED_LO, used);
    this.checkRings();
  }

  /** Modern QueueReady: all three ring addresses at once (ignored for a queue that does not exist). */
  setRings(desc: number, avail: number, used: number): void {
    if (this.s[Q_NUM] === 0) return;
    setAddr(this.s, Q_DESC_LO, desc);
    setAddr(this.s, Q_AVAIL_LO, avail);
    setAddr(this.s, Q_USED_LO, used);
    this.checkRings();
  }

  /**
   * Pops the next available chain, or returns undefined when there is none (or the rings are not
   * placed yet). Throws VirtqueueError when the ring or the chain is malformed.
   */
  pop(): VirtqChain | undefined {
    if (!this.ready) return undefined;
    const s = this.s;
    const num = s[Q_NUM];
    const last = s[Q_LAST_AVAIL];
    const availIdx = this.read16(this.availAddr + AVAIL_IDX);
    const pending = (availIdx - last) & 0xffff;
    if (pending > num) {
      throw new VirtqueueError(`the driver moved the available index from ${last} to ${availIdx} in a queue of ${num}`);
    }
    if (pending === 0) return undefined;
    if (s[Q_INUSE] >= num) throw new VirtqueueError(`more than ${num} buffers in use`);
    const head = this.read16(this.availAddr + AVAIL_RING + 2 * (last % num));
    s[Q_LAST_AVAIL] = (last + 1) & 0xffff;
    if (head >= num) throw new VirtqueueError(`the driver made descriptor ${head} available in a queue of ${num}`);
    if (this.features.hasFeature(VIRTIO_F_EVENT_IDX)) {
      // avail_event: notify us again as soon as anything past what we popped is made available.
      this.write16(this.usedAddr + USED_RING + USED_ELEM_SIZE * num, s[Q_LAST_AVAIL]);
    }
    const chain = this.chainAt(head);
    s[Q_INUSE]++;
    return chain;
  }

  /**
   * The chain that starts at descriptor `head`, read from guest memory. pop() uses it; a device
   * that keeps requests in flight keeps their heads in its state and re-reads them with it.
   */
  chainAt(head: number): VirtqChain {
    let table = this.descAddr;
    let max = this.s[Q_NUM];
    let d = this.readDesc(table, head);
    let indirect = false;
    if (d.flags & VIRTQ_DESC_F_INDIRECT) {
      if (d.len === 0 || d.len % VIRTQ_DESC_SIZE !== 0) {
        throw new VirtqueueError(`an indirect descriptor table of ${d.len} bytes (not a multiple of ${VIRTQ_DESC_SIZE})`);
      }
      this.checkRam(d.addr, d.len, 'an indirect descriptor table');
      table = d.addr;
      max = d.len / VIRTQ_DESC_SIZE;
      indirect = true;
      d = this.readDesc(table, 0);
    }
    const readable: VirtqBuffer[] = [];
    const writable: VirtqBuffer[] = [];
    let readableBytes = 0;
    let writableBytes = 0;
    for (let count = 1; ; count++) {
      if (count > max) throw new VirtqueueError(`a descriptor chain loops (more than ${max} descriptors)`);
      if (d.flags & VIRTQ_DESC_F_INDIRECT) {
        throw new VirtqueueError(indirect ? 'an indirect descriptor inside an indirect table' : 'an indirect descriptor inside a chain');
      }
      if (d.len === 0) throw new VirtqueueError('a zero-length buffer');
      this.checkRam(d.addr, d.len, 'a buffer');
      if (d.flags & VIRTQ_DESC_F_WRITE) {
        writable.push({ addr: d.addr, len: d.len });
        writableBytes += d.len;
      } else {
        if (writable.length > 0) throw new VirtqueueError('a device-readable buffer after a device-writable one');
        readable.push({ addr: d.addr, len: d.len });
        readableBytes += d.len;
      }
      if (!(d.flags & VIRTQ_DESC_F_NEXT)) break;
      if (d.next >= max) throw new VirtqueueError(`a chain continues at descriptor ${d.next} of ${max}`);
      d = this.readDesc(table, d.next);
    }
    return { head, readable, writable, readableBytes, writableBytes };
  }

  /** Copies `length` bytes from the chain's device-readable buffers, starting `offset` bytes in. */
  read(chain: VirtqChain, offset: number, length: number): Uint8Array {
    const out = new Uint8Array(Math.max(0, Math.min(length, chain.readableBytes - offset)));
    let done = 0;
    this.walk(chain.readable, offset, out.length, (pa, at, n) => {
      out.set(this.ram.u8.subarray(pa - this.ram.base, pa - this.ram.base + n), at);
      done += n;
    });
    return out.subarray(0, done);
  }

  /**
   * Copies `bytes` into the chain's device-writable buffers, starting `offset` bytes in, as far
   * as they reach; returns how many bytes were written.
   */
  write(chain: VirtqChain, offset: number, bytes: Uint8Array): number {
    let done = 0;
    this.walk(chain.writable, offset, bytes.length, (pa, at, n) => {
      this.ram.u8.set(bytes.subarray(at, at + n), pa - this.ram.base);
      this.noteWritten(pa, n);
      done += n;
    });
    return done;
  }

  /** Returns a chain to the driver through the used ring, with `len` bytes written into it. */
  push(chain: VirtqChain, len: number): void {
    const s = this.s;
    const used = this.usedAddr;
    const old = s[Q_USED_IDX];
    const elem = used + USED_RING + USED_ELEM_SIZE * (old % s[Q_NUM]);
    this.write32(elem, chain.head);
    this.write32(elem + 4, len);
    const idx = (old + 1) & 0xffff;
    this.write16(used + USED_IDX, idx);
    s[Q_USED_IDX] = idx;
    s[Q_INUSE]--;
    // QEMU forgets the last interrupt decision once the used index has wrapped past it.
    if ((((idx - s[Q_SIGNALLED_USED]) << 16) >> 16) < ((idx - old) & 0xffff)) s[Q_SIGNALLED_VALID] = 0;
  }

  /** True when the driver has made no chain available that is not popped yet. */
  isEmpty(): boolean {
    if (!this.ready) return true;
    return this.read16(this.availAddr + AVAIL_IDX) === this.s[Q_LAST_AVAIL];
  }

  /**
   * After pushing: does the driver want an interrupt for what was returned (QEMU's
   * virtio_should_notify)? With VIRTIO_F_EVENT_IDX, once its used_event index is crossed (and
   * always the first time after a reset); otherwise unless it set VIRTQ_AVAIL_F_NO_INTERRUPT.
   */
  shouldNotify(): boolean {
    const s = this.s;
    if (this.features.hasFeature(VIRTIO_F_NOTIFY_ON_EMPTY) && s[Q_INUSE] === 0 && this.isEmpty()) return true;
    const avail = this.availAddr;
    if (!this.features.hasFeature(VIRTIO_F_EVENT_IDX)) return (this.read16(avail + AVAIL_FLAGS) & VIRTQ_AVAIL_F_NO_INTERRUPT) === 0;
    const valid = s[Q_SIGNALLED_VALID] !== 0;
    const old = s[Q_SIGNALLED_USED];
    const now = s[Q_USED_IDX];
    s[Q_SIGNALLED_VALID] = 1;
    s[Q_SIGNALLED_USED] = now;
    const usedEvent = this.read16(avail + AVAIL_RING + 2 * s[Q_NUM]);
    // vring_need_event (§2.7.10): has the used index just moved past used_event?
    return !valid || ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
  }

  /** Throws unless the three rings, with their event words, lie in RAM (QEMU: "Cannot map"). */
  private checkRings(): void {
    const num = this.s[Q_NUM];
    if (this.descAddr === 0) return;
    this.checkRam(this.descAddr, num * VIRTQ_DESC_SIZE, 'the descriptor table');
    this.checkRam(this.availAddr, AVAIL_RING + 2 * num + 2, 'the available ring');
    this.checkRam(this.usedAddr, USED_RING + USED_ELEM_SIZE * num + 2, 'the used ring');
  }

  private checkRam(pa: number, len: number, what: string): void {
    if (!this.ram.contains(pa, len)) {
      throw new VirtqueueError(`${what} at 0x${pa.toString(16)} (${len} bytes) is not in RAM`);
    }
  }

  private readDesc(table: number, i: number): Desc {
    const pa = table + i * VIRTQ_DESC_SIZE;
    this.checkRam(pa, VIRTQ_DESC_SIZE, 'a descriptor');
    const v = this.ram.view;
    const at = pa - this.ram.base;
    return {
      addr: v.getUint32(at + DESC_ADDR, true) + v.getUint32(at + DESC_ADDR + 4, true) * TWO_32,
      len: v.getUint32(at + DESC_LEN, true),
      flags: v.getUint16(at + DESC_FLAGS, true),
      next: v.getUint16(at + DESC_NEXT, true),
    };
  }

  /** Calls `copy(pa, at, n)` for each piece of [offset, offset + length) of the buffers' bytes. */
  private walk(buffers: readonly VirtqBuffer[], offset: number, length: number, copy: (pa: number, at: number, n: number) => void): void {
    let skip = offset;
    let at = 0;
    for (const b of buffers) {
      if (at >= length) return;
      if (skip >= b.len) {
        skip -= b.len;
        continue;
      }
      const n = Math.min(b.len - skip, length - at);
      copy(b.addr + skip, at, n);
      at += n;
      skip = 0;
    }
  }

  private read16(pa: number): number {
    this.checkRam(pa, 2, 'a ring field');
    return this.ram.view.getUint16(pa - this.ram.base, true);
  }

  private write16(pa: number, value: number): void {
    this.checkRam(pa, 2, 'a ring field');
    this.ram.view.setUint16(pa - this.ram.base, value, true);
    this.noteWritten(pa, 2);
  }

  private write32(pa: number, value: number): void {
    this.checkRam(pa, 4, 'a ring field');
    this.ram.view.setUint32(pa - this.ram.base, value >>> 0, true);
    this.noteWritten(pa, 4);
  }

  /** Tells RAM's dirty tracking about every page [pa, pa + n) touches. */
  private noteWritten(pa: number, n: number): void {
    for (let page = Math.floor(pa / PAGE_SIZE) * PAGE_SIZE; page < pa + n; page += PAGE_SIZE) this.ram.noteWrite(page);
  }
}

function setAddr(s: Uint32Array, lo: number, addr: number): void {
  s[lo] = addr % TWO_32;
  s[lo + 1] = Math.floor(addr / TWO_32);
}
