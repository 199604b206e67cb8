// The virtio-mmio transport (virtio 1.2 §4.2) as QEMU 7.2's hw/virtio/virtio-mmio.c presents it
// on the virt board, hosting one virtio device type: legacy (version 1: GuestPageSize, QueuePFN,
// QueueAlign; QEMU's default, force-legacy=on) or modern (version 2: QueueDesc/Avail/Used
// Low/High, QueueReady, ConfigGeneration, VIRTIO_F_VERSION_1). It owns feature negotiation, the
// status register and device reset, the queues' state, InterruptStatus/InterruptACK and the
// interrupt line (level = InterruptStatus != 0), and the device-specific configuration at 0x100.
// What the driver gets wrong in its rings (VirtqueueError) breaks the device as QEMU's
// virtio_error does — DEVICE_NEEDS_RESET and a configuration interrupt once VERSION_1 is
// negotiated — and never reaches the hart. Every register lives in the state arena.
import type { AsyncInput, DeliveryResult } from '../async-input.js';
import type { AccessSize, MmioDevice } from '../bus.js';
import type { IrqLine } from '../interrupts.js';
import type { Ram } from '../memory/ram.js';
import type { StateArena } from '../state.js';
import {
  VIRTIO_CONFIG_S_DRIVER_OK,
  VIRTIO_CONFIG_S_FEATURES_OK,
  VIRTIO_CONFIG_S_NEEDS_RESET,
  VIRTIO_F_ANY_LAYOUT,
  VIRTIO_F_BAD_FEATURE,
  VIRTIO_F_EVENT_IDX,
  VIRTIO_F_INDIRECT_DESC,
  VIRTIO_F_NOTIFY_ON_EMPTY,
  VIRTIO_F_RING_RESET,
  VIRTIO_F_VERSION_1,
  featureBit,
  type VirtioDevice,
  type VirtioTransport,
} from './virtio-device.js';
import {
  VIRT_MAGIC,
  VIRT_VENDOR,
  VIRT_VERSION,
  VIRT_VERSION_LEGACY,
  VIRTIO_MMIO_CONFIG,
  VIRTIO_MMIO_CONFIG_GENERATION,
  VIRTIO_MMIO_DEVICE_FEATURES,
  VIRTIO_MMIO_DEVICE_FEATURES_SEL,
  VIRTIO_MMIO_DEVICE_ID,
  VIRTIO_MMIO_DRIVER_FEATURES,
  VIRTIO_MMIO_DRIVER_FEATURES_SEL,
  VIRTIO_MMIO_GUEST_PAGE_SIZE,
  VIRTIO_MMIO_INT_CONFIG,
  VIRTIO_MMIO_INT_VRING,
  VIRTIO_MMIO_INTERRUPT_ACK,
  VIRTIO_MMIO_INTERRUPT_STATUS,
  VIRTIO_MMIO_MAGIC_VALUE,
  VIRTIO_MMIO_QUEUE_ALIGN,
  VIRTIO_MMIO_QUEUE_AVAIL_HIGH,
  VIRTIO_MMIO_QUEUE_AVAIL_LOW,
  VIRTIO_MMIO_QUEUE_DESC_HIGH,
  VIRTIO_MMIO_QUEUE_DESC_LOW,
  VIRTIO_MMIO_QUEUE_NOTIFY,
  VIRTIO_MMIO_QUEUE_NUM,
  VIRTIO_MMIO_QUEUE_NUM_MAX,
  VIRTIO_MMIO_QUEUE_PFN,
  VIRTIO_MMIO_QUEUE_READY,
  VIRTIO_MMIO_QUEUE_SEL,
  VIRTIO_MMIO_QUEUE_USED_HIGH,
  VIRTIO_MMIO_QUEUE_USED_LOW,
  VIRTIO_MMIO_SHM_LEN_HIGH,
  VIRTIO_MMIO_SHM_LEN_LOW,
  VIRTIO_MMIO_STATUS,
  VIRTIO_MMIO_VENDOR_ID,
  VIRTIO_MMIO_VERSION,
} from './virtio-mmio-regs.js';
import { VIRTQUEUE_MAX_SIZE, VIRTQUEUE_WORDS, Virtqueue, VirtqueueError } from './virtqueue.js';

/** QEMU's VIRTIO_QUEUE_MAX: QueueSel and QueueNotify take values below it. */
const VIRTIO_QUEUE_MAX = 1024;

/** What every QEMU 7.2 virtio-mmio device offers beside its own bits (its common properties). */
const TRANSPORT_FEATURES: readonly [number, number] = [
  (featureBit(VIRTIO_F_NOTIFY_ON_EMPTY) | featureBit(VIRTIO_F_ANY_LAYOUT) | featureBit(VIRTIO_F_INDIRECT_DESC) | featureBit(VIRTIO_F_EVENT_IDX)) >>> 0,
  featureBit(VIRTIO_F_RING_RESET - 32),
];
/** Legacy-only bits that modern DeviceFeatures hide (QEMU's VIRTIO_LEGACY_FEATURES). */
const LEGACY_FEATURES_LO = (featureBit(VIRTIO_F_NOTIFY_ON_EMPTY) | featureBit(VIRTIO_F_ANY_LAYOUT) | featureBit(VIRTIO_F_BAD_FEATURE)) >>> 0;

// Indices into the transport's register region.
const T_DEVICE_FEATURES_SEL = 0;
const T_DRIVER_FEATURES_SEL = 1;
const T_GUEST_PAGE_SHIFT = 2; // legacy
const T_DRIVER_FEATURES_LO = 3; // modern: as written, applied when the driver sets FEATURES_OK
const T_DRIVER_FEATURES_HI = 4;
const T_FEATURES_LO = 5; // negotiated
const T_FEATURES_HI = 6;
const T_QUEUE_SEL = 7;
const T_STATUS = 8;
const T_INTERRUPT_STATUS = 9;
const T_CONFIG_GENERATION = 10;
const T_BROKEN = 11; // a malformed ring stopped the device until its next reset
const T_COUNT = 12;

// Modern per-queue registers, kept after each queue's own words until QueueReady applies them.
const P_READY = 0;
const P_NUM = 1;
const P_DESC_LO = 2;
const P_DESC_HI = 3;
const P_AVAIL_LO = 4;
const P_AVAIL_HI = 5;
const P_USED_LO = 6;
const P_USED_HI = 7;
const P_COUNT = 8;
const MODERN_RING_REGS: ReadonlyMap<number, number> = new Map([
  [VIRTIO_MMIO_QUEUE_DESC_LOW, P_DESC_LO],
  [VIRTIO_MMIO_QUEUE_DESC_HIGH, P_DESC_HI],
  [VIRTIO_MMIO_QUEUE_AVAIL_LOW, P_AVAIL_LO],
  [VIRTIO_MMIO_QUEUE_AVAIL_HIGH, P_AVAIL_HI],
  [VIRTIO_MMIO_QUEUE_USED_LOW, P_USED_LO],
  [VIRTIO_MMIO_QUEUE_USED_HIGH, P_USED_HI],
]);

const TWO_32 = 2 ** 32;

export class VirtioMmio implements MmioDevice, VirtioTransport {
  private readonly r: Uint32Array;
  private readonly queues: Virtqueue[] = [];
  private readonly modernQueueRegs: Uint32Array[] = [];
  private readonly hostFeatures: readonly [number, number];
  /** Why the device last broke, for diagnostics (not machine state: a restore does not set it). */
  lastError: string | undefined;

  constructor(
    arena: StateArena,
    name: string,
    ram: Ram,
    private readonly irq: IrqLine,
    private readonly device: VirtioDevice,
    /** Version 1 (legacy) rather than 2. */
    readonly legacy: boolean,
  ) {
    this.r = arena.u32(`${name}.regs`, T_COUNT);
    device.queueSizes.forEach((size, i) => {
      const words = arena.u32(`${name}.queue${i}`, VIRTQUEUE_WORDS + P_COUNT);
      this.queues.push(new Virtqueue(ram, words.subarray(0, VIRTQUEUE_WORDS), size, this));
      this.modernQueueRegs.push(words.subarray(VIRTQUEUE_WORDS));
    });
    this.hostFeatures = [
      (device.deviceFeatures[0] | TRANSPORT_FEATURES[0]) >>> 0,
      (device.deviceFeatures[1] | TRANSPORT_FEATURES[1] | (legacy ? 0 : featureBit(VIRTIO_F_VERSION_1 - 32))) >>> 0,
    ];
    device.attach(this);
    this.systemReset();
  }

  get status(): number {
    return this.r[T_STATUS];
  }

  get broken(): boolean {
    return this.r[T_BROKEN] !== 0;
  }

  queue(index: number): Virtqueue {
    return this.queues[index];
  }

  hasFeature(n: number): boolean {
    const word = n < 32 ? this.r[T_FEATURES_LO] : this.r[T_FEATURES_HI];
    return ((word >>> (n % 32)) & 1) !== 0;
  }

  notifyQueue(index: number): void {
    if (this.queues[index].shouldNotify()) this.raise(VIRTIO_MMIO_INT_VRING);
  }

  notifyConfig(): void {
    if (!(this.r[T_STATUS] & VIRTIO_CONFIG_S_DRIVER_OK)) return;
    // As QEMU: both bits, and a new configuration generation.
    this.raise(VIRTIO_MMIO_INT_VRING | VIRTIO_MMIO_INT_CONFIG);
    this.r[T_CONFIG_GENERATION]++;
  }

  /**
   * Hands the device an asynchronous input. A broken device takes none; what the driver got
   * wrong in its rings while the device handles it breaks the device, and the input is spent.
   */
  deliver(input: AsyncInput): DeliveryResult {
    if (this.device.deliver === undefined) return { taken: false, retry: false, why: `device ${this.device.deviceId} takes no host input` };
    if (this.broken) return { taken: false, retry: false, why: 'the device is broken until its driver resets it' };
    let result: DeliveryResult = { taken: true };
    this.guarded(() => {
      result = this.device.deliver!(input);
    });
    return result;
  }

  /** Re-drives the interrupt line from InterruptStatus; the device rebuilds what it derives. */
  afterRestore(): void {
    this.device.afterRestore();
    this.updateIrq();
  }

  read(offset: number, size: AccessSize): number {
    if (offset >= VIRTIO_MMIO_CONFIG) return this.readConfig(offset - VIRTIO_MMIO_CONFIG, size);
    // QEMU answers only whole-word accesses to the registers.
    if (size !== 4) return 0;
    const r = this.r;
    const q = this.selectedQueue();
    switch (offset) {
      case VIRTIO_MMIO_MAGIC_VALUE:
        return VIRT_MAGIC;
      case VIRTIO_MMIO_VERSION:
        return this.legacy ? VIRT_VERSION_LEGACY : VIRT_VERSION;
      case VIRTIO_MMIO_DEVICE_ID:
        return this.device.deviceId;
      case VIRTIO_MMIO_VENDOR_ID:
        return VIRT_VENDOR;
      case VIRTIO_MMIO_DEVICE_FEATURES:
        if (this.legacy) return r[T_DEVICE_FEATURES_SEL] ? 0 : this.hostFeatures[0];
        return r[T_DEVICE_FEATURES_SEL] ? this.hostFeatures[1] : (this.hostFeatures[0] & ~LEGACY_FEATURES_LO) >>> 0;
      case VIRTIO_MMIO_QUEUE_NUM_MAX:
        return q !== undefined && q.size !== 0 ? VIRTQUEUE_MAX_SIZE : 0;
      case VIRTIO_MMIO_QUEUE_PFN:
        if (!this.legacy || q === undefined) return 0;
        return Math.floor(q.descAddr / 2 ** r[T_GUEST_PAGE_SHIFT]) % TWO_32;
      case VIRTIO_MMIO_QUEUE_READY:
        return this.legacy || q === undefined ? 0 : this.modernQueueRegs[r[T_QUEUE_SEL]][P_READY];
      case VIRTIO_MMIO_INTERRUPT_STATUS:
        return r[T_INTERRUPT_STATUS];
      case VIRTIO_MMIO_STATUS:
        return r[T_STATUS];
      case VIRTIO_MMIO_CONFIG_GENERATION:
        return this.legacy ? 0 : r[T_CONFIG_GENERATION];
      case VIRTIO_MMIO_SHM_LEN_LOW:
      case VIRTIO_MMIO_SHM_LEN_HIGH:
        return 0xffff_ffff; // no shared memory regions (Linux reads a length of -1 so)
      default:
        return 0; // write-only and unknown registers
    }
  }

  write(offset: number, size: AccessSize, value: number): void {
    if (offset >= VIRTIO_MMIO_CONFIG) {
      this.writeConfig(offset - VIRTIO_MMIO_CONFIG, size, value);
      return;
    }
    if (size !== 4) return;
    const r = this.r;
    const v = value >>> 0;
    const q = this.selectedQueue();
    const modern = this.legacy || q === undefined ? undefined : this.modernQueueRegs[r[T_QUEUE_SEL]];
    switch (offset) {
      case VIRTIO_MMIO_DEVICE_FEATURES_SEL:
        r[T_DEVICE_FEATURES_SEL] = v ? 1 : 0;
        return;
      case VIRTIO_MMIO_DRIVER_FEATURES:
        if (this.legacy) {
          if (r[T_DRIVER_FEATURES_SEL] === 0) this.setFeatures(v, 0);
        } else {
          r[r[T_DRIVER_FEATURES_SEL] ? T_DRIVER_FEATURES_HI : T_DRIVER_FEATURES_LO] = v;
        }
        return;
      case VIRTIO_MMIO_DRIVER_FEATURES_SEL:
        r[T_DRIVER_FEATURES_SEL] = v ? 1 : 0;
        return;
      case VIRTIO_MMIO_GUEST_PAGE_SIZE:
        if (!this.legacy) return;
        // The page size is kept as a shift: its lowest set bit (0 for 0).
        r[T_GUEST_PAGE_SHIFT] = v === 0 ? 0 : 31 - Math.clz32(v & -v);
        return;
      case VIRTIO_MMIO_QUEUE_SEL:
        if (v < VIRTIO_QUEUE_MAX) r[T_QUEUE_SEL] = v;
        return;
      case VIRTIO_MMIO_QUEUE_NUM:
        if (q === undefined) return;
        q.setSize(v);
        if (modern !== undefined) modern[P_NUM] = v & 0xffff;
        else this.guarded(() => q.layoutLegacy());
        return;
      case VIRTIO_MMIO_QUEUE_ALIGN:
        // Only a legacy driver may move the used ring (and never once VERSION_1 is negotiated).
        if (!this.legacy || q === undefined || this.hasFeature(VIRTIO_F_VERSION_1)) return;
        this.guarded(() => q.setAlign(v));
        return;
      case VIRTIO_MMIO_QUEUE_PFN:
        if (!this.legacy) return;
        if (v === 0) this.deviceReset();
        else if (q !== undefined) this.guarded(() => q.setLegacyAddress(v * 2 ** r[T_GUEST_PAGE_SHIFT]));
        return;
      case VIRTIO_MMIO_QUEUE_READY:
        if (modern === undefined || q === undefined) return;
        if (v) {
          q.setSize(modern[P_NUM]);
          this.guarded(() => q.setRings(
            modern[P_DESC_LO] + modern[P_DESC_HI] * TWO_32,
            modern[P_AVAIL_LO] + modern[P_AVAIL_HI] * TWO_32,
            modern[P_USED_LO] + modern[P_USED_HI] * TWO_32));
          modern[P_READY] = 1;
        } else {
          modern[P_READY] = 0;
        }
        return;
      case VIRTIO_MMIO_QUEUE_NOTIFY:
        this.queueNotify(v);
        return;
      case VIRTIO_MMIO_INTERRUPT_ACK:
        r[T_INTERRUPT_STATUS] &= ~v;
        this.updateIrq();
        return;
      case VIRTIO_MMIO_STATUS:
        this.writeStatus(v & 0xff);
        return;
      case VIRTIO_MMIO_QUEUE_DESC_LOW:
      case VIRTIO_MMIO_QUEUE_DESC_HIGH:
      case VIRTIO_MMIO_QUEUE_AVAIL_LOW:
      case VIRTIO_MMIO_QUEUE_AVAIL_HIGH:
      case VIRTIO_MMIO_QUEUE_USED_LOW:
      case VIRTIO_MMIO_QUEUE_USED_HIGH:
        // Held until QueueReady applies them.
        if (modern !== undefined) modern[MODERN_RING_REGS.get(offset)!] = v;
        return;
      default:
        // Read-only and unknown registers ignore writes.
    }
  }

  /** The queue QueueSel names, if the device has it. */
  private selectedQueue(): Virtqueue | undefined {
    return this.queues[this.r[T_QUEUE_SEL]];
  }

  private readConfig(offset: number, size: AccessSize): number {
    // Past the device's configuration, QEMU reads all ones.
    if (offset + size > this.device.configSize) return size === 4 ? 0xffff_ffff : 2 ** (8 * size) - 1;
    return this.device.readConfig(offset, size);
  }

  private writeConfig(offset: number, size: AccessSize, value: number): void {
    if (offset + size > this.device.configSize) return;
    this.device.writeConfig(offset, size, value);
  }

  private queueNotify(index: number): void {
    if (index >= VIRTIO_QUEUE_MAX || index >= this.queues.length) return;
    // Before the rings are placed, or while broken, QEMU does not call the device.
    if (this.queues[index].descAddr === 0 || this.broken) return;
    this.guarded(() => this.device.queueNotify(index));
  }

  private writeStatus(value: number): void {
    const r = this.r;
    if (!this.legacy && value & VIRTIO_CONFIG_S_FEATURES_OK) {
      this.setFeatures(r[T_DRIVER_FEATURES_LO], r[T_DRIVER_FEATURES_HI]);
    }
    r[T_STATUS] = value;
    this.guarded(() => this.device.statusChanged());
    if (r[T_STATUS] === 0) {
      this.deviceReset();
      // A modern reset also takes the queues out of service (QEMU's virtio_mmio_soft_reset).
      for (const m of this.modernQueueRegs) m[P_READY] = 0;
    }
  }

  /** The driver's features, as far as they are offered; fixed once FEATURES_OK is set. */
  private setFeatures(lo: number, hi: number): void {
    if (this.r[T_STATUS] & VIRTIO_CONFIG_S_FEATURES_OK) return;
    this.r[T_FEATURES_LO] = lo & this.hostFeatures[0];
    this.r[T_FEATURES_HI] = hi & this.hostFeatures[1];
  }

  /** Runs what the driver's rings drive; a malformed ring breaks the device (QEMU's virtio_error). */
  private guarded(action: () => void): void {
    try {
      action();
    } catch (e) {
      if (!(e instanceof VirtqueueError)) throw e;
      this.lastError = e.message;
      if (this.hasFeature(VIRTIO_F_VERSION_1)) {
        this.r[T_STATUS] |= VIRTIO_CONFIG_S_NEEDS_RESET;
        this.notifyConfig();
      }
      this.r[T_BROKEN] = 1;
    }
  }

  /** The device reset of status 0 or (legacy) QueuePFN 0: the transport's selectors stay. */
  private deviceReset(): void {
    const r = this.r;
    this.device.reset();
    r[T_BROKEN] = 0;
    r[T_FEATURES_LO] = 0;
    r[T_FEATURES_HI] = 0;
    r[T_QUEUE_SEL] = 0;
    r[T_STATUS] = 0;
    r[T_INTERRUPT_STATUS] = 0;
    for (const q of this.queues) q.reset();
    this.lastError = undefined;
    this.updateIrq();
  }

  /** Power-on: a device reset, and the transport's own registers cleared too. */
  private systemReset(): void {
    this.r.fill(0);
    for (const m of this.modernQueueRegs) m.fill(0);
    this.deviceReset();
  }

  private raise(bits: number): void {
    this.r[T_INTERRUPT_STATUS] |= bits;
    this.updateIrq();
  }

  private updateIrq(): void {
    this.irq.set(this.r[T_INTERRUPT_STATUS] !== 0);
  }
}
