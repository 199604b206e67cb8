// virtio-input (virtio 1.2 §5.8, device id 18): a keyboard or a mouse as QEMU 7.2's
// virtio-keyboard-device and virtio-mouse-device present them. The configuration space answers
// the driver's select/subsel queries (name, serial, ids, property and event bitmaps); host input
// events (evdev type, code, value) are async input, each written into one buffer the driver posted
// on the event queue. An event that finds no buffer waits in the async queue for the next
// checkpoint (QEMU drops it; keeping it loses no keystroke and is as deterministic). LED updates
// the driver sends on the status queue are taken and ignored, as QEMU's keyboard ignores them
// without a display.

import type { AsyncInput, DeliveryResult } from '../async-input.js';
import type { AccessSize } from '../bus.js';
import type { StateArena } from '../state.js';
import { VIRTIO_CONFIG_S_DRIVER_OK, VIRTIO_ID_INPUT, readConfigBytes, type VirtioDevice, type VirtioTransport } from './virtio-device.js';

// Configuration selectors (§5.8.2).
export const VIRTIO_INPUT_CFG_UNSET = 0x00;
export const VIRTIO_INPUT_CFG_ID_NAME = 0x01;
export const VIRTIO_INPUT_CFG_ID_SERIAL = 0x02;
export const VIRTIO_INPUT_CFG_ID_DEVIDS = 0x03;
export const VIRTIO_INPUT_CFG_PROP_BITS = 0x10;
export const VIRTIO_INPUT_CFG_EV_BITS = 0x11;
export const VIRTIO_INPUT_CFG_ABS_INFO = 0x12;

// evdev event types and the codes the personalities declare (linux/input-event-codes.h).
export const EV_SYN = 0x00;
export const EV_KEY = 0x01;
export const EV_REL = 0x02;
export const EV_LED = 0x11;
export const EV_REP = 0x14;
const LED_NUML = 0;
const LED_CAPSL = 1;
const LED_SCROLLL = 2;
const REL_X = 0;
const REL_Y = 1;
const REL_WHEEL = 8;
const BTN_LEFT = 0x110;
const BTN_RIGHT = 0x111;
const BTN_MIDDLE = 0x112;
const BTN_SIDE = 0x113;
const BTN_EXTRA = 0x114;
const BUS_VIRTUAL = 0x06;

/** QEMU's virtio-input queue size. */
const QUEUE_SIZE = 64;
const EVENT_QUEUE = 0;
const STATUS_QUEUE = 1;
const EVENT_BYTES = 8;
const CONFIG_SIZE = 136;
const CFG_SELECT = 0;
const CFG_SUBSEL = 1;
const CFG_SIZE = 2;
const CFG_DATA = 8;

export type InputPersonality = 'keyboard' | 'mouse';

interface InputIdentity {
  name: string;
  product: number;
  /** evdev type → the codes it reports. */
  events: Map<number, number[]>;
}

/** The last key QEMU's qcode table maps to a Linux key code on a keyboard (KEY_MICMUTE). */
const LAST_KEYBOARD_KEY = 248;

const IDENTITIES: Record<InputPersonality, InputIdentity> = {
  keyboard: {
    name: 'QEMU Virtio Keyboard',
    product: 0x0001,
    events: new Map([
      [EV_KEY, Array.from({ length: LAST_KEYBOARD_KEY }, (_, i) => i + 1)],
      [EV_REP, [0]],
      [EV_LED, [LED_NUML, LED_CAPSL, LED_SCROLLL]],
    ]),
  },
  mouse: {
    name: 'QEMU Virtio Mouse',
    product: 0x0002,
    events: new Map([
      [EV_KEY, [BTN_LEFT, BTN_RIGHT, BTN_MIDDLE, BTN_SIDE, BTN_EXTRA]],
      [EV_REL, [REL_X, REL_Y, REL_WHEEL]],
    ]),
  },
};

export class VirtioInput implements VirtioDevice {
  readonly deviceId = VIRTIO_ID_INPUT;
  readonly deviceFeatures: readonly [number, number] = [0, 0];
  readonly queueSizes: readonly number[] = [QUEUE_SIZE, QUEUE_SIZE];
  readonly configSize = CONFIG_SIZE;
  private transport: VirtioTransport | undefined;
  private readonly identity: InputIdentity;
  /** select and subsel, as the driver wrote them. */
  private readonly sel: Uint8Array;

  constructor(arena: StateArena, name: string, readonly personality: InputPersonality) {
    this.identity = IDENTITIES[personality];
    this.sel = arena.u8(`${name}.input`, 2);
  }

  attach(transport: VirtioTransport): void {
    this.transport = transport;
  }

  readConfig(offset: number, size: AccessSize): number {
    return readConfigBytes(this.configBytes(), offset, size);
  }

  writeConfig(offset: number, size: AccessSize, value: number): void {
    for (let i = 0; i < size; i++) {
      const at = offset + i;
      if (at === CFG_SELECT || at === CFG_SUBSEL) this.sel[at] = (value >>> (8 * i)) & 0xff;
    }
  }

  queueNotify(index: number): void {
    if (index === STATUS_QUEUE) this.drainStatus();
  }

  statusChanged(): void {}

  reset(): void {
    this.sel.fill(0);
  }

  afterRestore(): void {}

  deliver(input: AsyncInput): DeliveryResult {
    if (input.kind !== 'input') return { taken: false, retry: false, why: `a virtio-input device takes no ${input.kind} input` };
    const t = this.transport!;
    const q = t.queue(EVENT_QUEUE);
    if (!(t.status & VIRTIO_CONFIG_S_DRIVER_OK) || !q.ready || q.isEmpty()) return { taken: false, retry: true };
    const chain = q.pop()!;
    const event = new Uint8Array(EVENT_BYTES);
    const view = new DataView(event.buffer);
    view.setUint16(0, input.type, true);
    view.setUint16(2, input.code, true);
    view.setUint32(4, input.value >>> 0, true);
    q.push(chain, q.write(chain, 0, event));
    t.notifyQueue(EVENT_QUEUE);
    return { taken: true };
  }

  /** The configuration space for the current select/subsel (§5.8.4). */
  private configBytes(): Uint8Array {
    const out = new Uint8Array(CONFIG_SIZE);
    out[CFG_SELECT] = this.sel[CFG_SELECT];
    out[CFG_SUBSEL] = this.sel[CFG_SUBSEL];
    const data = this.selectedData();
    out[CFG_SIZE] = data.length;
    out.set(data, CFG_DATA);
    return out;
  }

  private selectedData(): Uint8Array {
    const id = this.identity;
    const subsel = this.sel[CFG_SUBSEL];
    switch (this.sel[CFG_SELECT]) {
      case VIRTIO_INPUT_CFG_ID_NAME:
        // With its terminating NUL, as QEMU counts the size.
        return subsel === 0 ? new TextEncoder().encode(`${id.name}\0`) : new Uint8Array(0);
      case VIRTIO_INPUT_CFG_ID_DEVIDS: {
        if (subsel !== 0) return new Uint8Array(0);
        const ids = new DataView(new ArrayBuffer(8));
        ids.setUint16(0, BUS_VIRTUAL, true);
        ids.setUint16(2, 0x0627, true); // QEMU's vendor id
        ids.setUint16(4, id.product, true);
        ids.setUint16(6, 0x0001, true);
        return new Uint8Array(ids.buffer);
      }
      case VIRTIO_INPUT_CFG_EV_BITS: {
        const codes = id.events.get(subsel);
        return codes === undefined ? new Uint8Array(0) : bitmap(codes);
      }
      default:
        return new Uint8Array(0); // no serial, no properties, no absolute axes
    }
  }

  /** Returns the LED status buffers the driver sent. */
  private drainStatus(): void {
    const t = this.transport!;
    const q = t.queue(STATUS_QUEUE);
    let any = false;
    for (let chain = q.pop(); chain !== undefined; chain = q.pop()) {
      q.push(chain, 0);
      any = true;
    }
    if (any) t.notifyQueue(STATUS_QUEUE);
  }
}

/** A little-endian bitmap of `codes`, as long as the highest code needs. */
function bitmap(codes: readonly number[]): Uint8Array {
  const out = new Uint8Array((Math.max(...codes) >> 3) + 1);
  for (const c of codes) out[c >> 3] |= 1 << (c & 7);
  return out;
}
