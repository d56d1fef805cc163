// flanneld against the real kernel: the same agent, given the same cluster (three Nodes, the
// other two with flannel's annotations), programs a SimHost and a LinuxHost (a real lab host on
// this machine); flannel.1, its address, the routes, neighbours, FDB entries and the flanneld
// iptables rules read back through host/ must be equal, also after a peer Node is deleted.
// Root on Linux only; skips with the reason elsewhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flannelManifest, startFlanneld } from '../addons/index.js';
import { Cluster } from '../controllers/index.js';
import { SimHost, type HostNetwork } from '../host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../reallab/index.js';
import { EventQueue, NodeFiles, Rng } from '../sim/index.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PEERS: Record<string, { mac: string; ip: string }> = {
  'myk8s-control-plane': { mac: '92:10:0c:4a:cf:c8', ip: '172.18.0.2' },
  'myk8s-worker2': { mac: '16:67:a6:ee:44:5c', ip: '172.18.0.4' },
};

/** Runs flanneld for myk8s-worker on `host`; returns what the node holds, before and after a peer leaves. */
function programme(host: HostNetwork): string[] {
  const root = host.at();
  host.netnsAdd('wire');
  root.linkAdd({ name: 'eth0', kind: 'veth', peer: 'eth0', peerNetns: 'wire' });
  host.at('wire').linkSet('eth0', { up: true });
  root.linkSet('eth0', { up: true });
  root.addrAdd('eth0', '172.18.0.3/16');
  root.routeAdd({ dst: 'default', via: '172.18.0.1' });
  const clock = new EventQueue();
  const cluster = new Cluster({ name: 'myk8s', clock, seed: 'kind/myk8s', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
  for (const name of ['myk8s-control-plane', 'myk8s-worker', 'myk8s-worker2']) {
    cluster.store.create({ apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: {}, status: { addresses: [{ type: 'InternalIP', address: PEERS[name]?.ip ?? '172.18.0.3' }] } });
    cluster.settle();
  }
  for (const [name, p] of Object.entries(PEERS)) {
    cluster.store.patch('nodes', undefined, name, 'strategic', { metadata: { annotations: {
      'flannel.alpha.coreos.com/backend-data': `{"VNI":1,"VtepMAC":"${p.mac}"}`,
      'flannel.alpha.coreos.com/backend-type': 'vxlan',
      'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
      'flannel.alpha.coreos.com/public-ip': p.ip,
    } } });
  }
  const [ns, , , , cm, ds] = flannelManifest();
  cluster.store.create(ns!);
  cluster.store.create(cm!);
  const template = ((ds!.spec as Obj).template as Obj);
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-flannel-ds-x', namespace: 'kube-flannel', uid: 'u' }, spec: { ...template.spec, nodeName: 'myk8s-worker' } };
  const agent = startFlanneld({
    node: 'myk8s-worker', api: cluster.api, host, files: new NodeFiles(() => clock.now()), clock, rng: new Rng('flannel-real'),
    pod, container: template.spec.containers[0], event: () => {}, randomFully: true,
  });
  const snapshot = () => {
    const link = root.linkGet('flannel.1');
    return JSON.stringify({
      link: link && { mtu: link.mtu, mac: link.mac, vxlan: link.vxlan, flags: link.flags },
      addrs: root.addrList().filter((a) => a.dev === 'flannel.1'),
      routes: root.routeList().filter((r) => r.dev === 'flannel.1'),
      // the kernel lists neighbours in hash order
      neigh: root.neighList().filter((n) => n.dev === 'flannel.1').sort((a, b) => a.dst.localeCompare(b.dst)),
      fdb: root.fdbList('flannel.1'),
      nat: root.iptablesSave('nat').split('\n').filter((l) => l.includes('flanneld') || l.startsWith(':FLANNEL')),
      filter: root.iptablesSave('filter').split('\n').filter((l) => l.includes('flanneld') || l.startsWith(':FLANNEL')),
    }, null, 1);
  };
  try {
    clock.runUntil(1_000);
    const before = snapshot();
    cluster.store.delete('nodes', undefined, 'myk8s-worker2');
    clock.runUntil(2_000);
    return [before, snapshot()];
  } finally {
    agent.stop();
  }
}

test('flanneld programs the real kernel as it programs the emulated one: flannel.1, routes, neighbours, FDB, iptables; a peer deleted is removed from both', { skip: realLabUnavailableReason() }, () => {
  const sim = programme(new SimHost());
  const real = new LinuxHost();
  try {
    const linux = programme(real);
    assert.equal(sim[0], linux[0]);
    assert.equal(sim[1], linux[1]);
    assert.match(sim[0]!, /"dst": "10\.244\.2\.0\/24"/);
    assert.doesNotMatch(sim[1]!, /10\.244\.2\.0/);
  } finally {
    real.close();
  }
});
