// The timeline panel's page: a content security policy that allows only the nonce'd script and
// the stylesheet from the webview's own source, and nothing from elsewhere; values escaped.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, timelineHtml } from '../../src/extension/timeline-html.js';

const OPTIONS = {
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/timeline.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/timeline/timeline.css',
  codiconsUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/codicons/codicon.css',
  cspSource: 'https://*.vscode-cdn.net',
  nonce: 'q2V0cmFuZG9tbm9uY2UxMjM0',
};

test('the page loads the script, the style and the icon font under a CSP that allows nothing else', () => {
  const html = timelineHtml(OPTIONS);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(csp, contentSecurityPolicy(OPTIONS.cspSource, OPTIONS.nonce).replace(/'/g, '&#39;'));
  const directives = new Map(contentSecurityPolicy(OPTIONS.cspSource, OPTIONS.nonce).split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${OPTIONS.nonce}'`], 'scripts only by nonce: no inline code, no eval');
  assert.ok(!directives.get('style-src')?.includes("'unsafe-inline'"));
  assert.equal(directives.get('connect-src'), undefined, 'no network (default-src none)');
  // Exactly one script and two stylesheets (the icon font's and ours), all carrying the nonce.
  assert.deepEqual([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]), [` nonce="${OPTIONS.nonce}" src="${OPTIONS.scriptUri}"`]);
  assert.deepEqual([...html.matchAll(/<link([^>]*)>/g)].map((m) => m[1]), [
    ` rel="stylesheet" href="${OPTIONS.codiconsUri}" nonce="${OPTIONS.nonce}"`,
    ` rel="stylesheet" href="${OPTIONS.styleUri}" nonce="${OPTIONS.nonce}"`,
  ]);
  assert.doesNotMatch(html, /style="/, 'no inline style attribute');
  assert.match(html, /<main id="timeline-root"/);
});

test('titles are escaped and bad nonces or CSP sources are refused', () => {
  assert.match(timelineHtml({ ...OPTIONS, title: '<img src=x onerror=alert(1)>' }), /<title>&#60;img src=x onerror=alert\(1\)&#62;<\/title>/);
  assert.throws(() => timelineHtml({ ...OPTIONS, nonce: 'short' }), /nonce/);
  assert.throws(() => timelineHtml({ ...OPTIONS, nonce: `${OPTIONS.nonce}" onload="x` }), /nonce/);
  assert.throws(() => timelineHtml({ ...OPTIONS, cspSource: "https://x; script-src 'unsafe-eval'" }), /CSP source/);
  assert.throws(() => timelineHtml({ ...OPTIONS, cspSource: "'self' 'unsafe-eval" }), /CSP source/);
  // As VS Code 1.100 gives it: a keyword and a host source.
  assert.match(timelineHtml({ ...OPTIONS, cspSource: "'self' https://*.vscode-cdn.net" }), /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net &#39;nonce-/);
});
