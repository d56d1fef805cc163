// kindnetd against the real kernel (issue 14's differential): a 2-node kind cluster's pod network
// built twice, on the emulator and on real namespaces of this machine (a LabWorld: one namespace
// per node on a bridge like kind's Docker network). The same kindnetd agent on each node writes
// its conflist and routes every other node's podCIDR via that node's IP; the same CNI runtime runs
// that conflist (ptp + host-local) for one pod per node. Node routes, pod addresses and routes,
// the KIND-MASQ-AGENT chain and pod-to-pod pings across the nodes must be equal.
// Root on Linux only; skips with the reason elsewhere (KNETLAB_REQUIRE_REALLAB=1 makes that fatal).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startKindnet } from '../addons/index.js';
import { CniRuntime } from '../cni/index.js';
import { Cluster } from '../controllers/index.js';
import { LabWorld, SimHost } from '../host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../reallab/index.js';
import { EventQueue, NodeFiles, Rng } from '../sim/index.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1')
  throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

const NODES = ['kind-control-plane', 'kind-worker'];

interface Built {
  /** Per node: its routes, the KIND-MASQ-AGENT rules, the conflist kindnetd wrote, its pod's address and routes. */
  readonly state: string[];
  readonly podIps: string[];
  /** Each pod pinging the other node's pod: exit statuses. */
  readonly pings: number[];
}

async function build(lab: SimHost | LinuxHost): Promise<Built> {
  const world = new LabWorld(lab);
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const ips = NODES.map((n) => world.connect(n, 'kind').ip);
  const clock = new EventQueue();
  const cluster = new Cluster({ name: 'kind', clock, seed: 'kind/kind', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
  NODES.forEach((name, i) => {
    cluster.store.create({
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name },
      spec: {},
      status: {
        addresses: [
          { type: 'InternalIP', address: ips[i]! },
          { type: 'Hostname', address: name },
        ],
      },
    });
    cluster.settle();
  });
  const files = NODES.map(() => {
    const f = new NodeFiles(() => clock.now());
    f.mkdirp('/opt/cni/bin');
    f.mkdirp('/etc/cni/net.d');
    // the plugins kind's node image carries
    for (const p of ['host-local', 'loopback', 'portmap', 'ptp']) f.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
    return f;
  });
  const agents = NODES.map((node, i) =>
    startKindnet({ node, api: cluster.api, host: world.host(node), files: files[i]!, clock, podSubnet: '10.244.0.0/16' }),
  );
  try {
    clock.runUntil(1_000);
    const podIps = NODES.map((node, i) => {
      const h = world.host(node);
      const cni = new CniRuntime(h, files[i]!, new Rng(`kindnet-real/${node}`));
      const net = cni.config();
      assert.ok(net, `kindnetd wrote ${node}'s conflist`);
      h.sandboxAdd('pod', { hostname: `pod-${i}` });
      h.at('pod').linkSet('lo', { up: true });
      const r = cni.add(net, { containerId: String(i).repeat(64), netns: 'pod', ifName: 'eth0' });
      return r.ips![0]!.address.split('/')[0]!;
    });
    const state = NODES.map((node, i) => {
      const h = world.host(node);
      const masq = h
        .at()
        .iptablesSave('nat')
        .split('\n')
        .filter((l) => l.includes('KIND-MASQ-AGENT'));
      // veth MACs are random on the real kernel; names, addresses and routes are not
      const podLinks = h
        .at('pod')
        .linkList()
        .map((l) => ({ name: l.name, kind: l.kind, mtu: l.mtu, up: l.flags.includes('UP') }));
      return JSON.stringify(
        {
          routes: h.at().routeList(),
          masq,
          conflist: files[i]!.readText('/etc/cni/net.d/10-kindnet.conflist'),
          podLinks,
          podAddrs: h.at('pod').addrList(),
          podRoutes: h.at('pod').routeList(),
        },
        null,
        1,
      );
    });
    const pings = await Promise.all(
      NODES.map((node, i) =>
        world
          .host(node)
          .processStart('pod', ['ping', '-c', '1', '-W', '2', podIps[1 - i]!])
          .wait()
          .then((r) => r.status),
      ),
    );
    return { state, podIps, pings };
  } finally {
    for (const a of agents) a.stop();
  }
}

test('a 2-node kindnet cluster on real namespaces equals the emulated one: node routes via the node IPs, pod addresses and routes, masquerade chain, cross-node pings', {
  skip: unavailable ?? false,
}, async () => {
  const sim = await build(new SimHost());
  const real = new LinuxHost();
  let linux: Built;
  try {
    linux = await build(real);
  } finally {
    real.close();
  }
  assert.deepEqual(sim.podIps, linux.podIps);
  assert.deepEqual(sim.podIps, ['10.244.0.2', '10.244.1.2']);
  assert.deepEqual(
    [sim.pings, linux.pings],
    [
      [0, 0],
      [0, 0],
    ],
    "each pod reaches the other node's pod",
  );
  for (let i = 0; i < NODES.length; i++) assert.equal(sim.state[i], linux.state[i], `${NODES[i]} differs`);
  assert.match(sim.state[0]!, /"dst": "10\.244\.1\.0\/24",\n\s*"via": "172\.18\.0\.3",\n\s*"dev": "eth0"/);
  assert.match(sim.state[1]!, /"dst": "10\.244\.0\.0\/24",\n\s*"via": "172\.18\.0\.2",\n\s*"dev": "eth0"/);
});
