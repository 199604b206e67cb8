// The host's real-time clock, for the RTC. Only used live; replays read recorded values instead.

import type { WallClock } from './ports.js';

export class HostWallClock implements WallClock {
  nowNs(): bigint {
    return BigInt(Date.now()) * 1_000_000n;
  }
}
