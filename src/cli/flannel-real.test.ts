// flanneld against the real kernel: the same agent, given the same cluster (three Nodes, the
// other two with flannel's annotations), programs a SimHost and a LinuxHost (a real lab host on
// this machine); flannel.1, its address, the routes, neighbours, FDB entries and the flanneld
// iptables rules read back through host/ must be equal, also after a peer Node is deleted.
// Root on Linux only; skips with the reason elsewhere.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { flannelManifest, startFlanneld } from '../addons/index.js';
import { Cluster } from '../controllers/index.js';
import { LabWorld, SimHost, type HostNetwork } from '../host/index.js';
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
    cluster.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      spec: {},
      status: { addresses: [{ type: 'InternalIP', address: PEERS[name]?.ip ?? '172.18.0.3' }] },
    });
    cluster.settle();
  }
  for (const [name, p] of Object.entries(PEERS)) {
    cluster.store.patch('nodes', undefined, name, 'strategic', {
      metadata: {
        annotations: {
          'flannel.alpha.coreos.com/backend-data': `{"VNI":1,"VtepMAC":"${p.mac}"}`,
          'flannel.alpha.coreos.com/backend-type': 'vxlan',
          'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
          'flannel.alpha.coreos.com/public-ip': p.ip,
        },
      },
    });
  }
  const [ns, , , , cm, ds] = flannelManifest();
  cluster.store.create(ns!);
  cluster.store.create(cm!);
  const template = (ds!.spec as Obj).template as Obj;
  const pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'kube-flannel-ds-x', namespace: 'kube-flannel', uid: 'u' },
    spec: { ...template.spec, nodeName: 'myk8s-worker' },
  };
  const agent = startFlanneld({
    node: 'myk8s-worker',
    api: cluster.api,
    host,
    files: new NodeFiles(() => clock.now()),
    clock,
    rng: new Rng('flannel-real'),
    pod,
    container: template.spec.containers[0],
    event: () => {},
    randomFully: true,
  });
  const snapshot = () => {
    const link = root.linkGet('flannel.1');
    return JSON.stringify(
      {
        link: link && { mtu: link.mtu, mac: link.mac, vxlan: link.vxlan, flags: link.flags },
        addrs: root.addrList().filter((a) => a.dev === 'flannel.1'),
        routes: root.routeList().filter((r) => r.dev === 'flannel.1'),
        // the kernel lists neighbours in hash order
        neigh: root
          .neighList()
          .filter((n) => n.dev === 'flannel.1')
          .sort((a, b) => a.dst.localeCompare(b.dst)),
        fdb: root.fdbList('flannel.1'),
        nat: root
          .iptablesSave('nat')
          .split('\n')
          .filter((l) => l.includes('flanneld') || l.startsWith(':FLANNEL')),
        filter: root
          .iptablesSave('filter')
          .split('\n')
          .filter((l) => l.includes('flanneld') || l.startsWith(':FLANNEL')),
      },
      null,
      1,
    );
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

test('flanneld programs the real kernel as it programs the emulated one: flannel.1, routes, neighbours, FDB, iptables; a peer deleted is removed from both', {
  skip: realLabUnavailableReason(),
}, () => {
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

/** Two nodes of a LabWorld on `lab` (a bridge network like kind's), flanneld on each; then the probes. */
function overlay(lab: SimHost | LinuxHost): { state: string[]; ping: string[]; capture: string } {
  const world = new LabWorld(lab);
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const names = ['myk8s-worker', 'myk8s-worker2'];
  const ips = names.map((n) => world.connect(n, 'kind').ip);
  const clock = new EventQueue();
  const cluster = new Cluster({ name: 'myk8s', clock, seed: 'kind/myk8s', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
  names.forEach((name, i) => {
    cluster.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      spec: {},
      status: { addresses: [{ type: 'InternalIP', address: ips[i]! }] },
    });
    cluster.settle();
  });
  const [ns, , , , cm, ds] = flannelManifest();
  cluster.store.create(ns!);
  cluster.store.create(cm!);
  const template = (ds!.spec as Obj).template as Obj;
  const agents = names.map((name) =>
    startFlanneld({
      node: name,
      api: cluster.api,
      host: world.host(name),
      files: new NodeFiles(() => clock.now()),
      clock,
      rng: new Rng(`flannel-real/${name}`),
      pod: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: `kube-flannel-ds-${name}`, namespace: 'kube-flannel', uid: name },
        spec: { ...template.spec, nodeName: name },
      },
      container: template.spec.containers[0],
      event: () => {},
      randomFully: true,
    }),
  );
  clock.runUntil(1_000);
  /** A shell line in the lab: bash on the real one, the emulated shell on the SimHost. */
  const sh = (script: string) => {
    if (lab instanceof LinuxHost) {
      const r = lab.run(['bash', '-c', script]);
      return `${r.stdout}${r.stderr}[exit ${r.status}]`;
    }
    let out = '';
    const status = lab.session.run(script, {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      writeFile() {},
      readFile: () => undefined,
    });
    return `${out}[exit ${status}]`;
  };
  try {
    const state = names.map((n) => {
      const h = world.host(n).at();
      return JSON.stringify({
        routes: h.routeList().filter((r) => r.dev === 'flannel.1'),
        neigh: h.neighList().filter((x) => x.dev === 'flannel.1'),
        fdb: h.fdbList('flannel.1').map((f) => f.dst),
      });
    });
    // from worker to worker2's flannel.1 address and back, through the VXLAN overlay
    const ping = [
      sh('ip netns exec myk8s-worker ping -c 1 -W 1 10.244.1.0'),
      sh('ip netns exec myk8s-worker2 ping -c 1 -W 1 10.244.0.0'),
    ].map((t) =>
      t
        .split('\n')
        .filter((l) => / packets transmitted|\[exit/.test(l))
        .join('\n'),
    );
    const capture = sh(
      'ip netns exec myk8s-worker tcpdump -i eth0 -nn -c 2 udp port 8472 2>/dev/null & sleep 1; ip netns exec myk8s-worker ping -c 1 -W 1 10.244.1.0 >/dev/null; wait',
    )
      .replace(/^\d\d:\d\d:\d\d\.\d{6} /gm, 'TIME ')
      .replace(/(IP 172\.18\.0\.\d+)\.\d+ > /g, '$1.SPORT > ')
      .replace(/id \d+/g, 'id ID');
    return { state, ping, capture };
  } finally {
    for (const a of agents) a.stop();
  }
}

test('two flannel nodes on a real bridge network reach each other through VXLAN as in the emulator: the same entries, pings and tcpdump of UDP 8472 on eth0', {
  skip: realLabUnavailableReason(),
}, () => {
  const sim = overlay(new SimHost());
  const real = new LinuxHost();
  try {
    const linux = overlay(real);
    assert.deepEqual(sim.state, linux.state);
    assert.deepEqual(sim.ping, linux.ping);
    assert.deepEqual(sim.ping, [
      '1 packets transmitted, 1 received, 0% packet loss, time 0ms\n[exit 0]',
      '1 packets transmitted, 1 received, 0% packet loss, time 0ms\n[exit 0]',
    ]);
    assert.equal(sim.capture, linux.capture);
    assert.match(
      linux.capture,
      /^TIME IP 172\.18\.0\.2\.SPORT > 172\.18\.0\.3\.8472: OTV, flags \[I\] \(0x08\), overlay 0, instance 1\nIP 10\.244\.0\.0 > 10\.244\.1\.0: ICMP echo request/,
    );
  } finally {
    real.close();
  }
});
