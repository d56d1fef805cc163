// The bridge plugin with host-local on an emulated node: the bridge and its gateway, the veth
// pairs and their hairpin flag, the pod's addresses and routes, the result JSON, ipMasq's CNI-
// chain (its name recomputed here from sha512), CHECK, DEL, and the plugin's own refusals. The
// kernel state these operations leave is proven against the real kernel by test/scenarios/cni-bridge.sh.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SimWorld, type SimHost } from '../host/index.js';
import { NodeFiles, Rng } from '../sim/index.js';
import { CniRuntime, type NetConfList } from './index.js';

function node(plugins = ['bridge', 'host-local', 'loopback', 'portmap', 'ptp']): { host: SimHost; files: NodeFiles; cni: CniRuntime } {
  const world = new SimWorld();
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const host = world.host('kind-worker');
  world.connect('kind-worker', 'kind', { ip: '172.18.0.3' });
  const files = new NodeFiles(() => world.clock.now());
  files.mkdirp('/opt/cni/bin');
  for (const p of plugins) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  return { host, files, cni: new CniRuntime(host, files, new Rng('kind-worker')) };
}

/** A conflist of one bridge plugin over 10.244.1.0/24, as flannel would hand it (plus `extra`). */
function bridgeNet(extra: Record<string, unknown> = {}, cniVersion = '1.0.0'): NetConfList {
  return {
    cniVersion,
    name: 'cbr0',
    file: '/etc/cni/net.d/10-bridge.conflist',
    plugins: [
      {
        type: 'bridge',
        hairpinMode: true,
        isDefaultGateway: true,
        mtu: 1450,
        ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]], routes: [{ dst: '10.244.0.0/16' }] },
        ...extra,
      },
    ],
  };
}

const run = (h: SimHost, ...argv: string[]) => h.session.exec(argv).stdout;
const pod = (h: SimHost, id: string) => {
  h.sandboxAdd(`cni-${id}`, { hostname: id });
  return { containerId: id.repeat(64), netns: `cni-${id}`, ifName: 'eth0' };
};

test('bridge ADD: cni0 carries the gateway .1/24, each pod a veth on it with hairpin, its address, the network route and the default route', async () => {
  const { host, cni } = node();
  const net = bridgeNet();
  const [ra, rb] = ['a', 'b'].map((id) => cni.add(net, pod(host, id)));
  const veth = (r: typeof ra) => r!.interfaces![1]!.name;
  // the result: bridge, node end, container end; the addresses belong to interface 2
  const macOf = (netns: string | undefined, dev: string) => host.at(netns).linkGet(dev)!.mac;
  assert.deepEqual(ra, {
    cniVersion: '1.0.0',
    interfaces: [
      { name: 'cni0', mac: macOf(undefined, 'cni0') },
      { name: veth(ra), mac: macOf(undefined, veth(ra)) },
      { name: 'eth0', mac: macOf('cni-a', 'eth0'), sandbox: '/var/run/netns/cni-a' },
    ],
    ips: [{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }],
    routes: [{ dst: '10.244.0.0/16' }, { dst: '0.0.0.0/0', gw: '10.244.1.1' }],
    dns: {},
  });
  assert.equal(rb!.ips![0]!.address, '10.244.1.3/24');
  assert.match(veth(ra), /^veth[0-9a-f]{8}$/);
  // the bridge took its first port's MAC and keeps it (the plugin set it explicitly)
  assert.equal(ra!.interfaces![0]!.mac, ra!.interfaces![1]!.mac);
  assert.equal(rb!.interfaces![0]!.mac, ra!.interfaces![0]!.mac);

  assert.equal(
    run(host, 'ip', '-n', 'cni-a', 'route'),
    'default via 10.244.1.1 dev eth0 \n10.244.0.0/16 via 10.244.1.1 dev eth0 \n10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 \n',
  );
  assert.equal(
    run(host, 'ip', 'route'),
    'default via 172.18.0.1 dev eth0 \n10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.3 \n',
  );
  assert.match(
    run(host, 'ip', '-4', 'addr', 'show', 'dev', 'cni0'),
    /mtu 1450 .*\n {4}inet 10\.244\.1\.1\/24 brd 10\.244\.1\.255 scope global cni0\n/,
  );
  // both ends of the pair have the MTU
  assert.match(run(host, 'ip', '-n', 'cni-a', 'link', 'show', 'eth0'), /eth0@if\d+: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 /);
  assert.match(run(host, 'ip', 'link', 'show', veth(ra)), /mtu 1450 .*master cni0 state UP/);
  const brctl = run(host, 'brctl', 'show', 'cni0');
  const bridgeId = `8000.${ra!.interfaces![0]!.mac.replace(/:/g, '')}`;
  assert.equal(
    brctl,
    `bridge name\tbridge id\t\tSTP enabled\tinterfaces\ncni0\t\t${bridgeId}\tno\t\t${[veth(ra), veth(rb)].sort().join('\n\t\t\t\t\t\t\t')}\n`,
  );
  const ports = run(host, 'bridge', '-d', 'link', 'show');
  assert.equal(ports.match(/master cni0 state forwarding/g)?.length, 2);
  assert.equal(ports.match(/\n {4}hairpin on /g)?.length, 2);
  assert.equal(run(host, 'sysctl', '-n', 'net.ipv4.ip_forward'), '1\n');
  assert.equal(run(host, 'ip', 'netns', 'exec', 'cni-a', 'sysctl', '-n', 'net.ipv4.conf.eth0.arp_notify'), '1\n');
  // pod to pod across the bridge, and to the gateway
  for (const dst of ['10.244.1.3', '10.244.1.1']) {
    const ping = await host.processStart('cni-a', ['ping', '-c', '1', '-W', '1', dst]).wait();
    assert.equal(ping.status, 0, ping.stdout + ping.stderr);
  }
});

test('hairpinMode false leaves the port flag off; no isDefaultGateway means no default route; isGateway false leaves cni0 without an address', () => {
  const { host, cni } = node();
  const r = cni.add(bridgeNet({ hairpinMode: false, isDefaultGateway: false }), pod(host, 'a'));
  assert.match(run(host, 'bridge', '-d', 'link', 'show', 'dev', r.interfaces![1]!.name), /\n {4}hairpin off /);
  // host-local still names .1 as the gateway, and ConfigureIface routes through it
  assert.equal(
    run(host, 'ip', '-n', 'cni-a', 'route'),
    '10.244.0.0/16 via 10.244.1.1 dev eth0 \n10.244.1.0/24 dev eth0 proto kernel scope link src 10.244.1.2 \n',
  );
  assert.deepEqual(r.ips, [{ address: '10.244.1.2/24', gateway: '10.244.1.1', interface: 2 }]); // host-local's gateway
  assert.deepEqual(
    host
      .at()
      .addrList()
      .filter((x) => x.dev === 'cni0'),
    [],
  );
});

test('ipMasq: a CNI- chain named by sha512(network + container id) accepts the pod subnet and masquerades the rest; DEL removes it', () => {
  const { host, files, cni } = node();
  const net = bridgeNet({ ipMasq: true });
  const a = pod(host, 'a');
  const r = cni.add(net, a);
  const chain = `CNI-${createHash('sha512').update(`cbr0${a.containerId}`).digest('hex')}`.slice(0, 28);
  const comment = `"name: \\"cbr0\\" id: \\"${a.containerId}\\""`;
  const nat = run(host, 'iptables-save', '-t', 'nat');
  assert.ok(nat.includes(`:${chain} - [0:0]\n`), nat);
  assert.ok(nat.includes(`-A POSTROUTING -s 10.244.1.2/32 -m comment --comment ${comment} -j ${chain}\n`), nat);
  assert.ok(
    nat.includes(
      `-A ${chain} -d 10.244.1.0/24 -m comment --comment ${comment} -j ACCEPT\n-A ${chain} ! -d 224.0.0.0/4 -m comment --comment ${comment} -j MASQUERADE\n`,
    ),
    nat,
  );
  cni.del(net, a);
  assert.doesNotMatch(run(host, 'iptables-save', '-t', 'nat'), /CNI-/);
  assert.deepEqual(files.list('/var/lib/cni/networks/cbr0'), ['last_reserved_ip.0', 'lock']);
  assert.equal(host.at('cni-a').linkGet('eth0'), undefined);
  assert.equal(host.at().linkGet(r.interfaces![1]!.name), undefined);
  cni.del(net, a); // again: nothing left to remove is no error
});

test('CHECK passes on what ADD made and names what went missing; a 0.3.1 list cannot be checked', () => {
  const { host, cni } = node();
  const net = bridgeNet();
  const a = pod(host, 'a');
  const r = cni.add(net, a);
  cni.check(net, a, r);
  host.at('cni-a').routeDel({ dst: '10.244.0.0/16', via: '10.244.1.1', dev: 'eth0' });
  assert.throws(() => cni.check(net, a, r), {
    message: 'plugin type="bridge" failed (check): Failed to match route: {Dst:10.244.0.0/16 GW:<nil>}',
  });
  assert.throws(() => cni.check(bridgeNet({}, '0.3.1'), a, r), {
    message: 'configuration version "0.3.1" does not support the CHECK command',
  });
});

test('promiscMode puts cni0 in promiscuous mode (PROMISC, promiscuity 1); CHECK notices it turned off', () => {
  const { host, cni } = node();
  const net = bridgeNet({ hairpinMode: false, promiscMode: true });
  const a = pod(host, 'a');
  const r = cni.add(net, a);
  assert.match(run(host, 'ip', 'link', 'show', 'cni0'), /^\d+: cni0: <BROADCAST,MULTICAST,PROMISC,UP,LOWER_UP> mtu 1450 /);
  assert.match(run(host, 'ip', '-d', 'link', 'show', 'cni0'), / promiscuity 1 /);
  cni.check(net, a, r);
  host.at().linkSet('cni0', { promisc: false });
  assert.throws(() => cni.check(net, a, r), {
    message: 'plugin type="bridge" failed (check): Bridge interface cni0 configured Promisc Mode true doesn\'t match current state: false ',
  });
});

test("the plugin's refusals in its own words, leaving the pool as it was", () => {
  const { host, files, cni } = node(['bridge', 'loopback']);
  assert.throws(() => cni.add(bridgeNet(), pod(host, 'a')), {
    message: 'plugin type="bridge" failed (add): failed to find plugin "host-local" in path [/opt/cni/bin]',
  });
  files.write('/opt/cni/bin/host-local', '', { mode: 0o755 });
  assert.throws(() => cni.add(bridgeNet({ promiscMode: true }), pod(host, 'b')), {
    message: 'plugin type="bridge" failed (add): cannot set hairpin mode and promiscuous mode at the same time',
  });
  assert.throws(() => cni.add(bridgeNet({ vlan: 100 }), pod(host, 'b2')), {
    message: 'plugin type="bridge" failed (add): bridge option "vlan" is not emulated by knetlab',
  });
  assert.throws(() => cni.add(bridgeNet({ mtu: '1450' }), pod(host, 'c')), {
    message:
      'plugin type="bridge" failed (add): failed to load netconf: json: cannot unmarshal string into Go struct field NetConf.mtu of type int',
  });
  assert.throws(() => cni.add(bridgeNet({ bridge: 'eth0' }), pod(host, 'd')), {
    message: 'plugin type="bridge" failed (add): failed to create bridge "eth0": "eth0" already exists but is not a bridge',
  });
  host.at().linkAdd({ kind: 'bridge', name: 'br9' });
  host.at().addrAdd('br9', '192.168.9.1/24');
  assert.throws(() => cni.add(bridgeNet({ bridge: 'br9' }), pod(host, 'e')), {
    message: 'plugin type="bridge" failed (add): failed to set bridge addr: "br9" already has an IP address different from 10.244.1.1/24',
  });
  // the failed ADD gave its address back
  assert.deepEqual(
    files.list('/var/lib/cni/networks/cbr0')?.filter((n) => !n.startsWith('last') && n !== 'lock'),
    [],
  );
  files.write('/opt/cni/bin/bridge', '', { mode: 0o644 });
  assert.throws(() => cni.add(bridgeNet(), pod(host, 'f')), {
    message: 'plugin type="bridge" failed (add): netplugin failed with no error message: fork/exec /opt/cni/bin/bridge: permission denied',
  });
});
