// Breakpoints and watchpoints as the hart sees them: addresses of instructions it must not
// execute without stopping first, and ranges of virtual addresses whose loads or stores stop it
// after the accessing instruction. Not machine state (a debugger's settings survive a snapshot
// restore), so nothing here is in the state arena. The interpreter tests one boolean per
// instruction: whether the page it fetches from holds a breakpoint; compiled code for such a page
// tests a byte of the page's map of breakpoints (stopsOf) before each instruction it goes on to.

export type WatchAccess = 'read' | 'write';

export interface WatchRange {
  /** Half-open [start, end) of virtual addresses. */
  start: number;
  end: number;
  read: boolean;
  write: boolean;
}

/** What stopped the hart: reported once, then cleared by the machine's next run. */
export type DebugHit =
  | { kind: 'breakpoint'; pc: number; icount: number }
  /** A trap was taken at `icount` (the step into the handler): the hart stops at the handler's first instruction. */
  | { kind: 'trap'; cause: number; interrupt: boolean; icount: number }
  /** `icount` is the accessing instruction's: the hart stops after it, at icount + 1. */
  | { kind: 'watch'; range: WatchRange; address: number; access: WatchAccess; icount: number };

export class HartDebug {
  private readonly breakpoints = new Set<number>();
  /** Breakpoints per virtual page, so the interpreter tests a page once when it starts fetching from it. */
  private readonly breakPages = new Map<number, number>();
  /** For each virtual page compiled code runs in, a byte per halfword: 1 at a breakpoint. */
  private readonly stopMaps = new Map<number, Uint8Array>();
  private watchList: WatchRange[] = [];
  /** False while the debugger moves without wanting stops (a seek): nothing is reported. */
  private armedFlag = true;
  /** A breakpoint at this icount is not reported: execution resumes from it. */
  resumeIcount = -1;
  hit: DebugHit | undefined;
  /** Which traps stop the hart once taken: exceptions, interrupts, both or none. */
  breakOnTraps = { exceptions: false, interrupts: false };
  /** Set by the hart: called when watching turns on or off (it changes the hart's data path). */
  onWatchingChanged: () => void = () => {};

  get hasBreakpoints(): boolean {
    return this.armedFlag && this.breakpoints.size > 0;
  }

  get watching(): boolean {
    return this.armedFlag && this.watchList.length > 0;
  }

  get armed(): boolean {
    return this.armedFlag;
  }

  set armed(on: boolean) {
    const was = this.watching;
    this.armedFlag = on;
    if (this.watching !== was) this.onWatchingChanged();
  }

  get watches(): readonly WatchRange[] {
    return this.watchList;
  }

  addBreakpoint(pc: number): void {
    pc >>>= 0;
    if (this.breakpoints.has(pc)) return;
    this.breakpoints.add(pc);
    const vpn = pc >>> 12;
    this.breakPages.set(vpn, (this.breakPages.get(vpn) ?? 0) + 1);
    const stops = this.stopMaps.get(vpn);
    if (stops !== undefined) stops[(pc & 0xfff) >>> 1] = 1;
  }

  removeBreakpoint(pc: number): boolean {
    pc >>>= 0;
    if (!this.breakpoints.delete(pc)) return false;
    const vpn = pc >>> 12;
    const n = this.breakPages.get(vpn)! - 1;
    if (n === 0) this.breakPages.delete(vpn);
    else this.breakPages.set(vpn, n);
    const stops = this.stopMaps.get(vpn);
    if (stops !== undefined) stops[(pc & 0xfff) >>> 1] = 0;
    return true;
  }

  hasBreakpoint(pc: number): boolean {
    return this.breakpoints.has(pc >>> 0);
  }

  /**
   * The breakpoints of the virtual page `vpn` as compiled code tests them: a byte per halfword,
   * 1 where compiled code leaves to the hart, which checks the breakpoint. The same array for the
   * life of the hart, kept up to date as breakpoints come and go, so code compiled once sees them.
   */
  stopsOf(vpn: number): Uint8Array {
    vpn >>>= 0;
    let stops = this.stopMaps.get(vpn);
    if (stops === undefined) {
      stops = new Uint8Array(0x800);
      for (const pc of this.breakpoints) if (pc >>> 12 === vpn) stops[(pc & 0xfff) >>> 1] = 1;
      this.stopMaps.set(vpn, stops);
    }
    return stops;
  }

  /** True when an instruction fetched from the virtual page `vpn` may be at a breakpoint. */
  pageHasBreakpoint(vpn: number): boolean {
    return this.breakPages.has(vpn);
  }

  addWatch(range: WatchRange): void {
    if (!(range.end > range.start)) throw new RangeError('a watched range must not be empty');
    const was = this.watching;
    this.watchList = [...this.watchList, range];
    if (this.watching !== was) this.onWatchingChanged();
  }

  /** Removes the watch with these bounds and kinds; false when there was none. */
  removeWatch(start: number, end: number, read: boolean, write: boolean): boolean {
    const i = this.watchList.findIndex((w) => w.start === start && w.end === end && w.read === read && w.write === write);
    if (i < 0) return false;
    const was = this.watching;
    this.watchList = this.watchList.filter((_, k) => k !== i);
    if (this.watching !== was) this.onWatchingChanged();
    return true;
  }

  /** The hart takes a trap at `icount`: true when that stops it. */
  noteTrap(cause: number, interrupt: boolean, icount: number): boolean {
    if (!this.armedFlag || this.hit !== undefined) return false;
    if (!(interrupt ? this.breakOnTraps.interrupts : this.breakOnTraps.exceptions)) return false;
    this.hit = { kind: 'trap', cause, interrupt, icount };
    return true;
  }

  /**
   * A data access of `size` bytes at virtual address `va` by the instruction at `icount`. The
   * first matching watch is the hit; the hart stops once the instruction completes.
   */
  noteAccess(va: number, size: number, write: boolean, icount: number): boolean {
    if (this.hit !== undefined) return false;
    va >>>= 0;
    for (const w of this.watchList) {
      if ((write ? w.write : w.read) && va < w.end && va + size > w.start) {
        this.hit = { kind: 'watch', range: w, address: Math.max(va, w.start), access: write ? 'write' : 'read', icount };
        return true;
      }
    }
    return false;
  }
}
