// The CNI plugins unchanged on both backends: flannel's conflist (flannel -> bridge + host-local,
// then portmap with a hostPort) run by the CNI runtime for two pods must leave the emulated node
// and a real lab host in the same state (links, addresses, routes, the nat table), and let one
// pod ping the other across cni0. The real one proves the host interface's renderings the
// plugins use (veth with its peer's MTU, brd, `bridge link set … hairpin on`, iptables-restore).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CniRuntime, type NetConfList } from '../../src/cni/index.js';
import { SimHost, type ToolsHost } from '../../src/host/index.js';
import { LinuxHost, realLabUnavailableReason } from '../../src/reallab/index.js';
import { NodeFiles, Rng } from '../../src/sim/index.js';
import { unifiedDiff } from '../../src/transcript/index.js';
import { snapshot } from './overlay.js';

const unavailable = realLabUnavailableReason();
if (unavailable !== undefined && process.env['KNETLAB_REQUIRE_REALLAB'] === '1')
  throw new Error(`LINUX HOST SKIPPED: ${unavailable} (KNETLAB_REQUIRE_REALLAB=1)`);

const NET: NetConfList = {
  cniVersion: '0.3.1',
  name: 'cbr0',
  file: '/etc/cni/net.d/10-flannel.conflist',
  plugins: [
    { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

async function node(h: ToolsHost): Promise<{ state: string; ping: number }> {
  try {
    const files = new NodeFiles(() => 0);
    files.mkdirp('/opt/cni/bin');
    for (const p of ['bridge', 'flannel', 'host-local', 'loopback', 'portmap']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
    files.mkdirp('/run/flannel');
    files.write(
      '/run/flannel/subnet.env',
      'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=false\n',
    );
    const cni = new CniRuntime(h, files, new Rng('differential'));
    for (const id of ['a', 'b']) {
      h.sandboxAdd(`pod-${id}`, { hostname: id });
      cni.add(NET, {
        containerId: id.repeat(64),
        netns: `pod-${id}`,
        ifName: 'eth0',
        runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }].slice(id === 'a' ? 0 : 1) },
      });
    }
    const ping = await h.processStart('pod-a', ['ping', '-c', '1', '-W', '2', '10.244.1.3']).wait();
    const nat = h
      .at()
      .iptablesSave('nat')
      .replace(/^#.*\n/gm, '')
      .replace(/\[\d+:\d+\]/g, '[0:0]');
    // the ports' flags as `bridge -d link` prints them (hairpin on); MACs and timers aside
    const ports = h.run(['bridge', '-d', 'link', 'show']).stdout;
    return { state: `${snapshot(h)}\n## nat\n${nat}\n## bridge -d link\n${ports}`, ping: ping.status };
  } finally {
    h.close();
  }
}

test('flannel + bridge + portmap through the host interface leave sim and linux in the same state', {
  skip: unavailable ?? false,
}, async () => {
  const sim = await node(new SimHost());
  const linux = await node(new LinuxHost());
  assert.deepEqual([sim.ping, linux.ping], [0, 0], 'pod a pings pod b across cni0');
  assert.match(sim.state, /"name":"cni0","kind":"bridge"/);
  assert.match(sim.state, /-A CNI-HOSTPORT-DNAT -p tcp -m comment/);
  assert.equal(sim.state.match(/\n {4}hairpin on /g)?.length, 2);
  const diff = unifiedDiff(linux.state, sim.state, { from: 'linux', to: 'sim' });
  assert.ok(diff === '', `the emulated kernel differs from the real one:\n${diff}`);
});
