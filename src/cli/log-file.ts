// Opening a log file for the commands that read one (info, dump, replay), and reporting its
// damage the same way in each.

import { LogError } from '../replay/log/log-error.js';
import { LogReader } from '../replay/log/log-reader.js';
import { CliError } from './cli-error.js';
import { readInputFile } from './read-input-file.js';
import { EXIT_LOG_DAMAGED } from './exit-codes.js';

/** Reads and opens a log, or fails with one line (status 2) saying why it cannot. */
export function openLogFile(path: string): LogReader {
  const bytes = readInputFile(path);
  try {
    return LogReader.open(bytes);
  } catch (e) {
    if (e instanceof LogError) throw new CliError(`${path}: ${e.message}`);
    throw e;
  }
}

/** Names the damage on stderr, if any is known, and returns the exit status (0, or 123 for a
 * damaged log, the status replay gives one too). */
export function reportDamage(path: string, reader: LogReader): number {
  if (reader.damage === undefined) return 0;
  process.stderr.write(`rvreplay: ${path}: damaged log: ${reader.damage.message}\n`);
  return EXIT_LOG_DAMAGED;
}
