// The guest's serial console in a debug session: its output goes to VS Code as output events,
// collected and sent between motions (and whenever a few KiB have gathered). It takes no input
// yet, so a guest that waits for typed input stops as idle rather than waiting forever.

import type { CharBackend } from '../emu/host/char-backend.js';

export class DapConsole implements CharBackend {
  readonly inputOpen = false;
  readonly quitRequested = false;
  private bytes: number[] = [];
  private readonly decoder = new TextDecoder();

  constructor(private readonly send: (text: string) => void) {}

  open(): Promise<void> {
    return Promise.resolve();
  }

  async close(): Promise<void> {
    this.flush();
  }

  write(byte: number): void {
    this.bytes.push(byte);
    if (this.bytes.length >= 4096) this.flush();
  }

  flush(): void {
    if (this.bytes.length === 0) return;
    // Streamed: a UTF-8 sequence split between two flushes is joined.
    const text = this.decoder.decode(Uint8Array.from(this.bytes), { stream: true });
    this.bytes = [];
    if (text !== '') this.send(text);
  }

  deliver(_accept: (byte: number) => boolean): void {}

  waitForInput(): Promise<void> {
    return new Promise(() => {});
  }
}
