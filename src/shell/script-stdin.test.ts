// A script's own stdin (`knetlab sh -c 'iptables-restore' < FILE`): the first command that reads its
// stdin takes it all, as commands sharing one file would; and a front end sends stdin only to a
// script that reads it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { scriptReadsStdin } from './script-stdin.js';
import { Session } from './session.js';

const RULES = '*nat\n:KUBE-TEST - [0:0]\n-A KUBE-TEST -j RETURN\nCOMMIT\n';

async function run(script: string, stdin: string): Promise<{ status: number; out: string; err: string }> {
  const s = new Session({ host: 'stdin', seed: 'stdin' });
  let out = '';
  let err = '';
  const status = await s.runText(script, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    writeFile: () => {},
    readFile: () => undefined,
    stdin: new TextEncoder().encode(stdin),
  });
  return { status, out, err };
}

test("iptables-restore reads the script's stdin; a command that reads none leaves it to the next reader", async () => {
  const r = await run('ip -br link show lo >/dev/null; iptables-restore; iptables -t nat -S KUBE-TEST', RULES);
  assert.deepEqual(r, { status: 0, out: '-N KUBE-TEST\n-A KUBE-TEST -j RETURN\n', err: '' });
});

test('the first reader takes it all: grep counts the lines, cat after it reads nothing', async () => {
  assert.deepEqual(await run('grep -c KUBE; cat', RULES), { status: 0, out: '2\n', err: '' });
  // in a pipeline only the first command reads the script's stdin
  assert.deepEqual(await run('printf "x\\n" | wc -l; wc -l', RULES), { status: 0, out: '1\n4\n', err: '' });
});

test('which scripts read their stdin: restores without a file, ip -batch -, cat, a text tool without a file', () => {
  const none = () => false;
  for (const s of ['iptables-restore', 'ip netns exec ns1 iptables-restore --noflush', 'ip -batch -', 'cat', 'grep KUBE', 'ipset restore'])
    assert.equal(scriptReadsStdin(s, none), true, s);
  for (const s of [
    'ip link',
    'iptables-restore rules.txt',
    'iptables-restore < rules.txt',
    'printf x | iptables-restore',
    'seq 3',
    'echo "',
  ])
    assert.equal(scriptReadsStdin(s, none), false, s);
  assert.equal(
    scriptReadsStdin('grep KUBE rules.txt', (p) => p === 'rules.txt'),
    false,
  );
});
