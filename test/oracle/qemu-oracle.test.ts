// QEMU as a differential oracle. Every guest in test/guests/build (built by `make -C
// test/guests`) and the bundled examples/hello/hello.elf runs on qemu-system-riscv32 and on
// `node dist/cli.js run`: both must write the same stdout bytes and exit with the same status,
// and QEMU's run must match what the guest declares (status 0, or the deliberate failure code
// listed below), so a wrong expectation inside a guest cannot hide behind two agreeing runs.
//
// Output normalisation: none. With stdin not a terminal and `-monitor none -serial stdio`,
// QEMU 7.2 writes exactly the guest's UART (virt) or HTIF console (spike) bytes to stdout: no
// terminal escape sequences (those are only for a tty) and no "QEMU: Terminated" (that comes
// from -nographic's monitor multiplexer, which -monitor none removes). QEMU's own messages go to
// stderr, which is not compared.
//
// Time: `-icount shift=0,sleep=off`, one instruction per virtual nanosecond, and a guest waiting
// in wfi jumps straight to the next timer deadline, as rvreplay does. With QEMU's default
// sleep=on the idle guest's clock follows the host's, so on a loaded host a late wake-up lands
// past a second deadline and a tick-counting guest (examples/hello's `ticks`) sees one tick more.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { VIRTIO_IO_GUESTS } from '../support/virtio-scenarios.js';
import { join } from 'node:path';
import { readElfSymbols } from './elf-symbols.js';
import { describeEnd, runProcess, type ProcessResult } from './run-process.js';

const ROOT = join(__dirname, '..', '..');
const GUEST_BUILD = join(ROOT, 'test', 'guests', 'build');
const EXAMPLE = join(ROOT, 'examples', 'hello', 'hello.elf');
const CLI = join(ROOT, 'dist', 'cli.js');
const QEMU = 'qemu-system-riscv32';

/** Guests that fail on purpose, with the exit status they must end with (everything else: 0). */
const EXPECTED_FAILURES: ReadonlyMap<string, number> = new Map([
  ['isa-finisher-fail', 3], // third check is wrong on purpose: finisher (3 << 16) | 0x3333
  ['isa-htif-fail', 7], // test 7 is wrong on purpose: tohost (7 << 1) | 1
]);

/** Extra QEMU options, each with the reason QEMU needs it to show the specified behaviour. */
const QEMU_EXTRA_ARGS: ReadonlyMap<string, { args: string[]; why: string }> = new Map([
  [
    'priv-priority',
    {
      args: ['-cpu', 'rv32,x-smaia=true,x-ssaia=true'],
      why: 'without AIA, QEMU 7.2 takes pending interrupts lowest number first, not MEI > MSI > MTI > SEI > SSI > STI',
    },
  ],
  ['c-virtio-rng', { args: ['-device', 'virtio-rng-device'], why: 'the guest drives a virtio-rng device (QEMU puts it in slot 7)' }],
  [
    'c-virtio-rng-modern',
    {
      args: ['-device', 'virtio-rng-device', '-global', 'virtio-mmio.force-legacy=false'],
      why: 'the guest drives a virtio-rng device on the modern (version 2) transport',
    },
  ],
]);

/** The same machine on rvreplay's side: its options for what QEMU_EXTRA_ARGS adds. */
const RVREPLAY_EXTRA_ARGS: ReadonlyMap<string, string[]> = new Map([
  ['c-virtio-rng', ['--virtio-rng']],
  ['c-virtio-rng-modern', ['--virtio-rng', '--virtio-modern']],
]);

/** Guests take well under a second on QEMU; the limits only stop a hang. */
const QEMU_TIMEOUT_MS = 20_000;
const EMULATOR_TIMEOUT_MS = 120_000;

interface Guest {
  name: string;
  elf: string;
}

function findGuests(): Guest[] {
  const built = existsSync(GUEST_BUILD) ? readdirSync(GUEST_BUILD).filter((f) => f.endsWith('.elf')).sort() : [];
  // The virtio I/O guests need host input (a disk, a peer, keys): virtio-io-qemu.test.ts and
  // test/cli/virtio-io.test.ts run them with it.
  const guests = built.map((f) => ({ name: f.slice(0, -'.elf'.length), elf: join(GUEST_BUILD, f) }))
    .filter((g) => !VIRTIO_IO_GUESTS.includes(g.name));
  if (existsSync(EXAMPLE)) guests.push({ name: 'examples/hello', elf: EXAMPLE });
  return guests;
}

/** The board: HTIF guests (they define `tohost`) need QEMU's spike machine, the rest virt. */
function qemuArgs(guest: Guest): string[] {
  const machine = readElfSymbols(guest.elf).has('tohost') ? 'spike' : 'virt';
  const extra = QEMU_EXTRA_ARGS.get(guest.name)?.args ?? [];
  return ['-M', machine, ...extra, '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio',
    '-icount', 'shift=0,sleep=off', '-kernel', guest.elf];
}

function qemuAvailable(): boolean {
  return (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, QEMU)));
}

const guests = findGuests();
const builtCount = guests.filter((g) => g.name !== 'examples/hello').length;

test('guests are built', () => {
  assert.ok(builtCount > 0, `no guest ELF files in ${GUEST_BUILD}: run \`make -C test/guests\` first`);
  assert.ok(qemuAvailable(), `${QEMU} not found on PATH (Debian package qemu-system-misc)`);
  // A renamed guest must not silently drop its declaration.
  const names = new Set(guests.map((g) => g.name));
  for (const declared of [...EXPECTED_FAILURES.keys(), ...QEMU_EXTRA_ARGS.keys(), ...RVREPLAY_EXTRA_ARGS.keys()]) {
    assert.ok(names.has(declared), `${declared} is declared in this test but not built`);
  }
});

for (const guest of guests) {
  test(guest.name, { timeout: QEMU_TIMEOUT_MS + EMULATOR_TIMEOUT_MS }, async (t) => {
    const expected = EXPECTED_FAILURES.get(guest.name) ?? 0;
    // The two runs of one guest go side by side; guests go one after another.
    const [qemu, emulator] = await Promise.all([
      runProcess(QEMU, qemuArgs(guest), QEMU_TIMEOUT_MS),
      existsSync(CLI) ? runProcess(process.execPath, [CLI, 'run', ...(RVREPLAY_EXTRA_ARGS.get(guest.name) ?? []), guest.elf], EMULATOR_TIMEOUT_MS) : null,
    ]);

    await t.test('QEMU ends as the guest declares', () => {
      assert.equal(qemu.status, expected, `${guest.name} on QEMU: ${describeEnd(qemu)}\n${qemu.stdout.toString('latin1')}`);
    });

    await t.test('rvreplay matches QEMU', () => {
      assert.ok(emulator !== null, `${CLI} not found: run \`npm run build\` first`);
      assertSameRun(guest, qemu, emulator);
    });
  });
}

function assertSameRun(guest: Guest, qemu: ProcessResult, emulator: ProcessResult): void {
  // latin1 maps bytes one to one, so string equality is byte equality with a readable diff.
  assert.equal(emulator.stdout.toString('latin1'), qemu.stdout.toString('latin1'), `${guest.name}: stdout differs from QEMU's`);
  assert.equal(emulator.status, qemu.status, `${guest.name}: rvreplay ${describeEnd(emulator)}, QEMU ${describeEnd(qemu)}`);
}
