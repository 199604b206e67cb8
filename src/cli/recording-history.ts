// What `record --gdb` adds to a recording so gdb can go back into it: the events kept in memory
// as they are logged, a replayer that reads them, and the switch between the live ports and the
// replayer's. The guest's output replayed in history goes through a NewOutputFilter, so it is
// not shown twice.

import type { CharSink } from '../emu/host/ports.js';
import type { MachineHost, VirtMachine } from '../emu/machine.js';
import { HostSwitch } from '../engine/host-switch.js';
import { NewOutputFilter } from '../engine/new-output-filter.js';
import type { EventLog } from '../replay/recorder.js';
import { Replayer } from '../replay/replayer.js';
import type { LogEvent } from '../shared/log-events.js';

export interface RecordingHistory {
  readonly events: LogEvent[];
  readonly replayer: Replayer;
  readonly host: HostSwitch;
  readonly shown: NewOutputFilter;
  /** The log the recorder writes to, keeping each event in `events` too. */
  keep(log: EventLog): EventLog;
  /** Once the machine is built (and the recorder attached). */
  attach(machine: VirtMachine): void;
}

/** `host` is the machine's switch when it is built already (a new recording on the same machine). */
export function recordingHistory(livePorts: MachineHost, console: CharSink, host?: HostSwitch): RecordingHistory {
  const events: LogEvent[] = [];
  const regionNames: string[] = [];
  const replayer = new Replayer(events, regionNames, true);
  const shown = new NewOutputFilter(console);
  if (host === undefined) host = new HostSwitch(livePorts, replayer.ports(shown));
  else host.replace(livePorts, replayer.ports(shown));
  return {
    events, replayer, host, shown,
    keep: (log) => ({
      append(event) {
        events.push(event);
        log.append(event);
      },
      flushChunk: () => log.flushChunk(),
      close: () => log.close(),
    }),
    attach(machine) {
      regionNames.push(...machine.arena.regions.map((r) => r.name));
      replayer.attach(machine);
    },
  };
}
