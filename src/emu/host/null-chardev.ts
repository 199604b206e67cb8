// The null character backend (`--serial none`; QEMU calls it `null`): the guest's output is
// discarded and it gets no input, so input counts as ended from the start and a guest that waits
// for it stops (as `run` reports, status 125) instead of waiting forever.

import type { CharBackend } from './char-backend.js';

export class NullCharBackend implements CharBackend {
  readonly inputOpen = false;
  readonly quitRequested = false;

  open(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  write(_byte: number): void {}

  flush(): void {}

  deliver(_accept: (byte: number) => boolean): void {}

  waitForInput(): Promise<void> {
    return Promise.resolve();
  }
}
