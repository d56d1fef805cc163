// The flannel CNI plugin on an emulated node: subnet.env read from the node's files, the delegate
// configuration it saves and hands to bridge, what the pod and node look like after, DEL replaying
// the saved configuration, and its failures in upstream's words (the seed's two events).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SimWorld, type SimHost } from '../host/index.js';
import { NodeFiles, Rng } from '../sim/index.js';
import { CniRuntime } from './index.js';

const FLANNEL_CONFLIST = JSON.stringify(
  {
    name: 'cbr0',
    cniVersion: '0.3.1',
    plugins: [
      { type: 'flannel', delegate: { hairpinMode: true, isDefaultGateway: true } },
      { type: 'portmap', capabilities: { portMappings: true } },
    ],
  },
  null,
  2,
);
const SUBNET_ENV = 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n';

/** A kind worker as kind ships it (no bridge, no flannel in /opt/cni/bin) with flannel's conflist. */
function node(): { host: SimHost; files: NodeFiles; cni: CniRuntime } {
  const world = new SimWorld();
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const host = world.host('kind-worker');
  world.connect('kind-worker', 'kind', { ip: '172.18.0.3' });
  const files = new NodeFiles(() => world.clock.now());
  files.mkdirp('/opt/cni/bin');
  for (const p of ['host-local', 'loopback', 'portmap', 'ptp']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/10-flannel.conflist', FLANNEL_CONFLIST);
  return { host, files, cni: new CniRuntime(host, files, new Rng('kind-worker')) };
}

const run = (h: SimHost, ...argv: string[]) => h.session.exec(argv).stdout;
const pod = (h: SimHost, id: string) => {
  h.sandboxAdd(`cni-${id}`, { hostname: id });
  return { containerId: id.repeat(64), netns: `cni-${id}`, ifName: 'eth0' };
};

test("flannel before its files: subnet.env missing, then bridge missing, in upstream's words; the delegate's config is saved before it runs", () => {
  const { host, files, cni } = node();
  files.write('/opt/cni/bin/flannel', '', { mode: 0o755 });
  const net = cni.config()!;
  const a = pod(host, 'a');
  assert.throws(() => cni.add(net, a), {
    message:
      'plugin type="flannel" failed (add): failed to load flannel \'subnet.env\' file: open /run/flannel/subnet.env: no such file or directory. Check the flannel pod log for this node.',
  });
  assert.equal(files.exists(`/var/lib/cni/flannel/${a.containerId}`), false);
  files.mkdirp('/run/flannel');
  files.write('/run/flannel/subnet.env', SUBNET_ENV);
  assert.throws(() => cni.add(net, a), {
    message: 'plugin type="flannel" failed (add): failed to delegate add: failed to find plugin "bridge" in path [/opt/cni/bin]',
  });
  assert.equal(files.stat(`/var/lib/cni/flannel/${a.containerId}`)?.mode, 0o600);
  assert.equal(files.stat('/var/lib/cni/flannel')?.mode, 0o700);
  assert.equal(host.at().linkGet('cni0'), undefined);
});

test('flannel ADD: the delegate config (Go map key order) saved under /var/lib/cni/flannel, cni0 with .1, the pod routed to the whole network', async () => {
  const { host, files, cni } = node();
  for (const p of ['flannel', 'bridge']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  files.mkdirp('/run/flannel');
  files.write('/run/flannel/subnet.env', SUBNET_ENV);
  const net = cni.config()!;
  const a = pod(host, 'a');
  const r = cni.add(net, a);
  // flanneld masquerades (FLANNEL_IPMASQ=true), so the bridge must not: ipMasq false
  assert.equal(
    files.readText(`/var/lib/cni/flannel/${a.containerId}`),
    '{"cniVersion":"0.3.1","hairpinMode":true,"ipMasq":false,"ipam":{"ranges":[[{"subnet":"10.244.1.0/24"}]],"routes":[{"dst":"10.244.0.0/16"}],"type":"host-local"},"isDefaultGateway":true,"isGateway":true,"mtu":1450,"name":"cbr0","type":"bridge"}',
  );
  assert.equal(r.cniVersion, '0.3.1');
  assert.deepEqual(r.ips, [{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }]);
  assert.deepEqual(r.routes, [{ dst: '10.244.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.244.1.1' }]);
  assert.deepEqual(r.interfaces!.map((i) => i.name).slice(0, 1), ['cni0']);
  assert.equal(
    run(host, 'ip', '-n', 'cni-a', 'route'),
    'default via 10.244.1.1 dev eth0 \n10.244.0.0/16 via 10.244.1.1 dev eth0 \n10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 \n',
  );
  assert.match(
    run(host, 'ip', '-n', 'cni-a', 'addr', 'show', 'eth0'),
    /mtu 1450 .*\n.*\n {4}inet 10\.244\.1\.2\/24 brd 10\.244\.1\.255 scope global eth0\n/,
  );
  assert.match(
    run(host, 'ip', 'addr', 'show', 'cni0'),
    /cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 .*\n.*\n {4}inet 10\.244\.1\.1\/24 brd 10\.244\.1\.255 scope global cni0\n/,
  );
  assert.deepEqual(files.list('/var/lib/cni/networks/cbr0'), ['10.244.1.2', 'last_reserved_ip.0', 'lock']);
  assert.doesNotMatch(run(host, 'iptables-save', '-t', 'nat'), /CNI-/);
  const ping = await host.processStart('cni-a', ['ping', '-c', '1', '-W', '1', '10.244.1.1']).wait();
  assert.equal(ping.status, 0, ping.stdout + ping.stderr);
  // DEL replays the saved config: the pair, the address and the saved file go
  cni.del(net, a);
  assert.equal(files.exists(`/var/lib/cni/flannel/${a.containerId}`), false);
  assert.deepEqual(files.list('/var/lib/cni/networks/cbr0'), ['last_reserved_ip.0', 'lock']);
  assert.equal(host.at().linkGet(r.interfaces![1]!.name), undefined);
  cni.del(net, a); // nothing saved any more: nothing to do
});

test('FLANNEL_IPMASQ=false makes the bridge masquerade; the conflist delegate and ipam keys are merged as upstream does', () => {
  const { host, files, cni } = node();
  for (const p of ['flannel', 'bridge']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  files.mkdirp('/run/flannel');
  files.write(
    '/run/flannel/subnet.env',
    'FLANNEL_NETWORK=10.244.0.0/16,10.245.0.0/16\nFLANNEL_SUBNET=10.244.3.1/24\nFLANNEL_MTU=1400\nFLANNEL_IPMASQ=false\n',
  );
  files.write(
    '/etc/cni/net.d/10-flannel.conflist',
    JSON.stringify({
      name: 'cbr0',
      cniVersion: '1.0.0',
      plugins: [{ type: 'flannel', ipam: { routes: [{ dst: '192.168.0.0/16' }] }, delegate: { bridge: 'kbr0' } }],
    }),
  );
  const a = pod(host, 'a');
  cni.add(cni.config()!, a);
  assert.equal(
    files.readText(`/var/lib/cni/flannel/${a.containerId}`),
    '{"bridge":"kbr0","cniVersion":"1.0.0","ipMasq":true,"ipam":{"ranges":[[{"subnet":"10.244.3.0/24"}]],"routes":[{"dst":"192.168.0.0/16"},{"dst":"10.244.0.0/16"},{"dst":"10.245.0.0/16"}],"type":"host-local"},"isGateway":true,"mtu":1400,"name":"cbr0","type":"bridge"}',
  );
  assert.match(run(host, 'ip', '-br', 'addr', 'show', 'kbr0'), /^kbr0 +UP +10\.244\.3\.1\/24/);
  assert.match(
    run(host, 'iptables-save', '-t', 'nat'),
    /-A POSTROUTING -s 10\.244\.3\.2\/32 -m comment --comment "name: \\"cbr0\\" id: \\"a{64}\\"" -j CNI-[0-9a-f]{24}\n/,
  );
  assert.equal(
    run(host, 'ip', '-n', 'cni-a', 'route'),
    '10.244.0.0/16 via 10.244.3.1 dev eth0 \n10.244.3.0/24 dev eth0 proto kernel scope link src 10.244.3.2 \n10.245.0.0/16 via 10.244.3.1 dev eth0 \n192.168.0.0/16 via 10.244.3.1 dev eth0 \n',
  );
});

test("a subnet.env missing keys, a bad value, or a delegate naming what flannel sets fail in the plugin's words", () => {
  const { host, files, cni } = node();
  for (const p of ['flannel', 'bridge']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  files.mkdirp('/run/flannel');
  const a = pod(host, 'a');
  const add = () => cni.add(cni.config()!, a);
  files.write('/run/flannel/subnet.env', 'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.1/24\n');
  assert.throws(add, {
    message:
      'plugin type="flannel" failed (add): failed to load flannel \'subnet.env\' file: /run/flannel/subnet.env is missing FLANNEL_MTU, FLANNEL_IPMASQ. Check the flannel pod log for this node.',
  });
  files.write(
    '/run/flannel/subnet.env',
    'FLANNEL_NETWORK=10.244.0.0/16\nFLANNEL_SUBNET=10.244.1.300/24\nFLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n',
  );
  assert.throws(add, {
    message:
      'plugin type="flannel" failed (add): failed to load flannel \'subnet.env\' file: invalid CIDR address: 10.244.1.300/24. Check the flannel pod log for this node.',
  });
  files.write('/run/flannel/subnet.env', SUBNET_ENV);
  files.write(
    '/etc/cni/net.d/10-flannel.conflist',
    JSON.stringify({ name: 'cbr0', cniVersion: '0.3.1', plugins: [{ type: 'flannel', delegate: { name: 'x' } }] }),
  );
  assert.throws(add, {
    message: "plugin type=\"flannel\" failed (add): 'delegate' dictionary must not have 'name' field, it'll be set by flannel",
  });
  assert.equal(host.at().linkGet('cni0'), undefined);
  assert.equal(files.list('/var/lib/cni/flannel'), undefined);
});
