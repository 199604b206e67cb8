// A disk base image in a host file (`--drive FILE`), opened read-only: the guest's writes go to
// the machine's overlay, never here. Reads are synchronous (they happen when a block request
// completes, inside a checkpoint); the digest, computed once when the file is opened, is what a
// log and a snapshot record of the disk.

import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { DiskImage } from './ports.js';

export class FileDiskImage implements DiskImage {
  readonly bytes: number;
  readonly digest: string;

  private constructor(
    readonly path: string,
    readonly fd: number,
  ) {
    this.bytes = fstatSync(fd).size;
    this.digest = digestOf(fd, this.bytes);
  }

  /** Opens `path`; throws the fs error (ENOENT, EISDIR…) for the caller to phrase. */
  static open(path: string): FileDiskImage {
    const fd = openSync(path, 'r');
    try {
      if (!fstatSync(fd).isFile()) throw Object.assign(new Error(`${path} is not a regular file`), { code: 'ENOTFILE' });
      return new FileDiskImage(path, fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  read(offset: number, into: Uint8Array): void {
    let at = 0;
    while (at < into.length && offset + at < this.bytes) {
      const n = readSync(this.fd, into, at, into.length - at, offset + at);
      if (n === 0) break;
      at += n;
    }
    into.fill(0, at);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function digestOf(fd: number, size: number): string {
  const hash = createHash('sha256');
  const buf = new Uint8Array(1 << 20);
  for (let at = 0; at < size; ) {
    const n = readSync(fd, buf, 0, buf.length, at);
    if (n === 0) break;
    hash.update(buf.subarray(0, n));
    at += n;
  }
  return hash.digest('hex');
}
