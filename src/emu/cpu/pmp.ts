// Physical memory protection (privileged spec §3.7): 16 entries, OFF/TOR/NA4/NAPOT, granularity
// 4 bytes. Compiled from the pmpcfg/pmpaddr CSRs into byte ranges whenever they change; checks
// run only where they can matter (S/U accesses, and M accesses once an entry is locked), and a
// page that one entry covers whole can be cached in the TLB with that entry's verdict.

import { PRV_M } from './csr.js';
import { S_PMPADDR, S_PMPCFG } from './rv32-state.js';
import type { AccessType } from './sv32.js';

export const PMP_ENTRIES = 16;
const PMP_R = 0x01;
const PMP_W = 0x02;
const PMP_X = 0x04;
const PMP_A_SHIFT = 3;
const PMP_A_TOR = 1;
const PMP_A_NA4 = 2;
const PMP_L = 0x80;
const PAGE = 4096;

const ACCESS_PERMISSION = [PMP_X, PMP_R, PMP_W];

/** The verdict for a whole page: one entry (or none) decides for every byte of it. */
export const PAGE_ALLOWED = 1;
export const PAGE_DENIED = 0;
/** Entries cover the page in part: every access must be checked on its own. */
export const PAGE_MIXED = -1;

export class Pmp {
  /** Active entries in priority order: byte range [lo, hi), permissions and lock. */
  private lo: number[] = [];
  private hi: number[] = [];
  private perm: number[] = [];
  private locked: boolean[] = [];

  /** Number of entries whose address-matching mode is not OFF. */
  get ruleCount(): number {
    return this.lo.length;
  }

  /** True when some entry is locked, which subjects M-mode accesses to it. */
  anyLocked = false;

  /** Recompiles the entries from the hart's CSR state. */
  rebuild(s: Int32Array): void {
    this.lo = [];
    this.hi = [];
    this.perm = [];
    this.locked = [];
    this.anyLocked = false;
    for (let i = 0; i < PMP_ENTRIES; i++) {
      const cfg = (s[S_PMPCFG + (i >> 2)] >>> ((i & 3) * 8)) & 0xff;
      const mode = (cfg >> PMP_A_SHIFT) & 3;
      if (mode === 0) continue;
      const addr = s[S_PMPADDR + i] >>> 0;
      let lo: number;
      let hi: number;
      if (mode === PMP_A_TOR) {
        lo = i === 0 ? 0 : (s[S_PMPADDR + i - 1] >>> 0) * 4;
        hi = addr * 4;
      } else if (mode === PMP_A_NA4) {
        lo = addr * 4;
        hi = lo + 4;
      } else { // NAPOT: the number of trailing ones gives the size
        let ones = 0;
        while (ones < 32 && (addr >>> ones) & 1) ones++;
        const size = 2 ** (ones + 3);
        lo = (addr - (2 ** ones - 1)) * 4;
        hi = lo + size;
      }
      this.lo.push(lo);
      this.hi.push(hi);
      this.perm.push(cfg & (PMP_R | PMP_W | PMP_X));
      this.locked.push((cfg & PMP_L) !== 0);
      if (cfg & PMP_L) this.anyLocked = true;
    }
  }

  /** True when accesses at privilege `priv` must be checked at all. */
  applies(priv: number): boolean {
    return priv < PRV_M || this.anyLocked;
  }

  /** May an access of `size` bytes at `pa` of this type and privilege proceed? */
  allows(pa: number, size: number, access: AccessType, priv: number): boolean {
    const end = pa + size;
    for (let i = 0; i < this.lo.length; i++) {
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (end <= lo || pa >= hi || lo >= hi) continue;
      if (pa < lo || end > hi) return false; // the first matching entry must cover every byte
      return this.verdict(i, access, priv);
    }
    return priv === PRV_M; // no entry matches: M may, S and U may not
  }

  /** Whether one entry decides for the whole 4 KiB page number `ppn`, and how. */
  pageVerdict(ppn: number, access: AccessType, priv: number): number {
    const page = ppn * PAGE;
    const end = page + PAGE;
    for (let i = 0; i < this.lo.length; i++) {
      const lo = this.lo[i];
      const hi = this.hi[i];
      if (end <= lo || page >= hi || lo >= hi) continue;
      if (page < lo || end > hi) return PAGE_MIXED;
      return this.verdict(i, access, priv) ? PAGE_ALLOWED : PAGE_DENIED;
    }
    return priv === PRV_M ? PAGE_ALLOWED : PAGE_DENIED;
  }

  private verdict(i: number, access: AccessType, priv: number): boolean {
    if (priv === PRV_M && !this.locked[i]) return true;
    return (this.perm[i] & ACCESS_PERMISSION[access]) !== 0;
  }
}

