// The emulator against the real kernel: every scenario in test/scenarios, run on a fresh
// emulated host, must print what the real tools printed on a fresh real lab host
// (test/golden/real, recorded by scripts/record-golden.mjs), after normalisation.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { normalise, unifiedDiff } from '../transcript/index.js';
import { runScenario } from './scenario.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SCENARIOS = join(ROOT, 'test/scenarios');
const GOLDEN = join(ROOT, 'test/golden/real');

for (const file of readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.sh'))
  .sort()) {
  const name = file.replace(/\.sh$/, '');
  test(`scenario ${name} prints what the real tools print`, async () => {
    const expected = readFileSync(join(GOLDEN, `${name}.txt`), 'utf8');
    const actual = normalise(await runScenario(readFileSync(join(SCENARIOS, file), 'utf8')));
    const diff = unifiedDiff(expected, actual, { from: `real/${name}.txt`, to: `emulated/${name}` });
    assert.ok(diff === '', `${name}: the emulator differs from the real kernel\n${diff}`);
  });
}
