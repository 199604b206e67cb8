// What the virtio I/O guests are fed and what they must print, shared by the test that runs them
// on QEMU (test/oracle/virtio-io-qemu.test.ts) and any test that runs them on rvreplay. Expected
// outputs are built here from the same inputs the host gives (disk pattern, frames, keys), so
// checksums are computed independently of the guests; the fixed parts are QEMU 7.2's answers,
// explained in test/guests/virtio-io.md.

import {
  diskPattern,
  ethFrame,
  fnv1a,
  hex8,
  macText,
  ETH_HLEN,
  type KeyEvent,
  type NetPeer,
  type WatchedProcess,
} from './virtio-peers.js';

export type TransportVersion = 1 | 2;

/** The guests (test/guests/build/<name>.elf) that only run with this host side behind them. */
export const VIRTIO_IO_GUESTS: readonly string[] = ['blk', 'net', 'input'].flatMap((d) => [`c-virtio-${d}`, `c-virtio-${d}-modern`]);

/** Where a lone `-device` goes on QEMU's virt board: slot 7, PLIC source 8. */
const SLOT_LINE = (device: string): string => `${device} in slot 7, PLIC source 8`;

// ---- virtio-blk ----

/** The disk virtio-blk.c expects: makeDiskImage(path, DISK_SECTORS). */
export const DISK_SECTORS = 64;

/** Request (b): four reads posted with one notify, as (first sector, bytes). */
const BLK_BATCH: readonly (readonly [number, number])[] = [
  [10, 512],
  [20, 1024],
  [30, 512],
  [40, 2048],
];

export function expectedBlkOutput(version: TransportVersion): string {
  const sum = (first: number, count: number): string => hex8(fnv1a(diskPattern(first, count)));
  const batch = BLK_BATCH.map(([s, len]) => `  sector ${s}, ${len} bytes: status 0, used len ${len + 1}, pattern ok, fnv ${sum(s, len / 512)}`);
  return lines([
    `virtio-blk, transport version ${version}`,
    SLOT_LINE('virtio-blk'),
    `device offers: SEG_MAX yes, BLK_SIZE yes, FLUSH yes${version === 2 ? ', VERSION_1 yes' : ''}`,
    `capacity ${DISK_SECTORS} sectors`,
    'blk_size 512',
    'seg_max 254', // QEMU: queue-size 256 - 2 (seg-max-adjust)
    // QEMU's used length counts every device-writable byte of the chain, status included.
    `(a) polled read of sectors 0-7: status 0, used len 4097, pattern ok, fnv ${sum(0, 8)}`,
    '(b) four reads, one notify, completed by interrupt:',
    ...batch,
    '(c) write of sector 5: status 0, used len 1',
    '    read-back of sectors 4-6: status 0, used len 1537, sector 4 intact, sector 5 written, sector 6 intact',
    '(d) flush: status 0, used len 1',
    `(e) read of sector ${DISK_SECTORS}, past the end: status 1, used len 513`,
    // No serial= on the device: QEMU answers GET_ID with an empty, NUL-terminated string.
    '(f) get id: status 0, used len 21, id ""',
    'reset: status 0',
  ]);
}

// ---- virtio-net ----

/** QEMU's MAC address for the first NIC without mac=. */
export const QEMU_DEFAULT_MAC = Buffer.from([0x52, 0x54, 0x00, 0x12, 0x34, 0x56]);
/** The peer's own (locally administered) address. */
export const PEER_MAC = Buffer.from([0x02, 0x00, 0x00, 0x00, 0x00, 0x01]);
export const BROADCAST = Buffer.alloc(6, 0xff);
export const ETHERTYPE = 0x88b5;
/** Whole frame lengths (header included, no FCS): the shortest Ethernet frame, one in between, the longest. */
export const NET_FRAME_LENGTHS = [60, 200, 1514] as const;

/** The hello the guest broadcasts once it can receive. */
export function expectedHello(guestMac: Uint8Array): Buffer {
  return ethFrame(BROADCAST, guestMac, ETHERTYPE, Buffer.from('hello'));
}

/** Frame n (1-based) the peer sends: to the guest, or broadcast for the second. */
export function netTestFrame(n: number, guestMac: Uint8Array): Buffer {
  const len = NET_FRAME_LENGTHS[n - 1];
  const payload = Buffer.alloc(len - ETH_HLEN);
  for (let i = 0; i < payload.length; i++) payload[i] = (n * 13 + i * 5) & 0xff;
  return ethFrame(n === 2 ? BROADCAST : guestMac, PEER_MAC, ETHERTYPE, payload);
}

/** The guest's answer to a frame: back to the sender, from the guest, payload XOR 0xff. */
export function expectedReply(frame: Buffer, guestMac: Uint8Array): Buffer {
  const payload = Buffer.from(frame.subarray(ETH_HLEN)).map((b) => b ^ 0xff);
  return ethFrame(frame.subarray(6, 12), guestMac, frame.readUInt16BE(12), payload);
}

export function expectedNetOutput(version: TransportVersion, guestMac: Uint8Array = QEMU_DEFAULT_MAC): string {
  const frames = NET_FRAME_LENGTHS.map((_, k) => netTestFrame(k + 1, guestMac));
  return lines([
    `virtio-net, transport version ${version}`,
    SLOT_LINE('virtio-net'),
    `device offers: MAC yes${version === 2 ? ', VERSION_1 yes' : ''}`,
    `mac ${macText(guestMac)}, header ${version === 2 ? 12 : 10} bytes`,
    '8 receive buffers posted',
    'hello sent: 19 bytes',
    ...frames.flatMap((f, k) => {
      const reply = expectedReply(f, guestMac);
      return [
        `frame ${k + 1}: ${f.length} bytes, dst ${macText(f.subarray(0, 6))}, src ${macText(f.subarray(6, 12))}, fnv ${hex8(fnv1a(f))}`,
        `reply ${k + 1} sent: ${reply.length} bytes, fnv ${hex8(fnv1a(reply))}`,
      ];
    }),
    'all 4 frames transmitted',
  ]);
}

export interface NetExchange {
  hello: Buffer;
  /** The frames the peer sent, in order. */
  sent: Buffer[];
  /** What came back after each. */
  replies: Buffer[];
}

/**
 * Plays the peer's part: waits for the guest's hello (frames sent before the guest is ready may
 * be lost, see virtio-io.md), then sends each test frame to `emulatorPort` and waits for its reply
 * before the next, addressing the guest by the hello's source MAC.
 */
export async function playNetScenario(peer: NetPeer, emulatorPort: number, timeoutMs: number): Promise<NetExchange> {
  const hello = (await peer.next(timeoutMs)).frame;
  const guestMac = hello.subarray(6, 12);
  const sent: Buffer[] = [];
  const replies: Buffer[] = [];
  for (let n = 1; n <= NET_FRAME_LENGTHS.length; n++) {
    const frame = netTestFrame(n, guestMac);
    sent.push(frame);
    await peer.send(frame, emulatorPort);
    replies.push((await peer.next(timeoutMs)).frame);
  }
  return { hello, sent, replies };
}

// ---- virtio-input ----

/** Linux input event codes of the qcodes the test types. */
const EVDEV_KEY: Readonly<Record<string, number>> = { h: 35, i: 23, shift: 42, '1': 2, q: 16 };
const EV_SYN_LINE = '0 0 0';

/** One input-send-event command each: "hi!" typed, then q, whose release ends the guest. */
export const KEY_BATCHES: readonly (readonly KeyEvent[])[] = [
  [{ key: 'h', down: true }],
  [{ key: 'h', down: false }],
  [{ key: 'i', down: true }],
  [{ key: 'i', down: false }],
  [
    { key: 'shift', down: true },
    { key: '1', down: true },
  ],
  [
    { key: '1', down: false },
    { key: 'shift', down: false },
  ],
  [{ key: 'q', down: true }],
  [{ key: 'q', down: false }],
];

export function expectedInputOutput(version: TransportVersion): string {
  const events = KEY_BATCHES.flatMap((batch, k) => [
    ...batch.map((e) => `1 ${EVDEV_KEY[e.key]} ${e.down ? 1 : 0}`),
    // QEMU ends each command's batch with EV_SYN; the guest stops at q's release, before the last.
    ...(k < KEY_BATCHES.length - 1 ? [EV_SYN_LINE] : []),
  ]);
  return lines([
    `virtio-input, transport version ${version}`,
    SLOT_LINE('virtio-input'),
    ...(version === 2 ? ['device offers: VERSION_1 yes'] : []),
    'name (21 bytes): "QEMU Virtio Keyboard"',
    'keyboard: yes',
    'ready',
    ...events,
    'done',
  ]);
}

/**
 * Types KEY_BATCHES into the guest once it printed "ready", each batch after the guest printed
 * the previous one's EV_SYN (events for which it has no buffer posted would be dropped). `send`
 * delivers one batch, e.g. QmpClient.sendKeys for QEMU; `last` marks the final batch, after which
 * the guest exits (so the emulator may be gone before it acknowledges that batch).
 */
export async function playKeyScenario(
  guest: WatchedProcess,
  send: (batch: readonly KeyEvent[], last: boolean) => Promise<void>,
  timeoutMs: number,
): Promise<void> {
  await guest.waitFor((out) => out.includes('ready\n'), timeoutMs, '"ready"');
  const syncs = (out: string): number => out.split('\n').filter((l) => l === EV_SYN_LINE).length;
  for (let k = 0; k < KEY_BATCHES.length; k++) {
    const last = k === KEY_BATCHES.length - 1;
    await send(KEY_BATCHES[k], last);
    if (!last) await guest.waitFor((out) => syncs(out) > k, timeoutMs, `EV_SYN number ${k + 1}`);
  }
}

function lines(ls: readonly string[]): string {
  return ls.map((l) => `${l}\n`).join('');
}
