// The virtio I/O guests (test/guests/c/virtio-{blk,net,input}.c and their -modern builds) on
// QEMU, with the host side played for real: a pattern disk image, a UDP peer behind
// `-netdev dgram`, keys typed through QMP. Each run must print exactly what the scenario in
// test/support/virtio-scenarios.ts derives from those inputs and exit 0, which pins down QEMU's
// behaviour for the test that will hold rvreplay's devices to it (test/guests/virtio-io.md).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/toolchain.js';
import { freeUdpPort, makeDiskImage, NetPeer, QmpClient, WatchedProcess } from '../support/virtio-peers.js';
import {
  DISK_SECTORS,
  QEMU_DEFAULT_MAC,
  expectedBlkOutput,
  expectedHello,
  expectedInputOutput,
  expectedNetOutput,
  expectedReply,
  playKeyScenario,
  playNetScenario,
  type TransportVersion,
} from '../support/virtio-scenarios.js';
import { describeEnd, runProcess } from './run-process.js';

const GUEST_BUILD = join(__dirname, '..', 'guests', 'build');
const QEMU = 'qemu-system-riscv32';
/** Each step takes QEMU well under a second; the limit only stops a hang. */
const STEP_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 60_000;
/** Tries at a UDP port for QEMU: another process may take the free one before QEMU binds it. */
const PORT_TRIES = 3;

const VERSIONS: readonly { version: TransportVersion; suffix: string }[] = [
  { version: 1, suffix: '' },
  { version: 2, suffix: '-modern' },
];

function guestElf(name: string): string {
  const elf = join(GUEST_BUILD, `${name}.elf`);
  assert.ok(existsSync(elf), `${elf} is not built: run \`make -C test/guests\` first`);
  return elf;
}

/** The oracle test's QEMU command line, with the devices and the transport version. */
function qemuArgs(elf: string, version: TransportVersion, devices: string[]): string[] {
  const modern = version === 2 ? ['-global', 'virtio-mmio.force-legacy=false'] : [];
  return ['-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio', '-icount', 'shift=0',
    ...devices, ...modern, '-kernel', elf];
}

function sha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

for (const { version, suffix } of VERSIONS) {
  test(`c-virtio-blk${suffix} on QEMU`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const elf = guestElf(`c-virtio-blk${suffix}`);
    const { dir, cleanup } = tempDir('virtio-blk');
    try {
      const disk = join(dir, 'disk.img');
      makeDiskImage(disk, DISK_SECTORS);
      const before = sha256(disk);
      // snapshot=on sends the guest's write to a temporary overlay, as rvreplay must.
      const r = await runProcess(QEMU, qemuArgs(elf, version, ['-drive', `file=${disk},if=none,format=raw,id=d0,snapshot=on`,
        '-device', 'virtio-blk-device,drive=d0']), STEP_TIMEOUT_MS);
      assert.equal(r.stdout.toString('latin1'), expectedBlkOutput(version), describeEnd(r));
      assert.equal(r.status, 0, describeEnd(r));
      assert.equal(sha256(disk), before, 'the disk image changed');
    } finally {
      cleanup();
    }
  });

  test(`c-virtio-net${suffix} on QEMU`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const elf = guestElf(`c-virtio-net${suffix}`);
    const peer = await NetPeer.open();
    try {
      for (let attempt = 1; ; attempt++) {
        const port = await freeUdpPort();
        const qemu = new WatchedProcess(QEMU, qemuArgs(elf, version, [
          '-netdev', `dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=${port},remote.type=inet,remote.host=127.0.0.1,remote.port=${peer.port}`,
          '-device', 'virtio-net-device,netdev=n0',
        ]));
        try {
          try {
            await qemu.waitFor((out) => out.includes('hello sent'), STEP_TIMEOUT_MS, 'the hello');
          } catch (err) {
            if (attempt < PORT_TRIES && /in use/i.test(qemu.stderr)) continue;
            throw err;
          }
          const exchange = await playNetScenario(peer, port, STEP_TIMEOUT_MS).catch((err: Error) => {
            throw new Error(`${err.message}: ${qemu.describe()}`);
          });
          const end = await qemu.waitExit(STEP_TIMEOUT_MS);
          assert.equal(exchange.hello.toString('hex'), expectedHello(QEMU_DEFAULT_MAC).toString('hex'), 'the hello frame');
          exchange.sent.forEach((frame, k) => {
            assert.equal(exchange.replies[k]?.toString('hex'), expectedReply(frame, QEMU_DEFAULT_MAC).toString('hex'), `the reply to frame ${k + 1}`);
          });
          assert.equal(peer.pending(), 0, 'frames after the last reply');
          assert.equal(qemu.stdout, expectedNetOutput(version), qemu.describe());
          assert.deepEqual(end, { status: 0, signal: null }, qemu.describe());
          return;
        } finally {
          qemu.kill();
        }
      }
    } finally {
      peer.close();
    }
  });

  test(`c-virtio-input${suffix} on QEMU`, { timeout: TEST_TIMEOUT_MS }, async () => {
    const elf = guestElf(`c-virtio-input${suffix}`);
    const { dir, cleanup } = tempDir('virtio-input');
    const sock = join(dir, 'qmp.sock');
    const qemu = new WatchedProcess(QEMU, qemuArgs(elf, version, ['-device', 'virtio-keyboard-device',
      '-qmp', `unix:${sock},server=on,wait=off`]));
    let qmp: QmpClient | undefined;
    try {
      const client = await QmpClient.connect(sock, STEP_TIMEOUT_MS);
      qmp = client;
      // q's release ends the guest, and QEMU with it, possibly before QMP answers that batch:
      // the output and exit status below show whether the keys arrived.
      await playKeyScenario(qemu, (batch, last) => client.sendKeys(batch, { endsGuest: last }), STEP_TIMEOUT_MS).catch((err: Error) => {
        throw new Error(`${err.message}: ${qemu.describe()}`);
      });
      const end = await qemu.waitExit(STEP_TIMEOUT_MS);
      assert.equal(qemu.stdout, expectedInputOutput(version), qemu.describe());
      assert.deepEqual(end, { status: 0, signal: null }, qemu.describe());
    } finally {
      qmp?.close();
      qemu.kill();
      cleanup();
    }
  });
}
