// The timeline panel's host: a webview showing media/timeline, whose data requests it relays to
// where the data is, and to which it forwards changes. For a debug session: the custom DAP
// requests they name, travel (`seek`) as rvreplay/seek, the adapter's rvreplay/timelineChanged
// events; the panel closes with the session. For a log file browsed without a session: the same
// requests answered here from the file (read-only: no travel). One panel per session or file.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { answerTimelineRequest, isTimelineRequest, timelineHandlers } from '../replay/timeline/timeline-requests.js';
import { TimelineSource } from '../replay/timeline/timeline-source.js';
import { TimelineDapEvent, TimelineRequest, type HostToWebview, type TimelineInfoBody, type WebviewToHost } from '../shared/timeline-protocol.js';
import { timelineHtml } from './timeline-html.js';

/** Where a panel's data comes from. */
interface TimelineData {
  /** The session id or the file's path: one panel each. */
  readonly key: string;
  readonly title: string;
  request(command: string, args: unknown): Promise<unknown>;
  seek(icount: number): Promise<void>;
  /** Changes to pass on, and the end of the data (the panel then closes); none for a file. */
  watch(changed: (info: TimelineInfoBody) => void, ended: () => void): vscode.Disposable[];
}

const panels = new Map<string, vscode.WebviewPanel>();

/** The timeline of a debug session. */
export function showTimeline(context: vscode.ExtensionContext, session: vscode.DebugSession): void {
  openPanel(context, {
    key: session.id,
    title: session.name,
    request: (command, args) => Promise.resolve(session.customRequest(command, args)),
    seek: async (icount) => {
      // The debugger shows the stop's source in the active editor group: after a click in the
      // panel that is the panel's own, and the source would cover it. The first group shows it.
      if (panels.get(session.id)?.viewColumn !== vscode.ViewColumn.One) await vscode.commands.executeCommand('workbench.action.focusFirstEditorGroup');
      await session.customRequest(TimelineRequest.Seek, { icount });
    },
    watch: (changed, ended) => [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
        if (e.session.id === session.id && e.event === TimelineDapEvent.Changed) changed(e.body as TimelineInfoBody);
      }),
      vscode.debug.onDidTerminateDebugSession((s) => {
        if (s.id === session.id) ended();
      }),
    ],
  });
}

/** The timeline of a log file, browsed without a debug session. Throws when the file is not a log. */
export function showTimelineOfFile(context: vscode.ExtensionContext, path: string): void {
  const source = TimelineSource.open(readFileSync(path));
  const handlers = timelineHandlers(() => source, () => {
    throw new Error('this timeline browses a log file: replay it in the debugger to travel in it');
  });
  openPanel(context, {
    key: path,
    title: basename(path),
    request: async (command, args) => {
      if (!isTimelineRequest(command)) throw new Error(`unknown request ${command}`);
      return answerTimelineRequest(handlers, command, args as never);
    },
    seek: () => Promise.reject(new Error('this timeline browses a log file: replay it in the debugger ("rr": "replay") to travel in it')),
    watch: () => [],
  });
}

function openPanel(context: vscode.ExtensionContext, data: TimelineData): void {
  const open = panels.get(data.key);
  if (open !== undefined) {
    open.reveal();
    return;
  }
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const media = vscode.Uri.joinPath(context.extensionUri, 'media', 'timeline');
  const panel = vscode.window.createWebviewPanel('rvreplay.timeline', `Timeline: ${data.title}`, vscode.ViewColumn.Beside, {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [dist, media],
  });
  const webview = panel.webview;
  webview.html = timelineHtml({
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'timeline.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
    codiconsUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'codicons', 'codicon.css')).toString(),
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('hex'),
    title: data.title,
  });
  const post = (message: HostToWebview): void => {
    void webview.postMessage(message);
  };
  const subscriptions = [
    webview.onDidReceiveMessage(async (m: WebviewToHost) => {
      switch (m.type) {
        case 'ready': {
          const info = (await data.request(TimelineRequest.Info, {})) as TimelineInfoBody;
          post({ type: 'configure', info, settings: {} });
          break;
        }
        case 'request':
          try {
            const body: unknown = await data.request(m.command, m.args);
            post({ type: 'response', requestId: m.requestId, command: m.command, ok: true, body } as HostToWebview);
          } catch (e) {
            post({ type: 'response', requestId: m.requestId, command: m.command, ok: false, message: (e as Error).message });
          }
          break;
        case 'seek':
          try {
            await data.seek(m.icount);
          } catch (e) {
            void vscode.window.showErrorMessage(`rvreplay: ${(e as Error).message}`);
          }
          break;
      }
    }),
    ...data.watch((info) => post({ type: 'changed', info }), () => panel.dispose()),
  ];
  panels.set(data.key, panel);
  panel.onDidDispose(() => {
    panels.delete(data.key);
    for (const s of subscriptions) s.dispose();
  });
}
