// Where the repository is, found from this file's location by its package.json, so the harness
// works from the sources (tests, run with tsx) and from a bundle in dist/ (the benchmark).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'rvreplay') return dir;
    if (dirname(dir) === dir) throw new Error(`no rvreplay package.json above ${start}`);
  }
}

export const ROOT = findRoot(__dirname);
