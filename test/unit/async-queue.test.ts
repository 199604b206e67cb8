// The async event queue: arrival order, a device that cannot take an input yet holding back its
// later inputs but not other devices', drops while disabled and past the limit.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AsyncInput, DeliveryResult } from '../../src/emu/async-input.js';
import { ASYNC_QUEUE_LIMIT, AsyncQueue } from '../../src/replay/async-queue.js';

const frame = (device: number, n: number): AsyncInput => ({ kind: 'net', device, frame: Uint8Array.of(n) });

/** A sink whose device 1 takes `room` inputs, then asks for a retry; device 2 takes all. */
function sink(room: number): { deliver(i: AsyncInput): DeliveryResult; seen: number[] } {
  const seen: number[] = [];
  return {
    seen,
    deliver(i) {
      if (i.kind !== 'net') return { taken: false, retry: false, why: 'not a frame' };
      if (i.device === 1 && room-- <= 0) return { taken: false, retry: true };
      seen.push(i.device * 100 + i.frame[0]);
      return { taken: true };
    },
  };
}

test('inputs are delivered in arrival order; one a device cannot take waits with its successors', () => {
  const q = new AsyncQueue();
  q.enable();
  for (const i of [frame(1, 1), frame(2, 1), frame(1, 2), frame(2, 2), frame(1, 3)]) assert.equal(q.push(i), true);
  const s = sink(1);
  const taken = q.deliver(s);
  assert.deepEqual(s.seen, [101, 201, 202], 'device 1 takes one, device 2 all of its own');
  assert.equal(taken.length, 3);
  assert.equal(q.size, 2);
  const later = sink(5);
  q.deliver(later);
  assert.deepEqual(later.seen, [102, 103], 'the held inputs come next, in order');
  assert.equal(q.size, 0);
});

test('an input the device refuses for good is forgotten, not delivered', () => {
  const q = new AsyncQueue();
  q.enable();
  q.push({ kind: 'block', device: 3, request: 7 });
  assert.deepEqual(q.deliver(sink(0)), []);
  assert.equal(q.size, 0);
});

test('pushes while disabled are dropped; disable forgets what is queued', () => {
  const q = new AsyncQueue();
  assert.equal(q.push(frame(2, 1)), false);
  q.enable();
  q.push(frame(2, 2));
  q.disable();
  q.enable();
  assert.deepEqual(q.deliver(sink(0)), []);
  assert.equal(q.dropped, 1);
});

test('a queue past its limit drops what comes, and wait() resolves at the next push', async () => {
  const q = new AsyncQueue();
  q.enable();
  for (let i = 0; i < ASYNC_QUEUE_LIMIT; i++) q.push(frame(1, i & 0xff));
  assert.equal(q.push(frame(1, 0)), false);
  assert.equal(q.size, ASYNC_QUEUE_LIMIT);
  q.deliver(sink(ASYNC_QUEUE_LIMIT));
  const woke = q.wait();
  q.push(frame(2, 9));
  await woke;
  assert.equal(q.size, 1);
});
