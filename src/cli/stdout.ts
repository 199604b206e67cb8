// Writing command output to stdout with back-pressure and a quiet end when the reader closes
// the pipe early (`rvreplay dump ... | head`).

/**
 * Writes to stdout and waits until the text has reached the operating system, so a command that
 * prints a lot does not queue all of it in memory at once. A reader that closes the pipe early
 * (`dump | head`) ends the command quietly.
 */
export function writeStdout(text: string): Promise<void> {
  if (process.stdout.listenerCount('error') === 0) process.stdout.on('error', exitOnClosedPipe);
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (e) => {
      if (e === null || e === undefined) resolve();
      else if ((e as NodeJS.ErrnoException).code === 'EPIPE') exitOnClosedPipe(e);
      else reject(e);
    });
  });
}

function exitOnClosedPipe(e: NodeJS.ErrnoException): void {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
}
