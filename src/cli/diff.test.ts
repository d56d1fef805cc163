// knetlab diff: one script on the emulator and on real namespaces, compared.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { realLabUnavailableReason } from '../reallab/index.js';
import { diffScenario } from './diff.js';

const MAIN = resolve(dirname(fileURLToPath(import.meta.url)), 'main.js');
const dir = mkdtempSync(join(tmpdir(), 'knetlab-diff-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const unavailable = realLabUnavailableReason();
if (unavailable && process.env['KNETLAB_REQUIRE_REALLAB'] === '1') throw new Error(`${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

function knetlab(...args: string[]) {
  return spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
}

test('knetlab diff agrees with the real kernel on a veth pair across namespaces', { skip: unavailable ?? false }, () => {
  const file = join(dir, 'veth.sh');
  writeFileSync(
    file,
    [
      'ip netns add a',
      'ip link add veth0 type veth peer name eth0 netns a',
      'ip link set veth0 up',
      'ip addr add 10.9.0.1/24 dev veth0',
      'ip netns exec a ip link set eth0 up',
      'ip netns exec a ip addr add 10.9.0.2/24 dev eth0',
      'ping -c 1 10.9.0.2',
      'ip neigh',
      'ip netns exec a ip -br addr',
      '',
    ].join('\n'),
  );
  const r = knetlab('diff', file);
  assert.equal(r.stdout, '');
  assert.equal(r.status, 0, r.stderr);
});

test('knetlab diff shows where the emulator and the kernel part ways, and exits 1', { skip: unavailable ?? false }, () => {
  // The emulator has no `uname` command: the real lab prints the kernel's name, the emulator an error.
  const file = join(dir, 'differs.sh');
  writeFileSync(file, 'ip link show lo\nuname\n');
  const r = knetlab('diff', file);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /^--- real\//);
  assert.match(r.stdout, /^-Linux$/m);
  assert.match(r.stdout, /^\+stderr: bash: line 1: uname: command not found$/m);
});

test('knetlab diff names a missing script', () => {
  const r = knetlab('diff', join(dir, 'nope.sh'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^knetlab diff: cannot read script ".*nope\.sh": No such file or directory/);
});

test('knetlab sh --real runs the script on real namespaces, stopping at the first failure as bash -e', {
  skip: unavailable ?? false,
}, () => {
  const script = 'ip netns add a; ip netns list; ip addr add 10.0.0.300/24 dev lo; echo not reached';
  const r = knetlab('sh', '--real', '-c', script);
  assert.equal(r.status, 1);
  assert.equal(r.stdout, 'a\n');
  assert.equal(r.stderr, 'Error: any valid prefix is expected rather than "10.0.0.300/24".\n');
});

// The differential suite: every scenario, run live on the emulator and on a fresh real lab host.
// The real kernel's timing varies (linkwatch, neighbour timers, when a background tcpdump starts
// listening on a loaded machine), so a scenario gets a second real run; a first run that
// differed is reported as a diagnostic, not hidden.
const SCENARIOS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../test/scenarios');
for (const file of readdirSync(SCENARIOS)
  .filter((f) => f.endsWith('.sh'))
  .sort()) {
  test(`knetlab diff passes on test/scenarios/${file}`, { skip: unavailable ?? false }, async (t) => {
    const diff = async () => {
      let out = '';
      const status = await diffScenario(join(SCENARIOS, file), { stdout: (x) => (out += x), stderr: (x) => (out += x) });
      return { status, out };
    };
    let run = await diff();
    if (run.status !== 0) {
      t.diagnostic(`first real run of ${file} differed; running it again:\n${run.out}`);
      run = await diff();
    }
    assert.equal(run.status, 0, `the emulator and the real kernel part ways on ${file}:\n${run.out}`);
  });
}
