// Whether a snapshot's header fits a machine: the same board configuration (ISA, RAM size,
// icount shift, virtio transport version), the same state arena layout, the same disk images, the
// same HTIF attachment. Each refusal is one line
// that says what differs, there and here, so the user knows which option or build to change.

import { ISA_STRING, type VirtMachine } from './machine.js';
import { SnapshotError } from './snapshot-error.js';
import type { SnapshotHeader } from './snapshot-header.js';

const OTHER_VERSION = 'made by a different rvreplay version';

/** Throws a SnapshotError ('config', 'layout' or 'guest') unless `header` fits `machine`. */
export function checkSnapshotFits(header: SnapshotHeader, machine: VirtMachine): void {
  const there = header.machine;
  if (there.isa !== ISA_STRING) {
    throw new SnapshotError('config', `snapshot is for ISA ${there.isa}; this machine is ${ISA_STRING}`);
  }
  if (there.ramMiB !== machine.config.ramMiB) {
    throw new SnapshotError('config', `snapshot is for ${there.ramMiB} MiB RAM; this machine has ${machine.config.ramMiB} MiB`);
  }
  if (there.icountShift !== machine.config.icountShift) {
    throw new SnapshotError('config',
      `snapshot is for icount shift ${there.icountShift}; this machine has shift ${machine.config.icountShift}`);
  }
  const legacyThere = there.virtioLegacy ?? true;
  if (legacyThere !== (machine.config.virtioLegacy ?? true)) {
    const version = (legacy: boolean): string => (legacy ? '1 (legacy)' : '2 (--virtio-modern)');
    throw new SnapshotError('config',
      `snapshot is for virtio-mmio transports of version ${version(legacyThere)}; this machine has version ${version(!legacyThere)}`);
  }
  checkLayout(header, machine);
  checkDisks(header, machine);
  if (header.htif !== machine.hasHtif) {
    throw new SnapshotError('guest', header.htif
      ? 'snapshot was taken with HTIF attached (its guest defines tohost); this machine has none: load the same guest first'
      : 'snapshot was taken without HTIF; this machine has HTIF attached: load the same guest the snapshot was taken with');
  }
}

/** The same disks in the same slots, over the same base images (the overlay is in the snapshot). */
function checkDisks(header: SnapshotHeader, machine: VirtMachine): void {
  const here = machine.disks;
  for (const d of header.disks) {
    const h = here.find((x) => x.slot === d.slot);
    if (h === undefined) throw new SnapshotError('config', `snapshot has a disk in virtio slot ${d.slot}; this machine has none there`);
    if (h.overlay.image.digest !== d.image) {
      throw new SnapshotError('disk',
        `snapshot's disk in virtio slot ${d.slot} has another base image (sha256 ${d.image.slice(0, 12)}…; here ${h.overlay.image.digest.slice(0, 12)}…)`);
    }
  }
  const extra = here.find((h) => !header.disks.some((d) => d.slot === h.slot));
  if (extra !== undefined) throw new SnapshotError('config', `this machine has a disk in virtio slot ${extra.slot}; the snapshot has none there`);
}

function checkLayout(header: SnapshotHeader, machine: VirtMachine): void {
  const here = machine.arena.regions;
  const hereByName = new Map(here.map((r) => [r.name, r]));
  const thereNames = new Set(header.stateLayout.map((r) => r.name));
  for (const r of header.stateLayout) {
    const h = hereByName.get(r.name);
    if (h === undefined) {
      throw new SnapshotError('layout', `snapshot has state region ${r.name}, which this machine lacks (${OTHER_VERSION})`);
    }
    if (h.bytes !== r.bytes) {
      throw new SnapshotError('layout', `snapshot's state region ${r.name} is ${r.bytes} bytes; here it is ${h.bytes} (${OTHER_VERSION})`);
    }
  }
  const missing = here.find((r) => !thereNames.has(r.name));
  if (missing !== undefined) {
    throw new SnapshotError('layout', `snapshot lacks state region ${missing.name} (${OTHER_VERSION})`);
  }
  if (header.stateLayout.length !== here.length) {
    throw new SnapshotError('layout', `snapshot has ${header.stateLayout.length} state regions; here there are ${here.length} (${OTHER_VERSION})`);
  }
  // Same names and sizes: what is left to differ is the order, which moves the offsets.
  const moved = header.stateLayout.find((r, i) => r.name !== here[i].name || r.offset !== here[i].offset);
  if (moved !== undefined) {
    throw new SnapshotError('layout',
      `snapshot's state region ${moved.name} is at offset ${moved.offset}; here at ${hereByName.get(moved.name)?.offset} (${OTHER_VERSION})`);
  }
  if (header.arenaBytes !== machine.arena.usedBytes) {
    throw new SnapshotError('layout',
      `snapshot's machine state is ${header.arenaBytes} bytes; here it is ${machine.arena.usedBytes} (${OTHER_VERSION})`);
  }
}
