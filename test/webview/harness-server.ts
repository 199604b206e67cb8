// Serves the timeline webview on 127.0.0.1 as VS Code would show it: the page from timelineHtml()
// (with its nonce and CSP), the built bundle (dist/timeline.js) and the stylesheet, plus the
// stand-in for acquireVsCodeApi, injected as one more nonce'd script before the timeline's.

import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { timelineHtml } from '../../src/extension/timeline-html.js';
import { ROOT } from './paths.js';
import type { ThemeName } from './themes.js';
import { vscodeStubScript } from './vscode-stub.js';

export const BUNDLE = join(ROOT, 'dist', 'timeline.js');
const STYLE = join(ROOT, 'media', 'timeline', 'timeline.css');
const CODICONS = join(ROOT, 'dist', 'codicons');

export interface HarnessServer {
  /** The page's URL for a theme. */
  url(theme: ThemeName): string;
  close(): Promise<void>;
}

export async function startHarnessServer(): Promise<HarnessServer> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing: run npm run build first`);
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const send = (type: string, body: string | Buffer): void => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    switch (url.pathname) {
      case '/': {
        const theme = (url.searchParams.get('theme') ?? 'dark') as ThemeName;
        const nonce = randomBytes(18).toString('base64');
        const html = timelineHtml({ scriptUri: `${origin}/timeline.js`, styleUri: `${origin}/timeline.css`, codiconsUri: `${origin}/codicons/codicon.css`, cspSource: origin, nonce, title: 'timeline test' })
          .replace('</head>', `<script nonce="${nonce}" src="${origin}/vscode-stub.js?theme=${theme}"></script>\n</head>`);
        return send('text/html; charset=utf-8', html);
      }
      case '/vscode-stub.js': return send('text/javascript', vscodeStubScript((url.searchParams.get('theme') ?? 'dark') as ThemeName));
      case '/timeline.js': return send('text/javascript', readFileSync(BUNDLE));
      case '/timeline.js.map': return send('application/json', readFileSync(`${BUNDLE}.map`));
      case '/timeline.css': return send('text/css', readFileSync(STYLE));
      case '/codicons/codicon.css': return send('text/css', readFileSync(join(CODICONS, 'codicon.css')));
      case '/codicons/codicon.ttf': return send('font/ttf', readFileSync(join(CODICONS, 'codicon.ttf')));
      case '/favicon.ico':
        res.writeHead(204);
        return res.end();
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (theme) => `http://127.0.0.1:${port}/?theme=${theme}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
