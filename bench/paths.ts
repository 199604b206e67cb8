// Where things are: the repository root (found once, in test/webview/paths.ts, which works both
// from the bundle dist/bench.js and from the sources run with tsx), the CLI and the bench guests.
import { join } from 'node:path';
import { ROOT } from '../test/webview/paths.js';

export const DEFAULT_CLI = join(ROOT, 'dist', 'cli.js');
export const GUESTS_DIR = join(ROOT, 'bench', 'guests');
