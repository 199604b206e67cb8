// Logs and snapshots name the version that wrote them: the constant must be package.json's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RVREPLAY_VERSION } from '../../src/shared/version.js';

test('RVREPLAY_VERSION is the version in package.json', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
  assert.equal(RVREPLAY_VERSION, pkg.version);
});
