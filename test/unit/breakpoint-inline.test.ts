// Which frame a breakpoint stop shows when its address starts an inlined call (gdb's rule): the
// inlined function's frame for a breakpoint that names it (or whose line is in it), the caller's
// for one that names the caller; conditions are evaluated in the frame shown.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BreakpointTable } from '../../src/adapter/breakpoint-table.js';
import type { StackFrame } from '../../src/debuginfo/stack.js';
import type { DebugEngine } from '../../src/engine/debug-engine.js';

const engine = { addBreakpoint: () => {}, removeBreakpoint: () => {} } as unknown as DebugEngine;
const AT = 0x8000_0130;

/** Frames as the call stack gives them at AT: `inner` inlined (starting at `entry`) into `outer`. */
function frames(entry: number): StackFrame[] {
  const frame = (name: string, inlined: boolean, entryPc: number): StackFrame => ({ name, inlined, function: { entryPc } }) as unknown as StackFrame;
  return [frame('scaled', true, entry), frame('walk', false, 0x8000_0100)];
}

test('a breakpoint of the caller at the start of an inlined call stops showing the caller', () => {
  const table = new BreakpointTable(engine);
  table.replace('function', undefined, [{ address: AT, functionName: 'walk' }]);
  assert.equal(table.decide(AT, undefined, frames(AT)).hidden, 1);
});

test('a breakpoint of the inlined function, or inside its code, shows the inlined frame', () => {
  const table = new BreakpointTable(engine);
  table.replace('source', '/w/walk.c', [{ address: AT, functionName: 'scaled' }]);
  assert.equal(table.decide(AT, undefined, frames(AT)).hidden, 0);
  const other = new BreakpointTable(engine);
  other.replace('function', undefined, [{ address: AT, functionName: 'walk' }]);
  assert.equal(other.decide(AT, undefined, frames(AT - 4)).hidden, 0, 'the inlined call started before the breakpoint: it is entered');
});

test('an instruction breakpoint shows the innermost frame', () => {
  const table = new BreakpointTable(engine);
  table.replace('instruction', undefined, [{ address: AT }]);
  const d = table.decide(AT, undefined, frames(AT));
  assert.equal(d.stop, true);
  assert.equal(d.hidden, 0);
});
