// The host's block I/O in a live run (record, or a plain run): each request the guest submits is
// handed to the host: a read becomes an asynchronous read of the range of the base image it covers
// (libuv's thread pool), a write or a flush (which only the overlay sees) completes on the next
// turn of the event loop. When that is done the completion goes to the async queue, to be
// delivered at the next checkpoint. The moment a
// request completes is thus set by the host, as QEMU's block layer sets it under blkreplay; the
// data itself moves at delivery, from the disk's state, the same way in replay.

import { read } from 'node:fs';
import type { BlockHost, BlockRequestInfo } from './ports.js';
import type { FileDiskImage } from './file-disk-image.js';

/** Bytes of a read request the host actually reads ahead of delivery (enough to pace it). */
const READ_AHEAD_LIMIT = 1 << 20;

export class HostBlockIo implements BlockHost {
  private inFlight = 0;
  /** Bumped by forget(): completions of requests submitted before are dropped. */
  private generation = 0;

  constructor(
    /** Disk images by the device that serves them (its virtio-mmio slot). */
    private readonly images: ReadonlyMap<number, FileDiskImage>,
    /** Where completions go: the async queue. */
    private readonly complete: (device: number, request: number) => void,
  ) {}

  /** Requests handed to the host and not completed yet. */
  get pending(): number {
    return this.inFlight;
  }

  /**
   * Forgets the requests in flight: the machine that made them is gone (a reset rebuilt it, a
   * snapshot replaced its state), and their ids may be given again to new requests.
   */
  forget(): void {
    this.generation++;
  }

  submit(device: number, request: number, info: BlockRequestInfo): void {
    const image = this.images.get(device);
    const generation = this.generation;
    this.inFlight++;
    const done = (): void => {
      this.inFlight--;
      if (generation === this.generation) this.complete(device, request);
    };
    if (image === undefined || info.op !== 'read' || info.length === 0) {
      setImmediate(done);
      return;
    }
    const length = Math.min(info.length, READ_AHEAD_LIMIT, Math.max(0, image.bytes - info.offset));
    read(image.fd, new Uint8Array(Math.max(length, 1)), 0, length, info.offset, () => done());
  }
}
