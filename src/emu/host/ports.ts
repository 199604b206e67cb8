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
