// What the guest console terminal shows and sends, apart from VS Code so it is tested on its own:
// the guest's bytes become terminal text (a lone "\n" is a new line at column 0, as a serial
// terminal with onlcr shows it), typed text goes to the guest while recording, and a replay, whose
// input is in its log, answers typing with a note instead.

export type ConsoleMode = 'record' | 'replay' | 'live' | 'ended';

export interface InputOutcome {
  /** Text to send to the guest (rvreplay/serialInput). */
  send?: string;
  /** A note to show in the terminal, in place of what was typed. */
  note?: string;
}

export class GuestConsoleText {
  private lastWasCr = false;
  private atLineStart = true;
  private notedSinceOutput = false;
  private mode: ConsoleMode = 'record';
  private atLiveEdge = true;

  /** Where the session is (from its position events); a note already shown may be shown again. */
  setPosition(mode: ConsoleMode, atLiveEdge: boolean): void {
    if (mode !== this.mode || atLiveEdge !== this.atLiveEdge) this.notedSinceOutput = false;
    this.mode = mode;
    this.atLiveEdge = atLiveEdge;
  }

  /** The guest's output as the terminal should get it. */
  output(text: string): string {
    let out = '';
    for (const ch of text) {
      if (ch === '\n' && !this.lastWasCr) out += '\r';
      out += ch;
      this.lastWasCr = ch === '\r';
    }
    if (out !== '') {
      this.atLineStart = out.endsWith('\n');
      this.notedSinceOutput = false;
    }
    return out;
  }

  /** What to do with text typed into the terminal. */
  input(text: string): InputOutcome {
    if (this.mode === 'live') return { send: text };
    if (this.mode === 'record') {
      if (this.atLiveEdge) return { send: text };
      // Queued by the adapter until execution is back at the live edge; say so once.
      return { send: text, note: this.noteOnce('in history: what you type reaches the guest when execution returns to the live edge') };
    }
    const note = this.mode === 'replay'
      ? 'this replay is read-only: its console input is in the log (record, or Go Live from here, to type)'
      : 'the debug session has ended';
    return { note: this.noteOnce(note) };
  }

  /** A note on a line of its own, dimmed; undefined when it has been shown since the last output. */
  private noteOnce(text: string): string | undefined {
    if (this.notedSinceOutput) return undefined;
    this.notedSinceOutput = true;
    const start = this.atLineStart ? '' : '\r\n';
    this.atLineStart = true;
    this.lastWasCr = false;
    return `${start}\x1b[2m[rvreplay] ${text}\x1b[0m\r\n`;
  }
}
