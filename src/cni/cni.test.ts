// The CNI runtime and kind's plugins (ptp + host-local + portmap, loopback) on an emulated node:
// what a pod and its node look like after ADD, the IPAM state files, DEL, and libcni's failures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kindnetConflist } from '../addons/index.js';
import { SimWorld, type SimHost } from '../host/index.js';
import { NodeFiles, Rng } from '../sim/index.js';
import { CniRuntime } from './index.js';
import { HostLocal, type HostLocalConf } from './host-local.js';
import { netlinkAddr } from './plugin.js';

function node(): { host: SimHost; files: NodeFiles; cni: CniRuntime } {
  const world = new SimWorld();
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const host = world.host('kind-worker');
  world.connect('kind-worker', 'kind', { ip: '172.18.0.3' });
  const files = new NodeFiles(() => world.clock.now());
  files.mkdirp('/opt/cni/bin');
  for (const p of ['host-local', 'loopback', 'portmap', 'ptp']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  return { host, files, cni: new CniRuntime(host, files, new Rng('kind-worker')) };
}

const run = (h: SimHost, ...argv: string[]) => h.session.exec(argv).stdout;

test('CniRuntime.config() is undefined without a configuration, then the lexically first one', () => {
  const { files, cni } = node();
  assert.equal(cni.config(), undefined);
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/20-other.conflist', '{"cniVersion":"1.0.0","name":"other","plugins":[{"type":"bridge"}]}');
  files.write('/etc/cni/net.d/10-kindnet.conflist', kindnetConflist('10.244.1.0/24', 1500));
  files.write('/etc/cni/net.d/05-notes.txt', 'not a config');
  const net = cni.config()!;
  assert.equal(net.name, 'kindnet');
  assert.deepEqual(
    net.plugins.map((p) => p.type),
    ['ptp', 'portmap'],
  );
});

test('CniRuntime.config() follows a configuration rewritten, renamed over or broken since it was last read', () => {
  const { files, cni } = node();
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/10-net.conflist', '{"cniVersion":"1.0.0","name":"one","plugins":[{"type":"ptp"}]}');
  assert.equal(cni.config()!.name, 'one');
  assert.equal(cni.config(), cni.config()); // unchanged bytes: parsed once
  files.write('/etc/cni/net.d/10-net.conflist', '{"cniVersion":"1.0.0","name":"two","plugins":[{"type":"ptp"}]}');
  assert.equal(cni.config()!.name, 'two');
  files.write('/etc/cni/net.d/10-net.conflist.temp', '{"cniVersion":"0.3.1","name":"three","plugins":[{"type":"bridge"}]}');
  files.rename('/etc/cni/net.d/10-net.conflist.temp', '/etc/cni/net.d/10-net.conflist');
  assert.deepEqual([cni.config()!.name, cni.config()!.cniVersion, cni.config()!.plugins[0]!.type], ['three', '0.3.1', 'bridge']);
  files.write('/etc/cni/net.d/10-net.conflist', '{ not json');
  assert.equal(cni.config(), undefined);
  // names that come and go between two sandboxes: the listing is not kept past a change
  files.write('/etc/cni/net.d/20-later.conflist', '{"cniVersion":"1.0.0","name":"later","plugins":[{"type":"ptp"}]}');
  assert.equal(cni.config()!.name, 'later');
  files.write('/etc/cni/net.d/05-first.conf', '{"cniVersion":"1.0.0","name":"first","type":"bridge"}');
  assert.equal(cni.config()!.name, 'first');
  files.remove('/etc/cni/net.d/05-first.conf');
  assert.equal(cni.config()!.name, 'later');
  files.remove('/etc/cni/net.d', { recursive: true });
  assert.equal(cni.config(), undefined);
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/20-later.conflist', '{"cniVersion":"1.0.0","name":"again","plugins":[{"type":"ptp"}]}');
  assert.equal(cni.config()!.name, 'again');
});

test('ptp + host-local ADD: the pod routes through the gateway, the host holds .1/32 and a host route per pod', async () => {
  const { host, files, cni } = node();
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/10-kindnet.conflist', kindnetConflist('10.244.1.0/24', 1500));
  const net = cni.config()!;
  const results = ['a', 'b'].map((id) => {
    host.sandboxAdd(`cni-${id}`, { hostname: `pod-${id}` });
    return cni.add(net, { containerId: id.repeat(64), netns: `cni-${id}`, ifName: 'eth0' });
  });
  assert.deepEqual(
    results.map((r) => r.ips),
    [
      [{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 1 }],
      [{ address: '10.244.1.3/24', gateway: '10.244.1.1', interface: 1 }],
    ],
  );
  assert.match(results[0]!.interfaces![0]!.name, /^veth[0-9a-f]{8}$/);
  assert.equal(
    run(host, 'ip', '-n', 'cni-a', 'route'),
    'default via 10.244.1.1 dev eth0 \n10.244.1.0/24 via 10.244.1.1 dev eth0 src 10.244.1.2 \n10.244.1.1 dev eth0 scope link src 10.244.1.2 \n',
  );
  const veths = results.map((r) => r.interfaces![0]!.name);
  assert.equal(
    run(host, 'ip', 'route'),
    `default via 172.18.0.1 dev eth0 \n10.244.1.2 dev ${veths[0]} scope host \n10.244.1.3 dev ${veths[1]} scope host \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 \n`,
  );
  assert.match(run(host, 'ip', '-4', '-br', 'addr', 'show', 'dev', veths[1]!), /10\.244\.1\.1\/32/);
  assert.equal(run(host, 'sysctl', '-n', 'net.ipv4.ip_forward'), '1\n');
  // host-local's state, as `ls /run/cni-ipam-state/kindnet` shows it on a kind node
  assert.deepEqual(files.list('/run/cni-ipam-state/kindnet'), ['10.244.1.2', '10.244.1.3', 'last_reserved_ip.0', 'lock']);
  assert.equal(files.readText('/run/cni-ipam-state/kindnet/10.244.1.2'), `${'a'.repeat(64)}\r\neth0`);
  assert.equal(files.readText('/run/cni-ipam-state/kindnet/last_reserved_ip.0'), '10.244.1.3');
  // modes as the disk store makes them: the reservations 0600, the flock file 0750
  assert.deepEqual(
    ['10.244.1.2', 'last_reserved_ip.0', 'lock'].map((f) => files.stat(`/run/cni-ipam-state/kindnet/${f}`)!.mode),
    [0o600, 0o600, 0o750],
  );
  const ping = await host.processStart('cni-a', ['ping', '-c', '1', '-W', '1', '10.244.1.3']).wait();
  assert.equal(ping.status, 0, ping.stdout + ping.stderr);
});

test('DEL releases the address and the pair; host-local hands out the next address, not the freed one', () => {
  const { host, files, cni } = node();
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/10-kindnet.conflist', kindnetConflist('10.244.1.0/24'));
  const net = cni.config()!;
  host.sandboxAdd('cni-a', { hostname: 'a' });
  const r = cni.add(net, { containerId: 'a', netns: 'cni-a', ifName: 'eth0' });
  cni.del(net, { containerId: 'a', netns: 'cni-a', ifName: 'eth0' });
  assert.equal(host.at().linkGet(r.interfaces![0]!.name), undefined);
  assert.deepEqual(files.list('/run/cni-ipam-state/kindnet'), ['last_reserved_ip.0', 'lock']);
  cni.del(net, { containerId: 'a', netns: 'cni-a', ifName: 'eth0' }); // again: nothing to do
  host.sandboxAdd('cni-b', { hostname: 'b' });
  assert.equal(cni.add(net, { containerId: 'b', netns: 'cni-b', ifName: 'eth0' }).ips![0]!.address, '10.244.1.3/24');
});

test("a missing plugin binary fails as libcni says it, and a plugin's own failure is wrapped with its type", () => {
  const { host, files, cni } = node();
  files.mkdirp('/etc/cni/net.d');
  files.write('/etc/cni/net.d/10-kindnet.conflist', kindnetConflist('10.244.1.0/24'));
  files.remove('/opt/cni/bin/ptp');
  host.sandboxAdd('cni-a', { hostname: 'a' });
  const net = cni.config()!;
  assert.throws(() => cni.add(net, { containerId: 'a', netns: 'cni-a', ifName: 'eth0' }), {
    message: 'plugin type="ptp" failed (add): failed to find plugin "ptp" in path [/opt/cni/bin]',
  });
  files.write('/opt/cni/bin/ptp', '', { mode: 0o755 });
  files.write('/etc/cni/net.d/10-kindnet.conflist', kindnetConflist('10.244.1.0/31'));
  assert.throws(() => cni.add(cni.config()!, { containerId: 'a', netns: 'cni-a', ifName: 'eth0' }), {
    message: 'plugin type="ptp" failed (add): Network 10.244.1.0/31 too small to allocate from',
  });
});

test("host-local: a container asking again gets the address it holds (the first of its files in name order), others the next free one; DEL frees only the container's", () => {
  const files = new NodeFiles(() => 0);
  const ipam = new HostLocal(files);
  const conf: HostLocalConf = { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]] };
  const a = ipam.allocate(conf, 'net', 'aaaa', 'eth0').ips[0]!.address;
  assert.equal(a, '10.244.1.2/24');
  assert.equal(ipam.allocate(conf, 'net', 'bbbb', 'eth0').ips[0]!.address, '10.244.1.3/24');
  assert.equal(ipam.allocate(conf, 'net', 'aaaa', 'eth0').ips[0]!.address, a);
  // a reservation file by another hand for the same container: the first name wins
  files.write('/var/lib/cni/networks/net/10.244.1.10', 'aaaa\r\neth0\n');
  assert.equal(ipam.allocate(conf, 'net', 'aaaa', 'eth0').ips[0]!.address, '10.244.1.10/24');
  assert.equal(ipam.allocate(conf, 'net', 'aaaa', 'eth1').ips[0]!.address, '10.244.1.4/24');
  ipam.release(conf, 'net', 'aaaa', 'eth0');
  assert.deepEqual(files.list('/var/lib/cni/networks/net'), ['10.244.1.3', '10.244.1.4', 'last_reserved_ip.0', 'lock']);
});

test("netlinkAddr() gives an IPAM address the broadcast netlink.AddrAdd computes: the prefix's last address, none from /31 on", () => {
  assert.deepEqual(netlinkAddr('10.244.1.5/24'), { broadcast: '10.244.1.255' });
  assert.deepEqual(netlinkAddr('10.0.3.7/16'), { broadcast: '10.0.255.255' });
  assert.deepEqual(netlinkAddr('192.168.7.9/30'), { broadcast: '192.168.7.11' });
  assert.deepEqual(netlinkAddr('10.1.2.3/0'), { broadcast: '255.255.255.255' });
  assert.deepEqual(netlinkAddr('10.1.2.3/31'), {});
  assert.deepEqual(netlinkAddr('10.1.2.3/32'), {});
});
