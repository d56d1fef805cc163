// Proves that the committed real goldens are still what the real tools print: re-runs a few
// small, timing-free scenarios on a fresh real lab host and compares them with
// test/golden/real/NAME.txt after normalisation. Needs root, Linux and unshare; skips loudly
// otherwise. Set KNETLAB_REQUIRE_REALLAB=1 (CI runs as root) to fail instead of skipping.
// To re-record after a deliberate change: `node scripts/record-golden.mjs NAME`.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalise, parseTranscript } from '../transcript/index.js';
import { realLabUnavailableReason, runRealScenario } from './index.js';

/** Scenarios without pings or timers: their output cannot depend on how busy the machine is. */
const CHECKED = ['errors', 'addr-scopes', 'route-table'];

function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'test', 'scenarios'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('Cannot find the repository root (package.json with test/scenarios) above the compiled test');
    dir = up;
  }
  return dir;
}

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined) {
  const message = `REAL LAB SKIPPED: ${unavailable}; the real goldens in test/golden/real are NOT being re-checked`;
  if (process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${message} (KNETLAB_REQUIRE_REALLAB=1)`);
  process.stderr.write(`\n*** ${message} ***\n\n`);
}

for (const name of CHECKED) {
  test(`real lab still prints test/golden/real/${name}.txt`, { skip: unavailable }, async () => {
    const root = repoRoot();
    const script = readFileSync(join(root, 'test', 'scenarios', `${name}.sh`), 'utf8');
    const golden = readFileSync(join(root, 'test', 'golden', 'real', `${name}.txt`), 'utf8');
    const actual = normalise(await runRealScenario(script));
    if (actual === golden) return;
    // Point at the first command whose output moved, then show the whole difference.
    const want = parseTranscript(golden);
    const got = parseTranscript(actual);
    const i = got.findIndex((e, k) => JSON.stringify(e) !== JSON.stringify(want[k]));
    assert.equal(actual, golden, `${name}: command ${i + 1} ("${got[i]?.command ?? want[i]?.command}") prints something else on the real kernel now`);
  });
}
