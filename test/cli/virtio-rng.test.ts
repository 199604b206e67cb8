// virtio-rng through the CLI: `--virtio-rng` puts the device where QEMU puts it, entropy is host
// input that record logs (an entropy event per fill, for slot 7) and replay feeds back, so a guest
// that prints its entropy replays with the recorded bytes although the host's differ on every run;
// the log header carries the device configuration (replay takes no device options); and a log
// whose entropy was tampered with, or lost, stops the replay at the divergence.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LogReader } from '../../src/replay/log/log-reader.js';
import { LogWriter } from '../../src/replay/log/log-writer.js';
import type { LogHeader } from '../../src/replay/log-header.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';
import { buildAsmGuest, runCli } from '../support/cli.js';
import { FINISHER, UART } from '../support/guests.js';
import { tempDir } from '../support/toolchain.js';

const tmp = tempDir('virtio-rng');
after(() => tmp.cleanup());

const ROOT = join(__dirname, '..', '..');
const MODERN_GUEST = join(ROOT, 'test', 'guests', 'build', 'c-virtio-rng-modern.elf');

/** A minimal legacy driver for the rng in slot 7: one 16-byte request, polled, printed in hex. */
const PRINT_ENTROPY = `
  .equ VIRTIO, 0x10008000
  .globl _start
_start:
  li s0, VIRTIO
  lw t0, 8(s0)                 # DeviceID: 4 is the entropy device
  li t1, 4
  bne t0, t1, fail
  sw zero, 0x70(s0)            # Status: reset
  li t0, 3
  sw t0, 0x70(s0)              # ACKNOWLEDGE | DRIVER
  sw zero, 0x20(s0)            # DriverFeatures: none
  li t0, 4096
  sw t0, 0x28(s0)              # GuestPageSize
  sw zero, 0x30(s0)            # QueueSel 0
  li t0, 8
  sw t0, 0x38(s0)              # QueueNum 8
  la s1, queue
  srli t0, s1, 12
  sw t0, 0x40(s0)              # QueuePFN
  li t0, 7
  sw t0, 0x70(s0)              # DRIVER_OK
  la t0, buf                   # desc[0]: buf, 16 bytes, device-writable
  sw t0, 0(s1)
  sw zero, 4(s1)
  li t0, 16
  sw t0, 8(s1)
  li t0, 2
  sh t0, 12(s1)
  sh zero, 130+2(s1)           # avail.ring[0] = 0 (avail at queue + 8 * 16)
  fence
  li t0, 1
  sh t0, 128+2(s1)             # avail.idx = 1
  fence
  sw zero, 0x50(s0)            # QueueNotify 0
  li t1, 4096
  add t1, s1, t1               # the used ring, on the next page
wait:
  lhu t0, 2(t1)
  beqz t0, wait
  la s2, buf
  li s3, 16
  li s4, ${UART}
byte:
  lbu a1, 0(s2)
  srli a0, a1, 4
  call digit
  andi a0, a1, 15
  call digit
  addi s2, s2, 1
  addi s3, s3, -1
  bnez s3, byte
  li t0, '\\n'
  sb t0, 0(s4)
  li t0, ${FINISHER}
  li t1, 0x5555
  sw t1, 0(t0)
fail:
  li t0, ${FINISHER}
  li t1, 0x13333
  sw t1, 0(t0)
  j fail
digit:
  addi a0, a0, '0'
  li t0, '9'
  ble a0, t0, 1f
  addi a0, a0, 'a' - '9' - 1
1:
  sb a0, 0(s4)
  ret
  .bss
  .balign 4096
queue:
  .space 8192
buf:
  .space 16
`;

function events(log: string): { header: LogHeader; events: LogEvent[] } {
  const reader = LogReader.open(readFileSync(log));
  return { header: reader.header, events: [...reader.events()] };
}

function writeLog(path: string, header: LogHeader, evs: LogEvent[]): void {
  const chunks: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => chunks.push(b) }, header, { chunkBytes: 256 });
  for (const e of evs) if (e.kind !== EventKind.IcountStamp) writer.append(e);
  writer.close();
  writeFileSync(path, Buffer.concat(chunks));
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

test('entropy is recorded per fill and replayed: the same bytes although the host gives others', async () => {
  const elf = buildAsmGuest(tmp.dir, 'entropy', PRINT_ENTROPY);
  const logs = [join(tmp.dir, 'a.rr'), join(tmp.dir, 'b.rr')];
  const recorded: string[] = [];
  for (const log of logs) {
    const rec = await runCli(['record', elf, '--virtio-rng', '--rrfile', log]);
    assert.equal(rec.status, 0, rec.stderr);
    assert.match(rec.stdout, /^[0-9a-f]{32}\n$/);
    recorded.push(rec.stdout);
    const { header, events: evs } = events(log);
    assert.deepEqual(header.machine.devices, [{ slot: 7, kind: 'rng' }]);
    assert.equal(header.machine.virtioLegacy, true);
    const fills = evs.filter((e) => e.kind === EventKind.Entropy);
    assert.equal(fills.length, 1);
    const fill = fills[0];
    assert.ok(fill.kind === EventKind.Entropy);
    assert.equal(fill.device, 7);
    assert.equal(`${hex(fill.bytes)}\n`, rec.stdout, 'the log holds the bytes the guest printed');
  }
  assert.notEqual(recorded[0], recorded[1], 'the host gave other bytes to the second recording');
  for (const [i, log] of logs.entries()) {
    for (let k = 0; k < 2; k++) {
      const rep = await runCli(['replay', elf, '--rrfile', log]);
      assert.equal(rep.status, 0, rep.stderr);
      assert.equal(rep.stdout, recorded[i], `recording ${i + 1}, replay ${k + 1}`);
      assert.equal(rep.stderr, '');
    }
  }
  const run = await runCli(['run', elf]);
  assert.equal(run.status, 1, 'without --virtio-rng the slot is empty and the guest fails (finisher code 1)');
});

test('replay takes the transport version from the log: the modern guest replays without options', async () => {
  const log = join(tmp.dir, 'modern.rr');
  const rec = await runCli(['record', MODERN_GUEST, '--virtio-rng', '--virtio-modern', '--rrfile', log, '--digest-interval', '1000']);
  assert.equal(rec.status, 0, rec.stderr);
  assert.match(rec.stdout, /transport version 2/);
  const { header, events: evs } = events(log);
  assert.equal(header.machine.virtioLegacy, false);
  assert.deepEqual(evs.filter((e) => e.kind === EventKind.Entropy).map((e) => e.kind === EventKind.Entropy && e.bytes.length), [64, 64, 32]);
  const rep = await runCli(['replay', MODERN_GUEST, '--rrfile', log]);
  assert.equal(rep.status, 0, rep.stderr);
  assert.equal(rep.stdout, rec.stdout);
});

test('tampered or missing entropy stops the replay at the divergence', async () => {
  const elf = buildAsmGuest(tmp.dir, 'entropy2', PRINT_ENTROPY);
  const log = join(tmp.dir, 'c.rr');
  assert.equal((await runCli(['record', elf, '--virtio-rng', '--rrfile', log])).status, 0);
  const { header, events: evs } = events(log);
  const at = evs.findIndex((e) => e.kind === EventKind.Entropy);
  const fill = evs[at];
  assert.ok(fill.kind === EventKind.Entropy);

  // Other bytes (each hex digit stays a digit or a letter, so the guest takes the same path):
  // it prints them, and the final digest tells the difference.
  const flipped = fill.bytes.slice();
  flipped[0] ^= 0x11;
  const tampered = join(tmp.dir, 'c-tampered.rr');
  writeLog(tampered, header, evs.map((e, i) => (i === at ? { ...fill, bytes: flipped } : e)));
  const r1 = await runCli(['replay', elf, '--rrfile', tampered]);
  assert.equal(r1.status, 122, r1.stderr);
  assert.match(r1.stderr, /^rvreplay: replay diverged at icount \d+: (the machine state differs in \S+|memory page 0x[0-9a-f]+ differs)/m);

  // No entropy event: the device asks for bytes the log does not have there.
  const lost = join(tmp.dir, 'c-lost.rr');
  writeLog(lost, header, evs.filter((_, i) => i !== at));
  const r2 = await runCli(['replay', elf, '--rrfile', lost]);
  assert.equal(r2.status, 122, r2.stderr);
  assert.match(r2.stderr, new RegExp(`^rvreplay: replay diverged at icount ${fill.icount}: device 7 asked for 16 bytes of entropy, but the log has `, 'm'));
});
