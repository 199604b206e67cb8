// An error the CLI reports as one line to the user, with the exit status to use.

import { EXIT_USAGE } from './exit-codes.js';

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = EXIT_USAGE,
  ) {
    super(message);
  }
}
