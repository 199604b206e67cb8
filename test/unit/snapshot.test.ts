// Snapshots are complete: for real guests, a snapshot taken mid-run and restored (into the same
// machine, and into a freshly built one) runs on to the same state digest, the same console
// output and the same exit as the run it was taken from; windows are chosen so timer, UART, RTC
// and PLIC interrupts and WFI waits fall inside them. And every kind of bad snapshot is refused
// with one line, leaving the machine exactly as it was.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guestImage } from '../../src/cli/guest-file.js';
import { S_MCAUSE, S_MTVEC, S_SCAUSE, S_STVEC } from '../../src/emu/cpu/rv32-state.js';
import { crc32 } from '../../src/emu/crc32.js';
import { Elf } from '../../src/emu/elf.js';
import { DEFAULT_CONFIG, VirtMachine, type GuestExit, type GuestImage, type MachineConfig, type StopReason } from '../../src/emu/machine.js';
import { loadSnapshot, readSnapshotInfo, saveSnapshot } from '../../src/emu/snapshot.js';
import { SnapshotError, type SnapshotErrorKind } from '../../src/emu/snapshot-error.js';
import { describeRegionMismatch, digestRam, digestRegions, hashRamPage } from '../../src/emu/state-digest.js';
import { buildAsmGuest } from '../support/cli.js';
import { tempDir } from '../support/toolchain.js';

const ROOT = join(__dirname, '..', '..');
const WALL_CLOCK = { nowNs: () => 1_700_000_000_000_000_000n };
/** More than any guest here needs: a guest that loops fails its test instead of hanging it. */
const BUDGET = 20_000_000;

const tmp = tempDir('snapshot');
after(() => tmp.cleanup());

function imageOf(path: string): GuestImage {
  if (!existsSync(path)) throw new Error(`${path} is missing: build the guests first (make -s -C test/guests, make -C examples/hello)`);
  return guestImage(Elf.parse(readFileSync(path)), path);
}

/** A machine with the guest loaded and its console captured. */
class Guest {
  readonly out: number[] = [];
  readonly machine: VirtMachine;

  constructor(image: GuestImage, config: MachineConfig = DEFAULT_CONFIG) {
    this.machine = new VirtMachine(config, { console: { write: (b) => this.out.push(b) }, wallClock: WALL_CLOCK });
    this.machine.load(image);
  }

  /** Runs to exactly `icount`, which the guest must reach before it ends or idles. */
  runTo(icount: number): void {
    const why = this.machine.run(icount);
    assert.equal(why, 'limit', `stopped (${why}) at icount ${this.machine.icount} before ${icount}`);
    assert.equal(this.machine.icount, icount);
  }

  /** Runs until the guest ends (or idles, or exhausts the budget, which the caller sees). */
  runToEnd(): StopReason {
    return this.machine.run(this.machine.icount + BUDGET);
  }

  outputFrom(mark: number): string {
    return String.fromCharCode(...this.out.slice(mark));
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
  assert.ok(
    actual.regions.every((h, i) => h === expected.regions[i]) && actual.regions.length === expected.regions.length,
    `${what}: ${describeRegionMismatch(expected.names, expected.regions, actual.regions)}`,
  );
  assert.equal(actual.ram, expected.ram, `${what}: RAM differs`);
}

interface Trap {
  icount: number;
  interrupt: boolean;
  cause: number;
}

interface Trace {
  end: number;
  traps: Trap[];
  /** icounts after which the hart waits in WFI. */
  waits: number[];
}

/**
 * Steps the guest one instruction at a time and notes trap entries (pc arrives at the trap vector
 * for the cause just written) and WFI waits: what the windows below must contain.
 */
function trace(image: GuestImage): Trace {
  const g = new Guest(image);
  const m = g.machine;
  const traps: Trap[] = [];
  const waits: number[] = [];
  let prevPc = -1;
  while (m.run(m.icount + 1) === 'limit') {
    const s = m.cpu.s;
    const [tvec, cause] = m.cpu.priv === 3 ? [s[S_MTVEC], s[S_MCAUSE]] : [s[S_STVEC], s[S_SCAUSE]];
    const interrupt = cause < 0;
    const code = cause & 0x7fff_ffff;
    const target = ((tvec & ~3) + (interrupt && (tvec & 1) ? 4 * code : 0)) >>> 0;
    if (m.cpu.pc === target && prevPc !== target) traps.push({ icount: m.icount, interrupt, cause: code });
    if (m.cpu.waiting) waits.push(m.icount);
    prevPc = m.cpu.pc;
  }
  return { end: m.icount, traps, waits };
}

interface GuestCase {
  name: string;
  image: () => GuestImage;
  /** Trap causes (interrupts "I7", exceptions "E13") of which every window must contain one. */
  expect: string[];
  /** The guest waits in WFI at some point (so one snapshot is taken while it waits). */
  waits: boolean;
}

/** Arms an RTC alarm and a UART character timeout (FIFO loopback), then waits for both in WFI. */
const DEVICES_GUEST = `
  .equ UART, 0x10000000
  .equ RTC, 0x00101000
  .equ PLIC, 0x0c000000
  .equ FINISHER, 0x00100000
  .globl _start
_start:
  la t0, trap
  csrw mtvec, t0
  li s1, UART
  li s2, RTC
  li s3, 0                      # interrupts handled
  li s6, 0                      # bytes received
  li s7, 0                      # RTC alarms seen
  li t0, PLIC + 4 * 10          # priority 1 for the UART (10) and the RTC (11)
  li t1, 1
  sw t1, 0(t0)
  sw t1, 4(t0)
  li t0, PLIC + 0x2000          # enable both for context 0 (M)
  li t1, (1 << 10) | (1 << 11)
  sw t1, 0(t0)
  li t0, PLIC + 0x200000
  sw zero, 0(t0)
  li t1, 0x81                   # FCR: FIFO on, trigger level 8
  sb t1, 2(s1)
  li t1, 0x18                   # MCR: loopback, OUT2
  sb t1, 4(s1)
  li t1, 1                      # IER: received data (and character timeout)
  sb t1, 1(s1)
  li t1, 'a'                    # three bytes: below the trigger, so only the timeout reports them
  sb t1, 0(s1)
  li t1, 'b'
  sb t1, 0(s1)
  li t1, 'c'
  sb t1, 0(s1)
  li t1, 1
  sw t1, 0x10(s2)               # RTC IRQ_ENABLED
  lw t0, 0(s2)                  # TIME_LOW (latches TIME_HIGH)
  lw t1, 4(s2)
  li t2, 2000000                # alarm in 2 ms, before the 4-character timeout (about 4.2 ms)
  add t3, t0, t2
  sltu t4, t3, t0
  add t1, t1, t4
  sw t1, 0x0c(s2)               # ALARM_HIGH
  sw t3, 0x08(s2)               # ALARM_LOW arms it
  li t1, 1 << 11                # mie.MEIE
  csrw mie, t1
  csrsi mstatus, 8
wait:
  wfi
  li t0, 2
  blt s3, t0, wait
  addi t1, s7, '0'
  sb t1, 0(s1)
  li t1, '\\n'
  sb t1, 0(s1)
  li t0, FINISHER
  li t1, 0x5555
  sw t1, 0(t0)
fail:
  li t0, FINISHER
  li t1, 0x13333
  sw t1, 0(t0)
  j fail
  .balign 4                     # mtvec's low bits are its mode
trap:
  csrr t0, mcause
  bgez t0, fail
  li t0, PLIC + 0x200004
  lw t1, 0(t0)                  # claim
  li t2, 10
  beq t1, t2, uart
  li t2, 11
  beq t1, t2, rtc
  j fail
uart:
  lbu t3, 5(s1)                 # LSR.DR
  andi t3, t3, 1
  beqz t3, drained
  lbu t3, 0(s1)
  addi s6, s6, 1
  j uart
drained:
  li t3, 0x08                   # loopback off: output reaches the console from here on
  sb t3, 4(s1)
  li t3, 'U'
  sb t3, 0(s1)
  addi t3, s6, '0'
  sb t3, 0(s1)
  j complete
rtc:
  li t3, 1
  sw t3, 0x1c(s2)               # CLEAR_INTERRUPT
  addi s7, s7, 1
complete:
  sw t1, 0(t0)
  addi s3, s3, 1
  mret
`;

let devicesElf: string | undefined;
function devicesImage(): GuestImage {
  devicesElf ??= buildAsmGuest(tmp.dir, 'devices', DEVICES_GUEST);
  return imageOf(devicesElf);
}

const built = (name: string) => () => imageOf(join(ROOT, 'test', 'guests', 'build', `${name}.elf`));

const CASES: GuestCase[] = [
  { name: 'priv-timer', image: built('priv-timer'), expect: ['I7', 'I3'], waits: true },
  { name: 'priv-plic-uart', image: built('priv-plic-uart'), expect: ['I11', 'I9'], waits: false },
  { name: 'priv-paging', image: built('priv-paging'), expect: ['E12', 'E13', 'E15'], waits: false },
  { name: 'c-timer', image: built('c-timer'), expect: ['I7'], waits: true },
  { name: 'examples/hello', image: () => imageOf(join(ROOT, 'examples', 'hello', 'hello.elf')), expect: ['I7'], waits: true },
  { name: 'isa-htif-console', image: built('isa-htif-console'), expect: [], waits: false },
  { name: 'RTC alarm and UART timeout', image: devicesImage, expect: ['I11'], waits: true },
];

const trapName = (t: Trap): string => `${t.interrupt ? 'I' : 'E'}${t.cause}`;

for (const c of CASES) {
  test(`snapshot completeness: ${c.name}`, () => {
    const image = c.image();
    const whole = new Guest(image);
    assert.equal(whole.runToEnd(), 'exit');
    const wholeExit: GuestExit | undefined = whole.machine.exit;
    const wholeOutput = whole.outputFrom(0);
    const ref = trace(image);
    assert.equal(ref.end, whole.machine.icount, 'stepping one instruction at a time ends where one run does');

    // Snapshot points: while the hart waits in WFI (timers armed), just before the first
    // interrupt or trap, and a third of the way in. Each window runs to just before the end.
    const points = new Set<number>([Math.floor(ref.end / 3)]);
    if (c.waits) {
      assert.ok(ref.waits.length > 0, 'the guest was expected to wait in WFI');
      points.add(ref.waits[0]);
    }
    if (ref.traps.length > 0) points.add(Math.max(1, ref.traps[0].icount - 3));

    for (const n of [...points].sort((a, b) => a - b)) {
      const end = ref.end - 5;
      const where = `${c.name}, snapshot at ${n}, window to ${end}`;
      const inWindow = ref.traps.filter((t) => t.icount > n && t.icount <= end).map(trapName);
      if (c.expect.length > 0) {
        assert.ok(inWindow.some((t) => c.expect.includes(t)), `${where}: none of ${c.expect.join(', ')} in [${inWindow.join(' ')}]`);
      }

      const a = new Guest(image);
      a.runTo(n);
      if (ref.waits.includes(n)) assert.ok(a.machine.cpu.waiting, `${where}: the hart should wait in WFI`);
      const prefix = a.outputFrom(0);
      const atSave = digestOf(a.machine);
      const snap = saveSnapshot(a.machine, `at-${n}`, { guest: c.name });
      let mark = a.out.length;
      a.runTo(end);
      const atEnd = digestOf(a.machine);
      const output = a.outputFrom(mark);
      assert.ok(output.length > 0, `${where}: the window should print something`);

      // Back into the same machine.
      const info = loadSnapshot(a.machine, snap);
      assert.deepEqual([info.name, info.icount, info.extra], [`at-${n}`, n, { guest: c.name }]);
      assert.equal(a.machine.icount, n);
      assertSameDigest(digestOf(a.machine), atSave, `${where}: restored into the same machine`);
      mark = a.out.length;
      a.runTo(end);
      assertSameDigest(digestOf(a.machine), atEnd, `${where}: same machine, after the window`);
      assert.equal(a.outputFrom(mark), output, `${where}: same machine, output of the window`);

      // Into a freshly built machine, then on to the guest's end.
      const b = new Guest(image);
      loadSnapshot(b.machine, snap);
      assertSameDigest(digestOf(b.machine), atSave, `${where}: restored into a fresh machine`);
      b.runTo(end);
      assertSameDigest(digestOf(b.machine), atEnd, `${where}: fresh machine, after the window`);
      assert.equal(b.outputFrom(0), output, `${where}: fresh machine, output of the window`);
      assert.equal(b.runToEnd(), 'exit');
      assert.deepEqual(b.machine.exit, wholeExit, `${where}: fresh machine, exit`);
      assert.equal(b.machine.icount, ref.end, `${where}: fresh machine, icount at exit`);
      assert.equal(prefix + b.outputFrom(0), wholeOutput, `${where}: output before the snapshot and after the restore`);

      // A machine that has ended goes back to before its end.
      assert.equal(a.runToEnd(), 'exit');
      assert.deepEqual(a.machine.exit, wholeExit);
      loadSnapshot(a.machine, snap);
      assert.equal(a.machine.exit, undefined, `${where}: a restored machine that had not ended yet`);
      mark = a.out.length;
      assert.equal(a.runToEnd(), 'exit');
      assert.deepEqual(a.machine.exit, wholeExit, `${where}: same machine restored after its end, exit`);
      assert.equal(prefix + a.outputFrom(mark), wholeOutput, `${where}: same machine restored after its end, output`);
    }
  });
}

test('the devices guest does what its windows rely on: RTC alarm first, then the UART timeout with 3 bytes', () => {
  const g = new Guest(devicesImage());
  assert.equal(g.runToEnd(), 'exit');
  assert.deepEqual(g.machine.exit, { kind: 'pass' });
  assert.equal(g.outputFrom(0), 'U31\n');
});

test('a snapshot keeps only nonzero pages, saves back to the same bytes, and describes itself', () => {
  const g = new Guest(built('priv-timer')());
  g.runTo(5000);
  const snap = saveSnapshot(g.machine, 'five-thousand', { guest: 'sha256:0123' });
  const info = readSnapshotInfo(snap);
  assert.equal(info.name, 'five-thousand');
  assert.equal(info.icount, 5000);
  assert.deepEqual(info.machine, { board: 'virt', isa: 'rv32imac_zicsr_zifencei', ramMiB: 128, icountShift: 0, virtioLegacy: true });
  assert.deepEqual(info.extra, { guest: 'sha256:0123' });
  assert.equal(info.htif, false);
  assert.equal(info.exit, null);
  assert.equal(info.bytes, snap.length);
  // The guest's code and data, its stack and the device tree: a handful of pages of 32768.
  assert.ok(info.ramPages >= 2 && info.ramPages < 16, `${info.ramPages} pages stored`);
  assert.ok(snap.length < 80 * 1024, `${snap.length} bytes`);

  const fresh = new Guest(built('priv-timer')());
  loadSnapshot(fresh.machine, snap);
  assert.deepEqual(saveSnapshot(fresh.machine, 'five-thousand', { guest: 'sha256:0123' }), snap);
});

test('pages the snapshot leaves out are zeroed on restore, and every page it changes counts as written', () => {
  const g = new Guest(built('c-timer')());
  g.runTo(1000);
  const snap = saveSnapshot(g.machine, 'z');
  const atSave = digestOf(g.machine);
  g.runTo(3000);
  const ram = g.machine.ram;
  // Pages the guest never touched, and the last byte of RAM, written as any writer does (through
  // Ram, which notes the pages: one never written is known to be zero and is not read).
  ram.write(ram.base + ram.size - 3 * 4096, new Uint8Array(2 * 4096).fill(0xa5));
  ram.write(ram.base + ram.size - 1, Uint8Array.of(ram.u8[ram.size - 1] ^ 0xff));
  const pages = ram.size / 4096;
  const before = Array.from({ length: pages }, (_, p) => hashRamPage(ram, p));
  ram.startDirtyTracking();
  loadSnapshot(g.machine, snap);
  assertSameDigest(digestOf(g.machine), atSave, 'after restoring over scribbled pages');
  const changed = before.map((h, p) => (hashRamPage(ram, p) === h ? -1 : p)).filter((p) => p >= 0);
  assert.ok(changed.length >= 3, `${changed.length} pages changed`);
  const dirty = new Set(ram.dirtyPages());
  for (const p of changed) assert.ok(dirty.has(p), `page ${p} changed by the restore but is not dirty`);
});

test('a snapshot holds exactly the nonzero pages, though it reads only the pages something wrote', () => {
  // The loader's copies, the guest's stores, page-table A/D updates and HTIF's writes are all
  // writes Ram is told of; every other page is still zero.
  for (const name of ['c-timer', 'priv-paging', 'isa-htif-console']) {
    const g = new Guest(built(name)());
    g.machine.run(20_000); // to there, or to the guest's end
    const ram = g.machine.ram;
    let nonzero = 0;
    for (let p = 0; p < ram.size / 4096; p++) if (ram.u8.subarray(p * 4096, (p + 1) * 4096).some((b) => b !== 0)) nonzero++;
    assert.ok(nonzero > 0);
    assert.equal(readSnapshotInfo(saveSnapshot(g.machine, 's')).ramPages, nonzero, `${name}: the pages saved are the nonzero ones`);
  }
});

// Refusals. Each bad snapshot is offered to a machine in the middle of its own run; afterwards its
// digest, icount and exit must be what they were.

/** A copy of a snapshot with other header bytes (its length and CRC fixed up to match). */
function withRawHeader(snap: Uint8Array, json: Uint8Array): Uint8Array {
  const length = new DataView(snap.buffer, snap.byteOffset, snap.byteLength).getUint32(12, true);
  const out = new Uint8Array(snap.length - length + json.length);
  const view = new DataView(out.buffer);
  out.set(snap.subarray(0, 16));
  view.setUint32(12, json.length, true);
  out.set(json, 16);
  view.setUint32(16 + json.length, crc32(json), true);
  out.set(snap.subarray(16 + length + 4), 16 + json.length + 4);
  return out;
}

/** A copy of a snapshot with its header edited as JSON. */
function withHeader(snap: Uint8Array, edit: (h: Record<string, unknown>) => void): Uint8Array {
  const length = new DataView(snap.buffer, snap.byteOffset, snap.byteLength).getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(snap.subarray(16, 16 + length))) as Record<string, unknown>;
  edit(header);
  return withRawHeader(snap, new TextEncoder().encode(JSON.stringify(header)));
}

/** Where the sections of a snapshot start, read from its own length fields. */
function sections(snap: Uint8Array): { header: number; arena: number; ram: number; end: number } {
  const view = new DataView(snap.buffer, snap.byteOffset, snap.byteLength);
  const arena = 16 + view.getUint32(12, true) + 4;
  const ram = arena + 4 + view.getUint32(arena, true) + 4;
  return { header: 16, arena, ram, end: snap.length - 8 };
}

function flip(snap: Uint8Array, at: number): Uint8Array {
  const bad = snap.slice();
  bad[at] ^= 0x40;
  return bad;
}

function layoutEdit(edit: (layout: { name: string; offset: number; bytes: number }[]) => void) {
  return (h: Record<string, unknown>) => edit(h.stateLayout as { name: string; offset: number; bytes: number }[]);
}

function machineEdit(field: string, value: unknown) {
  return (h: Record<string, unknown>) => {
    (h.machine as Record<string, unknown>)[field] = value;
  };
}

test('bad snapshots are refused with one line, and the machine is left as it was', () => {
  const timer = built('priv-timer')();
  const donor = new Guest(timer);
  donor.runTo(3000);
  const good = saveSnapshot(donor.machine, 'good');
  const s = sections(good);

  const victim = new Guest(timer);
  victim.runTo(6000);
  const before = digestOf(victim.machine);

  const other = (config: MachineConfig, image: GuestImage = timer): Uint8Array => {
    const g = new Guest(image, config);
    g.runTo(1000);
    return saveSnapshot(g.machine, 'other');
  };

  const cases: [what: string, bytes: Uint8Array, kind: SnapshotErrorKind, message: RegExp][] = [
    ['an ELF file', readFileSync(join(ROOT, 'test', 'guests', 'build', 'priv-timer.elf')), 'not-snapshot', /^not an rvreplay snapshot/],
    ['nothing', new Uint8Array(0), 'not-snapshot', /^not an rvreplay snapshot/],
    ['another format version', (() => { const b = good.slice(); b[8] = 3; return b; })(), 'version', /^snapshot format version 3 is not supported \(this rvreplay reads version 2\)$/],
    ['a flipped header byte', flip(good, s.header + 5), 'corrupt', /^corrupt snapshot: the header fails its checksum$/],
    ['a flipped header CRC', flip(good, s.arena - 1), 'corrupt', /^corrupt snapshot: the header fails its checksum$/],
    ['a flipped arena byte', flip(good, s.arena + 4 + 20), 'corrupt', /^corrupt snapshot: the machine state fails its checksum$/],
    ['a wrong arena length', flip(good, s.arena), 'corrupt', /^corrupt snapshot: the machine state is \d+ bytes; its header says \d+$/],
    ['a flipped RAM byte', flip(good, s.ram + 4 + 4 + 100), 'corrupt', /^corrupt snapshot: the RAM pages fails its checksum$/],
    ['a flipped RAM page index', flip(good, s.ram + 4), 'corrupt', /^corrupt snapshot: the RAM pages fails its checksum$/],
    ['a wrong page count', flip(good, s.ram), 'corrupt', /^corrupt snapshot: it stores \d+ RAM pages; its header says \d+$/],
    ['a wrong end tag', flip(good, good.length - 2), 'corrupt', /^corrupt snapshot: the end tag is wrong$/],
    ['bytes after the end', Uint8Array.from([...good, 0]), 'corrupt', /^corrupt snapshot: 1 unexpected bytes after the end tag$/],
    ['a malformed header field', withHeader(good, (h) => { h.icount = 'soon'; }), 'corrupt', /^corrupt snapshot: the header's icount field is missing or malformed$/],
    ['a header that is not JSON', withRawHeader(good, new TextEncoder().encode('{"name": ')), 'corrupt', /^corrupt snapshot: the header is not valid JSON$/],
    ['a header that is not UTF-8', withRawHeader(good, Uint8Array.of(0x7b, 0xff, 0x7d)), 'corrupt', /^corrupt snapshot: the header is not UTF-8$/],
    ['another RAM size', other({ ramMiB: 64, icountShift: 0 }), 'config', /^snapshot is for 64 MiB RAM; this machine has 128 MiB$/],
    ['another icount shift', other({ ramMiB: 128, icountShift: 3 }), 'config', /^snapshot is for icount shift 3; this machine has shift 0$/],
    ['another virtio transport version', other({ ramMiB: 128, icountShift: 0, virtioLegacy: false }), 'config',
      /^snapshot is for virtio-mmio transports of version 2 \(--virtio-modern\); this machine has version 1 \(legacy\)$/],
    ['another ISA', withHeader(good, machineEdit('isa', 'rv64gc')), 'config', /^snapshot is for ISA rv64gc; this machine is rv32imac_zicsr_zifencei$/],
    ['another board', withHeader(good, machineEdit('board', 'sifive_u')), 'config', /^snapshot is for board "sifive_u"; this machine is virt$/],
    ['a region of another size', withHeader(good, layoutEdit((l) => { l.find((r) => r.name === 'uart0.regs')!.bytes += 4; })), 'layout',
      /^snapshot's state region uart0\.regs is 68 bytes; here it is 64 \(made by a different rvreplay version\)$/],
    ['a region this machine lacks', withHeader(good, layoutEdit((l) => { l.push({ name: 'virtio0.queue', offset: 9999, bytes: 16 }); })), 'layout',
      /^snapshot has state region virtio0\.queue, which this machine lacks \(made by a different rvreplay version\)$/],
    ['a missing region', withHeader(good, layoutEdit((l) => { l.splice(l.findIndex((r) => r.name === 'rtc.alarm'), 1); })), 'layout',
      /^snapshot lacks state region rtc\.alarm \(made by a different rvreplay version\)$/],
    ['regions in another order', withHeader(good, layoutEdit((l) => { l.reverse(); })), 'layout', /^snapshot's state region \S+ is at offset \d+; here at \d+ \(made by a different rvreplay version\)$/],
    ['a snapshot of an HTIF guest', other(DEFAULT_CONFIG, built('isa-htif-console')()), 'guest', /^snapshot was taken with HTIF attached .*load the same guest first$/],
  ];
  // Cut at every section boundary and inside each section.
  const cuts = [1, 7, 8, 12, 15, 16, s.header + 10, s.arena - 1, s.arena, s.arena + 3, s.arena + 50, s.ram - 1, s.ram, s.ram + 2, s.ram + 4 + 2000, s.end - 1, s.end, good.length - 1];
  for (const cut of cuts) cases.push([`a snapshot cut to ${cut} bytes`, good.subarray(0, cut), 'truncated', /^snapshot is truncated: it ends in the (preamble|header|machine state|RAM pages|end tag) \(\d+ bytes; at least \d+ needed\)$/]);

  for (const [what, bytes, kind, message] of cases) {
    assert.throws(() => loadSnapshot(victim.machine, bytes), (e: unknown) => {
      assert.ok(e instanceof SnapshotError, `${what}: ${String(e)}`);
      assert.equal(e.kind, kind, `${what}: ${e.message}`);
      assert.match(e.message, message, what);
      assert.ok(!e.message.includes('\n'), `${what}: one line`);
      return true;
    }, what);
    assertSameDigest(digestOf(victim.machine), before, `after refusing ${what}`);
    assert.equal(victim.machine.icount, 6000);
    assert.equal(victim.machine.exit, undefined);
  }

  // The same victim still takes a good snapshot and runs on as the donor does.
  loadSnapshot(victim.machine, good);
  donor.runTo(8000);
  victim.runTo(8000);
  assertSameDigest(digestOf(victim.machine), digestOf(donor.machine), 'after the good snapshot');
});

test('a snapshot of an HTIF guest needs HTIF attached', () => {
  const htif = built('isa-htif-console')();
  const g = new Guest(htif);
  g.runTo(500);
  const snap = saveSnapshot(g.machine, 'h');
  assert.equal(readSnapshotInfo(snap).htif, true);
  const plain = new Guest(built('priv-timer')());
  plain.runTo(100);
  const before = digestOf(plain.machine);
  assert.throws(() => loadSnapshot(plain.machine, snap), (e: unknown) => e instanceof SnapshotError && e.kind === 'guest');
  assertSameDigest(digestOf(plain.machine), before, 'after refusing');
  const timerSnap = saveSnapshot(plain.machine, 'p');
  assert.throws(() => loadSnapshot(g.machine, timerSnap), /^SnapshotError: snapshot was taken without HTIF; this machine has HTIF attached/);
});
