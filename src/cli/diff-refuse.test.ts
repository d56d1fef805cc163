// `knetlab diff` refuses a script the real run's bash would expand, before anything runs.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { diffScenario } from './diff.js';

test('knetlab diff names the line with $(...) and runs nothing (no file appears)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-diff-'));
  try {
    const marker = join(dir, 'touched');
    const file = join(dir, 's.sh');
    writeFileSync(file, `ip link add br0 type bridge\nip link add x$(touch ${marker}) type bridge\n`);
    let err = '';
    const status = await diffScenario(file, { stdout() {}, stderr: (t) => (err += t) });
    assert.equal(status, 2);
    assert.match(err, /line 2: \$\(\.\.\.\) command substitution is not emulated, and the real run would let bash perform it as root/);
    assert.equal(existsSync(marker), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
