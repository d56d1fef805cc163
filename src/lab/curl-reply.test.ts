// curl 7.88 against a server that does not speak HTTP: serve_hostname -tcp -http=false writes the pod's name
// and closes (no status line: HTTP/0.9, which curl refuses), and with -w the code is 000. Checked
// against the real curl 7.88.1 here, fed `printf hello | nc -l` and `nc -l </dev/null`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, netshootPod, run } from './fixtures.js';

test('curl refuses an answer without a status line (HTTP/0.9) with exit 1, as curl 7.88 does', async () => {
  const lab = await kindCluster(1, netshootPod('client'));
  const made = await run(
    lab,
    {},
    'kubectl',
    'run',
    'hn',
    '--image=registry.k8s.io/serve_hostname',
    '--restart=Never',
    '--',
    '-tcp',
    '-http=false',
  );
  assert.equal(made.status, 0, made.err);
  lab.advance(5_000);
  const ip = (await run(lab, {}, 'kubectl', 'get', 'pod', 'hn', '-o', 'jsonpath={.status.podIP}')).out;
  assert.match(ip, /^10\.244\./);

  const loud = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-sS', '-w', '%{http_code}\\n', `${ip}:9376`);
  assert.deepEqual(
    [loud.status, loud.out, loud.err],
    [1, '000\n', 'curl: (1) Received HTTP/0.9 when not allowed\ncommand terminated with exit code 1\n'],
  );
  const quiet = await run(lab, {}, 'kubectl', 'exec', 'client', '--', 'curl', '-s', `${ip}:9376`);
  assert.deepEqual([quiet.status, quiet.out], [1, '']);
});
