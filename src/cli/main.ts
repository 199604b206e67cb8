// The `rvreplay` command: dispatches to a subcommand and turns every failure into one readable
// line and an exit status. A stack trace is printed only for internal errors, and only with
// RVREPLAY_DEBUG=1.

import { CliError } from './cli-error.js';
import { EXIT_INTERNAL, EXIT_USAGE } from './exit-codes.js';
import { DUMP_COMMAND, dumpCommand } from './dump-command.js';
import { INFO_COMMAND, infoCommand } from './info-command.js';
import { commandHelp, type CommandSpec } from './options.js';
import { RECORD_COMMAND, recordCommand } from './record-command.js';
import { REPLAY_COMMAND, replayCommand } from './replay-command.js';
import { RUN_COMMAND, runCommand } from './run-command.js';

interface Command {
  spec: CommandSpec;
  main(argv: string[]): Promise<number>;
}

const COMMANDS: Command[] = [
  { spec: RUN_COMMAND, main: runCommand },
  { spec: RECORD_COMMAND, main: recordCommand },
  { spec: REPLAY_COMMAND, main: replayCommand },
  { spec: INFO_COMMAND, main: infoCommand },
  { spec: DUMP_COMMAND, main: dumpCommand },
];

function usage(): string {
  return [
    'usage: rvreplay <command> [arguments] [options]',
    '',
    "rvreplay runs RISC-V guests on an emulation of QEMU's virt machine.",
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(8)}${c.spec.summary.split('\n')[0]}`),
    '',
    "'rvreplay <command> --help' describes a command and its options.",
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? EXIT_USAGE : 0;
  }
  const command = COMMANDS.find((c) => c.spec.name === name);
  if (command === undefined) throw new CliError(`unknown command '${name}'\n${usage()}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(command.spec) + '\n');
    return 0;
  }
  return command.main(rest);
}

/**
 * Exits once everything written to stdout and stderr has reached the operating system: on a
 * pipe Node writes asynchronously, and exiting at once would drop what is still queued.
 */
function exitAfterOutput(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}

// A reader that closes the pipe early (`rvreplay dump ... | head`) ends the command quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => exitAfterOutput(code),
  (e: unknown) => {
    if (e instanceof CliError) {
      process.stderr.write(`rvreplay: ${e.message}\n`);
      exitAfterOutput(e.exitCode);
      return;
    }
    const detail = e instanceof Error ? e.message : String(e);
    process.stderr.write(`rvreplay: internal error: ${detail}\n`);
    if (process.env.RVREPLAY_DEBUG === '1' && e instanceof Error) process.stderr.write(`${e.stack}\n`);
    else process.stderr.write('rvreplay: (set RVREPLAY_DEBUG=1 for a stack trace)\n');
    exitAfterOutput(EXIT_INTERNAL);
  },
);

