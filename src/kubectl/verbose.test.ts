// kubectl -v N: client-go's klog lines as kubectl v1.36 writes them to stderr.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeApi } from './_fake.js';
import * as F from './_fixtures.js';
import type { KubeConfig } from './env.js';
import { kubectl } from './kubectl.js';
import { klogHeader, verbosity } from './verbose.js';

const CONFIG: KubeConfig = {
  currentContext: 'kind-kind',
  contexts: [{ name: 'kind-kind', cluster: 'kind-kind', user: 'kind-kind' }],
  server: () => 'https://127.0.0.1:40123',
  useContext() {},
};

async function run(argv: string[]) {
  let out = '';
  let err = '';
  const api = new FakeApi(F.NOW);
  api.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: {} });
  const code = await kubectl(
    {
      client: api,
      config: CONFIG,
      io: {
        stdout: (t) => void (out += t),
        stderr: (t) => void (err += t),
        readFile: () => undefined,
        client: { pid: 4242, kubeconfig: '/home/u/.kube/config' },
      },
    },
    argv,
  );
  // the klog header's time varies: keep the rest of each line
  const lines = err.split('\n').map((l) => l.replace(/^I\d{4} \d\d:\d\d:\d\d\.\d{6} /, 'I '));
  return { code, out, lines };
}

test('-v6: the kubeconfig loaded, the feature gates once, then each request with its URL and status', async () => {
  const { code, lines } = await run(['get', 'pod', '-l', 'app=web', '-v6']);
  assert.equal(code, 0);
  assert.equal(lines[0], 'I    4242 loader.go:407] Config loaded from file:  /home/u/.kube/config');
  assert.equal(lines.filter((l) => l.includes('envvar.go:195] "Feature gate default state" feature="')).length, 10);
  assert.ok(lines.includes('I    4242 envvar.go:195] "Feature gate default state" feature="ClientsAllowCBOR" enabled=false'));
  assert.match(
    lines[11]!,
    /^I {4}4242 round_trippers\.go:632\] "Response" verb="GET" url="https:\/\/127\.0\.0\.1:40123\/api\/v1\/namespaces\/default\/pods\?labelSelector=app%3Dweb&limit=500" status="200 OK" milliseconds=\d+$/,
  );
  assert.equal(lines.length, 13); // and the final newline
});

test('-v6 logs a failed request with its status; -v1 only the feature gates; none without -v', async () => {
  const missing = await run(['--v=6', 'get', 'deploy', 'nope']);
  assert.equal(missing.code, 1);
  assert.ok(
    missing.lines.some((l) =>
      /"Response" verb="GET" url="https:\/\/127\.0\.0\.1:40123\/apis\/apps\/v1\/namespaces\/default\/deployments\/nope" status="404 Not Found"/.test(
        l,
      ),
    ),
  );
  const v1 = await run(['get', 'pod', '-v', '1']);
  assert.equal(v1.lines.filter((l) => l.includes('envvar.go')).length, 10);
  assert.ok(!v1.lines.some((l) => l.includes('loader.go') || l.includes('round_trippers.go')));
  assert.deepEqual((await run(['get', 'pod'])).lines, ['']);
});

test("verbosity() reads -v N, -vN, -v=N, --v=N and --v N; klogHeader() is klog's", () => {
  for (const argv of [['-v', '6'], ['-v6'], ['-v=6'], ['--v=6'], ['--v', '6']])
    assert.equal(verbosity(['get', 'pod', ...argv]), 6, argv.join(' '));
  assert.equal(verbosity(['exec', 'p', '--', 'ls', '-v6']), 0, "after -- it is the command's");
  const t = new Date(2026, 11, 7, 9, 5, 3, 21).getTime() + 0.5;
  assert.equal(klogHeader(t, 87563, 'loader.go:407'), 'I1207 09:05:03.021500   87563 loader.go:407] ');
});
