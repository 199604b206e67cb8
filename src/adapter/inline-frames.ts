// Inlined calls as frames for stepping: a frame is the real function and the inlined calls open
// in it (outermost first), and a pc is in that frame's own code, deeper (inside an inlined call
// the frame makes), or outside it. Stepping over an inlined call, or out of one, is then running
// to the instructions of the function that are not deeper, instead of stepping one instruction at
// a time through the inlined code (a loop of it may run millions of instructions).

import type { DebugInfo } from '../debuginfo/debug-info.js';
import type { Scope } from '../debuginfo/scopes.js';

/** The frame of a pc, as the DIE offsets of its function and inlined-call scopes, outermost first. */
export type InlineChain = readonly number[];

export type InlineRelation = 'own' | 'deeper' | 'outside';

export function inlineChainAt(info: DebugInfo, pc: number): InlineChain {
  const chain: number[] = [];
  for (let s: Scope | undefined = info.scopeAt(pc); s !== undefined; s = s.parent) {
    if (s.kind !== 'block') chain.push(s.die.offset);
  }
  return chain.reverse();
}

/** Where `chain` (a pc's) is relative to the frame `frame`. */
export function inlineRelation(chain: InlineChain, frame: InlineChain): InlineRelation {
  if (chain.length < frame.length) return 'outside';
  for (let i = 0; i < frame.length; i++) if (chain[i] !== frame[i]) return 'outside';
  return chain.length === frame.length ? 'own' : 'deeper';
}

/**
 * The instruction addresses of the real function around `frame` whose relation to it is one of
 * `wanted`. `length` gives an instruction's size (2 or 4) at an address.
 */
export function functionAddresses(info: DebugInfo, pc: number, frame: InlineChain, wanted: readonly InlineRelation[],
  length: (pc: number) => number): Set<number> {
  const fn = info.functionAt(pc);
  const found = new Set<number>();
  if (fn === undefined) return found;
  for (const r of fn.ranges) {
    for (let a = r.low; a < r.high; a += length(a)) {
      if (wanted.includes(inlineRelation(inlineChainAt(info, a), frame))) found.add(a);
    }
  }
  return found;
}
