// Where things are: the repository root found from this file's location, which works both from
// the bundle (dist/bench.js) and from the sources run with tsx (bench/*.ts).
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
export const DEFAULT_CLI = join(ROOT, 'dist', 'cli.js');
export const GUESTS_DIR = join(ROOT, 'bench', 'guests');
