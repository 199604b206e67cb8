// Asynchronous input: what the host hands the machine between execution slices, at checkpoints
// (QEMU's replay async events). Host backends never touch a device directly; their completions
// and arrivals wait in a queue outside the machine (src/replay/async-queue.ts) and reach it
// through VirtMachine.deliver(), in record and plain runs when they arrive, in replay at the icount
// the log gives. A device may not be able to take an input yet (no receive buffer posted): it
// says so and the input stays queued.

export type AsyncInput =
  /** A block request the host has finished (its data moves now, from the disk's state). */
  | { kind: 'block'; device: number; request: number }
  /** An Ethernet frame for a virtio-net device. */
  | { kind: 'net'; device: number; frame: Uint8Array }
  /** An evdev event for a virtio-input device. */
  | { kind: 'input'; device: number; type: number; code: number; value: number };

/** What became of an input offered to the machine. */
export type DeliveryResult =
  /** The device took it. */
  | { taken: true; status?: number }
  /** Not now: the device has no room; offer it again at a later checkpoint. */
  | { taken: false; retry: true }
  /** Never: the input is meaningless now (a completion for a request a reset dropped); forget it. */
  | { taken: false; retry: false; why: string };
