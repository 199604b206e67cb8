// The one build script: bundles every target (CLI, benchmark harness; later the extension,
// the external debug adapter and the webview) with esbuild, one entry per target.
import * as esbuild from 'esbuild';
import { existsSync } from 'node:fs';

const node = { bundle: true, platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };
const targets = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  { ...node, entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js' },
].filter((t) => t.entryPoints.every((e) => existsSync(e)));

await Promise.all(targets.map((t) => esbuild.build(t)));
