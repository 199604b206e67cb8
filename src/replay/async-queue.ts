// The async event queue (QEMU's replay-events): host backends push their completions and arrivals
// here whenever the host produces them, and nothing reaches the machine until a checkpoint (a
// slice boundary) offers the queue to it. Inputs are offered in arrival order; one a device cannot
// take yet stays queued, and so do the later inputs for that device, so each device sees its
// inputs in order. What is delivered is returned, for the recorder to log. While the queue is
// disabled (before the machine starts, while a snapshot is restored) pushes are dropped, as QEMU
// drops events raised while async events are disabled.

import type { AsyncInput, DeliveryResult } from '../emu/async-input.js';

/** Inputs a queue holds at most; a host that floods a guest which never reads loses the excess. */
export const ASYNC_QUEUE_LIMIT = 4096;

/** Something that takes inputs: the machine. */
export interface AsyncInputSink {
  deliver(input: AsyncInput): DeliveryResult;
}

export interface Delivered {
  input: AsyncInput;
  /** What the device reported (a block request's status), if anything. */
  status?: number;
}

export class AsyncQueue {
  private pending: AsyncInput[] = [];
  private enabled = false;
  private waiter: (() => void) | undefined;
  /** Inputs dropped because the queue was disabled or full, for diagnostics. */
  dropped = 0;

  get size(): number {
    return this.pending.length;
  }

  enable(): void {
    this.enabled = true;
  }

  /** Stops taking input and forgets what is queued (it belonged to the state being left). */
  disable(): void {
    this.enabled = false;
    this.pending = [];
  }

  /** Queues an input from the host; returns false when it was dropped. */
  push(input: AsyncInput): boolean {
    if (!this.enabled || this.pending.length >= ASYNC_QUEUE_LIMIT) {
      this.dropped++;
      return false;
    }
    this.pending.push(input);
    this.wake();
    return true;
  }

  /** Offers every queued input to `sink` (at a checkpoint); returns those it took, in order. */
  deliver(sink: AsyncInputSink): Delivered[] {
    if (this.pending.length === 0) return [];
    const taken: Delivered[] = [];
    const kept: AsyncInput[] = [];
    const blocked = new Set<number>();
    for (const input of this.pending) {
      if (blocked.has(input.device)) {
        kept.push(input);
        continue;
      }
      const result = sink.deliver(input);
      if (result.taken) taken.push(result.status === undefined ? { input } : { input, status: result.status });
      else if (result.retry) {
        kept.push(input);
        blocked.add(input.device);
      }
    }
    this.pending = kept;
    return taken;
  }

  /** Resolves at the next push (or wake()). */
  wait(): Promise<void> {
    return new Promise((resolve) => (this.waiter = resolve));
  }

  wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }
}
