// The one build script: bundles every target with esbuild, one entry per target (targets whose
// entry file does not exist are skipped), and copies VS Code's icon font for the timeline webview.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const targets = [
  // The `rvreplay` command (package.json "bin").
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // The VS Code extension host side (package.json "main"); 'vscode' is provided by the host.
  { ...node, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  // The debug adapter as a separate process (contributes.debuggers "program"; also used by tests).
  { ...node, entryPoints: ['src/adapter/main.ts'], outfile: 'dist/adapter.js' },
  // The timeline webview (browser).
  { bundle: true, platform: 'browser', target: 'es2022', format: 'iife', sourcemap: true, logLevel: 'warning', entryPoints: ['media/timeline/main.ts'], outfile: 'dist/timeline.js' },
  // `npm run bench` (playwright-core, for the timeline's browser figures, stays a package: it
  // finds its own files at run time).
  { ...node, entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js', external: ['playwright-core'] },
];

const ready = targets.filter((t) => t.entryPoints.every((e) => existsSync(e)));
const waiting = targets.filter((t) => !ready.includes(t)).map((t) => t.outfile);
if (waiting.length > 0 && process.env.BUILD_VERBOSE === '1') console.log(`build: not yet present: ${waiting.join(', ')}`);
await Promise.all(ready.map((t) => esbuild.build(t)));
// VS Code's icon font for the timeline webview (a webview cannot use the workbench's own).
mkdirSync('dist/codicons', { recursive: true });
for (const f of ['codicon.css', 'codicon.ttf']) copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/codicons/${f}`);
