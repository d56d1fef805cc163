// The portmap plugin chained after bridge on an emulated node: a pod's hostPort mappings as the
// CNI-HOSTPORT-* chains and its CNI-DN-<sha512> chain (the name recomputed here), traffic to the
// node's port reaching the pod (also from the node itself and from the pod, hairpin), DEL removing
// the pod's chain only, and the plugin's refusals.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { SimWorld, type SimHost } from '../host/index.js';
import { NodeFiles, Rng } from '../sim/index.js';
import { CniRuntime, type NetConfList } from './index.js';

function node(): { world: SimWorld; host: SimHost; cni: CniRuntime } {
  const world = new SimWorld();
  world.network('kind', { subnet: '172.18.0.0/16', gateway: '172.18.0.1' });
  const host = world.host('kind-worker');
  world.connect('kind-worker', 'kind', { ip: '172.18.0.3' });
  const files = new NodeFiles(() => world.clock.now());
  files.mkdirp('/opt/cni/bin');
  for (const p of ['bridge', 'host-local', 'loopback', 'portmap']) files.write(`/opt/cni/bin/${p}`, '', { mode: 0o755 });
  return { world, host, cni: new CniRuntime(host, files, new Rng('kind-worker')) };
}

const NET: NetConfList = {
  cniVersion: '0.3.1',
  name: 'cbr0',
  file: '/etc/cni/net.d/10-flannel.conflist',
  plugins: [
    {
      type: 'bridge',
      hairpinMode: true,
      isDefaultGateway: true,
      ipam: { type: 'host-local', ranges: [[{ subnet: '10.244.1.0/24' }]], routes: [{ dst: '10.244.0.0/16' }] },
    },
    { type: 'portmap', capabilities: { portMappings: true } },
  ],
};

const run = (h: SimHost, ...argv: string[]) => h.session.exec(argv).stdout;
const mappings = [
  { hostPort: 8080, containerPort: 80, protocol: 'tcp' },
  { hostPort: 5353, containerPort: 53, protocol: 'udp', hostIP: '172.18.0.3' },
];

test("portmap ADD: the shared CNI-HOSTPORT chains and the pod's CNI-DN chain with its hairpin, localhost and DNAT rules, as iptables-save prints them", () => {
  const { host, cni } = node();
  host.sandboxAdd('cni-a', { hostname: 'a' });
  const id = 'a'.repeat(64);
  const r = cni.add(NET, { containerId: id, netns: 'cni-a', ifName: 'eth0', runtimeConfig: { portMappings: mappings, bandwidth: {} } });
  assert.equal(r.ips![0]!.address, '10.244.1.2/24'); // the bridge's result, passed on
  const dn = `CNI-DN-${createHash('sha512').update(`cbr0${id}`).digest('hex')}`.slice(0, 28);
  const c = `"dnat name: \\"cbr0\\" id: \\"${id}\\""`;
  const nat = run(host, 'iptables', '-t', 'nat', '-S');
  // iptables lists user chains by name, each chain's rules after the built-in ones
  const rules: Record<string, string[]> = {
    'CNI-HOSTPORT-DNAT': [
      `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment ${c} -m multiport --dports 8080 -j ${dn}`,
      `-A CNI-HOSTPORT-DNAT -p udp -m comment --comment ${c} -m multiport --dports 5353 -j ${dn}`,
    ],
    'CNI-HOSTPORT-MASQ': ['-A CNI-HOSTPORT-MASQ -m mark --mark 0x2000/0x2000 -j MASQUERADE'],
    'CNI-HOSTPORT-SETMARK': [
      '-A CNI-HOSTPORT-SETMARK -m comment --comment "CNI portfwd masquerade mark" -j MARK --set-xmark 0x2000/0x2000',
    ],
    [dn]: [
      `-A ${dn} -s 10.244.1.0/24 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK`,
      `-A ${dn} -s 127.0.0.1/32 -p tcp -m tcp --dport 8080 -j CNI-HOSTPORT-SETMARK`,
      `-A ${dn} -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.244.1.2:80`,
      `-A ${dn} -s 10.244.1.0/24 -d 172.18.0.3/32 -p udp -m udp --dport 5353 -j CNI-HOSTPORT-SETMARK`,
      `-A ${dn} -s 127.0.0.1/32 -d 172.18.0.3/32 -p udp -m udp --dport 5353 -j CNI-HOSTPORT-SETMARK`,
      `-A ${dn} -d 172.18.0.3/32 -p udp -m udp --dport 5353 -j DNAT --to-destination 10.244.1.2:53`,
    ],
  };
  const chains = Object.keys(rules).sort();
  assert.equal(
    nat,
    [
      '-P PREROUTING ACCEPT',
      '-P INPUT ACCEPT',
      '-P OUTPUT ACCEPT',
      '-P POSTROUTING ACCEPT',
      ...chains.map((ch) => `-N ${ch}`),
      '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
      '-A OUTPUT -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT',
      '-A POSTROUTING -m comment --comment "CNI portfwd requiring masquerade" -j CNI-HOSTPORT-MASQ',
      ...chains.flatMap((ch) => rules[ch]!),
      '',
    ].join('\n'),
  );
  assert.equal(run(host, 'sysctl', '-n', 'net.ipv4.conf.cni0.route_localnet'), '1\n');

  // a second pod adds only its own chain and entries; the shared ones are not repeated
  host.sandboxAdd('cni-b', { hostname: 'b' });
  cni.add(NET, {
    containerId: 'b'.repeat(64),
    netns: 'cni-b',
    ifName: 'eth0',
    runtimeConfig: { portMappings: [{ hostPort: 8081, containerPort: 80, protocol: 'tcp' }] },
  });
  const after = run(host, 'iptables', '-t', 'nat', '-S');
  assert.equal(after.split('\n').filter((l) => l === '-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT').length, 1);
  assert.equal(after.split('\n').filter((l) => l.startsWith('-A CNI-HOSTPORT-DNAT ')).length, 3);
  cni.check(
    { ...NET, cniVersion: '1.0.0' },
    { containerId: id, netns: 'cni-a', ifName: 'eth0', runtimeConfig: { portMappings: mappings } },
    { ...r, cniVersion: '1.0.0' },
  );

  // DEL: pod a's chain and its jumps go; b's and the shared chains stay
  cni.del(NET, { containerId: id, netns: 'cni-a', ifName: 'eth0', runtimeConfig: { portMappings: mappings } });
  const left = run(host, 'iptables', '-t', 'nat', '-S');
  assert.ok(!left.includes(dn), left);
  assert.equal(left.split('\n').filter((l) => l.startsWith('-A CNI-HOSTPORT-DNAT ')).length, 1);
  assert.match(left, /-N CNI-HOSTPORT-SETMARK\n/);
  cni.del(NET, { containerId: id, netns: 'cni-a', ifName: 'eth0', runtimeConfig: { portMappings: mappings } }); // again: nothing to do
});

test('a hostPort reaches the pod from another host, from the node itself and from the pod (hairpin, masqueraded)', async () => {
  const { world, host, cni } = node();
  host.sandboxAdd('cni-a', { hostname: 'a' });
  cni.add(NET, {
    containerId: 'a'.repeat(64),
    netns: 'cni-a',
    ifName: 'eth0',
    runtimeConfig: { portMappings: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }] },
  });
  const server = host.processStart('cni-a', ['python3', '-m', 'http.server', '80']);
  const client = world.host('mypc');
  world.connect('mypc', 'kind', { ip: '172.18.0.100' });
  for (const [h, ns, target] of [
    [client, undefined, '172.18.0.3'],
    [host, undefined, '127.0.0.1'],
    [host, 'cni-a', '172.18.0.3'],
  ] as const) {
    const argv = ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://${target}:8080/`];
    const r = ns ? await h.processStart(ns, argv).wait() : h.session.exec(argv);
    assert.equal(r.stdout, '200', `${target} from ${(ns ?? h === host) ? 'the node' : 'mypc'}: ${r.stdout}${r.stderr}`);
  }
  server.stop();
});

test("portmap's refusals: not chained, a bad port number, an option knetlab does not carry out", () => {
  const { host, cni } = node();
  host.sandboxAdd('cni-a', { hostname: 'a' });
  const only: NetConfList = { ...NET, plugins: [NET.plugins[1]!] };
  assert.throws(() => cni.add(only, { containerId: 'a', netns: 'cni-a', ifName: 'eth0' }), {
    message: 'plugin type="portmap" failed (add): must be called as chained plugin',
  });
  assert.throws(
    () =>
      cni.add(NET, {
        containerId: 'a',
        netns: 'cni-a',
        ifName: 'eth0',
        runtimeConfig: { portMappings: [{ hostPort: 0, containerPort: 80, protocol: 'tcp' }] },
      }),
    { message: 'plugin type="portmap" failed (add): failed to parse config: Invalid host port number: 0' },
  );
  const nft: NetConfList = { ...NET, plugins: [NET.plugins[0]!, { ...NET.plugins[1]!, backend: 'nftables' }] };
  host.sandboxAdd('cni-b', { hostname: 'b' });
  assert.throws(
    () =>
      cni.add(nft, {
        containerId: 'b',
        netns: 'cni-b',
        ifName: 'eth0',
        runtimeConfig: { portMappings: [{ hostPort: 80, containerPort: 80, protocol: 'tcp' }] },
      }),
    { message: 'plugin type="portmap" failed (add): portmap option "backend": "nftables" is not emulated by knetlab' },
  );
});
