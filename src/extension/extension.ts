// The VS Code side of rvreplay: registers the `rvreplay` debug type with the debug adapter running
// inside the extension host (the same session class dist/adapter.js runs), fills launch
// configurations, adds the time-travel commands (reverse step out, go to icount, snapshots, go
// live, the timeline panel) and a status bar item that says where in time the session is. No
// emulator logic here.

import * as vscode from 'vscode';
import { RvreplayDebugSession } from '../adapter/debug-session.js';
import { Command, DEBUG_TYPE } from '../shared/commands.js';
import { DebugEvent, DebugRequest, type PositionEventBody, type SnapshotsBody } from '../shared/debug-requests.js';
import { TimelineRequest } from '../shared/timeline-protocol.js';
import { resolveLaunch } from './launch-defaults.js';
import { registerGuestTerminal } from './guest-terminal.js';
import { showTimeline, showTimelineOfFile } from './timeline-panel.js';

export function activate(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, {
      createDebugAdapterDescriptor: () => new vscode.DebugAdapterInlineImplementation(new RvreplayDebugSession()),
    }),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, {
      resolveDebugConfiguration: async (_folder, config) => (await resolveLaunch(config, {
        activeFile: vscode.window.activeTextEditor?.document.uri.fsPath,
        pickElf: pickElf,
      })) as vscode.DebugConfiguration | undefined,
    }),
  );

  registerGuestTerminal(context);

  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 100);
  // Sessions whose timeline has been opened by the rvreplay.openTimelineWithSession setting: once,
  // at the first stop (the panel's first request needs the launched session), and not again
  // after the user closes it.
  const timelineOpened = new Set<string>();
  status.command = Command.GoToIcount;
  context.subscriptions.push(status,
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.type !== DEBUG_TYPE || e.event !== DebugEvent.Position) return;
      const p = e.body as PositionEventBody;
      status.text = `$(history) ${p.mode} · icount ${p.icount.toLocaleString('en-US')}${p.mode === 'record' ? (p.atLiveEdge ? ' · live' : ' · in history') : ''}`;
      status.tooltip = `rvreplay: history from icount ${p.historyStart} to ${p.historyEnd}. Click to go to an icount.`;
      status.show();
      if (!timelineOpened.has(e.session.id) && vscode.workspace.getConfiguration('rvreplay').get<boolean>('openTimelineWithSession', false)) {
        timelineOpened.add(e.session.id);
        showTimeline(context, e.session);
      }
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.type !== DEBUG_TYPE) return;
      status.hide();
      timelineOpened.delete(s.id);
    }),
  );

  const session = (): vscode.DebugSession | undefined => {
    const s = vscode.debug.activeDebugSession;
    if (s?.type === DEBUG_TYPE) return s;
    void vscode.window.showWarningMessage('rvreplay: no rvreplay debug session is active');
    return undefined;
  };
  const request = async (command: string, args?: unknown): Promise<unknown> => {
    const s = session();
    if (s === undefined) return undefined;
    try {
      return await s.customRequest(command, args);
    } catch (e) {
      void vscode.window.showErrorMessage(`rvreplay: ${(e as Error).message}`);
      return undefined;
    }
  };
  context.subscriptions.push(
    vscode.commands.registerCommand(Command.ReverseStepOut, () => request(DebugRequest.ReverseStepOut)),
    vscode.commands.registerCommand(Command.GoToIcount, async () => {
      const text = await vscode.window.showInputBox({ prompt: 'Go to icount', placeHolder: 'an instruction count: 123456, 0x1e240 or 1_000_000', validateInput: (t) => (parseIcount(t) === undefined ? 'a whole number (decimal or 0x hex)' : undefined) });
      const icount = text === undefined ? undefined : parseIcount(text);
      if (icount !== undefined) await request(TimelineRequest.Seek, { icount });
    }),
    vscode.commands.registerCommand(Command.SaveSnapshot, async () => {
      const name = await vscode.window.showInputBox({ prompt: 'Snapshot name', validateInput: (t) => (/^[A-Za-z0-9._-]+$/.test(t) ? undefined : "letters, digits, '.', '_' and '-'") });
      if (name !== undefined) await request(DebugRequest.SaveSnapshot, { name });
    }),
    vscode.commands.registerCommand(Command.LoadSnapshot, async () => {
      const list = (await request(DebugRequest.Snapshots)) as SnapshotsBody | undefined;
      if (list === undefined) return;
      if (list.snapshots.length === 0) {
        void vscode.window.showInformationMessage('rvreplay: no snapshot has been saved in this session');
        return;
      }
      const picked = await vscode.window.showQuickPick(list.snapshots.map((s) => ({ label: s.name, description: `icount ${s.icount}` })));
      if (picked !== undefined) await request(DebugRequest.LoadSnapshot, { name: picked.label });
    }),
    vscode.commands.registerCommand(Command.ShowTimeline, () => {
      const s = session();
      if (s !== undefined) showTimeline(context, s);
    }),
    vscode.commands.registerCommand(Command.OpenTimeline, async (uri?: vscode.Uri) => {
      const file = uri ?? (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'rvreplay logs': ['rr'], 'All files': ['*'] }, openLabel: 'Open Timeline' }))?.[0];
      if (file === undefined) return;
      try {
        showTimelineOfFile(context, file.fsPath);
      } catch (e) {
        void vscode.window.showErrorMessage(`rvreplay: ${file.fsPath}: ${(e as Error).message}`);
      }
    }),
    vscode.commands.registerCommand(Command.GoLive, async () => {
      const r = (await request(DebugRequest.GoLive, {})) as { rrfile: string; icount: number } | undefined;
      if (r !== undefined) void vscode.window.showInformationMessage(`rvreplay: recording from icount ${r.icount} into ${r.rrfile}`);
    }),
  );
}

export function deactivate(): void {}

async function pickElf(): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles('**/*.elf', '**/node_modules/**', 200);
  if (found.length === 0) return undefined;
  if (found.length === 1) return found[0].fsPath;
  const picked = await vscode.window.showQuickPick(found.map((u) => ({ label: vscode.workspace.asRelativePath(u), path: u.fsPath })), { placeHolder: 'The guest ELF to debug' });
  return picked?.path;
}

function parseIcount(text: string): number | undefined {
  const t = text.trim().replace(/_/g, '');
  const v = /^0x[0-9a-f]+$/i.test(t) ? Number.parseInt(t, 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(v) ? v : undefined;
}
