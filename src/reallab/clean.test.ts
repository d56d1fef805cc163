// knetlab clean stops a real lab host that its caller abandoned.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cleanLabs, realLabUnavailableReason, runRealEntries } from './index.js';

const unavailable = realLabUnavailableReason();
// A root of our own, so that cleaning never touches labs other tests run at the same time.
const root = mkdtempSync(join(tmpdir(), 'knetlab-clean-test-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('cleanLabs() stops a lab host left running and removes its work directory', { skip: unavailable ?? false }, async () => {
  // A lab that would run for a minute; its caller walks away without waiting for it.
  const abandoned = runRealEntries('ip netns add a\nsleep 60\n', { workRoot: root }).catch((e: Error) => e);
  const labDirs = () => readdirSync(root).filter((d) => d.startsWith('knetlab-reallab-'));
  for (let i = 0; i < 100 && labDirs().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  const { stopped, removed } = cleanLabs(root);
  assert.ok(stopped >= 1, `stopped ${stopped}`);
  assert.ok(removed >= 1, `removed ${removed}`);
  const started = Date.now();
  const outcome = await abandoned;
  assert.ok(Date.now() - started < 10_000, 'the lab stopped at once, not when its `sleep 60` ended');
  assert.ok(outcome instanceof Error, 'the abandoned run ends in an error, not a transcript');
  assert.deepEqual(labDirs(), []);
  assert.equal(cleanLabs(root).stopped, 0);
});
