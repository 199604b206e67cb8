// Runs every test file (test/**/*.test.ts) with Node's own test runner, TypeScript loaded by tsx.
// Arguments narrow the run to files whose path contains one of them: `npm test -- isa oracle`.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'guests' || name === 'node_modules') return [];
    return statSync(path).isDirectory() ? find(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = find('test').filter((f) => filters.length === 0 || filters.some((s) => f.includes(s))).sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '2';
// A test that hangs fails after this long instead of stalling the whole run (and CI).
const timeoutMs = process.env.TEST_TIMEOUT_MS ?? '600000';
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeoutMs}`, ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
