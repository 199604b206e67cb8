// The header of a record/replay log: everything a replay must agree with before it starts (the
// machine, the guest image, the disks, the layout of the machine state) and what a reader needs
// to interpret the events. Stored as JSON in the log's header block (see docs/LOG-FORMAT.md).

import type { VirtioSlotConfig } from '../emu/devices/virtio-devices.js';

export interface LogHeader {
  /** The program and version that wrote the log, e.g. "rvreplay 0.1.0". */
  writer: string;
  /** When recording started (ISO 8601, informational only). */
  created: string;
  machine: {
    board: 'virt';
    isa: string;
    ramMiB: number;
    icountShift: number;
    /** virtio devices by virtio-mmio slot (absent in logs written before virtio: none). */
    devices?: VirtioSlotConfig[];
    /** virtio-mmio version 1 (true, or absent) or 2. */
    virtioLegacy?: boolean;
  };
  guest: {
    /** As given on the command line (informational); the digest is what must match. */
    path: string;
    sha256: string;
    bytes: number;
  };
  disks: { path: string; sha256: string; bytes: number }[];
  /** The state arena's regions in order, so digests can be named and layouts compared. */
  stateLayout: { name: string; bytes: number }[];
  /** Instructions between state digests. */
  digestInterval: number;
  /** The snapshot recording started from (QEMU's rrsnapshot), if any. */
  snapshot?: { name: string; sha256: string };
}
