// Writes a log to a file as the writer produces it: each chunk reaches the operating system when
// it is written, so a recorder that is killed leaves every completed chunk in the file.

import { closeSync, openSync, writeSync } from 'node:fs';
import { CliError } from './cli-error.js';

export class FileSink {
  private fd: number | undefined;

  constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'w');
    } catch (e) {
      throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
    }
  }

  write(bytes: Uint8Array): void {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    let done = 0;
    while (done < bytes.length) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
