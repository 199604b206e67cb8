// The bench's split of a run into a fixed cost and a speed (bench/length.ts): the line through two
// lengths of one guest, and the length from which one emulator overtakes the other.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fasterFrom, lineThrough } from '../../bench/length.js';

test('the line through two runs gives back the fixed cost and the speed they were made of', () => {
  // 100 ms to start, then 500 MIPS: 200 M instructions take 500 ms, 1,000 M take 2,100 ms.
  const line = lineThrough(200e6, 500, 1000e6, 2100);
  assert.ok(line !== undefined);
  assert.ok(Math.abs(line.fixedMs - 100) < 1e-6, `fixed ${line.fixedMs}`);
  assert.ok(Math.abs(line.mips - 500) < 1e-6, `mips ${line.mips}`);
});

test('two runs that say nothing about speed give no line', () => {
  assert.equal(lineThrough(200e6, 500, 200e6, 600), undefined, 'same length');
  assert.equal(lineThrough(200e6, 500, 1000e6, 500), undefined, 'the longer run no slower');
  assert.equal(lineThrough(1000e6, 500, 200e6, 400), undefined, 'lengths the wrong way round');
});

test('the slower starter that runs faster overtakes where the two lines cross', () => {
  // Ours: 300 ms + 1 ns an instruction; theirs: 100 ms + 1.5 ns. Equal at 400 M instructions.
  const ours = { fixedMs: 300, mips: 1000 };
  const theirs = { fixedMs: 100, mips: 1000 / 1.5 };
  assert.equal(fasterFrom(ours, theirs), 400e6);
  assert.equal(fasterFrom(ours, { fixedMs: 100, mips: 2000 }), undefined, 'slower start and slower run: never');
  assert.equal(fasterFrom({ fixedMs: 50, mips: 1000 }, theirs), 0, 'quicker start and quicker run: always');
  assert.equal(fasterFrom({ fixedMs: 50, mips: 100 }, theirs), undefined, 'ahead only at first: not from any length on');
});
