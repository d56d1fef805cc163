// The data plane of a kind cluster: kubelets make pod sandboxes through the CNI runtime, kindnetd
// writes its conflist, routes every node's pods and masquerades what leaves the pod subnet (issue 14,
// seed 004's 4-node cluster with podSubnet 10.10.0.0/16).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';

const SEED_004 = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
- role: worker
- role: worker
networking:
  podSubnet: 10.10.0.0/16
`;

const io = (files: Record<string, string> = {}) => captured({ files });

async function run(lab: Lab, files: Record<string, string>, ...argv: string[]) {
  const c = io(files);
  const r = await lab.run(argv, c);
  return { ...r, out: c.out, err: c.err };
}

const NODES = ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2', 'myk8s-worker3'];

function pod(name: string, node: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: node, containers: [{ name: 'c', image: 'nicolaka/netshoot' }] },
  };
}

test("seed 004 with kindnet: each node's conflist and routes to the others' pods, pods Running with their IPs, pod to pod across nodes, masquerade to the gateway", async () => {
  const lab = standardLab();
  const created = await run(lab, { 'kind.yaml': SEED_004 }, 'kind', 'create', 'cluster', '--config', 'kind.yaml', '--name', 'myk8s');
  assert.equal(created.status, 0, created.err);
  // kindnetd reconciles every 10 s: the control plane's, started before the workers joined, routes them at its next pass
  lab.advance(10_000);
  const kc = lab.kind.get('myk8s')!;
  const cidrOf = (n: string) => (kc.cluster.store.get('nodes', undefined, n).spec as { podCIDR: string }).podCIDR;
  const ipOf = (n: string) => kc.nodes.find((x) => x.name === n)!.ip;
  for (const n of NODES) {
    const conf = lab.nodeFiles(n)!.readText('/etc/cni/net.d/10-kindnet.conflist')!;
    assert.match(conf, new RegExp(`\\[ \\{ "subnet": "${cidrOf(n).replace(/\./g, '\\.')}" \\} \\]`));
    const routes = lab.host(n).exec(['ip', 'route']).stdout;
    const want = NODES.filter((m) => m !== n).map((m) => `${cidrOf(m)} via ${ipOf(m)} dev eth0 \n`);
    for (const w of want) assert.ok(routes.includes(w), `${n}: ${w.trim()} in\n${routes}`);
  }
  const nodes = await run(lab, {}, 'kubectl', 'get', 'nodes');
  assert.doesNotMatch(nodes.out, /NotReady/, nodes.out);
  const nat = lab.host('myk8s-worker').exec(['iptables-save', '-t', 'nat']).stdout;
  assert.equal(nat.split('\n').filter((l) => l.startsWith('-A POSTROUTING') && l.endsWith('-j KIND-MASQ-AGENT')).length, 1, nat);
  assert.match(
    nat,
    /-A KIND-MASQ-AGENT -d 10\.10\.0\.0\/16 -m comment --comment "kind-masq-agent: local traffic is not subject to MASQUERADE" -j RETURN/,
  );

  kc.cluster.store.create(pod('webpod1', 'myk8s-worker'));
  kc.cluster.store.create(pod('webpod2', 'myk8s-worker2'));
  kc.cluster.settle();
  const status = (name: string) =>
    kc.cluster.store.get('pods', 'default', name).status as {
      phase: string;
      podIP: string;
      hostIP: string;
      containerStatuses: { containerID: string }[];
    };
  const [a, b] = [status('webpod1'), status('webpod2')];
  assert.equal(a.phase, 'Running');
  assert.equal(a.hostIP, ipOf('myk8s-worker'));
  assert.equal(a.podIP, `${cidrOf('myk8s-worker').slice(0, -4)}2`);
  assert.match(a.containerStatuses[0]!.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  const worker = kc.nodes.find((x) => x.name === 'myk8s-worker')!;
  const sandbox = lab.kind.node(worker.name)!.host.netnsList()[0]!;
  const host = lab.kind.node(worker.name)!.host;
  const ping = await host.processStart(sandbox, ['ping', '-c', '1', '-W', '1', b.podIP]).wait();
  assert.equal(ping.status, 0, ping.stdout + ping.stderr);
  assert.match(ping.stdout, /ttl=62/);
  const out = await host.processStart(sandbox, ['ping', '-c', '1', '-W', '1', '172.18.0.1']).wait();
  assert.equal(out.status, 0, out.stdout + out.stderr);
  const ct = lab.host(worker.name).exec(['conntrack', '-L']).stdout;
  assert.match(
    ct,
    new RegExp(`src=${a.podIP.replace(/\./g, '\\.')} dst=172\\.18\\.0\\.1 .* src=172\\.18\\.0\\.1 dst=${worker.ip.replace(/\./g, '\\.')} `),
    ct,
  );
});

test('disableDefaultCNI: nodes NotReady and pods ContainerCreating until a CNI config appears; a missing plugin binary gives FailedCreatePodSandBox until restored', async () => {
  const lab = standardLab();
  const config =
    'kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\nnetworking:\n  disableDefaultCNI: true\n';
  assert.equal((await run(lab, { 'kind.yaml': config }, 'kind', 'create', 'cluster', '--config', 'kind.yaml')).status, 0);
  const kc = lab.kind.get('kind')!;
  const store = kc.cluster.store;
  const ready = () =>
    (
      store.get('nodes', undefined, 'kind-control-plane').status as { conditions: { type: string; status: string; message: string }[] }
    ).conditions.find((c) => c.type === 'Ready')!;
  assert.equal(ready().status, 'False');
  assert.match(ready().message, /cni plugin not initialized/);
  store.create({ ...pod('p', 'kind-control-plane') });
  kc.cluster.settle();
  const events = () =>
    store.list('events', 'default').items.map((e) => `${(e as { reason?: string }).reason}: ${(e as { message?: string }).message}`);
  assert.deepEqual(
    events().filter((e) => e.startsWith('NetworkNotReady')),
    [
      'NetworkNotReady: network is not ready: container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
    ],
  );
  const get = await run(lab, {}, 'kubectl', 'get', 'pod', 'p');
  assert.match(get.out, /ContainerCreating/);
  // a CNI arrives without its binary: the sandbox fails with containerd's words
  const files = lab.nodeFiles('kind-control-plane')!;
  files.remove('/opt/cni/bin/ptp');
  const { writeKindnetConflist } = await import('../addons/index.js');
  writeKindnetConflist(files, '10.244.0.0/24', 1500);
  await lab.wait(10_000);
  kc.cluster.settle();
  assert.equal(ready().status, 'True');
  const failed = events().filter((e) => e.startsWith('FailedCreatePodSandBox'));
  assert.equal(failed.length, 1);
  assert.match(
    failed[0]!,
    /^FailedCreatePodSandBox: Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": plugin type="ptp" failed \(add\): failed to find plugin "ptp" in path \[\/opt\/cni\/bin\]$/,
  );
  assert.equal((store.get('pods', 'default', 'p').status as { phase: string }).phase, 'Pending');
  // restored: the kubelet's next try (back-off 10 s) makes the sandbox
  files.write('/opt/cni/bin/ptp', '', { mode: 0o755 });
  await lab.wait(10_000);
  kc.cluster.settle();
  const st = store.get('pods', 'default', 'p').status as { phase: string; podIP: string };
  assert.equal(st.phase, 'Running');
  // p failed first (CoreDNS's two pods were scheduled only once the node turned Ready), so its retry comes first
  assert.equal(st.podIP, '10.244.0.2');
  const dns = store
    .list('pods', 'kube-system')
    .items.filter((x) => x.metadata.name!.startsWith('coredns-'))
    .map((x) => (x.status as { podIP?: string }).podIP)
    .sort();
  assert.deepEqual(dns, ['10.244.0.3', '10.244.0.4']);
});
