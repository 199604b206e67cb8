// Snapshots are complete with a virtio-rng device active: the virtio-rng guests (legacy and
// modern transport), snapshotted before a request is filled, between a fill and the interrupt it
// raises, and a third of the way in, then restored into the same machine and into a freshly built
// one, run on to the same digests, output and exit as the run they were taken from. A snapshot of
// a machine with the device is refused by a machine without it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guestImage } from '../../src/cli/guest-file.js';
import { Elf } from '../../src/emu/elf.js';
import { DEFAULT_CONFIG, VirtMachine, type GuestImage, type MachineConfig } from '../../src/emu/machine.js';
import { loadSnapshot, saveSnapshot } from '../../src/emu/snapshot.js';
import { SnapshotError } from '../../src/emu/snapshot-error.js';
import { describeRegionMismatch, digestRam, digestRegions } from '../../src/emu/state-digest.js';

const ROOT = join(__dirname, '..', '..');
const BUDGET = 5_000_000;

function imageOf(name: string): GuestImage {
  const path = join(ROOT, 'test', 'guests', 'build', `${name}.elf`);
  if (!existsSync(path)) throw new Error(`${path} is missing: build the guests first (make -s -C test/guests)`);
  return guestImage(Elf.parse(readFileSync(path)), path);
}

/** A machine with the rng in slot 7, as `--virtio-rng`, and entropy that is a function of its length only. */
class Guest {
  readonly out: number[] = [];
  /** icounts at which the device read entropy. */
  readonly fills: number[] = [];
  readonly machine: VirtMachine;

  constructor(image: GuestImage, legacy: boolean, config: MachineConfig = { ...DEFAULT_CONFIG, devices: [{ slot: 7, kind: 'rng' }], virtioLegacy: legacy }) {
    this.machine = new VirtMachine(config, {
      console: { write: (b) => this.out.push(b) },
      wallClock: { nowNs: () => 0n },
      entropy: {
        fill: (bytes) => {
          this.fills.push(this.machine.icount);
          for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 0xff;
        },
      },
    });
    this.machine.load(image);
  }

  runTo(icount: number): void {
    assert.equal(this.machine.run(icount), 'limit', `stopped at icount ${this.machine.icount} before ${icount}`);
  }

  output(from = 0): string {
    return String.fromCharCode(...this.out.slice(from));
  }
}

interface Digest {
  names: string[];
  regions: number[];
  ram: number;
}

function digestOf(m: VirtMachine): Digest {
  return { names: m.arena.regions.map((r) => r.name), regions: digestRegions(m.arena), ram: digestRam(m.ram) };
}

function assertSameDigest(actual: Digest, expected: Digest, what: string): void {
  assert.ok(actual.regions.every((h, i) => h === expected.regions[i]), `${what}: ${describeRegionMismatch(expected.names, expected.regions, actual.regions)}`);
  assert.equal(actual.ram, expected.ram, `${what}: RAM differs`);
}

const VIRTIO_REGIONS = /^virtio7\./;

for (const [name, legacy] of [['c-virtio-rng', true], ['c-virtio-rng-modern', false]] as const) {
  test(`snapshot completeness with virtio-rng: ${name}`, () => {
    const image = imageOf(name);
    const whole = new Guest(image, legacy);
    assert.equal(whole.machine.run(BUDGET), 'exit');
    assert.deepEqual(whole.machine.exit, { kind: 'pass' }, whole.output());
    assert.ok(whole.machine.arena.regions.some((r) => VIRTIO_REGIONS.test(r.name)), 'the transport keeps its state in the arena');
    assert.equal(whole.fills.length, 3, 'three requests, each filled at its notification');
    const end = whole.machine.icount;

    // Before the first fill; right after the second (its interrupt not taken yet); a third in.
    const points = [whole.fills[0] - 2, whole.fills[1] + 1, Math.floor(end / 3)];
    let virtioChanged = false;
    for (const n of points) {
      const stop = end - 5;
      const where = `${name}, snapshot at ${n}, window to ${stop}`;
      const a = new Guest(image, legacy);
      a.runTo(n);
      const atSave = digestOf(a.machine);
      const snap = saveSnapshot(a.machine, `at-${n}`);
      let mark = a.out.length;
      a.runTo(stop);
      const atEnd = digestOf(a.machine);
      const output = a.output(mark);
      assert.ok(output.length > 0, `${where}: the window prints something`);
      virtioChanged ||= atSave.names.some((r, i) => VIRTIO_REGIONS.test(r) && atSave.regions[i] !== atEnd.regions[i]);

      loadSnapshot(a.machine, snap);
      assertSameDigest(digestOf(a.machine), atSave, `${where}: restored into the same machine`);
      mark = a.out.length;
      a.runTo(stop);
      assertSameDigest(digestOf(a.machine), atEnd, `${where}: same machine, after the window`);
      assert.equal(a.output(mark), output, `${where}: same machine, output of the window`);

      const b = new Guest(image, legacy);
      loadSnapshot(b.machine, snap);
      assertSameDigest(digestOf(b.machine), atSave, `${where}: restored into a fresh machine`);
      b.runTo(stop);
      assertSameDigest(digestOf(b.machine), atEnd, `${where}: fresh machine, after the window`);
      assert.equal(b.output(), output, `${where}: fresh machine, output of the window`);
      assert.equal(b.machine.run(BUDGET), 'exit');
      assert.deepEqual(b.machine.exit, { kind: 'pass' });
      assert.equal(b.machine.icount, end, `${where}: fresh machine, icount at exit`);
    }
    assert.ok(virtioChanged, 'some window changes the transport state, so the comparisons above cover it');
  });
}

test('a snapshot of a machine with virtio-rng is refused by a machine without it', () => {
  const image = imageOf('c-virtio-rng');
  const g = new Guest(image, true);
  g.runTo(1000);
  const snap = saveSnapshot(g.machine, 'rng');
  const plain = new Guest(image, true, DEFAULT_CONFIG);
  assert.throws(() => loadSnapshot(plain.machine, snap), (e: unknown) =>
    e instanceof SnapshotError && e.kind === 'layout' && /virtio7\.regs/.test(e.message));
});
