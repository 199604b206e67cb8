// The host ports of a machine that is recorded and replayed in turns (reverse debugging while
// recording): at the live edge its ports are the recorder's (the real console, clock, entropy,
// disks and network), inside history they are the replayer's (the log's values, output counted
// and not shown again, no requests to the host). The machine keeps the same port objects; each
// forwards to the side that is current.

import type { MachineHost } from '../emu/machine.js';

export class HostSwitch {
  /** The ports the machine is built with (add `disks`, which both sides share). */
  readonly ports: MachineHost;
  private current: MachineHost;

  constructor(
    private live: MachineHost,
    private replay: MachineHost,
  ) {
    this.current = live;
    this.ports = {
      console: { write: (byte) => this.current.console.write(byte) },
      wallClock: { nowNs: () => this.current.wallClock.nowNs() },
      entropy: { fill: (bytes, device) => this.sideWith('entropy').fill(bytes, device) },
      block: { submit: (device, request, info) => this.current.block?.submit(device, request, info) },
      net: { transmit: (device, frame) => this.current.net?.transmit(device, frame) },
    };
  }

  get isLive(): boolean {
    return this.current === this.live;
  }

  /** Both sides replaced (a new recording on the same machine); the live one is current. */
  replace(live: MachineHost, replay: MachineHost): void {
    this.live = live;
    this.replay = replay;
    this.current = live;
  }

  toLive(): void {
    this.current = this.live;
  }

  toReplay(): void {
    this.current = this.replay;
  }

  private sideWith<K extends 'entropy'>(port: K): NonNullable<MachineHost[K]> {
    const p = this.current[port];
    if (p === undefined) throw new Error(`the machine asked for ${port}, which this session has no source of`);
    return p;
  }
}
