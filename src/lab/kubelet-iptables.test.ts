// The kubelet's own iptables chains on a kind node (pkg/kubelet/kubelet_network_linux.go): the
// hint chain, KUBE-FIREWALL with its martian rule and jumps, the Monitor's canaries; made before
// kube-proxy, whose identical jumps are not added twice, and made again after a flush.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindCluster, run } from './fixtures.js';
import { runByHand, standardLab, type Lab } from './index.js';

const sh = (lab: Lab, node: string, cmd: string) => run(lab, {}, 'docker', 'exec', node, 'bash', '-c', cmd);
const rules = async (lab: Lab, node: string, table: string) => (await sh(lab, node, `iptables -t ${table} -S`)).out.split('\n');
const MARTIAN =
  '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP';

/** The rules of `chain` in `iptables -S` lines. */
const of = (lines: string[], chain: string) => lines.filter((l) => l.startsWith(`-A ${chain} `));

test("a kind node's iptables hold the kubelet's chains; kube-proxy's jumps come before the kubelet's, which are not doubled", async () => {
  const lab = await kindCluster(1);
  const filter = await rules(lab, 'kind-worker', 'filter');
  assert.ok(filter.includes('-N KUBE-FIREWALL') && filter.includes('-N KUBE-KUBELET-CANARY'), filter.join('\n'));
  // the kubelet prepended its jumps first; kube-proxy's prepends went above them and found its own copy there
  for (const chain of ['INPUT', 'OUTPUT']) {
    const jumps = of(filter, chain);
    assert.equal(jumps.at(-1), `-A ${chain} -j KUBE-FIREWALL`, jumps.join('\n'));
    assert.equal(jumps.filter((l) => l.endsWith('-j KUBE-FIREWALL')).length, 1, jumps.join('\n'));
    assert.ok(jumps.length > 1, 'kube-proxy jumps too');
  }
  assert.deepEqual(of(filter, 'KUBE-FIREWALL'), [MARTIAN]);
  const mangle = await rules(lab, 'kind-worker', 'mangle');
  assert.deepEqual(
    mangle.filter((l) => l.startsWith('-N ')),
    ['-N KUBE-IPTABLES-HINT', '-N KUBE-KUBELET-CANARY', '-N KUBE-PROXY-CANARY'],
  );
  assert.ok((await rules(lab, 'kind-control-plane', 'nat')).includes('-N KUBE-KUBELET-CANARY'));
});

test('with kubeProxyMode none the kubelet alone makes KUBE-FIREWALL and its jumps', async () => {
  const lab = standardLab();
  const config = 'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  kubeProxyMode: none\nnodes:\n- role: control-plane\n';
  const r = await runByHand(lab, ['kind', 'create', 'cluster', '--config', 'kind.yaml'], { files: { 'kind.yaml': config } });
  assert.equal(r.status, 0, r.err);
  lab.advance(2000);
  const filter = await rules(lab, 'kind-control-plane', 'filter');
  assert.deepEqual(of(filter, 'INPUT'), ['-A INPUT -j KUBE-FIREWALL']);
  assert.deepEqual(of(filter, 'OUTPUT'), ['-A OUTPUT -j KUBE-FIREWALL']);
  assert.deepEqual(of(filter, 'KUBE-FIREWALL'), [MARTIAN]);
  assert.ok(!filter.some((l) => l.includes('KUBE-PROXY')), filter.join('\n'));
});

test('after the tables are flushed the kubelet makes its chains again within its minute, once', async () => {
  const lab = await kindCluster(0);
  const flush = 'for t in filter nat mangle; do iptables -t $t -F; iptables -t $t -X; done';
  assert.equal((await sh(lab, 'kind-control-plane', flush)).status, 0);
  const gone = await rules(lab, 'kind-control-plane', 'mangle');
  assert.ok(!gone.includes('-N KUBE-IPTABLES-HINT'));
  lab.advance(61_000);
  const mangle = await rules(lab, 'kind-control-plane', 'mangle');
  assert.ok(mangle.includes('-N KUBE-IPTABLES-HINT') && mangle.includes('-N KUBE-KUBELET-CANARY'), mangle.join('\n'));
  lab.advance(60_000); // kube-proxy's monitor has run too
  const filter = await rules(lab, 'kind-control-plane', 'filter');
  assert.deepEqual(of(filter, 'KUBE-FIREWALL'), [MARTIAN]);
  for (const chain of ['INPUT', 'OUTPUT'])
    assert.equal(of(filter, chain).filter((l) => l.endsWith('-j KUBE-FIREWALL')).length, 1, filter.join('\n'));
});
