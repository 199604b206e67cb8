// The virtio devices of a session on the command line: where each goes (the slots QEMU's virt
// board would give the same devices), and their host side in a live session (run, record): the
// disk images, the host's block I/O, and the async queue their completions wait in until a
// checkpoint. Replay builds the same devices from the log's header, with no host side at all.
//
// Slots are handed out as QEMU hands them to `-device` options in command-line order, from slot
// 7 down; rvreplay's order is fixed: the drives in the order given, then the network card, the
// keyboard, the mouse and virtio-rng.

import { DEFAULT_MAC, parseMac, qemuVirtioSlot, type VirtioSlotConfig } from '../emu/devices/virtio-devices.js';
import { FileInputEventSource, TcpInputEventSource, type InputEventSource } from '../emu/host/input-event-source.js';
import { UdpNetBackend } from '../emu/host/udp-net.js';
import { FileDiskImage } from '../emu/host/file-disk-image.js';
import { HostBlockIo } from '../emu/host/host-block-io.js';
import type { MachineHost } from '../emu/machine.js';
import { AsyncQueue } from '../replay/async-queue.js';
import type { LogHeader } from '../replay/log-header.js';
import { CliError } from './cli-error.js';
import { flagOption, listOption, stringOption, type OptionSpec } from './options.js';

/** `udp:LOCAL:REMOTE` as two ports. */
export function parseNetSpec(spec: string): { local: number; remote: number } {
  const m = /^udp:(\d+):(\d+)$/.exec(spec);
  const local = Number(m?.[1]);
  const remote = Number(m?.[2]);
  if (m === null || local > 65535 || remote < 1 || remote > 65535) {
    throw new CliError(`--net takes udp:LOCAL:REMOTE (two UDP ports on 127.0.0.1; LOCAL may be 0), not '${spec}'`);
  }
  return { local, remote };
}

type InputSpec = { kind: 'file'; path: string } | { kind: 'tcp'; port: number };

export function parseInputSpec(option: string, spec: string): InputSpec {
  if (spec.startsWith('file:') && spec.length > 5) return { kind: 'file', path: spec.slice(5) };
  const m = /^tcp:(\d+)$/.exec(spec);
  if (m !== null && Number(m[1]) <= 65535) return { kind: 'tcp', port: Number(m[1]) };
  throw new CliError(`--${option} takes file:PATH or tcp:PORT, not '${spec}'`);
}

export const DEVICE_OPTIONS: OptionSpec<unknown>[] = [
  listOption('drive', 'FILE',
    'a virtio-blk disk whose base image is FILE (raw); the guest\'s writes go to an overlay in memory and never reach FILE. ' +
    "Drives take virtio-mmio slots 7, 6, … in order, as QEMU's -drive if=none,id=dN,file=FILE -device virtio-blk-device,drive=dN"),
  stringOption('net', 'udp:LOCAL:REMOTE',
    'a virtio-net card whose frames travel as UDP datagrams between 127.0.0.1:LOCAL and the peer at 127.0.0.1:REMOTE ' +
    "(QEMU's -netdev dgram framing); LOCAL 0 picks a free port, printed on stderr"),
  stringOption('mac', 'MAC', 'the virtio-net card\'s MAC address', DEFAULT_MAC),
  stringOption('keyboard', 'SPEC', 'a virtio keyboard fed with input events (lines TYPE CODE VALUE) from file:PATH or a client of tcp:PORT'),
  stringOption('mouse', 'SPEC', 'a virtio mouse, fed as --keyboard is'),
  flagOption('virtio-rng', "a virtio-rng device fed by the host's randomness (slot 7 when alone)"),
];

/** The virtio slots the options describe: drives, net, keyboard, mouse, rng, from slot 7 down. */
export function virtioLayout(options: Map<string, unknown>): VirtioSlotConfig[] {
  const drives = (options.get('drive') as string[] | undefined) ?? [];
  const devices: VirtioSlotConfig[] = drives.map((_, i) => ({ slot: qemuVirtioSlot(i), kind: 'blk', disk: i }));
  const next = (): number => qemuVirtioSlot(devices.length);
  if (options.get('net') !== undefined) {
    parseNetSpec(options.get('net') as string);
    const mac = options.get('mac') as string;
    try {
      parseMac(mac);
    } catch (e) {
      throw new CliError(`--mac: ${(e as Error).message}`);
    }
    devices.push({ slot: next(), kind: 'net', mac });
  }
  for (const kind of ['keyboard', 'mouse'] as const) {
    if (options.get(kind) !== undefined) {
      parseInputSpec(kind, options.get(kind) as string);
      devices.push({ slot: next(), kind });
    }
  }
  if (options.get('virtio-rng') === true) devices.push({ slot: next(), kind: 'rng' });
  if (devices.length > 8) throw new CliError(`the virt board has 8 virtio-mmio slots; ${devices.length} devices were asked for`);
  return devices;
}

/** Opens a disk image for the guest, with one clear line for each way it cannot be. */
export function openDiskImage(path: string): FileDiskImage {
  try {
    return FileDiskImage.open(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' :
      code === 'EISDIR' || code === 'ENOTFILE' ? 'not a regular file' : (e as Error).message;
    throw new CliError(`cannot open disk image ${path}: ${why}`);
  }
}

/** The host side of a live session's devices. */
export class LiveDevices {
  readonly queue = new AsyncQueue();
  private readonly images: FileDiskImage[];
  private readonly blockIo: HostBlockIo;
  private readonly net: UdpNetBackend | undefined;
  private readonly inputs: InputEventSource[] = [];

  constructor(layout: readonly VirtioSlotConfig[], options: Map<string, unknown>) {
    this.images = ((options.get('drive') as string[] | undefined) ?? []).map(openDiskImage);
    const bySlot = new Map(layout.filter((d) => d.kind === 'blk').map((d) => [d.slot, this.images[d.disk!]]));
    this.blockIo = new HostBlockIo(bySlot, (device, request) => this.queue.push({ kind: 'block', device, request }));
    const netSlot = layout.find((d) => d.kind === 'net')?.slot;
    if (netSlot !== undefined) {
      const { local, remote } = parseNetSpec(options.get('net') as string);
      this.net = new UdpNetBackend(local, remote, (frame) => this.queue.push({ kind: 'net', device: netSlot, frame }));
    }
    for (const d of layout) {
      if (d.kind !== 'keyboard' && d.kind !== 'mouse') continue;
      const spec = parseInputSpec(d.kind, options.get(d.kind) as string);
      const push = (e: { type: number; code: number; value: number }): void => {
        this.queue.push({ kind: 'input', device: d.slot, ...e });
      };
      this.inputs.push(spec.kind === 'file'
        ? new FileInputEventSource(spec.path, push)
        : new TcpInputEventSource(spec.port, push,
          (port) => process.stderr.write(`rvreplay: ${d.kind} events: a client of 127.0.0.1:${port}\n`),
          (message) => process.stderr.write(`rvreplay: ${d.kind} event ignored: ${message}\n`)));
    }
  }

  /** Starts the host sides that need it (sockets, event files); rejects with a message fit for the user. */
  async open(): Promise<void> {
    try {
      if (this.net !== undefined) {
        const port = await this.net.open();
        process.stderr.write(`rvreplay: network frames: UDP 127.0.0.1:${port}\n`);
      }
      for (const i of this.inputs) await i.open();
    } catch (e) {
      throw new CliError((e as Error).message);
    }
  }

  /** Before a machine (re)starts: what is queued or in flight for the one before is dropped. */
  restart(): void {
    this.queue.disable();
    this.blockIo.forget();
    this.queue.enable();
  }

  /** The machine's host ports for these devices. */
  get ports(): Pick<MachineHost, 'disks' | 'block' | 'net'> {
    return { disks: this.images, block: this.blockIo, net: this.net };
  }

  /** The disks as a log header records them. */
  get headerDisks(): LogHeader['disks'] {
    return this.images.map((d) => ({ path: d.path, sha256: d.digest, bytes: d.bytes }));
  }

  /** True while the host may still bring input (block requests in flight, a network, an input source). */
  get inputOpen(): boolean {
    return this.blockIo.pending > 0 || this.queue.size > 0 || this.net !== undefined || this.inputs.some((i) => i.inputOpen);
  }

  /** Host work in flight that a guest is likely waiting for: run shorter slices meanwhile. */
  get busy(): boolean {
    return this.blockIo.pending > 0;
  }

  /** Resolves when host input arrives. */
  wait(): Promise<void> {
    return this.queue.wait();
  }

  /** Releases the host side; the guest's last network frames are sent first. */
  async close(): Promise<void> {
    this.queue.disable();
    for (const d of this.images) d.close();
    for (const i of this.inputs) i.close();
    await this.net?.close();
  }
}

/**
 * A replay's disk images: those the log names, or those given with --drive instead (a copy moved
 * elsewhere); each must have the digest the log recorded.
 */
export function openReplayDisks(header: LogHeader, drives: readonly string[] | undefined): FileDiskImage[] {
  const recorded = header.disks;
  if (drives !== undefined && drives.length !== recorded.length) {
    throw new CliError(`the log was recorded with ${recorded.length} drive(s); --drive was given ${drives.length} time(s)`);
  }
  return recorded.map((d, i) => {
    const path = drives?.[i] ?? d.path;
    let image: FileDiskImage;
    if (drives !== undefined) {
      image = openDiskImage(path);
    } else {
      try {
        image = FileDiskImage.open(path);
      } catch (e) {
        throw new CliError(`the log was recorded with disk image ${d.path}, which cannot be opened (${(e as NodeJS.ErrnoException).code ?? 'error'}); give its copy with --drive FILE`);
      }
    }
    if (image.digest !== d.sha256) {
      image.close();
      throw new CliError(
        `${path} is not the disk image this log was recorded with (${d.path}, sha256 ${d.sha256.slice(0, 12)}…; ` +
        `this file has ${image.digest.slice(0, 12)}…): replaying over another disk would diverge`);
    }
    return image;
  });
}
