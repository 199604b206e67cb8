// The host's random number generator, for virtio-rng (QEMU's default rng-builtin backend reads
// the host's getrandom the same way). Only used live; replays read the recorded bytes instead.

import { randomFillSync } from 'node:crypto';
import type { EntropySource } from './ports.js';

export class HostEntropy implements EntropySource {
  fill(bytes: Uint8Array): void {
    randomFillSync(bytes);
  }
}
