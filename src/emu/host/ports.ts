// Ports: the only doors through which the host reaches the machine. Devices see these
// interfaces; the CLI (and later the recorder/replayer) supplies the backends. Input never
// enters a device behind the machine's back: it is delivered between execution slices.

/** Guest → host bytes (a UART's transmitter, the HTIF console). */
export interface CharSink {
  write(byte: number): void;
}

/** The host's wall clock, read by the RTC. A recorded input: each read is a clock event. */
export interface WallClock {
  /** Nanoseconds since the Unix epoch. */
  nowNs(): bigint;
}

/** The host's randomness, read by virtio-rng. A recorded input: each fill is an entropy event. */
export interface EntropySource {
  /**
   * Fills `bytes` with random bytes. `device` names the asking device (its virtio-mmio slot), so
   * the recorder can say whose input it was; a host backend may ignore it.
   */
  fill(bytes: Uint8Array, device: number): void;
}

/**
 * A disk's base image, read-only: what a virtio-blk device reads where the guest has not written
 * (its writes stay in the machine's overlay, so the image itself never changes). Its content is
 * not a recorded input: a replay checks the image's digest before it starts instead.
 */
export interface DiskImage {
  /** The image's size in bytes. */
  readonly bytes: number;
  /** A digest of the content (a snapshot names the image by it). */
  readonly digest: string;
  /** Fills `into` from byte `offset` of the image; bytes past its end read as zero. */
  read(offset: number, into: Uint8Array): void;
}

/** What a block request asks of the host, for the host to decide when it is done. */
export interface BlockRequestInfo {
  /** 'read', 'write' or 'flush'. */
  op: 'read' | 'write' | 'flush';
  /** Byte range of the disk it covers (empty for a flush). */
  offset: number;
  length: number;
  /** A restored state hands its requests in flight to the host again: not new requests of the guest's. */
  again?: boolean;
}

/**
 * The host's side of block requests (QEMU's block layer under blkreplay): a device submits each
 * request here and goes on; the host does its I/O and later hands the completion back through
 * the machine's async input queue, delivered between slices. When it completes is the
 * non-deterministic part, recorded in record mode and taken from the log in replay.
 */
export interface BlockHost {
  submit(device: number, request: number, info: BlockRequestInfo): void;
}

/** Where a virtio-net device's transmitted frames go (output: not replayed, like the UART's). */
export interface NetHost {
  transmit(device: number, frame: Uint8Array): void;
}
