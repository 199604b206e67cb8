// Exit statuses of the rvreplay command beyond the guest's own: the guest's code passes through
// (0 on pass), so ours sit where a guest rarely reports (as timeout(1) and sysexits do).

/** Bad usage or bad input (arguments, a missing or unsuitable ELF file). */
export const EXIT_USAGE = 2;
/** An internal error in rvreplay itself. */
export const EXIT_INTERNAL = 70;
/** Replay found the machine doing something other than what the log recorded. */
export const EXIT_DIVERGED = 122;
/** The log is damaged (truncated or corrupted): replay went as far as it could. */
export const EXIT_LOG_DAMAGED = 123;
/** The instruction budget (--max-insns) ran out before the guest finished. */
export const EXIT_BUDGET = 124;
/** The guest waits for an interrupt that can never come. */
export const EXIT_STUCK = 125;
/** The user stopped the run (Ctrl-A x, or a signal). */
export const EXIT_INTERRUPTED = 130;
