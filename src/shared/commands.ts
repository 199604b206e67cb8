// The extension's command ids, declared once for the code that registers them and for the test
// that holds package.json's contributes.commands and menus to them.

export const Command = {
  /** Back out of the current function to its call site (DAP has no reverse stepOut). */
  ReverseStepOut: 'rvreplay.reverseStepOut',
  /** Travel to an icount the user types. */
  GoToIcount: 'rvreplay.goToIcount',
  SaveSnapshot: 'rvreplay.saveSnapshot',
  LoadSnapshot: 'rvreplay.loadSnapshot',
  /** In a recording: discard the future and record on from here into a new log. */
  GoLive: 'rvreplay.goLive',
  /** The timeline panel of the active session. */
  ShowTimeline: 'rvreplay.showTimeline',
  /** The timeline of a log file (.rr), browsed without a debug session. */
  OpenTimeline: 'rvreplay.openTimeline',
} as const;

export type CommandId = (typeof Command)[keyof typeof Command];

/** The debug type of the launch configurations. */
export const DEBUG_TYPE = 'rvreplay';
