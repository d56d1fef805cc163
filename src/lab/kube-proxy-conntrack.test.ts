// kube-proxy's UDP conntrack reconciliation on a kind node: a DNS client's entry to kube-dns
// DNATed to a CoreDNS pod that is gone is deleted once another CoreDNS pod serves, before the
// entry's own 30 s timeout, so the client's next query from the same port is not lost.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Lab } from './index.js';
import { kindCluster, run } from './fixtures.js';

async function ok(lab: Lab, ...argv: string[]): Promise<string> {
  const r = await run(lab, {}, ...argv);
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.err}`);
  return r.out;
}

/** The node's UDP conntrack entries to kube-dns, as `conntrack -L` prints them. */
const dnsEntries = (lab: Lab) =>
  run(lab, {}, 'docker', 'exec', 'kind-control-plane', 'conntrack', '-L', '-p', 'udp', '--orig-dst', '10.96.0.10');

test('kube-proxy deletes a UDP conntrack entry to a CoreDNS pod that is gone once a new one serves kube-dns', async () => {
  const lab = await kindCluster(0);
  await ok(lab, 'kubectl', 'scale', 'deployment', 'coredns', '-n', 'kube-system', '--replicas=1');
  await ok(lab, 'kubectl', 'rollout', 'status', 'deployment/coredns', '-n', 'kube-system');
  await ok(lab, 'kubectl', 'run', 'client', '--image=nicolaka/netshoot', '--', 'sleep', 'infinity');
  await ok(lab, 'kubectl', 'wait', '--for=condition=Ready', 'pod/client');
  const oldIP = await ok(
    lab,
    'kubectl',
    'get',
    'pod',
    '-n',
    'kube-system',
    '-l',
    'k8s-app=kube-dns',
    '-o',
    'jsonpath={.items[0].status.podIP}',
  );
  assert.match(oldIP, /^10\.244\./);

  assert.equal(await ok(lab, 'kubectl', 'exec', 'client', '--', 'dig', '+short', 'kubernetes.default.svc.cluster.local'), '10.96.0.1\n');
  const before = await dnsEntries(lab);
  assert.match(
    before.out,
    new RegExp(`^udp +17 +\\d+ src=10\\.244\\.\\S+ dst=10\\.96\\.0\\.10 sport=\\d+ dport=53 src=${oldIP.replace(/\./g, '\\.')} `, 'm'),
    before.out,
  );
  const madeAt = lab.clock.now();

  await ok(lab, 'kubectl', 'delete', 'pod', '-n', 'kube-system', '-l', 'k8s-app=kube-dns', '--grace-period=0', '--force');
  // no serving endpoint: upstream leaves the Service's entries alone
  assert.match((await dnsEntries(lab)).out, new RegExp(`src=${oldIP.replace(/\./g, '\\.')} `));

  await ok(lab, 'kubectl', 'rollout', 'status', 'deployment/coredns', '-n', 'kube-system');
  const newIP = await ok(
    lab,
    'kubectl',
    'get',
    'pod',
    '-n',
    'kube-system',
    '-l',
    'k8s-app=kube-dns',
    '-o',
    'jsonpath={.items[0].status.podIP}',
  );
  assert.notEqual(newIP, oldIP);
  lab.advance(2000); // kube-proxy's next sync (minSyncPeriod 1 s) follows the new endpoint
  const after = await dnsEntries(lab);
  assert.ok(lab.clock.now() - madeAt < 30_000, 'the entry would have timed out by itself: the test proves nothing');
  assert.doesNotMatch(after.out, new RegExp(`src=${oldIP.replace(/\./g, '\\.')} `), after.out);
  assert.match(after.err, /0 flow entries have been shown/);
  assert.equal(await ok(lab, 'kubectl', 'exec', 'client', '--', 'dig', '+short', 'kubernetes.default.svc.cluster.local'), '10.96.0.1\n');
});
