// Replay found the machine doing something other than what the log recorded: it stops at once
// and says where (the icount) and what differs.

export class DivergenceError extends Error {
  constructor(
    readonly icount: number,
    what: string,
  ) {
    super(`replay diverged at icount ${icount}: ${what}`);
  }
}
