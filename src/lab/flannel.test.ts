// Flannel in a kind cluster (issue 15, seed 000 §4): `kubectl apply -f` of flannel's published
// manifest URL installs the manifest's objects; flanneld on every node writes subnet.env, makes
// flannel.1, publishes its lease on the Node and programs a route, neighbour and FDB entry per peer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { captured, standardLab, type Lab } from './index.js';

export const KIND_CNI = `kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
  labels:
    mynode: control-plane
- role: worker
  labels:
    mynode: worker
- role: worker
  labels:
    mynode: worker2
networking:
  disableDefaultCNI: true
`;

const URL = 'https://raw.githubusercontent.com/flannel-io/flannel/master/Documentation/kube-flannel.yml';
const NODES = ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2'];

async function run(lab: Lab, files: Record<string, string>, ...argv: string[]) {
  const c = captured({ files });
  const r = await lab.run(argv, c);
  return { status: r.status, out: c.out, err: c.err };
}

async function flannelCluster(): Promise<Lab> {
  const lab = standardLab();
  const created = await run(
    lab,
    { 'kind-cni.yaml': KIND_CNI },
    'kind',
    'create',
    'cluster',
    '--config',
    'kind-cni.yaml',
    '--name',
    'myk8s',
  );
  assert.equal(created.status, 0, created.err);
  const applied = await run(lab, {}, 'kubectl', 'apply', '-f', URL);
  assert.equal(applied.status, 0, applied.err);
  assert.equal(
    applied.out,
    [
      'namespace/kube-flannel created',
      'clusterrole.rbac.authorization.k8s.io/flannel created',
      'clusterrolebinding.rbac.authorization.k8s.io/flannel created',
      'serviceaccount/flannel created',
      'configmap/kube-flannel-cfg created',
      'daemonset.apps/kube-flannel-ds created',
      '',
    ].join('\n'),
  );
  await lab.wait(2_000);
  lab.kind.get('myk8s')!.cluster.settle();
  return lab;
}

const sh = (lab: Lab, node: string, ...argv: string[]) => lab.host(node).exec(argv).stdout;

test('kubectl apply -f <flannel URL>: the manifest objects, subnet.env, flannel.1, routes, neighbours and FDB on every node', async () => {
  const lab = await flannelCluster();
  const kc = lab.kind.get('myk8s')!;
  const store = kc.cluster.store;
  const ns = await run(lab, {}, 'kubectl', 'get', 'ns', '--show-labels');
  assert.match(
    ns.out,
    /kube-flannel +Active +\S+ +k8s-app=flannel,kubernetes.io\/metadata.name=kube-flannel,pod-security.kubernetes.io\/enforce=privileged\n/,
  );
  const info = NODES.map((n) => ({
    name: n,
    ip: kc.nodes.find((x) => x.name === n)!.ip,
    cidr: (store.get('nodes', undefined, n).spec as { podCIDR: string }).podCIDR,
    ann: store.get('nodes', undefined, n).metadata.annotations!,
  }));
  for (const n of info) {
    const env = lab.nodeFiles(n.name)!.readText('/run/flannel/subnet.env');
    assert.equal(
      env,
      `FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=${n.cidr.replace(/0\/24$/, '1/24')}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`,
      n.name,
    );
    assert.equal(n.ann['flannel.alpha.coreos.com/backend-type'], 'vxlan');
    assert.equal(n.ann['flannel.alpha.coreos.com/kube-subnet-manager'], 'true');
    assert.equal(n.ann['flannel.alpha.coreos.com/public-ip'], n.ip);
    const mac = (JSON.parse(n.ann['flannel.alpha.coreos.com/backend-data']!) as { VtepMAC: string }).VtepMAC;
    assert.match(n.ann['flannel.alpha.coreos.com/backend-data']!, /^\{"VNI":1,"VtepMAC":"[0-9a-f]{2}(:[0-9a-f]{2}){5}"\}$/);
    assert.equal(parseInt(mac.slice(0, 2), 16) & 3, 2, 'locally administered unicast');
    const link = sh(lab, n.name, 'ip', '-d', 'addr', 'show', 'flannel.1');
    assert.match(
      link,
      new RegExp(
        `flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000\\n    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`,
      ),
      link,
    );
    assert.match(link, new RegExp(`vxlan id 1 local ${n.ip} dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300`), link);
    assert.match(link, new RegExp(`inet ${n.cidr.replace('/24', '/32')} scope global flannel.1`), link);
    const routes = sh(lab, n.name, 'ip', 'route');
    const neigh = sh(lab, n.name, 'ip', 'neigh', 'show', 'dev', 'flannel.1');
    const fdb = sh(lab, n.name, 'bridge', 'fdb', 'show', 'dev', 'flannel.1');
    for (const p of info.filter((x) => x !== n)) {
      const net = p.cidr.replace('/24', '');
      const pmac = (JSON.parse(p.ann['flannel.alpha.coreos.com/backend-data']!) as { VtepMAC: string }).VtepMAC;
      assert.ok(routes.includes(`${p.cidr} via ${net} dev flannel.1 onlink \n`), routes);
      assert.ok(neigh.includes(`${net} lladdr ${pmac} PERMANENT \n`), neigh);
      assert.ok(fdb.includes(`${pmac} dst ${p.ip} self permanent\n`), fdb);
    }
    assert.equal(routes.split('\n').filter((l) => l.includes('flannel.1')).length, 2, routes);
    const masq = sh(lab, n.name, 'iptables', '-t', 'nat', '-S')
      .split('\n')
      .filter((l) => l.includes('flanneld masq'));
    assert.deepEqual(masq, [
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
      '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
      `-A FLANNEL-POSTRTG -s ${n.cidr} -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN`,
      `-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d ${n.cidr} -m comment --comment "flanneld masq" -j RETURN`,
      `-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d ${n.cidr} -m comment --comment "flanneld masq" -j RETURN`,
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    ]);
    const fwd = sh(lab, n.name, 'iptables', '-S')
      .split('\n')
      .filter((l) => l.includes('flanneld forward'));
    assert.deepEqual(fwd, [
      '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
      '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
      '-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    ]);
    assert.equal(
      lab.nodeFiles(n.name)!.readText('/etc/cni/net.d/10-flannel.conflist'),
      (store.get('configmaps', 'kube-flannel', 'kube-flannel-cfg').data as Record<string, string>)['cni-conf.json'],
    );
    assert.ok(lab.nodeFiles(n.name)!.exists('/opt/cni/bin/flannel'));
    const cond = (store.get('nodes', undefined, n.name).status as { conditions: { type: string; status: string; reason: string }[] })
      .conditions;
    assert.deepEqual(
      cond.find((c) => c.type === 'NetworkUnavailable'),
      { ...cond.find((c) => c.type === 'NetworkUnavailable'), status: 'False', reason: 'FlannelIsUp' },
    );
  }
});

const flannelPod = (lab: Lab, node: string) =>
  lab.kind
    .get('myk8s')!
    .cluster.store.list('pods', 'kube-flannel')
    .items.find((p) => (p.spec as { nodeName?: string }).nodeName === node)!;

test('kubectl delete pod of a flannel pod: the DaemonSet makes another, whose flanneld re-reads its lease, keeps its VtepMAC and leaves one copy of each rule', async () => {
  const lab = await flannelCluster();
  const store = lab.kind.get('myk8s')!.cluster.store;
  const before = store.get('nodes', undefined, 'myk8s-worker').metadata.annotations!['flannel.alpha.coreos.com/backend-data'];
  const routes = sh(lab, 'myk8s-worker', 'ip', 'route');
  const old = flannelPod(lab, 'myk8s-worker');
  const del = await run(lab, {}, 'kubectl', 'delete', 'pod', '-n', 'kube-flannel', old.metadata.name!);
  assert.equal(del.status, 0, del.err);
  await lab.wait(2_000);
  lab.kind.get('myk8s')!.cluster.settle();
  const now = flannelPod(lab, 'myk8s-worker');
  assert.notEqual(now.metadata.name, old.metadata.name);
  assert.equal(store.get('nodes', undefined, 'myk8s-worker').metadata.annotations!['flannel.alpha.coreos.com/backend-data'], before);
  assert.equal(sh(lab, 'myk8s-worker', 'ip', 'route'), routes);
  const logs = await run(lab, {}, 'kubectl', 'logs', '-n', 'kube-flannel', now.metadata.name!);
  assert.match(logs.out, /main\.go:484\] flannel is ready\n/);
  assert.doesNotMatch(logs.out, /recycle old iptables rules/, 'subnet.env of the last run names the same network and lease');
  const nat = sh(lab, 'myk8s-worker', 'iptables', '-t', 'nat', '-S');
  assert.equal(nat.split('\n').filter((l) => l.includes('flanneld masq')).length, 7, nat);
  assert.equal(
    sh(lab, 'myk8s-worker', 'iptables', '-S')
      .split('\n')
      .filter((l) => l.includes('flanneld forward')).length,
    3,
  );
});

test('a node that joins later gets its lease programmed on the others, and a node deleted has its route, neighbour and FDB entry removed, in virtual time', async () => {
  const lab = await flannelCluster();
  const kc = lab.kind.get('myk8s')!;
  const store = kc.cluster.store;
  const base = store.get('nodes', undefined, 'myk8s-worker2');
  const { resourceVersion: _rv, uid: _uid, creationTimestamp: _ct, annotations: _a, ...meta } = base.metadata;
  store.create({
    ...base,
    metadata: { ...meta, name: 'myk8s-worker3', labels: { ...base.metadata.labels, 'kubernetes.io/hostname': 'myk8s-worker3' } },
    spec: {},
  });
  kc.cluster.settle();
  const cidr = (store.get('nodes', undefined, 'myk8s-worker3').spec as { podCIDR: string }).podCIDR;
  assert.equal(cidr, '10.244.3.0/24');
  // what worker3's own flanneld would publish
  store.patch('nodes', undefined, 'myk8s-worker3', 'strategic', {
    metadata: {
      annotations: {
        'flannel.alpha.coreos.com/backend-data': '{"VNI":1,"VtepMAC":"6a:00:00:00:00:03"}',
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
        'flannel.alpha.coreos.com/public-ip': '172.18.0.9',
      },
    },
  });
  await lab.wait(0);
  for (const n of NODES) {
    assert.match(sh(lab, n, 'ip', 'route'), /^10\.244\.3\.0\/24 via 10\.244\.3\.0 dev flannel\.1 onlink $/m, n);
    assert.match(sh(lab, n, 'ip', 'neigh', 'show', 'dev', 'flannel.1'), /^10\.244\.3\.0 lladdr 6a:00:00:00:00:03 PERMANENT $/m);
    assert.match(sh(lab, n, 'bridge', 'fdb', 'show', 'dev', 'flannel.1'), /^6a:00:00:00:00:03 dst 172\.18\.0\.9 self permanent$/m);
  }
  store.delete('nodes', undefined, 'myk8s-worker3');
  await lab.wait(0);
  for (const n of NODES) {
    assert.doesNotMatch(sh(lab, n, 'ip', 'route'), /10\.244\.3\.0/);
    assert.doesNotMatch(sh(lab, n, 'ip', 'neigh', 'show', 'dev', 'flannel.1'), /10\.244\.3\.0/);
    assert.doesNotMatch(sh(lab, n, 'bridge', 'fdb', 'show', 'dev', 'flannel.1'), /6a:00:00:00:00:03/);
    assert.equal(
      sh(lab, n, 'ip', 'route')
        .split('\n')
        .filter((l) => l.includes('flannel.1')).length,
      2,
    );
  }
});

test('flanneld puts back a deleted rule and a deleted flannel.1 at its next resync (5 s)', async () => {
  const lab = await flannelCluster();
  const h = lab.host('myk8s-worker');
  h.exec([
    'iptables',
    '-t',
    'nat',
    '-D',
    'FLANNEL-POSTRTG',
    '-m',
    'mark',
    '--mark',
    '0x4000/0x4000',
    '-m',
    'comment',
    '--comment',
    'flanneld masq',
    '-j',
    'RETURN',
  ]);
  h.exec(['ip', 'link', 'del', 'flannel.1']);
  assert.equal(
    sh(lab, 'myk8s-worker', 'iptables', '-t', 'nat', '-S')
      .split('\n')
      .filter((l) => l.includes('flanneld masq')).length,
    6,
  );
  await lab.wait(5_000);
  const masq = sh(lab, 'myk8s-worker', 'iptables', '-t', 'nat', '-S')
    .split('\n')
    .filter((l) => l.includes('flanneld masq'));
  assert.equal(masq.length, 7);
  assert.equal(masq[1], '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN');
  const dev = sh(lab, 'myk8s-worker', 'ip', 'addr', 'show', 'flannel.1');
  assert.match(dev, /inet 10\.244\.1\.0\/32 scope global flannel\.1/);
  const logs = (await run(lab, {}, 'kubectl', 'logs', '-n', 'kube-flannel', flannelPod(lab, 'myk8s-worker').metadata.name!)).out;
  assert.match(logs, /iptables\.go:493\] Some iptables rules are missing; deleting and recreating rules\n/);
  assert.match(logs, /vxlan_network\.go:238\] VXLAN device flannel\.1 recreated successfully\n/);
});

test("host-gw from a local copy of the manifest: routes via the other nodes' IPs on eth0, MTU 1500, backend-data null, no flannel.1", async () => {
  const lab = standardLab();
  assert.equal(
    (await run(lab, { 'kind-cni.yaml': KIND_CNI }, 'kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s')).status,
    0,
  );
  const { wellKnownManifest } = await import('../addons/index.js');
  const local = wellKnownManifest(URL)!.replace('"Type": "vxlan"', '"Type": "host-gw"');
  const applied = await run(lab, { 'kube-flannel.yml': local }, 'kubectl', 'apply', '-f', 'kube-flannel.yml');
  assert.equal(applied.status, 0, applied.err);
  await lab.wait(2_000);
  const store = lab.kind.get('myk8s')!.cluster.store;
  assert.equal(
    lab.nodeFiles('myk8s-worker')!.readText('/run/flannel/subnet.env'),
    'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1500\nFLANNEL_IPMASQ=true\n',
  );
  const ann = store.get('nodes', undefined, 'myk8s-worker').metadata.annotations!;
  assert.equal(ann['flannel.alpha.coreos.com/backend-type'], 'host-gw');
  assert.equal(ann['flannel.alpha.coreos.com/backend-data'], 'null');
  const routes = sh(lab, 'myk8s-worker', 'ip', 'route');
  assert.match(routes, /^10\.244\.0\.0\/24 via 172\.18\.0\.2 dev eth0 $/m);
  assert.match(routes, /^10\.244\.2\.0\/24 via 172\.18\.0\.4 dev eth0 $/m);
  assert.equal(lab.host('myk8s-worker').exec(['ip', 'link', 'show', 'flannel.1']).status, 1);
  // routeCheck: a route deleted by hand is back within 10 s
  lab.host('myk8s-worker').exec(['ip', 'route', 'del', '10.244.2.0/24']);
  await lab.wait(10_000);
  assert.match(sh(lab, 'myk8s-worker', 'ip', 'route'), /^10\.244\.2\.0\/24 via 172\.18\.0\.4 dev eth0 $/m);
  const logs = (await run(lab, {}, 'kubectl', 'logs', '-n', 'kube-flannel', flannelPod(lab, 'myk8s-worker').metadata.name!)).out;
  assert.match(logs, /route_network\.go:254\] Route recovered 10\.244\.2\.0\/24 : 172\.18\.0\.4\n/);
});

test('an unknown manifest URL is refused and nothing is stored', async () => {
  const lab = standardLab();
  assert.equal(
    (await run(lab, { 'kind-cni.yaml': KIND_CNI }, 'kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s')).status,
    0,
  );
  const bad = await run(lab, {}, 'kubectl', 'apply', '-f', 'https://example.com/kube-flannel.yml');
  assert.equal(bad.status, 1);
  assert.match(
    bad.err,
    /^error: unable to read URL "https:\/\/example\.com\/kube-flannel\.yml": knetlab has no network access and answers only these addresses: https:\/\/raw\.githubusercontent\.com\/flannel-io\/flannel\/master\/Documentation\/kube-flannel\.yml, /,
  );
  const store = lab.kind.get('myk8s')!.cluster.store;
  assert.equal(
    store.list('namespaces').items.some((n) => n.metadata.name === 'kube-flannel'),
    false,
  );
});

test('vxlan with DirectRouting: peers on the same link get plain routes via their node IPs, and no neighbour or FDB entry', async () => {
  const lab = standardLab();
  assert.equal(
    (await run(lab, { 'kind-cni.yaml': KIND_CNI }, 'kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s')).status,
    0,
  );
  const { wellKnownManifest } = await import('../addons/index.js');
  const local = wellKnownManifest(URL)!.replace('"Type": "vxlan"', '"Type": "vxlan",\n        "DirectRouting": true');
  assert.equal((await run(lab, { 'kube-flannel.yml': local }, 'kubectl', 'apply', '-f', 'kube-flannel.yml')).status, 0);
  await lab.wait(2_000);
  const routes = sh(lab, 'myk8s-worker', 'ip', 'route');
  assert.match(routes, /^10\.244\.0\.0\/24 via 172\.18\.0\.2 dev eth0 $/m);
  assert.match(routes, /^10\.244\.2\.0\/24 via 172\.18\.0\.4 dev eth0 $/m);
  assert.equal(sh(lab, 'myk8s-worker', 'ip', 'neigh', 'show', 'dev', 'flannel.1'), '');
  assert.equal(sh(lab, 'myk8s-worker', 'bridge', 'fdb', 'show', 'dev', 'flannel.1'), '');
  assert.match(sh(lab, 'myk8s-worker', 'ip', 'addr', 'show', 'flannel.1'), /inet 10\.244\.1\.0\/32 scope global flannel\.1/);
});

test('docker stop then docker start of a worker: its flanneld comes back on the new network namespace with the same VtepMAC and lease, rewrites subnet.env, and the others keep their entries for it', async () => {
  const lab = await flannelCluster();
  const store = lab.kind.get('myk8s')!.cluster.store;
  const mac = store.get('nodes', undefined, 'myk8s-worker2').metadata.annotations!['flannel.alpha.coreos.com/backend-data'];
  const others = NODES.filter((n) => n !== 'myk8s-worker2').map((n) => [
    n,
    sh(lab, n, 'ip', 'route'),
    sh(lab, n, 'bridge', 'fdb', 'show', 'dev', 'flannel.1'),
  ]);
  const before = {
    route: sh(lab, 'myk8s-worker2', 'ip', 'route'),
    neigh: sh(lab, 'myk8s-worker2', 'ip', 'neigh', 'show', 'dev', 'flannel.1'),
    link: sh(lab, 'myk8s-worker2', 'ip', '-d', 'link', 'show', 'flannel.1').replace(/^\d+: /, ''),
  };
  assert.equal((await run(lab, {}, 'docker', 'stop', 'myk8s-worker2')).status, 0);
  await lab.wait(10_000);
  assert.equal((await run(lab, {}, 'docker', 'start', 'myk8s-worker2')).status, 0);
  await lab.wait(10_000);
  lab.kind.get('myk8s')!.cluster.settle();
  assert.equal(store.get('nodes', undefined, 'myk8s-worker2').metadata.annotations!['flannel.alpha.coreos.com/backend-data'], mac);
  const restarted = (flannelPod(lab, 'myk8s-worker2').status as { containerStatuses: { restartCount: number }[] }).containerStatuses[0]!
    .restartCount;
  assert.equal(restarted, 1, 'the kubelet of the new container made the flannel pod again');
  assert.equal(
    lab.nodeFiles('myk8s-worker2')!.readText('/run/flannel/subnet.env'),
    'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.2.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
  );
  assert.equal(sh(lab, 'myk8s-worker2', 'ip', 'route'), before.route);
  assert.equal(sh(lab, 'myk8s-worker2', 'ip', 'neigh', 'show', 'dev', 'flannel.1'), before.neigh);
  assert.equal(sh(lab, 'myk8s-worker2', 'ip', '-d', 'link', 'show', 'flannel.1').replace(/^\d+: /, ''), before.link);
  for (const [n, route, fdb] of others) {
    assert.equal(sh(lab, n!, 'ip', 'route'), route);
    assert.equal(sh(lab, n!, 'bridge', 'fdb', 'show', 'dev', 'flannel.1'), fdb);
  }
});

test('EnableNFTables: true is said to be not emulated (log and Warning event): no FLANNEL chains, the overlay and subnet.env still made', async () => {
  const lab = standardLab();
  assert.equal(
    (await run(lab, { 'kind-cni.yaml': KIND_CNI }, 'kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s')).status,
    0,
  );
  const { wellKnownManifest } = await import('../addons/index.js');
  const local = wellKnownManifest(URL)!.replace('"EnableNFTables": false', '"EnableNFTables": true');
  assert.equal((await run(lab, { 'kube-flannel.yml': local }, 'kubectl', 'apply', '-f', 'kube-flannel.yml')).status, 0);
  await lab.wait(2_000);
  assert.doesNotMatch(sh(lab, 'myk8s-worker', 'iptables-save'), /FLANNEL/);
  assert.match(sh(lab, 'myk8s-worker', 'ip', 'route'), /^10\.244\.2\.0\/24 via 10\.244\.2\.0 dev flannel\.1 onlink $/m);
  assert.ok(lab.nodeFiles('myk8s-worker')!.exists('/run/flannel/subnet.env'));
  const events = lab.kind
    .get('myk8s')!
    .cluster.store.list('events', 'kube-flannel')
    .items.map((e) => (e as { reason?: string }).reason);
  assert.equal(events.filter((r) => r === 'NFTablesNotEmulated').length, 3);
});

test("install-cni fails as flannel's install-conf does when cni-conf.json is missing from the ConfigMap; the pod waits, and recovers once the key is back", async () => {
  const lab = standardLab();
  assert.equal(
    (await run(lab, { 'kind-cni.yaml': KIND_CNI }, 'kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s')).status,
    0,
  );
  const { wellKnownManifest } = await import('../addons/index.js');
  const local = wellKnownManifest(URL)!.replace('cni-conf.json: |', 'cni-conf.jsonx: |');
  assert.equal((await run(lab, { 'kube-flannel.yml': local }, 'kubectl', 'apply', '-f', 'kube-flannel.yml')).status, 0);
  await lab.wait(2_000);
  const store = lab.kind.get('myk8s')!.cluster.store;
  const events = () =>
    store.list('events', 'kube-flannel').items.map((e) => `${(e as { reason?: string }).reason}: ${(e as { message?: string }).message}`);
  assert.ok(
    events().some(
      (e) =>
        e.startsWith('BackOff: Back-off restarting failed container install-cni in pod kube-flannel-ds-') &&
        e.endsWith(
          ': error installing "/etc/kube-flannel/cni-conf.json": cannot open file "/etc/kube-flannel/cni-conf.json": open /etc/kube-flannel/cni-conf.json: no such file or directory',
        ),
    ),
    events().join('\n'),
  );
  assert.equal(lab.nodeFiles('myk8s-worker')!.exists('/etc/cni/net.d/10-flannel.conflist'), false);
  assert.equal(lab.nodeFiles('myk8s-worker')!.exists('/opt/cni/bin/flannel'), true, 'install-cni-plugin ran first');
  const { FLANNEL_CNI_CONF } = await import('../addons/index.js');
  store.patch('configmaps', 'kube-flannel', 'kube-flannel-cfg', 'merge', { data: { 'cni-conf.json': FLANNEL_CNI_CONF } });
  await lab.wait(60_000);
  assert.equal(lab.nodeFiles('myk8s-worker')!.readText('/etc/cni/net.d/10-flannel.conflist'), FLANNEL_CNI_CONF);
  assert.ok(lab.nodeFiles('myk8s-worker')!.exists('/run/flannel/subnet.env'));
});

test("flanneld serves the manifest's probes on --healthz-port=8081: /healthz and /readyz answer as net/http writes them, the pods turn Ready and are never restarted", async () => {
  const lab = await flannelCluster();
  await lab.wait(60_000);
  const pods = await run(lab, {}, 'kubectl', 'get', 'pods', '-n', 'kube-flannel', '--no-headers');
  for (const line of pods.out.trim().split('\n')) assert.match(line, /^kube-flannel-ds-\w+ +1\/1 +Running +0 /);
  const curl = (path: string) => sh(lab, 'myk8s-worker', 'curl', '-si', `http://localhost:8081${path}`);
  const date = 'Date: [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT';
  assert.match(
    curl('/readyz'),
    new RegExp(`^HTTP/1\\.1 200 OK\r\n${date}\r\nContent-Length: 17\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nflanneld is ready$`),
  );
  assert.match(curl('/healthz'), /\r\nContent-Length: 19\r\n[^]*\r\n\r\nflanneld is running$/);
  assert.match(
    curl('/metrics'),
    new RegExp(
      `^HTTP/1\\.1 404 Not Found\r\nContent-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n${date}\r\nContent-Length: 19\r\n\r\n404 page not found\n$`,
    ),
  );
  const logs = await run(lab, {}, 'kubectl', 'logs', '-n', 'kube-flannel', flannelPod(lab, 'myk8s-worker').metadata.name!);
  // main(): the subnet manager, the signal handlers, the healthz server, getConfig, then the interface
  assert.match(
    logs.out,
    /main\.go:255\] Created subnet manager: [^\n]*\n[^\n]*main\.go:258\] Installing signal handlers\n[^\n]*main\.go:554\] Start healthz server on 0\.0\.0\.0:8081\n[^\n]*main\.go:540\] Found network config - Backend type: vxlan\n[^\n]*match\.go:269\] Using interface with name eth0 /,
  );
  const events = await run(lab, {}, 'kubectl', 'get', 'events', '-n', 'kube-flannel');
  assert.doesNotMatch(events.out, /Unhealthy|Killing/);
});
