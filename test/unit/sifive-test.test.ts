// Unit tests of the SiFive test finisher: which writes end the run, with what, and which do nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SifiveTest, type FinisherEvent } from '../../src/emu/devices/sifive-test.js';

function rig(): { dev: SifiveTest; events: FinisherEvent[] } {
  const events: FinisherEvent[] = [];
  return { dev: new SifiveTest((e) => events.push(e)), events };
}

test('0x5555 passes, 0x3333 fails with the code in the high half, 0x7777 resets', () => {
  const { dev, events } = rig();
  dev.write(0, 4, 0x5555);
  dev.write(0, 4, 0x0007_3333);
  dev.write(0, 4, 0xffff_3333);
  dev.write(0, 4, 0x7777);
  assert.deepEqual(events, [
    { kind: 'pass' },
    { kind: 'fail', code: 7 },
    { kind: 'fail', code: 0xffff },
    { kind: 'reset' },
  ]);
});

test('the high half does not matter for pass and reset', () => {
  const { dev, events } = rig();
  dev.write(0, 4, 0x1234_5555);
  dev.write(0, 4, 0x0001_7777);
  assert.deepEqual(events, [{ kind: 'pass' }, { kind: 'reset' }]);
});

test('a 16-bit write counts, as QEMU takes it (fail code 0)', () => {
  const { dev, events } = rig();
  dev.write(0, 2, 0x3333);
  assert.deepEqual(events, [{ kind: 'fail', code: 0 }]);
});

test('other values, other offsets and byte writes are ignored; reads return 0', () => {
  const { dev, events } = rig();
  dev.write(0, 4, 0x1234);
  dev.write(0, 4, 0x5556);
  dev.write(4, 4, 0x5555);
  dev.write(0, 1, 0x55);
  assert.deepEqual(events, []);
  assert.equal(dev.read(0, 4), 0);
  assert.equal(dev.read(8, 1), 0);
});
