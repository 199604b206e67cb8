// Sv32 page-table walk (privileged spec §4.3): two levels, 4 MiB megapages, hardware update of
// the A and D bits (as QEMU 7.2 does), and the permission rules for U pages (SUM), MXR and
// execute-only pages. Physical addresses are 34 bits, so they are computed as numbers, not int32.

import {
  PRV_U, PTE_A, PTE_D, PTE_R, PTE_U, PTE_V, PTE_W, PTE_X, SATP32_PPN,
} from './csr.js';
import type { Ram } from '../memory/ram.js';

export const ACCESS_FETCH = 0;
export const ACCESS_LOAD = 1;
export const ACCESS_STORE = 2;
export type AccessType = typeof ACCESS_FETCH | typeof ACCESS_LOAD | typeof ACCESS_STORE;

/**
 * TLB entries per access type, direct-mapped by the low bits of the page number (index: access
 * type × TLB_ENTRIES + page number mod TLB_ENTRIES). Large, because a flush is a new generation
 * (no clearing) and guests walking many pages keep their entries.
 */
export const TLB_ENTRIES = 2048;

/** The TLB slot of page number `vpn` for an access of this type (compiled code spells it out inline). */
export function tlbIndex(access: AccessType, vpn: number): number {
  return access * TLB_ENTRIES + (vpn & (TLB_ENTRIES - 1));
}

/** Walk failed with a page fault (returned as a negative number so the caller raises it). */
export const WALK_PAGE_FAULT = -1;
/** A page-table entry lies outside RAM: an access fault. */
export const WALK_ACCESS_FAULT = -2;

export interface WalkContext {
  satp: number;
  /** Effective privilege of the access (MPRV already applied). */
  priv: number;
  sum: boolean;
  mxr: boolean;
}

/** Where a successful walk leaves the leaf PTE as it now is in memory (A and D set as needed). */
export interface WalkLeaf {
  pte: number;
}

/**
 * Translates `va` and returns the number of its physical page (the address over 4096: at most
 * 22 bits, so a small integer where an address at 0x80000000 or above would be a heap number
 * each time it crossed a call), or one of WALK_PAGE_FAULT / WALK_ACCESS_FAULT. Sets A (and D for
 * stores) in the leaf PTE, unless `inspect` (a debugger's look, which must leave the machine as
 * it was).
 */
export function sv32Walk(
  ram: Ram, ctx: WalkContext, va: number, access: AccessType, inspect = false,
  /** PMP's word on reading a page-table entry at this physical address (an S-mode load). */
  pteAllowed: (pa: number) => boolean = () => true,
  leaf?: WalkLeaf,
): number {
  let table = (ctx.satp & SATP32_PPN) * 4096;
  for (let level = 1; level >= 0; level--) {
    const vpn = level === 1 ? va >>> 22 : (va >>> 12) & 0x3ff;
    const ptePa = table + vpn * 4;
    if (!ram.contains(ptePa, 4) || !pteAllowed(ptePa)) return WALK_ACCESS_FAULT;
    const pteIndex = (ptePa - ram.base) >>> 2;
    const pte = ram.i32[pteIndex];
    if ((pte & PTE_V) === 0 || ((pte & PTE_R) === 0 && (pte & PTE_W) !== 0)) return WALK_PAGE_FAULT;
    const ppn = pte >>> 10;
    if ((pte & (PTE_R | PTE_X)) === 0) {
      table = ppn * 4096; // pointer to the next level
      continue;
    }
    // Leaf: permissions.
    if (ctx.priv === PRV_U) {
      if ((pte & PTE_U) === 0) return WALK_PAGE_FAULT;
    } else if (pte & PTE_U) {
      if (access === ACCESS_FETCH || !ctx.sum) return WALK_PAGE_FAULT;
    }
    if (!leafAllows(pte, access, ctx.mxr)) return WALK_PAGE_FAULT;
    if (level === 1 && (ppn & 0x3ff) !== 0) return WALK_PAGE_FAULT; // misaligned megapage
    const want = PTE_A | (access === ACCESS_STORE ? PTE_D : 0);
    if ((pte & want) !== want && !inspect) {
      ram.i32[pteIndex] = pte | want;
      ram.noteWrite(ptePa);
    }
    if (leaf !== undefined) leaf.pte = inspect ? pte : pte | want;
    return level === 1 ? (ppn & ~0x3ff) | ((va >>> 12) & 0x3ff) : ppn;
  }
  return WALK_PAGE_FAULT;
}

/** The leaf PTE's R/W/X bits allow the access (the U-bit rules apply to all data accesses alike). */
export function leafAllows(pte: number, access: AccessType, mxr: boolean): boolean {
  if (access === ACCESS_FETCH) return (pte & PTE_X) !== 0;
  if (access === ACCESS_LOAD) return (pte & PTE_R) !== 0 || (mxr && (pte & PTE_X) !== 0);
  return (pte & PTE_W) !== 0;
}

