// The timeline panel's page: a root element, the stylesheet and the bundled script, under a
// content security policy that allows nothing but those two (by the webview's own source and a
// nonce) and the canvas. Pure (no 'vscode' import): the extension passes the URIs from
// webview.asWebviewUri and webview.cspSource; the browser test harness passes its own.

export interface TimelineHtmlOptions {
  /** URI of dist/timeline.js as the webview sees it. */
  scriptUri: string;
  /** URI of media/timeline/timeline.css as the webview sees it. */
  styleUri: string;
  /** URI of dist/codicons/codicon.css (VS Code's icon font) as the webview sees it. */
  codiconsUri: string;
  /**
   * webview.cspSource: the sources the webview's resources come from, space-separated (VS Code
   * 1.100 gives `'self' https://*.vscode-cdn.net`).
   */
  cspSource: string;
  /** A fresh random value per page load (base64 or hex), allowing only our own script and style. */
  nonce: string;
  /** The page title (the guest or log name). */
  title?: string;
}

const NONCE = /^[A-Za-z0-9+/=_-]{16,}$/;
/** One CSP source: a quoted keyword ('self') or a scheme/host source; nothing that ends a directive. */
const CSP_SOURCE = /^(?:'[a-z-]+'|[^\s;,'"]+)$/;

/** Escapes text for an HTML attribute value or text node. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
  ].join('; ');
}

export function timelineHtml(options: TimelineHtmlOptions): string {
  if (!NONCE.test(options.nonce)) throw new RangeError('the nonce must be at least 16 base64 or hex characters');
  const sources = options.cspSource.trim().split(/\s+/);
  if (sources.some((s) => !CSP_SOURCE.test(s))) throw new RangeError(`not a CSP source list: ${options.cspSource}`);
  const nonce = escapeHtml(options.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(options.cspSource, options.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(options.codiconsUri)}" nonce="${nonce}">
<link rel="stylesheet" href="${escapeHtml(options.styleUri)}" nonce="${nonce}">
<title>${escapeHtml(options.title ?? 'rvreplay timeline')}</title>
</head>
<body>
<main id="timeline-root" aria-label="rvreplay timeline"></main>
<script nonce="${nonce}" src="${escapeHtml(options.scriptUri)}"></script>
</body>
</html>
`;
}
