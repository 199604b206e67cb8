// The guest console as a VS Code terminal: one per launch configuration name, reused when the
// configuration is debugged again. A debug adapter tracker mirrors the session's guest output
// (output events of category stdout, which also reach the Debug Console) into it and follows the
// position events for the mode; typing sends rvreplay/serialInput.

import * as vscode from 'vscode';
import { DEBUG_TYPE } from '../shared/commands.js';
import { DebugEvent, DebugRequest, type PositionEventBody } from '../shared/debug-requests.js';
import { GuestConsoleText } from './guest-console.js';

interface GuestTerminal {
  readonly terminal: vscode.Terminal;
  readonly write: vscode.EventEmitter<string>;
  text: GuestConsoleText;
  session: vscode.DebugSession | undefined;
  /** Written before VS Code opened the terminal (it drops writes until then). */
  pending: string[] | undefined;
}

const terminals = new Map<string, GuestTerminal>();

export function registerGuestTerminal(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, {
      createDebugAdapterTracker: (session) => {
        if (vscode.workspace.getConfiguration('rvreplay').get<boolean>('guestTerminal', true) !== true) return undefined;
        const guest = attach(session);
        return {
          onDidSendMessage: (m: { type?: string; event?: string; body?: unknown }) => {
            if (m.type !== 'event') return;
            if (m.event === 'output') {
              const body = m.body as { category?: string; output?: string };
              if (body.category === 'stdout' && body.output !== undefined) show(guest, guest.text.output(body.output));
            } else if (m.event === DebugEvent.Position) {
              const p = m.body as PositionEventBody;
              guest.text.setPosition(p.mode, p.atLiveEdge);
            }
          },
          onExit: () => detach(guest),
          onWillStopSession: () => detach(guest),
        };
      },
    }),
    vscode.window.onDidCloseTerminal((t) => {
      for (const [name, g] of terminals) if (g.terminal === t) terminals.delete(name);
    }),
  );
}

function attach(session: vscode.DebugSession): GuestTerminal {
  const reused = terminals.get(session.name);
  if (reused !== undefined) {
    reused.text = new GuestConsoleText();
    reused.session = session;
    show(reused, `\r\n\x1b[2m[rvreplay] ${session.name}: a new session\x1b[0m\r\n`);
    return reused;
  }
  const write = new vscode.EventEmitter<string>();
  const guest: GuestTerminal = {
    write,
    text: new GuestConsoleText(),
    session,
    pending: [],
    terminal: vscode.window.createTerminal({
      name: `Guest: ${session.name}`,
      iconPath: new vscode.ThemeIcon('terminal'),
      pty: {
        onDidWrite: write.event,
        open: () => {
          for (const text of guest.pending ?? []) write.fire(text);
          guest.pending = undefined;
        },
        close: () => detach(guest),
        handleInput: (data: string) => {
          const outcome = guest.text.input(data);
          if (outcome.note !== undefined) write.fire(outcome.note);
          if (outcome.send !== undefined && guest.session !== undefined) {
            guest.session.customRequest(DebugRequest.SerialInput, { text: outcome.send }).then(undefined, (e: Error) => {
              write.fire(`\r\n\x1b[31m[rvreplay] ${e.message}\x1b[0m\r\n`);
            });
          }
        },
      },
    }),
  };
  terminals.set(session.name, guest);
  guest.terminal.show(true);
  return guest;
}

function detach(guest: GuestTerminal): void {
  if (guest.session === undefined) return;
  guest.session = undefined;
  guest.text.setPosition('ended', false);
}

function show(guest: GuestTerminal, text: string): void {
  if (text === '') return;
  if (guest.pending !== undefined) guest.pending.push(text);
  else guest.write.fire(text);
}
