// Timers in virtual time. Devices schedule callbacks at a virtual-time deadline (ns); the machine
// ends each execution slice at the earliest deadline and fires what is due. Virtual time comes from
// the instruction count, so timers are deterministic by construction. The set of pending timers is
// derived state: each device re-arms its timers from its own registers after a snapshot restore.

export interface VirtualClock {
  /** Virtual time in nanoseconds (exact to 2^53). */
  nowNs(): number;
}

export class VirtualTimer {
  private deadline = Infinity;

  constructor(
    readonly name: string,
    readonly callback: () => void,
    private readonly onArm: () => void,
  ) {}

  /** Deadline in ns, or Infinity when not armed. Arming tells the queue's owner at once. */
  get deadlineNs(): number {
    return this.deadline;
  }
  set deadlineNs(ns: number) {
    this.deadline = ns;
    if (ns !== Infinity) this.onArm();
  }
}

export class TimerQueue {
  private readonly timers: VirtualTimer[] = [];

  /**
   * `onArm` runs whenever a timer is armed: the machine stops the running slice there, since
   * the slice's end was computed from the deadlines before it. Without that, when a timer armed
   * mid-slice fires would depend on how the run was sliced, and replays would diverge.
   */
  constructor(private readonly onArm: () => void = () => {}) {}

  create(name: string, callback: () => void): VirtualTimer {
    const t = new VirtualTimer(name, callback, this.onArm);
    this.timers.push(t);
    return t;
  }

  /** The earliest armed deadline, or Infinity. */
  nextDeadlineNs(): number {
    let next = Infinity;
    for (const t of this.timers) if (t.deadlineNs < next) next = t.deadlineNs;
    return next;
  }

  /** Fires (and disarms) every timer due at `nowNs`, in deadline order, ties by creation order. */
  fireDue(nowNs: number): void {
    for (;;) {
      let due: VirtualTimer | undefined;
      for (const t of this.timers) if (t.deadlineNs <= nowNs && (due === undefined || t.deadlineNs < due.deadlineNs)) due = t;
      if (due === undefined) return;
      due.deadlineNs = Infinity; // disarm before the callback, which may re-arm
      due.callback();
    }
  }
}
