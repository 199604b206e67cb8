// Writes a log file from a header and events with the real LogWriter, for tests that tamper with
// a recording (an event changed, dropped or added) and replay the result.

import { writeFileSync } from 'node:fs';
import { LogWriter } from '../../src/replay/log/log-writer.js';
import type { LogHeader } from '../../src/replay/log-header.js';
import { EventKind, type LogEvent } from '../../src/shared/log-events.js';

/** A complete log of `events` (IcountStamps among them are the reader's framing: dropped). */
export function writeLogFile(path: string, header: LogHeader, events: readonly LogEvent[]): void {
  const chunks: Uint8Array[] = [];
  const writer = new LogWriter({ write: (b) => chunks.push(b) }, header, { chunkBytes: 256 });
  for (const e of events) if (e.kind !== EventKind.IcountStamp) writer.append(e);
  writer.close();
  writeFileSync(path, Buffer.concat(chunks));
}
