// A world of two nodes on one Docker-style bridge network (kind's shape), each with its own
// kernel on one clock: a pod on each, a route per node to the other's pod subnet, and a ping
// between the pods across both kernels and the machine's bridge.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostError, SimWorld, type HostNetwork } from '../../src/host/index.js';

function wirePod(h: HostNetwork, pod: string, podIp: string, gw: string): void {
  h.sandboxAdd(pod, { hostname: pod });
  const node = h.at();
  node.linkAdd({ kind: 'veth', name: `veth-${pod}`, peer: 'eth0', peerNetns: pod });
  node.linkSet(`veth-${pod}`, { master: 'cni0', up: true });
  const inPod = h.at(pod);
  inPod.linkSet('lo', { up: true });
  inPod.addrAdd('eth0', `${podIp}/24`);
  inPod.linkSet('eth0', { up: true });
  inPod.routeAdd({ dst: 'default', via: gw });
}

test('two nodes of a world on the kind network: pods on each reach each other', async () => {
  const world = new SimWorld({ capture: false });
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const a = world.connect('node-a', 'kind');
  const b = world.connect('node-b', 'kind');
  assert.deepEqual([a.ip, b.ip], ['172.18.0.2', '172.18.0.3']);
  const nodes = [world.host('node-a'), world.host('node-b')];
  nodes.forEach((h, i) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0' });
    root.linkSet('cni0', { up: true });
    root.addrAdd('cni0', `10.244.${i}.1/24`);
    root.sysctlSet('net.ipv4.ip_forward', '1');
    root.routeAdd({ dst: `10.244.${1 - i}.0/24`, via: i === 0 ? b.ip : a.ip });
    wirePod(h, `pod-${i}`, `10.244.${i}.2`, `10.244.${i}.1`);
  });
  const eth0 = nodes[0]!
    .at()
    .linkList()
    .find((l) => l.name === 'eth0')!;
  assert.equal(eth0.mac, '02:42:ac:12:00:02');
  assert.deepEqual(
    nodes[0]!
      .at()
      .routeList()
      .map((r) => `${r.dst} ${r.via ?? ''} ${r.dev}`),
    ['default 172.18.0.1 eth0', '10.244.0.0/24  cni0', '10.244.1.0/24 172.18.0.3 eth0', '172.18.0.0/16  eth0'],
  );
  const ping = await nodes[0]!.processStart('pod-0', ['ping', '-c', '1', '-W', '2', '10.244.1.2']).wait();
  assert.equal(ping.status, 0, ping.stdout + ping.stderr);
  assert.match(ping.stdout, /1 packets transmitted, 1 received/);
  // The nodes' kernels share the world's clock.
  assert.equal(nodes[0]!.session.kernel.clock, nodes[1]!.session.kernel.clock);
});

test('a world refuses a second attachment, a taken address and an unknown network, naming them', () => {
  const world = new SimWorld({ capture: false });
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  world.connect('node-a', 'kind', { ip: '172.18.0.5' });
  assert.throws(
    () => world.connect('node-a', 'kind'),
    (e: unknown) => e instanceof HostError && /"node-a" .*connected already/.test(e.message),
  );
  assert.throws(() => world.connect('node-b', 'kind', { ip: '172.18.0.5' }), /address "172.18.0.5" is not a free address/);
  assert.throws(() => world.connect('node-b', 'nope'), /network "nope": no such network/);
  assert.throws(
    () => world.network('bad', { subnet: '10.0.0.0/16', gateway: '10.1.0.1' }),
    /gateway "10.1.0.1" is not an address of 10.0.0.0\/16/,
  );
});

import { LabWorld, SimHost, type Attachment } from '../../src/host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1')
  throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

/** The two-node case on any world: returns the nodes' and pods' `ip -j route`/`ip -j addr` records and the ping status. */
async function twoNodes(world: {
  network(n: string, s: { subnet: string; gateway: string }): unknown;
  connect(h: string, n: string): Attachment;
  host(h: string): HostNetwork;
}): Promise<{ state: string; ping: number }> {
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const ips = ['node-a', 'node-b'].map((n) => world.connect(n, 'kind').ip);
  const nodes = ['node-a', 'node-b'].map((n) => world.host(n));
  nodes.forEach((h, i) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0', mac: `02:42:0a:f4:0${i}:01` });
    root.linkSet('cni0', { up: true });
    root.addrAdd('cni0', `10.244.${i}.1/24`);
    root.sysctlSet('net.ipv4.ip_forward', '1');
    root.routeAdd({ dst: `10.244.${1 - i}.0/24`, via: ips[1 - i]! });
    wirePod(h, `pod-${i}`, `10.244.${i}.2`, `10.244.${i}.1`);
  });
  const ping = await nodes[0]!.processStart('pod-0', ['ping', '-c', '1', '-W', '2', '10.244.1.2']).wait();
  const state = nodes
    .flatMap((h, i) =>
      [undefined, `pod-${i}`].map((ns) => {
        const at = h.at(ns);
        return `# node-${'ab'[i]} ${ns ?? ''}\n${JSON.stringify(at.routeList())}\n${JSON.stringify(at.addrList())}`;
      }),
    )
    .join('\n');
  return { state, ping: ping.status };
}

test('the two-node world leaves sim and linux with the same routes and addresses, and pods ping across', {
  skip: unavailable ?? false,
}, async () => {
  const sim = await twoNodes(new SimWorld({ capture: false }));
  const lab = new LabWorld(new LinuxHost());
  let linux: { state: string; ping: number };
  try {
    linux = await twoNodes(lab);
  } finally {
    lab.close();
  }
  assert.deepEqual([sim.ping, linux.ping], [0, 0]);
  assert.equal(sim.state, linux.state);
  // The same world shape on one emulated lab host agrees too.
  const flat = new LabWorld(new SimHost());
  const onSimLab = await twoNodes(flat);
  flat.close();
  assert.equal(onSimLab.state, linux.state);
});
