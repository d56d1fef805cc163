// A KNETLAB_HOME of the pre-server store (hosts/NAME.json) is refused by every front end with a
// message naming the file and what to do, and nothing is written into it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serve } from './server.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), '../cli/main.js');

/** A home as the per-host store left it: the seed and the commands run on host "default". */
function oldHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'knetlab-old-'));
  mkdirSync(join(home, 'hosts'));
  const entry = { argv: ['ip', 'link', 'add', 'br0', 'type', 'bridge'], redirects: [], line: 1 };
  writeFileSync(join(home, 'hosts', 'default.json'), JSON.stringify({ format: 1, host: 'default', seed: 'default', journal: [entry] }));
  return home;
}

const refusal = (home: string) =>
  `knetlab: ${join(home, 'hosts', 'default.json')} is a host saved by an older knetlab (one file per host, before the lab server); ` +
  `this version keeps the lab in ${join(home, 'journal.jsonl')} and cannot read it. ` +
  `Move ${join(home, 'hosts')} aside (or remove it) to start a fresh lab here, or set KNETLAB_HOME to another directory; ` +
  'to get a host back, run the commands that built it again\n';

test('knetlab sh, with or without a server, refuses a home of per-host files and leaves it as it was', () => {
  const home = oldHome();
  try {
    for (const args of [
      ['sh', '-c', 'ip link'],
      ['sh', '--no-server', '-c', 'ip link add x type dummy'],
      ['kubectl', 'get', 'nodes'],
    ]) {
      const r = spawnSync(process.execPath, [MAIN, ...args], {
        env: { ...process.env, KNETLAB_HOME: home, KNETLAB_CLOCK: 'manual' },
        cwd: home,
        encoding: 'utf8',
      });
      assert.deepEqual(
        { status: r.status, stdout: r.stdout, stderr: r.stderr },
        { status: 1, stdout: '', stderr: refusal(home) },
        args.join(' '),
      );
    }
    assert.deepEqual(readdirSync(home), ['hosts']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('knetlab serve refuses a home of per-host files', async () => {
  const home = oldHome();
  try {
    const log: string[] = [];
    assert.equal(await serve({ home, clock: 'manual', log: (l) => log.push(l) }), 1);
    assert.deepEqual(log, [refusal(home).trimEnd()]);
    assert.deepEqual(readdirSync(home), ['hosts']);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
