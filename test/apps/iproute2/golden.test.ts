// ip, bridge and brctl against the real tools: each testdata/NAME.sh (only ip/bridge/brctl
// commands) runs on a fresh emulated host and must print, after normalisation, what the real
// iproute2 6.1 / bridge-utils 1.7 printed for the same script on a fresh real lab host
// (testdata/NAME.txt). `UPDATE_GOLDEN=1` re-records the real transcripts first (root, Linux).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { updateGolden } from '../../golden.js';
import { fileURLToPath } from 'node:url';
import { realLabUnavailableReason, runRealScenario } from '../../../src/reallab/index.js';
import { normalise, unifiedDiff } from '../../../src/transcript/index.js';
import { runEmulated } from './run-emulated.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const TESTDATA = join(ROOT, 'src/apps/iproute2/testdata');

const names = readdirSync(TESTDATA)
  .filter((f) => f.endsWith('.sh'))
  .map((f) => f.slice(0, -3))
  .sort();

for (const name of names) {
  test(`iproute2 golden ${name}: the emulated commands print what the real ones print`, async (t) => {
    const script = readFileSync(join(TESTDATA, `${name}.sh`), 'utf8');
    const golden = join(TESTDATA, `${name}.txt`);
    const recordTwice = async () => {
      const [a, b] = [normalise(await runRealScenario(script)), normalise(await runRealScenario(script))];
      assert.equal(unifiedDiff(a, b, { from: 'real run 1', to: 'real run 2' }), '', `${name}: two real runs differ`);
      return a;
    };
    if (!(await updateGolden(t, golden, recordTwice, realLabUnavailableReason()))) return;
    const expected = readFileSync(golden, 'utf8');
    const actual = normalise(runEmulated(script));
    const diff = unifiedDiff(expected, actual, { from: `testdata/${name}.txt (real)`, to: `emulated ${name}` });
    assert.ok(diff === '', `${name}: the emulated commands differ from the real ones\n${diff}`);
  });
}
