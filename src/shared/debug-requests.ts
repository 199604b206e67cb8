// The debugger's own DAP requests and events beyond the protocol, each name declared once for the
// adapter that answers them and the extension that sends them (the timeline's are in
// timeline-protocol.ts; `rvreplay/seek` there is also "go to icount").

/** Custom DAP requests of an rvreplay debug session. */
export const DebugRequest = {
  /** Back out of the current function to its call site in the caller (DAP has no reverse stepOut). */
  ReverseStepOut: 'rvreplay/reverseStepOut',
  /** Saves the state now as a named snapshot: args SnapshotArgs, body SnapshotBody. */
  SaveSnapshot: 'rvreplay/saveSnapshot',
  /** Moves to a named snapshot (the debugger stops there): args SnapshotArgs. */
  LoadSnapshot: 'rvreplay/loadSnapshot',
  /** The named snapshots: body SnapshotsBody. */
  Snapshots: 'rvreplay/snapshots',
  /** In a recording, discards the future and records on from here into a new log: args GoLiveArgs, body GoLiveBody. */
  GoLive: 'rvreplay/goLive',
  /** Text typed into the guest's console: args SerialInputArgs (a recording only; a replay's input is in its log). */
  SerialInput: 'rvreplay/serialInput',
} as const;

/** Custom DAP events of an rvreplay debug session. */
export const DebugEvent = {
  /** Where the session is in time, after every stop: body PositionEventBody. */
  Position: 'rvreplay/position',
} as const;

export interface SnapshotArgs {
  name: string;
}

export interface SnapshotBody {
  name: string;
  icount: number;
  /** Where the snapshot was written too, when it was. */
  file?: string;
}

export interface SnapshotsBody {
  snapshots: SnapshotBody[];
}

export interface GoLiveArgs {
  /** The new log; by default beside the current one, named after the icount. */
  rrfile?: string;
}

export interface GoLiveBody {
  rrfile: string;
  icount: number;
}

export interface SerialInputArgs {
  /** UTF-8 text, as typed (a terminal's Enter is "\r"). */
  text: string;
}

export interface PositionEventBody {
  /** record, replay, or live (a run with no log and no history: "rr": "none"). */
  mode: 'record' | 'replay' | 'live';
  icount: number;
  /** True at a recording's live edge, where new input is recorded; false inside history. */
  atLiveEdge: boolean;
  historyStart: number;
  historyEnd: number;
}
