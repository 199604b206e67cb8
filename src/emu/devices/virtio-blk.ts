// virtio-blk (virtio 1.2 §5.2, device id 2) as QEMU 7.2's virtio-blk-device presents it, with
// blkreplay's semantics: a read, write or flush is submitted to the host's BlockHost when the
// driver notifies the queue, and completes later, when the host's completion is delivered at a
// checkpoint (an async input). Its data moves at completion, from and to the disk's overlay, so
// what the guest reads is a function of the order of completions, which the log records. Requests
// QEMU answers at once (GET_ID, an unsupported type, a range past the end) are answered at once.
// Requests in flight are (id, head descriptor) pairs in the state arena, and the chain is read
// again from guest memory at completion, so a snapshot restores them like any other state.

import type { AccessSize } from '../bus.js';
import type { AsyncInput, DeliveryResult } from '../async-input.js';
import type { BlockHost } from '../host/ports.js';
import type { StateArena } from '../state.js';
import type { DiskOverlay } from './disk-overlay.js';
import { VIRTIO_CONFIG_S_DRIVER_OK, VIRTIO_ID_BLOCK, featureBit, type VirtioDevice, type VirtioTransport } from './virtio-device.js';
import { VIRTQUEUE_MAX_SIZE, VirtqueueError, type VirtqChain } from './virtqueue.js';

// Feature bits (§5.2.3).
export const VIRTIO_BLK_F_SEG_MAX = 2;
export const VIRTIO_BLK_F_BLK_SIZE = 6;
export const VIRTIO_BLK_F_FLUSH = 9;
export const VIRTIO_BLK_F_TOPOLOGY = 10;

// Request types (§5.2.6).
export const VIRTIO_BLK_T_IN = 0;
export const VIRTIO_BLK_T_OUT = 1;
export const VIRTIO_BLK_T_FLUSH = 4;
export const VIRTIO_BLK_T_GET_ID = 8;

// Request status.
export const VIRTIO_BLK_S_OK = 0;
export const VIRTIO_BLK_S_IOERR = 1;
export const VIRTIO_BLK_S_UNSUPP = 2;

export const SECTOR_SIZE = 512;
const VIRTIO_BLK_ID_BYTES = 20;
const REQUEST_HEADER_BYTES = 16;
/** QEMU 7.2's virtio-blk queue-size default. */
const QUEUE_SIZE = 256;
const REQUEST_QUEUE = 0;
/** Config space through num_queues: QEMU's size without discard and write-zeroes. */
const CONFIG_SIZE = 36;


// The device's state words: the next request id, then (id, head) per request in flight.
const B_NEXT_ID = 0;
const B_SLOTS = 1;
const SLOT_WORDS = 2;

export class VirtioBlk implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_BLOCK;
  readonly deviceFeatures: readonly [number, number] = [
    (featureBit(VIRTIO_BLK_F_SEG_MAX) | featureBit(VIRTIO_BLK_F_BLK_SIZE) | featureBit(VIRTIO_BLK_F_FLUSH) | featureBit(VIRTIO_BLK_F_TOPOLOGY)) >>> 0,
    0,
  ];
  readonly queueSizes: readonly number[] = [QUEUE_SIZE];
  readonly configSize = CONFIG_SIZE;
  private transport: VirtioTransport | undefined;
  private readonly s: Uint32Array;
  private readonly config = new DataView(new ArrayBuffer(CONFIG_SIZE));

  constructor(
    arena: StateArena,
    name: string,
    readonly disk: DiskOverlay,
    private readonly host: BlockHost,
    /** Names this device to the host (its virtio-mmio slot). */
    readonly hostId: number,
  ) {
    // Request ids start at 1 so 0 marks a free slot; they are never reused within a run.
    this.s = arena.u32(`${name}.blk`, B_SLOTS + SLOT_WORDS * VIRTQUEUE_MAX_SIZE);
    this.s[B_NEXT_ID] = 1;
    const c = this.config;
    const sectors = Math.floor(disk.bytes / SECTOR_SIZE);
    c.setUint32(0, sectors % 2 ** 32, true); // capacity
    c.setUint32(4, Math.floor(sectors / 2 ** 32), true);
    c.setUint32(12, QUEUE_SIZE - 2, true); // seg_max, as QEMU's seg-max-adjust gives it
    c.setUint32(20, SECTOR_SIZE, true); // blk_size
    c.setUint8(32, 1); // writeback: QEMU's default write cache
    c.setUint16(34, 1, true); // num_queues
  }

  attach(transport: VirtioTransport): void {
    this.transport = transport;
  }

  readConfig(offset: number, size: AccessSize): number {
    const c = this.config;
    return size === 1 ? c.getUint8(offset) : size === 2 ? c.getUint16(offset, true) : c.getUint32(offset, true);
  }

  writeConfig(): void {
    // writeback is writable only with VIRTIO_BLK_F_CONFIG_WCE, which is not offered.
  }

  queueNotify(index: number): void {
    if (index === REQUEST_QUEUE) this.takeRequests();
  }

  statusChanged(): void {}

  /** Requests in flight are forgotten; their completions, when they come, are dropped. */
  reset(): void {
    this.s.fill(0, B_SLOTS);
  }

  /**
   * Requests in flight in the restored state are handed to this machine's host again: the host
   * that took them belonged to the state left behind. (In replay the host is the log, and the
   * submits go nowhere.)
   */
  afterRestore(): void {
    const q = this.transport!.queue(REQUEST_QUEUE);
    for (let i = B_SLOTS; i < this.s.length; i += SLOT_WORDS) {
      const id = this.s[i];
      if (id === 0) continue;
      try {
        const chain = q.chainAt(this.s[i + 1]);
        const view = headerView(q.read(chain, 0, REQUEST_HEADER_BYTES));
        const type = view.getUint32(0, true);
        const op = type === VIRTIO_BLK_T_IN ? 'read' : type === VIRTIO_BLK_T_OUT ? 'write' : 'flush';
        const length = op === 'read' ? chain.writableBytes - 1 : op === 'write' ? chain.readableBytes - REQUEST_HEADER_BYTES : 0;
        this.host.submit(this.hostId, id, { op, offset: op === 'flush' ? 0 : sectorOffset(view), length, again: true });
      } catch (e) {
        // A ring the guest has broken since: the completion will find it broken too.
        if (!(e instanceof VirtqueueError)) throw e;
        this.host.submit(this.hostId, id, { op: 'flush', offset: 0, length: 0, again: true });
      }
    }
  }

  deliver(input: AsyncInput): DeliveryResult {
    if (input.kind !== 'block') return { taken: false, retry: false, why: `a virtio-blk device takes no ${input.kind} input` };
    const slot = this.slotOf(input.request);
    if (slot < 0) return { taken: false, retry: false, why: `block request ${input.request} is not in flight (a reset dropped it)` };
    const head = this.s[slot + 1];
    this.s[slot] = 0;
    this.s[slot + 1] = 0;
    const t = this.transport!;
    const q = t.queue(REQUEST_QUEUE);
    const chain = q.chainAt(head);
    const view = headerView(q.read(chain, 0, REQUEST_HEADER_BYTES));
    const type = view.getUint32(0, true);
    const offset = sectorOffset(view);
    let status = VIRTIO_BLK_S_OK;
    if (type === VIRTIO_BLK_T_IN) {
      const data = new Uint8Array(chain.writableBytes - 1);
      this.disk.read(offset, data);
      q.write(chain, 0, data);
    } else if (type === VIRTIO_BLK_T_OUT) {
      this.disk.write(offset, q.read(chain, REQUEST_HEADER_BYTES, chain.readableBytes - REQUEST_HEADER_BYTES));
    } else if (type !== VIRTIO_BLK_T_FLUSH) {
      status = VIRTIO_BLK_S_IOERR; // the guest rewrote the header while the request was in flight
    }
    this.complete(chain, status);
    return { taken: true, status };
  }

  /** Pops every available request: answers those QEMU answers at once, submits the rest. */
  private takeRequests(): void {
    const t = this.transport!;
    if (!(t.status & VIRTIO_CONFIG_S_DRIVER_OK)) return;
    const q = t.queue(REQUEST_QUEUE);
    for (let chain = q.pop(); chain !== undefined; chain = q.pop()) {
      if (chain.readableBytes < REQUEST_HEADER_BYTES || chain.writableBytes < 1) {
        throw new VirtqueueError('a virtio-blk request without its header or status byte');
      }
      const view = headerView(q.read(chain, 0, REQUEST_HEADER_BYTES));
      const type = view.getUint32(0, true);
      const offset = sectorOffset(view);
      switch (type) {
        case VIRTIO_BLK_T_IN:
          this.submitIo(chain, 'read', offset, chain.writableBytes - 1);
          break;
        case VIRTIO_BLK_T_OUT:
          this.submitIo(chain, 'write', offset, chain.readableBytes - REQUEST_HEADER_BYTES);
          break;
        case VIRTIO_BLK_T_FLUSH:
          this.submit(chain, 'flush', 0, 0);
          break;
        case VIRTIO_BLK_T_GET_ID: {
          // No serial is configured: QEMU returns it empty, all zeros.
          q.write(chain, 0, new Uint8Array(Math.min(VIRTIO_BLK_ID_BYTES, chain.writableBytes - 1)));
          this.complete(chain, VIRTIO_BLK_S_OK);
          break;
        }
        default:
          this.complete(chain, VIRTIO_BLK_S_UNSUPP);
      }
    }
  }

  /** A read or write: refused at once unless whole sectors inside the disk, as QEMU checks. */
  private submitIo(chain: VirtqChain, op: 'read' | 'write', offset: number, length: number): void {
    if (length % SECTOR_SIZE !== 0 || offset + length > this.disk.bytes - (this.disk.bytes % SECTOR_SIZE)) {
      this.complete(chain, VIRTIO_BLK_S_IOERR);
      return;
    }
    this.submit(chain, op, offset, length);
  }

  private submit(chain: VirtqChain, op: 'read' | 'write' | 'flush', offset: number, length: number): void {
    const slot = this.slotOf(0);
    if (slot < 0) throw new VirtqueueError(`more than ${VIRTQUEUE_MAX_SIZE} block requests in flight`);
    const id = this.s[B_NEXT_ID];
    this.s[B_NEXT_ID] = id + 1;
    this.s[slot] = id;
    this.s[slot + 1] = chain.head;
    this.host.submit(this.hostId, id, { op, offset, length });
  }

  /** Writes the status byte (the last device-writable byte) and returns the chain. */
  private complete(chain: VirtqChain, status: number): void {
    const t = this.transport!;
    const q = t.queue(REQUEST_QUEUE);
    q.write(chain, chain.writableBytes - 1, Uint8Array.of(status));
    q.push(chain, chain.writableBytes);
    t.notifyQueue(REQUEST_QUEUE);
  }

  /** The state index of the slot holding request `id` (0: a free slot), or -1. */
  private slotOf(id: number): number {
    for (let i = B_SLOTS; i < this.s.length; i += SLOT_WORDS) if (this.s[i] === id) return i;
    return -1;
  }
}

function headerView(header: Uint8Array): DataView {
  return new DataView(header.buffer, header.byteOffset, header.length);
}

/** The request's byte offset on the disk: its sector times 512. */
function sectorOffset(header: DataView): number {
  return (header.getUint32(8, true) + header.getUint32(12, true) * 2 ** 32) * SECTOR_SIZE;
}
