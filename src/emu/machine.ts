// The `virt` machine: one RV32 hart, RAM, and the devices of QEMU's virt board, wired together;
// and the execution loop that advances it in slices bounded by virtual-time deadlines. Virtual
// time is a function of icount (1 instruction = 2^shift ns) plus the time skipped while the hart
// idles in WFI, so a run is the same on every host.

import { Bus, type MmioDevice } from './bus.js';
import { Rv32Cpu } from './cpu/rv32-cpu.js';
import { MIP_MEIP, MIP_SEIP } from './cpu/csr.js';
import { S_MIE } from './cpu/rv32-state.js';
import { Clint } from './devices/clint.js';
import { GoldfishRtc } from './devices/goldfish-rtc.js';
import { Htif } from './devices/htif.js';
import { Plic } from './devices/plic.js';
import { SifiveTest, type FinisherEvent } from './devices/sifive-test.js';
import { UART16550_REGION_SIZE, Uart16550 } from './devices/uart16550.js';
import { VIRTIO_MMIO_REGION_SIZE, VirtioMmioEmpty } from './devices/virtio-mmio-empty.js';
import { VirtioMmio } from './devices/virtio-mmio.js';
import { VirtioBlk } from './devices/virtio-blk.js';
import type { DiskOverlay } from './devices/disk-overlay.js';
import { checkVirtioSlots, createVirtioDevice, type VirtioSlotConfig } from './devices/virtio-devices.js';
import { buildVirtFdt } from './fdt/virt-fdt.js';
import type { AsyncInput, DeliveryResult } from './async-input.js';
import type { BlockHost, CharSink, DiskImage, EntropySource, NetHost, WallClock } from './host/ports.js';
import { IrqLine } from './interrupts.js';
import { Ram } from './memory/ram.js';
import { StateArena } from './state.js';
import { TimerQueue, type VirtualClock } from './timers.js';
import * as V from './virt-map.js';

export interface MachineConfig {
  /** RAM size in MiB (QEMU's -m); 128 by default. */
  ramMiB: number;
  /** Virtual time per instruction is 2^icountShift ns (QEMU's -icount shift=N). */
  icountShift: number;
  /** Kernel command line placed in the device tree's /chosen node. */
  bootargs?: string;
  /** virtio devices by virtio-mmio slot; the other slots stay empty (QEMU without -device). */
  devices?: VirtioSlotConfig[];
  /** virtio-mmio version 1, QEMU's default (true, or absent), or 2 (-global virtio-mmio.force-legacy=false). */
  virtioLegacy?: boolean;
  /**
   * How instructions run: `compiled` (the default) compiles hot code; `interpreted` runs every
   * one in the interpreter (the reference); `compiled-per-instruction` compiles blocks of one
   * instruction, to locate a difference between the two (lockstep.ts). Every way, the machine
   * does the same thing at every icount: a recording made one way replays another.
   */
  execution?: Execution;
}

export type Execution = 'compiled' | 'interpreted' | 'compiled-per-instruction';

export const DEFAULT_CONFIG: MachineConfig = { ramMiB: 128, icountShift: 0 };

/** The host side of the machine: where its output goes and what it reads from the host. */
export interface MachineHost {
  /** UART0 transmit (and the HTIF console). */
  console: CharSink;
  wallClock: WallClock;
  /** The host's randomness, for virtio-rng devices (needed only when the machine has one). */
  entropy?: EntropySource;
  /** Disk base images, for virtio-blk devices (VirtioSlotConfig.disk indexes them). */
  disks?: readonly DiskImage[];
  /** Where block requests go; completions come back through deliver(). */
  block?: BlockHost;
  /** Where virtio-net devices send frames. */
  net?: NetHost;
}

/** How a guest ended: the finisher or HTIF said pass, fail with a code, or reset. */
export type GuestExit = FinisherEvent;

/** Why run() returned. */
export type StopReason =
  | 'limit' // icount reached the requested limit
  | 'exit' // the guest finished (see machine.exit)
  | 'idle' // the hart waits in WFI and no timer will wake it: only host input can
  | 'yield' // a device handed work to the host (a block request): let the host run, then go on
  | 'debug'; // a breakpoint or watchpoint was hit (cpu.debug.hit says which)

export const ISA_STRING = 'rv32imac_zicsr_zifencei';
const MACHINE_STATE = 'machine.time';
const T_IDLE_NS = 0;
const EXIT_NONE = 0;
const EXIT_PASS = 1;
const EXIT_FAIL = 2;
const EXIT_RESET = 3;

/** A loadable guest: bytes at physical addresses, an entry point, and the HTIF symbols if any. */
export interface GuestImage {
  entry: number;
  segments: { paddr: number; data: Uint8Array; memsz: number }[];
  tohost?: number;
  fromhost?: number;
}

export class VirtMachine implements VirtualClock {
  readonly arena = new StateArena();
  readonly ram: Ram;
  readonly bus = new Bus();
  readonly timers = new TimerQueue(() => this.cpu.requestStop());
  readonly cpu: Rv32Cpu;
  readonly plic: Plic;
  readonly clint: Clint;
  readonly uart: Uart16550;
  readonly rtc: GoldfishRtc;
  /** The populated virtio-mmio slots' transports, in slot order. */
  readonly virtio: VirtioMmio[] = [];
  private readonly virtioSlots = new Map<number, VirtioMmio>();
  /** The virtio-blk devices' disks (base image and overlay), in slot order. */
  readonly disks: { slot: number; overlay: DiskOverlay }[] = [];
  /** Address of the device tree blob in RAM (a1 at entry). */
  readonly fdtAddr: number;
  private readonly time: Float64Array;
  /** How the guest finished: [EXIT_* kind, code]; EXIT_NONE while it runs. */
  private readonly exitState: Uint32Array;
  private readonly nsPerInsn: number;
  private htif: Htif | undefined;
  /** Set when a device handed work to the host: run() returns 'yield' at the next boundary. */
  private yieldRequested = false;

  constructor(
    readonly config: MachineConfig,
    private readonly host: MachineHost,
  ) {
    if (!Number.isInteger(config.ramMiB) || config.ramMiB < 1 || config.ramMiB > 2048) {
      throw new RangeError(`RAM size must be 1–2048 MiB, not ${config.ramMiB}`);
    }
    if (!Number.isInteger(config.icountShift) || config.icountShift < 0 || config.icountShift > 10) {
      throw new RangeError(`icount shift must be 0–10, not ${config.icountShift}`);
    }
    this.nsPerInsn = 2 ** config.icountShift;
    this.time = this.arena.f64(MACHINE_STATE, 1);
    this.exitState = this.arena.u32('machine.exit', 2);
    this.ram = new Ram(V.VIRT_DRAM_BASE, config.ramMiB * 1024 * 1024);
    this.cpu = new Rv32Cpu(this.arena, this.ram, this.bus);
    const execution = config.execution ?? 'compiled';
    this.cpu.setCompiling(execution !== 'interpreted', execution === 'compiled-per-instruction' ? 1 : undefined);

    const arena = this.arena;
    this.plic = new Plic(arena, 'plic', this.cpu);
    this.clint = new Clint(arena, 'clint', this, this.timers, this.cpu);
    this.uart = new Uart16550(arena, 'uart0', new IrqLine(this.plic, V.VIRT_UART0_IRQ), host.console, this, this.timers);
    this.rtc = new GoldfishRtc(arena, 'rtc', this, this.timers, host.wallClock, new IrqLine(this.plic, V.VIRT_RTC_IRQ));
    const finisher = new SifiveTest((e) => this.finish(e));
    this.cpu.timeSource = () => this.clint.mtime();

    this.bus.map('test', V.VIRT_TEST_BASE, V.VIRT_TEST_SIZE, finisher);
    this.bus.map('rtc', V.VIRT_RTC_BASE, V.VIRT_RTC_SIZE, this.rtc);
    this.bus.map('clint', V.VIRT_CLINT_BASE, V.VIRT_CLINT_SIZE, this.clint);
    this.bus.map('plic', V.VIRT_PLIC_BASE, V.VIRT_PLIC_SIZE, this.plic);
    // Mapped with the sizes QEMU's devices answer to (smaller than their slots in the memory map).
    this.bus.map('uart0', V.VIRT_UART0_BASE, UART16550_REGION_SIZE, this.uart);
    // virtio-mmio: a transport with its device where the configuration places one, else an empty slot.
    const virtioLegacy = config.virtioLegacy ?? true;
    // A request handed to the host ends the slice, so the host can start on it at once.
    const hostBlock = host.block;
    const deviceHost: MachineHost = hostBlock === undefined ? host : {
      ...host,
      block: {
        submit: (device, request, info) => {
          hostBlock.submit(device, request, info);
          this.yieldRequested = true;
          this.cpu.requestStop();
        },
      },
    };
    checkVirtioSlots(config.devices ?? []);
    for (let i = 0; i < V.VIRT_VIRTIO_COUNT; i++) {
      const placed = config.devices?.find((d) => d.slot === i);
      let slot: MmioDevice = new VirtioMmioEmpty(virtioLegacy);
      if (placed !== undefined) {
        const irq = new IrqLine(this.plic, V.VIRT_VIRTIO_IRQ + i);
        const device = createVirtioDevice(placed, deviceHost, arena, `virtio${i}`);
        if (device instanceof VirtioBlk) this.disks.push({ slot: i, overlay: device.disk });
        const transport = new VirtioMmio(arena, `virtio${i}`, this.ram, irq, device, virtioLegacy);
        this.virtio.push(transport);
        this.virtioSlots.set(i, transport);
        slot = transport;
      }
      this.bus.map(`virtio${i}`, V.VIRT_VIRTIO_BASE + i * V.VIRT_VIRTIO_SIZE, VIRTIO_MMIO_REGION_SIZE, slot);
    }

    const fdt = buildVirtFdt({
      ramBase: V.VIRT_DRAM_BASE,
      ramSize: this.ram.size,
      isa: ISA_STRING,
      mmuType: 'riscv,sv32',
      timebaseFrequency: V.VIRT_TIMEBASE_FREQ,
      bootargs: config.bootargs,
    });
    // Where QEMU puts it: the end of RAM (below 3 GiB), aligned down to 2 MiB.
    const top = Math.min(V.VIRT_DRAM_BASE + this.ram.size, 0xc000_0000);
    this.fdtAddr = Math.floor((top - fdt.length) / 0x20_0000) * 0x20_0000;
    this.ram.write(this.fdtAddr, fdt);
  }

  /** Copies the guest into RAM and points the hart at its entry, as QEMU's -kernel does. */
  load(image: GuestImage): void {
    for (const seg of image.segments) {
      if (!this.ram.contains(seg.paddr, Math.max(seg.memsz, 1))) {
        const end = seg.paddr + seg.memsz;
        throw new RangeError(
          `segment [0x${seg.paddr.toString(16)}, 0x${end.toString(16)}) is outside RAM ` +
          `[0x${this.ram.base.toString(16)}, 0x${(this.ram.base + this.ram.size).toString(16)})`);
      }
      this.ram.zero(seg.paddr, seg.memsz);
      this.ram.write(seg.paddr, seg.data);
    }
    if (image.tohost !== undefined && image.fromhost !== undefined) {
      const htif = new Htif(this.ram, image.tohost, image.fromhost, this.host.console, ({ code }) =>
        this.finish(code === 0 ? { kind: 'pass' } : { kind: 'fail', code }));
      this.htif = htif;
      this.ram.storeListener = (pa, size) => htif.onStore(pa, size);
    }
    this.cpu.reset(image.entry, 0, this.fdtAddr);
  }

  /**
   * Rebuilds everything derived after the state arena and RAM were overwritten (a snapshot
   * restore): the hart's translation state and PMP, each device's timers and interrupt levels.
   * The PLIC comes last so it sees the levels the other devices re-drive.
   */
  afterRestore(): void {
    this.cpu.afterRestore();
    this.clint.afterRestore();
    this.uart.afterRestore();
    this.rtc.afterRestore();
    for (const t of this.virtio) t.afterRestore();
    this.plic.afterRestore();
  }

  /**
   * Hands an asynchronous host input to its device, between slices (at a checkpoint). Whether
   * a device takes it depends only on the machine's state, so a replay that delivers the
   * recorded inputs at the recorded icounts sees the same answers.
   */
  deliver(input: AsyncInput): DeliveryResult {
    const transport = this.virtioAt(input.device);
    if (transport === undefined) return { taken: false, retry: false, why: `there is no virtio device in slot ${input.device}` };
    return transport.deliver(input);
  }

  /** The transport in virtio-mmio slot `slot`, if a device is placed there. */
  virtioAt(slot: number): VirtioMmio | undefined {
    return this.virtioSlots.get(slot);
  }

  /** How the guest finished, once it has; the machine then runs no further. */
  get exit(): GuestExit | undefined {
    switch (this.exitState[0]) {
      case EXIT_PASS: return { kind: 'pass' };
      case EXIT_FAIL: return { kind: 'fail', code: this.exitState[1] };
      case EXIT_RESET: return { kind: 'reset' };
      default: return undefined;
    }
  }

  get hasHtif(): boolean {
    return this.htif !== undefined;
  }

  get icount(): number {
    return this.cpu.icount;
  }

  nowNs(): number {
    return this.cpu.icount * this.nsPerInsn + this.time[T_IDLE_NS];
  }

  /** True when an external interrupt is enabled, so host input could still wake an idle hart. */
  get externalInterruptsEnabled(): boolean {
    return (this.cpu.s[S_MIE] & (MIP_MEIP | MIP_SEIP)) !== 0;
  }

  /**
   * Runs until icount reaches `limit`, the guest exits, the hart idles with nothing but host
   * input to wake it, or a breakpoint or watchpoint stops it. While the hart waits in WFI with a timer armed, virtual time jumps to the
   * timer's deadline (QEMU's -icount with sleep=off does the same).
   */
  run(limit: number): StopReason {
    const cpu = this.cpu;
    cpu.debug.hit = undefined;
    for (;;) {
      if (this.exit !== undefined) return 'exit';
      this.timers.fireDue(this.nowNs());
      if (cpu.icount >= limit) return 'limit';
      cpu.takeInterrupt();
      if (cpu.debug.hit !== undefined) return 'debug'; // stopped on taking the interrupt
      if (cpu.waiting) {
        const next = this.timers.nextDeadlineNs();
        if (next === Infinity) return 'idle';
        this.time[T_IDLE_NS] += Math.max(0, next - this.nowNs());
        continue;
      }
      if (cpu.icount >= limit) return 'limit';
      cpu.run(Math.min(limit, this.icountAt(this.timers.nextDeadlineNs())));
      if (cpu.debug.hit !== undefined) return 'debug';
      if (this.yieldRequested) {
        this.yieldRequested = false;
        return 'yield';
      }
    }
  }

  /** The first icount at which virtual time reaches `ns` (Infinity stays Infinity). */
  private icountAt(ns: number): number {
    return Math.ceil((ns - this.time[T_IDLE_NS]) / this.nsPerInsn);
  }

  private finish(e: GuestExit): void {
    if (this.exitState[0] === EXIT_NONE) {
      this.exitState[0] = e.kind === 'pass' ? EXIT_PASS : e.kind === 'fail' ? EXIT_FAIL : EXIT_RESET;
      this.exitState[1] = e.kind === 'fail' ? e.code : 0;
    }
    this.cpu.requestStop();
  }
}
