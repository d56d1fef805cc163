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
  const created = await run(lab, { 'kind-cni.yaml': KIND_CNI }, 'kind', 'create', 'cluster', '--config', 'kind-cni.yaml', '--name', 'myk8s');
  assert.equal(created.status, 0, created.err);
  const applied = await run(lab, {}, 'kubectl', 'apply', '-f', URL);
  assert.equal(applied.status, 0, applied.err);
  assert.equal(applied.out, [
    'namespace/kube-flannel created',
    'clusterrole.rbac.authorization.k8s.io/flannel created',
    'clusterrolebinding.rbac.authorization.k8s.io/flannel created',
    'serviceaccount/flannel created',
    'configmap/kube-flannel-cfg created',
    'daemonset.apps/kube-flannel-ds created',
    '',
  ].join('\n'));
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
  assert.match(ns.out, /kube-flannel +Active +\S+ +k8s-app=flannel,kubernetes.io\/metadata.name=kube-flannel,pod-security.kubernetes.io\/enforce=privileged\n/);
  const info = NODES.map((n) => ({
    name: n,
    ip: kc.nodes.find((x) => x.name === n)!.ip,
    cidr: (store.get('nodes', undefined, n).spec as { podCIDR: string }).podCIDR,
    ann: store.get('nodes', undefined, n).metadata.annotations!,
  }));
  for (const n of info) {
    const env = lab.nodeFiles(n.name)!.readText('/run/flannel/subnet.env');
    assert.equal(env, `FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=${n.cidr.replace(/0\/24$/, '1/24')}\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n`, n.name);
    assert.equal(n.ann['flannel.alpha.coreos.com/backend-type'], 'vxlan');
    assert.equal(n.ann['flannel.alpha.coreos.com/kube-subnet-manager'], 'true');
    assert.equal(n.ann['flannel.alpha.coreos.com/public-ip'], n.ip);
    const mac = (JSON.parse(n.ann['flannel.alpha.coreos.com/backend-data']!) as { VtepMAC: string }).VtepMAC;
    assert.match(n.ann['flannel.alpha.coreos.com/backend-data']!, /^\{"VNI":1,"VtepMAC":"[0-9a-f]{2}(:[0-9a-f]{2}){5}"\}$/);
    assert.equal(parseInt(mac.slice(0, 2), 16) & 3, 2, 'locally administered unicast');
    const link = sh(lab, n.name, 'ip', '-d', 'addr', 'show', 'flannel.1');
    assert.match(link, new RegExp(`flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN group default qlen 1000\\n    link/ether ${mac} brd ff:ff:ff:ff:ff:ff`), link);
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
    const masq = sh(lab, n.name, 'iptables', '-t', 'nat', '-S').split('\n').filter((l) => l.includes('flanneld masq'));
    assert.deepEqual(masq, [
      '-A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG',
      '-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN',
      `-A FLANNEL-POSTRTG -s ${n.cidr} -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN`,
      `-A FLANNEL-POSTRTG -s 10.244.0.0/16 -d ${n.cidr} -m comment --comment "flanneld masq" -j RETURN`,
      `-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d ${n.cidr} -m comment --comment "flanneld masq" -j RETURN`,
      '-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
      '-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully',
    ]);
    const fwd = sh(lab, n.name, 'iptables', '-S').split('\n').filter((l) => l.includes('flanneld forward'));
    assert.deepEqual(fwd, [
      '-A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD',
      '-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
      '-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT',
    ]);
    assert.equal(lab.nodeFiles(n.name)!.readText('/etc/cni/net.d/10-flannel.conflist'), (store.get('configmaps', 'kube-flannel', 'kube-flannel-cfg').data as Record<string, string>)['cni-conf.json']);
    assert.ok(lab.nodeFiles(n.name)!.exists('/opt/cni/bin/flannel'));
    const cond = (store.get('nodes', undefined, n.name).status as { conditions: { type: string; status: string; reason: string }[] }).conditions;
    assert.deepEqual(cond.find((c) => c.type === 'NetworkUnavailable'), { ...cond.find((c) => c.type === 'NetworkUnavailable'), status: 'False', reason: 'FlannelIsUp' });
  }
});
