// `rvreplay dump <log>`: the events of a record/replay log as text, one per line (icount, kind,
// fields; the format is in docs/LOG-FORMAT.md), limited to an icount range and to some kinds.
// With an index, only the chunks that overlap the range are read.

import { EVENT_KIND_NAMES } from '../shared/log-events.js';
import { formatEvent } from '../replay/log/event-text.js';
import { CliError } from './cli-error.js';
import { openLogFile, reportDamage } from './log-file.js';
import { integerOption, parseCommand, type CommandSpec, type OptionSpec } from './options.js';
import { writeStdout } from './stdout.js';

/** Lines per write: few system calls, bounded memory however long the log. */
const LINES_PER_WRITE = 4096;

function kindsOption(): OptionSpec<Set<number>> {
  const valid = [...EVENT_KIND_NAMES.values()];
  return {
    name: 'kind',
    value: 'K[,K...]',
    help: `only events of these kinds (${valid.join(', ')})`,
    parse(text) {
      const kinds = new Set<number>();
      for (const name of text.split(',').map((k) => k.trim())) {
        const code = [...EVENT_KIND_NAMES].find(([, n]) => n === name)?.[0];
        if (code === undefined) throw new CliError(`unknown event kind '${name}'; the kinds are: ${valid.join(', ')}`);
        kinds.add(code);
      }
      return kinds;
    },
  };
}

export const DUMP_COMMAND: CommandSpec = {
  name: 'dump',
  args: ['<log>'],
  summary: [
    'Prints the events of a record/replay log, one per line: icount, kind, fields.',
    '',
    'exit statuses: 0 a clean log, 123 a damaged log (the events before the damage are printed and the',
    'damage is named on stderr), 2 not a log or not readable.',
  ].join('\n'),
  options: [
    integerOption('from', 'N', 'only events at icount N or later', 0, Number.MAX_SAFE_INTEGER),
    integerOption('to', 'N', 'only events before icount N', 0, Number.MAX_SAFE_INTEGER),
    kindsOption(),
  ],
};

export async function dumpCommand(argv: string[]): Promise<number> {
  const { positional, options } = parseCommand(DUMP_COMMAND, argv);
  const from = options.get('from') as number | undefined;
  const to = options.get('to') as number | undefined;
  const kinds = options.get('kind') as Set<number> | undefined;
  if (from !== undefined && to !== undefined && to < from) throw new CliError(`--to ${to} is below --from ${from}`);
  const path = positional[0];
  const reader = openLogFile(path);
  let lines: string[] = [];
  for (const e of reader.events({ from, to, kinds })) {
    lines.push(formatEvent(e));
    if (lines.length === LINES_PER_WRITE) {
      await writeStdout(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length > 0) await writeStdout(lines.join('\n') + '\n');
  return reportDamage(path, reader);
}
