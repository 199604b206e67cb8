// A disk as the guest sees it: a read-only base image with a copy-on-write overlay of the blocks
// the guest has written (QEMU's snapshot=on, or a qcow2 overlay). The base image never changes,
// so recording leaves it as it was and a replay, which checks its digest, reads the same bytes.
// The overlay is machine state too big for the state arena: snapshots store its blocks apart,
// and a running hash of every write, kept in the arena, lets state digests see it change.

import { hashBytes } from '../state-digest.js';
import type { StateArena } from '../state.js';
import type { DiskImage } from '../host/ports.js';

/** The overlay's unit: a write of part of one copies the rest from the base first. */
export const DISK_BLOCK_SIZE = 4096;

const H_WRITES = 0; // the running hash of writes
const H_BLOCKS = 1; // overlay blocks, so a digest sees the overlay's size too

export class DiskOverlay {
  private blocks = new Map<number, Uint8Array>();
  private readonly h: Uint32Array;

  constructor(
    arena: StateArena,
    name: string,
    readonly image: DiskImage,
  ) {
    this.h = arena.u32(`${name}.overlay`, 2);
  }

  get bytes(): number {
    return this.image.bytes;
  }

  /** Fills `into` with the disk's bytes from `offset`: overlay blocks where written, else the base. */
  read(offset: number, into: Uint8Array): void {
    forEachBlockPart(offset, into.length, (index, within, at, n) => {
      const written = this.blocks.get(index);
      if (written !== undefined) into.set(written.subarray(within, within + n), at);
      else this.image.read(offset + at, into.subarray(at, at + n));
    });
  }

  /** Writes `data` at `offset` into the overlay. */
  write(offset: number, data: Uint8Array): void {
    forEachBlockPart(offset, data.length, (index, within, at, n) => {
      let block = this.blocks.get(index);
      if (block === undefined) {
        block = new Uint8Array(DISK_BLOCK_SIZE);
        if (n < DISK_BLOCK_SIZE) this.image.read(index * DISK_BLOCK_SIZE, block);
        this.blocks.set(index, block);
        this.h[H_BLOCKS]++;
      }
      block.set(data.subarray(at, at + n), within);
    });
    // Position and content both enter the hash: the same bytes written elsewhere differ.
    const stamp = new Uint32Array([offset >>> 0, Math.floor(offset / 2 ** 32), data.length, this.h[H_WRITES], hashBytes(data)]);
    this.h[H_WRITES] = hashBytes(new Uint8Array(stamp.buffer));
  }

  /** The overlay's blocks in increasing block order, for a snapshot. */
  snapshotBlocks(): [number, Uint8Array][] {
    return [...this.blocks.entries()].sort((a, b) => a[0] - b[0]);
  }

  /** Replaces the overlay with a snapshot's blocks (the arena, restored apart, holds the hash). */
  restoreBlocks(blocks: Iterable<[number, Uint8Array]>): void {
    this.blocks = new Map();
    for (const [index, data] of blocks) {
      if (data.length !== DISK_BLOCK_SIZE) throw new RangeError(`overlay block ${index} has ${data.length} bytes`);
      this.blocks.set(index, data.slice());
    }
  }
}

/**
 * Splits the byte range [offset, offset + length) at block boundaries: for each part, its block,
 * where in the block it starts, where in the range it starts, and its length.
 */
function forEachBlockPart(offset: number, length: number, part: (index: number, within: number, at: number, n: number) => void): void {
  for (let at = 0; at < length; ) {
    const pos = offset + at;
    const index = Math.floor(pos / DISK_BLOCK_SIZE);
    const within = pos - index * DISK_BLOCK_SIZE;
    const n = Math.min(DISK_BLOCK_SIZE - within, length - at);
    part(index, within, at, n);
    at += n;
  }
}
