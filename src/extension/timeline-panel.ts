// The timeline panel's host: a webview showing media/timeline, whose data requests it relays to
// the debug session as the custom DAP requests they name, whose travel (`seek`) it sends as
// rvreplay/seek, and to which it forwards the adapter's rvreplay/timelineChanged events. One
// panel per debug session; it closes with the session.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { TimelineDapEvent, TimelineRequest, type HostToWebview, type TimelineInfoBody, type WebviewToHost } from '../shared/timeline-protocol.js';
import { timelineHtml } from './timeline-html.js';

const panels = new Map<string, vscode.WebviewPanel>();

export function showTimeline(context: vscode.ExtensionContext, session: vscode.DebugSession): void {
  const open = panels.get(session.id);
  if (open !== undefined) {
    open.reveal();
    return;
  }
  const dist = vscode.Uri.joinPath(context.extensionUri, 'dist');
  const media = vscode.Uri.joinPath(context.extensionUri, 'media', 'timeline');
  const panel = vscode.window.createWebviewPanel('rvreplay.timeline', `Timeline: ${session.name}`, vscode.ViewColumn.Beside, {
    enableScripts: true,
    retainContextWhenHidden: true,
    localResourceRoots: [dist, media],
  });
  const webview = panel.webview;
  webview.html = timelineHtml({
    scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'timeline.js')).toString(),
    styleUri: webview.asWebviewUri(vscode.Uri.joinPath(media, 'timeline.css')).toString(),
    cspSource: webview.cspSource,
    nonce: randomBytes(16).toString('hex'),
    title: session.name,
  });
  const post = (message: HostToWebview): void => {
    void webview.postMessage(message);
  };
  const subscriptions = [
    webview.onDidReceiveMessage(async (m: WebviewToHost) => {
      switch (m.type) {
        case 'ready': {
          const info = (await session.customRequest(TimelineRequest.Info, {})) as TimelineInfoBody;
          post({ type: 'configure', info, settings: {} });
          break;
        }
        case 'request':
          try {
            const body: unknown = await session.customRequest(m.command, m.args);
            post({ type: 'response', requestId: m.requestId, command: m.command, ok: true, body } as HostToWebview);
          } catch (e) {
            post({ type: 'response', requestId: m.requestId, command: m.command, ok: false, message: (e as Error).message });
          }
          break;
        case 'seek':
          try {
            await session.customRequest(TimelineRequest.Seek, { icount: m.icount });
          } catch (e) {
            void vscode.window.showErrorMessage(`rvreplay: ${(e as Error).message}`);
          }
          break;
      }
    }),
    vscode.debug.onDidReceiveDebugSessionCustomEvent((e) => {
      if (e.session.id === session.id && e.event === TimelineDapEvent.Changed) post({ type: 'changed', info: e.body as TimelineInfoBody });
    }),
    vscode.debug.onDidTerminateDebugSession((s) => {
      if (s.id === session.id) panel.dispose();
    }),
  ];
  panels.set(session.id, panel);
  panel.onDidDispose(() => {
    panels.delete(session.id);
    for (const s of subscriptions) s.dispose();
  });
}
