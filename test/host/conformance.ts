// The host interface's contract: one suite, run against every backend (sim.test.ts,
// linux.test.ts). Each case builds what a component would build and asserts what a Kubernetes
// network engineer would check with `ip`, `bridge`, `iptables-save` and a request across it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HostError, NotSupported, type HostNetwork, type LinkRecord } from '../../src/host/index.js';

export interface Backend {
  readonly name: string;
  /** Why this backend cannot run here, or undefined. */
  readonly unavailable: string | undefined;
  create(): HostNetwork;
  /** Kernel features the backend's kernel has; the others must throw NotSupported. */
  readonly has: {
    readonly ipvs: boolean;
    readonly ipip: boolean;
    readonly dummy: boolean;
    /** An NFQUEUE reader in-process (nfqueueBind). */
    readonly nfqueue: boolean;
  };
}

const NAT_TABLE = `*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-SVC-TEST - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A KUBE-SERVICES -d 10.96.0.10/32 -p tcp -m tcp --dport 80 -j KUBE-SVC-TEST
-A KUBE-SVC-TEST -p tcp -j DNAT --to-destination 10.244.0.3:8080
COMMIT
`;

/** Rules without iptables-save's dated comment lines and counters. */
function rules(save: string): string[] {
  return save
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.replace(/\[\d+:\d+\]/, '[*]'));
}

function link(links: LinkRecord[], name: string): LinkRecord {
  const l = links.find((x) => x.name === name);
  assert.ok(l, `no link "${name}" in ${links.map((x) => x.name).join(', ')}`);
  return l;
}

/** A pod's plumbing as the CNI bridge plugin makes it: a veth from the bridge into the sandbox. */
function plugPod(h: HostNetwork, sandbox: string, hostVeth: string, ip: string): void {
  const root = h.at();
  root.batch(() => {
    root.linkAdd({ kind: 'veth', name: hostVeth, peer: 'eth0', peerNetns: sandbox });
    root.linkSet(hostVeth, { master: 'cni0', up: true });
  });
  const pod = h.at(sandbox);
  pod.batch(() => {
    pod.linkSet('eth0', { up: true });
    pod.addrAdd('eth0', `${ip}/24`);
  });
}

async function retry<T>(attempt: () => Promise<T>, ok: (t: T) => boolean): Promise<T> {
  let last = await attempt();
  for (let i = 0; i < 50 && !ok(last); i++) {
    await new Promise((r) => setTimeout(r, 100));
    last = await attempt();
  }
  return last;
}

export function conformance(b: Backend): void {
  const skip = b.unavailable ?? false;
  const it = (name: string, body: (h: HostNetwork) => void | Promise<void>) =>
    test(`${b.name}: ${name}`, { skip }, async () => {
      const h = b.create();
      try {
        await body(h);
      } finally {
        h.close();
      }
    });

  it('netnsAdd() and netnsDel() are what `ip netns list` shows', (h) => {
    h.netnsAdd('pod-b');
    h.netnsAdd('pod-a');
    assert.deepEqual(h.netnsList(), ['pod-a', 'pod-b']);
    h.netnsDel('pod-b');
    assert.deepEqual(h.netnsList(), ['pod-a']);
    assert.throws(() => h.netnsDel('pod-b'), HostError);
  });

  it('linkAdd() makes a veth whose peer lives in another namespace, down until both ends are up', (h) => {
    h.netnsAdd('pod');
    const root = h.at();
    root.linkAdd({ kind: 'veth', name: 'veth0', peer: 'eth0', peerNetns: 'pod', mtu: 1450 });
    const host = link(root.linkList(), 'veth0');
    const peer = link(h.at('pod').linkList(), 'eth0');
    assert.equal(host.kind, 'veth');
    assert.equal(host.mtu, 1450);
    assert.equal(peer.mtu, 1500, 'mtu applies to the named end only');
    assert.equal(host.linkIndex, peer.ifindex);
    assert.equal(typeof host.linkNetnsId, 'number');
    assert.deepEqual([host.operstate, host.flags.includes('UP')], ['DOWN', false]);
    root.linkSet('veth0', { up: true });
    assert.deepEqual(link(root.linkList(), 'veth0').flags, ['NO-CARRIER', 'BROADCAST', 'MULTICAST', 'UP']);
    // rfc2863_policy(): LOWERLAYERDOWN, unless the peer's ifindex equals its own, as here (2 in each namespace).
    assert.equal(link(root.linkList(), 'veth0').operstate, 'DOWN');
    assert.equal(host.ifindex, peer.ifindex);
    h.at('pod').linkSet('eth0', { up: true });
    assert.deepEqual(link(root.linkList(), 'veth0').flags, ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP']);
    assert.equal(link(root.linkList(), 'veth0').operstate, 'UP');
    root.linkDel('veth0');
    assert.deepEqual(
      h
        .at('pod')
        .linkList()
        .map((l) => l.name),
      ['lo'],
      'deleting one end deletes the pair',
    );
  });

  it('linkSet() enslaves to a bridge and releases; the bridge table holds the port address', (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0' });
    root.linkAdd({ kind: 'veth', name: 'vethA', peer: 'vethB', mac: '02:00:00:00:00:0a' });
    root.linkSet('vethA', { master: 'cni0', up: true });
    assert.equal(link(root.linkList(), 'vethA').master, 'cni0');
    assert.equal(link(root.linkList(), 'cni0').mac, '02:00:00:00:00:0a', 'a bridge takes its first port address');
    assert.deepEqual(
      root.fdbList('vethA').filter((e) => e.master === 'cni0'),
      [{ mac: '02:00:00:00:00:0a', dev: 'vethA', master: 'cni0', self: false, state: 'permanent' }],
    );
    root.linkSet('vethA', { master: null });
    assert.equal(link(root.linkList(), 'vethA').master, undefined);
    root.linkSet('vethA', { name: 'eth9', mtu: 9000 });
    assert.equal(link(root.linkList(), 'eth9').mtu, 9000);
  });

  it('addrAdd() adds the address and its prefix route; addrDel() takes both away', (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0' });
    root.linkSet('cni0', { up: true });
    root.addrAdd('cni0', '10.244.1.1/24');
    assert.deepEqual(
      root.addrList().filter((a) => a.dev === 'cni0'),
      [{ dev: 'cni0', local: '10.244.1.1', prefixLen: 24, scope: 'global' }],
    );
    assert.deepEqual(root.routeList(), [
      { table: 'main', type: 'unicast', dst: '10.244.1.0/24', dev: 'cni0', proto: 'kernel', scope: 'link', src: '10.244.1.1', flags: [] },
    ]);
    assert.ok(root.routeList('local').some((r) => r.type === 'local' && r.dst === '10.244.1.1'));
    assert.throws(
      () => root.addrAdd('cni0', '10.244.1.1/24'),
      /Cannot add address "10.244.1.1\/24" to "cni0": Error: ipv4: Address already assigned\./,
    );
    root.addrDel('cni0', '10.244.1.1/24');
    assert.deepEqual(
      root.addrList().filter((a) => a.dev === 'cni0'),
      [],
    );
    assert.deepEqual(root.routeList(), []);
  });

  it('routeAdd()/routeReplace()/routeDel() handle gateways, onlink, blackhole, proto and tables', (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'veth', name: 'eth0', peer: 'peer0' });
    root.linkSet('eth0', { up: true });
    root.linkSet('peer0', { up: true });
    root.addrAdd('eth0', '172.18.0.2/16');
    root.routeAdd({ dst: '10.244.1.0/24', via: '172.18.0.3', proto: 'static' });
    root.routeReplace({ dst: '10.244.1.0/24', via: '172.18.0.4', dev: 'eth0' });
    root.routeAdd({ dst: '10.244.2.0/24', via: '10.244.2.0', dev: 'eth0', onlink: true });
    root.routeAdd({ dst: '10.244.9.0/24', type: 'blackhole', proto: 80 });
    root.routeAdd({ dst: 'default', via: '172.18.0.1', table: 100 });
    assert.deepEqual(root.routeList(), [
      { table: 'main', type: 'unicast', dst: '10.244.1.0/24', via: '172.18.0.4', dev: 'eth0', proto: 'boot', scope: 'global', flags: [] },
      {
        table: 'main',
        type: 'unicast',
        dst: '10.244.2.0/24',
        via: '10.244.2.0',
        dev: 'eth0',
        proto: 'boot',
        scope: 'global',
        flags: ['onlink'],
      },
      { table: 'main', type: 'blackhole', dst: '10.244.9.0/24', proto: '80', scope: 'global', flags: [] },
      { table: 'main', type: 'unicast', dst: '172.18.0.0/16', dev: 'eth0', proto: 'kernel', scope: 'link', src: '172.18.0.2', flags: [] },
    ]);
    assert.deepEqual(root.routeList(100), [
      { table: '100', type: 'unicast', dst: 'default', via: '172.18.0.1', dev: 'eth0', proto: 'boot', scope: 'global', flags: [] },
    ]);
    assert.throws(
      () => root.routeAdd({ dst: '10.244.3.0/24', via: '10.9.9.9' }),
      /Cannot add route "10.244.3.0\/24": Error: Nexthop has invalid gateway\./,
    );
    assert.throws(() => root.routeAdd({ dst: '10.244.9.0/24', type: 'blackhole' }), /RTNETLINK answers: File exists/);
    root.routeDel({ dst: '10.244.9.0/24', type: 'blackhole' });
    assert.equal(root.routeList().length, 3);
  });

  it('linkGet() and routeGet() answer as `ip -j -d link show dev` and `ip -j route get` do', (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'veth', name: 'eth0', peer: 'peer0' });
    root.linkSet('eth0', { up: true });
    root.linkSet('peer0', { up: true });
    root.addrAdd('eth0', '172.18.0.2/16');
    root.routeAdd({ dst: '10.244.1.0/24', via: '172.18.0.3' });
    assert.deepEqual(
      root.linkGet('eth0'),
      root.linkList().find((l) => l.name === 'eth0'),
    );
    assert.equal(root.linkGet('nope0'), undefined);
    assert.deepEqual(root.routeGet('10.244.1.7'), {
      type: 'unicast',
      dst: '10.244.1.7',
      via: '172.18.0.3',
      dev: 'eth0',
      src: '172.18.0.2',
    });
    assert.deepEqual(root.routeGet('172.18.0.9', { src: '172.18.0.2' }), { type: 'unicast', dst: '172.18.0.9', dev: 'eth0' });
    assert.deepEqual(root.routeGet('172.18.0.2'), { type: 'local', dst: '172.18.0.2', dev: 'lo', src: '172.18.0.2' });
    assert.throws(() => root.routeGet('192.0.2.1'), /Cannot get the route to "192.0.2.1": RTNETLINK answers: Network is unreachable/);
  });

  it('neighAdd()/neighReplace()/neighDel() keep permanent entries as `ip neigh` shows them', (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'veth', name: 'eth0', peer: 'peer0' });
    root.linkSet('eth0', { up: true });
    root.neighAdd({ dst: '10.244.1.0', dev: 'eth0', lladdr: '02:00:00:00:01:00' });
    root.neighReplace({ dst: '10.244.1.0', dev: 'eth0', lladdr: '02:00:00:00:01:01' });
    root.neighReplace({ dst: '10.244.2.0', dev: 'eth0', lladdr: '02:00:00:00:02:00', state: 'reachable' });
    assert.deepEqual(
      root.neighList().sort((a, b) => a.dst.localeCompare(b.dst)),
      [
        { dst: '10.244.1.0', dev: 'eth0', lladdr: '02:00:00:00:01:01', state: ['PERMANENT'] },
        { dst: '10.244.2.0', dev: 'eth0', lladdr: '02:00:00:00:02:00', state: ['REACHABLE'] },
      ],
    );
    assert.throws(() => root.neighAdd({ dst: '10.244.1.0', dev: 'eth0', lladdr: '02:00:00:00:01:02' }), /File exists/);
    root.neighDel('10.244.1.0', 'eth0');
    assert.deepEqual(
      root.neighList().map((n) => n.dst),
      ['10.244.2.0'],
    );
  });

  it('a vxlan overlay as flanneld programs it: device, per-node route, neighbour and fdb entry', (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'veth', name: 'eth0', peer: 'peer0' });
    root.linkSet('eth0', { up: true });
    root.addrAdd('eth0', '172.18.0.2/16');
    root.linkAdd({
      kind: 'vxlan',
      name: 'flannel.1',
      vni: 1,
      local: '172.18.0.2',
      dev: 'eth0',
      dstPort: 8472,
      learning: false,
      mac: '02:aa:00:00:00:02',
    });
    root.batch(() => {
      root.linkSet('flannel.1', { up: true });
      root.addrAdd('flannel.1', '10.244.0.0/32');
      root.neighReplace({ dst: '10.244.1.0', dev: 'flannel.1', lladdr: '02:aa:00:00:00:03' });
      root.fdbAppend({ mac: '02:aa:00:00:00:03', dev: 'flannel.1', dst: '172.18.0.3' });
      root.routeReplace({ dst: '10.244.1.0/24', via: '10.244.1.0', dev: 'flannel.1', onlink: true });
    });
    const vx = link(root.linkList(), 'flannel.1');
    assert.equal(vx.kind, 'vxlan');
    assert.equal(vx.mtu, 1450, 'the underlay MTU less 50 bytes of VXLAN');
    assert.deepEqual(vx.vxlan, { vni: 1, local: '172.18.0.2', dev: 'eth0', port: 8472, learning: false });
    assert.deepEqual(
      root.fdbList('flannel.1').filter((e) => e.dst),
      [{ mac: '02:aa:00:00:00:03', dev: 'flannel.1', dst: '172.18.0.3', self: true, state: 'permanent' }],
    );
    assert.deepEqual(
      root.routeList().find((r) => r.dst === '10.244.1.0/24'),
      {
        table: 'main',
        type: 'unicast',
        dst: '10.244.1.0/24',
        via: '10.244.1.0',
        dev: 'flannel.1',
        proto: 'boot',
        scope: 'global',
        flags: ['onlink'],
      },
    );
    root.fdbDel({ mac: '02:aa:00:00:00:03', dev: 'flannel.1', dst: '172.18.0.3' });
    assert.deepEqual(
      root.fdbList('flannel.1').filter((e) => e.dst),
      [],
    );
  });

  it('batch() applies in order, and the first refusal is thrown naming its operation', (h) => {
    const root = h.at();
    assert.throws(
      () =>
        root.batch(() => {
          root.linkAdd({ kind: 'bridge', name: 'br0' });
          root.linkSet('nope0', { up: true });
          root.linkAdd({ kind: 'bridge', name: 'br1' });
        }),
      (e: unknown) =>
        e instanceof HostError &&
        e.message === 'Cannot set link "nope0": Cannot find device "nope0"' &&
        e.command === 'ip link set dev nope0 up',
    );
    assert.deepEqual(
      root.linkList().map((l) => l.name),
      ['lo', 'br0'],
      'what came before the failing line stays, what came after never ran',
    );
  });

  it('bad input is refused before it reaches the node, naming the field and value', (h) => {
    const root = h.at();
    assert.throws(
      () => root.linkAdd({ kind: 'bridge', name: 'br 0' }),
      /Cannot add link "br 0": name "br 0" may hold only printable ASCII without blanks/,
    );
    assert.throws(
      () => root.linkAdd({ kind: 'bridge', name: 'a-name-of-16-chr' }),
      /name "a-name-of-16-chr" must be 1 to 15 characters long/,
    );
    assert.throws(() => root.linkAdd({ kind: 'bridge', name: '..' }), /name "\.\." is not a valid interface name/);
    assert.throws(() => root.routeAdd({ dst: '10.0.0.0/24', via: '10.0.0.1#' }), /via "10.0.0.1#" is not an IPv4 address/);
    assert.throws(() => root.routeAdd({ dst: '10.0.0.0/33' }), /dst "10.0.0.0\/33" is not an IPv4 prefix/);
    assert.throws(() => root.linkAdd({ kind: 'vxlan', name: 'vx0', vni: 1 << 24 }), /vni 16777216 is not an integer from 0 to 16777215/);
    // The three enumerations that once went into the batch text unchecked: a newline in one is a second batch line.
    const line = '\nnetns exec pod touch /tmp/knetlab-injected';
    assert.throws(
      () => root.linkAdd({ kind: `dummy${line}` as 'dummy', name: 'd0' }),
      /kind "dummy\\nnetns exec .*" is not one of veth, bridge, dummy, vxlan, ipip/,
    );
    assert.throws(
      () => root.routeAdd({ dst: '10.0.0.0/24', dev: 'lo', type: `local${line}` as 'local' }),
      /type "local\\nnetns .*" is not one of unicast, local/,
    );
    assert.throws(
      () => root.neighAdd({ dst: '10.0.0.9', dev: 'lo', lladdr: '02:00:00:00:00:09', state: `stale${line}` as 'stale' }),
      /state "stale\\nnetns .*" is not one of permanent/,
    );
    assert.throws(() => root.sysctlSet('kernel.core_pattern', 'core'), /key "kernel.core_pattern" is not a net\.\* sysctl key/);
    assert.throws(() => root.sysctlGet('net.//.kernel.core_pattern'), /key "net.\/\/.kernel.core_pattern" is not a net\.\* sysctl key/);
    assert.throws(() => root.iptablesRestore('filter', NAT_TABLE), /the text must hold exactly one "\*filter" block, it holds "\*nat"/);
    assert.deepEqual(
      root.linkList().map((l) => l.name),
      ['lo'],
    );
  });

  it("a refusal carries the kernel's errno, so a step can be idempotent (EEXIST: already there)", (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0' });
    root.linkSet('cni0', { up: true });
    root.addrAdd('cni0', '10.244.0.1/24');
    root.routeAdd({ dst: '10.9.0.0/16', via: '10.244.0.2' });
    root.neighAdd({ dst: '10.244.0.5', dev: 'cni0', lladdr: '02:00:00:00:00:05' });
    const errno = (op: () => void): string | undefined => {
      try {
        op();
      } catch (e) {
        assert.ok(e instanceof HostError, String(e));
        return e.errno;
      }
      return 'no refusal';
    };
    assert.deepEqual(
      {
        linkAdd: errno(() => root.linkAdd({ kind: 'bridge', name: 'cni0' })),
        addrAdd: errno(() => root.addrAdd('cni0', '10.244.0.1/24')),
        routeAdd: errno(() => root.routeAdd({ dst: '10.9.0.0/16', via: '10.244.0.2' })),
        routeAddInBatch: errno(() => root.batch(() => root.routeAdd({ dst: '10.9.0.0/16', via: '10.244.0.2' }))),
        neighAdd: errno(() => root.neighAdd({ dst: '10.244.0.5', dev: 'cni0', lladdr: '02:00:00:00:00:05' })),
        linkDel: errno(() => root.linkDel('nonesuch')),
        linkSet: errno(() => root.linkSet('nonesuch', { up: true })),
        addrDel: errno(() => root.addrDel('cni0', '10.244.9.1/24')),
        routeDel: errno(() => root.routeDel({ dst: '10.8.0.0/16', dev: 'cni0' })),
        neighDel: errno(() => root.neighDel('10.244.0.6', 'cni0')),
        sysctlGet: errno(() => root.sysctlGet('net.ipv4.nonesuch')),
        badPrefix: errno(() => root.addrAdd('cni0', '10.1.2.300/24')),
      },
      {
        linkAdd: 'EEXIST',
        addrAdd: 'EEXIST',
        routeAdd: 'EEXIST',
        routeAddInBatch: 'EEXIST',
        neighAdd: 'EEXIST',
        linkDel: 'ENODEV',
        linkSet: 'ENODEV',
        addrDel: 'EADDRNOTAVAIL',
        routeDel: 'ESRCH',
        neighDel: 'ENOENT',
        sysctlGet: 'ENOENT',
        // a usage error names no errno
        badPrefix: undefined,
      },
    );
  });

  it('sysctlSet()/sysctlGet() act on one namespace only', (h) => {
    h.netnsAdd('pod');
    const root = h.at();
    assert.equal(root.sysctlGet('net.ipv4.ip_forward'), '0');
    root.sysctlSet('net.ipv4.ip_forward', '1');
    assert.equal(root.sysctlGet('net.ipv4.ip_forward'), '1');
    assert.equal(h.at('pod').sysctlGet('net.ipv4.ip_forward'), '0');
    root.linkAdd({ kind: 'veth', name: 'cali1', peer: 'peer1' });
    root.sysctlSet('net.ipv4.conf.cali1.proxy_arp', '1');
    assert.equal(root.sysctlGet('net.ipv4.conf.cali1.proxy_arp'), '1');
    assert.throws(
      () => root.sysctlGet('net.ipv4.nonesuch'),
      /Cannot read sysctl "net.ipv4.nonesuch": sysctl: cannot stat \/proc\/sys\/net\/ipv4\/nonesuch: No such file or directory/,
    );
  });

  it('iptablesRestore() applies a table atomically; iptablesSave() returns it; --noflush keeps the rest', (h) => {
    const root = h.at();
    root.iptablesRestore('nat', NAT_TABLE);
    assert.deepEqual(rules(root.iptablesSave('nat')), rules(NAT_TABLE));
    root.iptablesRestore('nat', '*nat\n:KUBE-MARK-MASQ - [0:0]\n-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000\nCOMMIT\n', {
      noflush: true,
    });
    const saved = rules(root.iptablesSave('nat'));
    assert.ok(saved.includes('-A KUBE-SVC-TEST -p tcp -j DNAT --to-destination 10.244.0.3:8080'));
    assert.ok(saved.includes('-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'));
    // A jump to a missing chain fails the whole block: nothing of it lands.
    assert.throws(
      () => root.iptablesRestore('nat', '*nat\n:KUBE-NEW - [0:0]\n-A KUBE-NEW -j KUBE-MISSING\nCOMMIT\n', { noflush: true }),
      /Cannot restore iptables table "nat": iptables-restore v1.8.9 \(nf_tables\): Chain 'KUBE-MISSING' does not exist; Error occurred at line: 4;/,
    );
    assert.deepEqual(rules(root.iptablesSave('nat')), saved);
  });

  it('iptablesEnsureChain() and iptablesEnsureRule() add what is missing at the head, once, as kube-proxy EnsureChain/EnsureRule', (h) => {
    const root = h.at();
    root.iptablesRestore('filter', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -j ACCEPT\nCOMMIT\n');
    const rule = ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'];
    assert.equal(root.iptablesEnsureChain('filter', 'KUBE-SERVICES'), false);
    assert.equal(root.iptablesEnsureChain('filter', 'KUBE-SERVICES'), true);
    assert.equal(root.iptablesEnsureRule('filter', 'INPUT', rule), false);
    assert.equal(root.iptablesEnsureRule('filter', 'INPUT', rule), true);
    assert.deepEqual(rules(root.iptablesSave('filter')), [
      '*filter',
      ':INPUT ACCEPT [*]',
      ':FORWARD ACCEPT [*]',
      ':OUTPUT ACCEPT [*]',
      ':KUBE-SERVICES - [*]',
      '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A INPUT -p udp -j ACCEPT',
      'COMMIT',
    ]);
    // A missing chain is an error, named by the tool.
    assert.throws(
      () => root.iptablesEnsureRule('filter', 'NO-SUCH', ['-j', 'ACCEPT']),
      /Cannot ensure an iptables rule in chain "NO-SUCH" of table "filter"/,
    );
    assert.throws(
      () => root.iptablesEnsureChain('filter', 'bad name'),
      /Cannot ensure iptables chain "bad name" in table "filter": chain "bad name"/,
    );
  });

  it('iptablesEnsureAll() runs EnsureChain/EnsureRule steps in order, each added once; a failing step fails as it does alone, the steps before it applied', (h) => {
    const root = h.at();
    root.iptablesRestore('filter', '*filter\n:INPUT ACCEPT [0:0]\n-A INPUT -p udp -j ACCEPT\nCOMMIT\n');
    const portals = ['-m', 'comment', '--comment', 'kubernetes service portals', '-j', 'KUBE-SERVICES'];
    const steps = [
      { chain: 'KUBE-SERVICES' },
      { chain: 'INPUT', rule: portals },
      { chain: 'KUBE-FIREWALL' },
      { chain: 'INPUT', rule: ['-j', 'KUBE-FIREWALL'] },
      { chain: 'INPUT', rule: portals },
    ];
    assert.deepEqual(root.iptablesEnsureAll('filter', steps), [false, false, false, false, true]);
    const once = rules(root.iptablesSave('filter'));
    assert.deepEqual(once, [
      '*filter',
      ':INPUT ACCEPT [*]',
      ':FORWARD ACCEPT [*]',
      ':OUTPUT ACCEPT [*]',
      ':KUBE-FIREWALL - [*]',
      ':KUBE-SERVICES - [*]',
      '-A INPUT -j KUBE-FIREWALL',
      '-A INPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      '-A INPUT -p udp -j ACCEPT',
      'COMMIT',
    ]);
    assert.deepEqual(root.iptablesEnsureAll('filter', steps), [true, true, true, true, true]);
    assert.deepEqual(rules(root.iptablesSave('filter')), once);
    assert.throws(
      () =>
        root.iptablesEnsureAll('filter', [{ chain: 'KUBE-NEW' }, { chain: 'NO-SUCH', rule: ['-j', 'ACCEPT'] }, { chain: 'KUBE-LATER' }]),
      /Cannot ensure an iptables rule in chain "NO-SUCH" of table "filter"/,
    );
    assert.equal(root.iptablesChainExists('filter', 'KUBE-NEW'), true);
    assert.equal(root.iptablesChainExists('filter', 'KUBE-LATER'), false);
    assert.throws(
      () => root.iptablesEnsureAll('filter', [{ chain: 'bad name' }]),
      /Cannot ensure iptables chain "bad name" in table "filter"/,
    );
  });

  it('iptablesChainExists() sees a chain come and go, in its own table only, as the canary monitors read it', (h) => {
    const root = h.at();
    assert.equal(root.iptablesChainExists('mangle', 'KUBE-KUBELET-CANARY'), false);
    root.iptablesEnsureChain('mangle', 'KUBE-KUBELET-CANARY');
    assert.equal(root.iptablesChainExists('mangle', 'KUBE-KUBELET-CANARY'), true);
    assert.equal(root.iptablesChainExists('nat', 'KUBE-KUBELET-CANARY'), false);
    root.iptablesRestore('mangle', '*mangle\n-F KUBE-KUBELET-CANARY\n-X KUBE-KUBELET-CANARY\nCOMMIT\n', { noflush: true });
    assert.equal(root.iptablesChainExists('mangle', 'KUBE-KUBELET-CANARY'), false);
    assert.throws(() => root.iptablesChainExists('mangle', '-j'), /Cannot look for iptables chain "-j" in table "mangle": chain "-j"/);
    assert.throws(() => root.iptablesChainExists('bogus', 'X'), /Cannot look for iptables chain "X" in table "bogus": table "bogus"/);
  });

  it('ipsetRestore() and ipsetSave() round-trip a set', (h) => {
    const root = h.at();
    const text =
      'create KUBE-LOOP-BACK hash:ip,port,ip family inet hashsize 1024 maxelem 65536\nadd KUBE-LOOP-BACK 10.244.0.3,tcp:8080,10.244.0.3\n';
    root.ipsetRestore(text);
    assert.equal(
      root.ipsetSave(),
      text.replace('maxelem 65536', 'maxelem 65536 bucketsize 12 initval ' + /initval (0x[0-9a-f]+)/.exec(root.ipsetSave())![1]),
    );
    assert.throws(
      () => root.ipsetRestore('create KUBE-LOOP-BACK hash:ip\n'),
      /Cannot restore ipsets: ipset v7.17: Error in line 1: Set cannot be created: set with the same name already exists/,
    );
  });

  it(
    b.has.ipvs ? 'IPVS services and masq destinations list as `ipvsadm -S -n` shows them' : 'IPVS requests throw NotSupported naming IPVS',
    (h) => {
      const root = h.at();
      const svc = { protocol: 'tcp' as const, address: '10.96.0.1', port: 443 };
      if (!b.has.ipvs) {
        assert.throws(
          () => root.ipvsServiceAdd(svc),
          (e: unknown) => e instanceof NotSupported && e.feature === 'IPVS (ip_vs)',
        );
        assert.throws(() => root.ipvsList(), NotSupported);
        return;
      }
      root.ipvsServiceAdd({ ...svc, scheduler: 'rr' });
      root.ipvsDestAdd(svc, { address: '172.18.0.2', port: 6443 });
      root.ipvsDestAdd(svc, { address: '172.18.0.3', port: 6443, weight: 2 });
      root.ipvsDestDel(svc, { address: '172.18.0.2', port: 6443 });
      assert.deepEqual(root.ipvsList(), [{ ...svc, scheduler: 'rr', dests: [{ address: '172.18.0.3', port: 6443, weight: 2 }] }]);
      root.ipvsServiceDel(svc);
      assert.deepEqual(root.ipvsList(), []);
      // ClientIP affinity: kube-proxy's -p with the Service's timeoutSeconds
      const dns = { protocol: 'udp' as const, address: '10.96.0.10', port: 53, scheduler: 'rr', persistence: 10800 };
      root.ipvsServiceAdd(dns);
      assert.deepEqual(root.ipvsList(), [{ ...dns, dests: [] }]);
      assert.throws(() => root.ipvsServiceAdd({ ...dns, port: 54, persistence: 0 }), /persistence "?0"? is not an integer from 1/);
      // scheduler flags (ipvsadm -b): sh's fallback and port hashing, read back from ipvsadm -S
      const sh = { protocol: 'tcp' as const, address: '10.96.0.20', port: 80, scheduler: 'sh', schedFlags: ['sh-fallback', 'sh-port'] };
      root.ipvsServiceAdd(sh);
      assert.deepEqual(
        root.ipvsList().find((x) => x.address === '10.96.0.20'),
        { ...sh, dests: [] },
      );
      assert.throws(
        () => root.ipvsServiceAdd({ ...sh, port: 81, scheduler: 'rr' }),
        /schedFlags "sh-fallback" is not flag-1, flag-2, flag-3 or a rr- flag/,
      );
      assert.throws(() => root.ipvsServiceAdd({ ...sh, port: 82, schedFlags: ['sh-port\n-C'] }), /schedFlags "sh-port\\n-C"/);
    },
  );

  for (const kind of ['ipip', 'dummy'] as const) {
    const present = b.has[kind];
    const a = kind === 'ipip' ? 'an' : 'a';
    it(present ? `${a} ${kind} device is made` : `${a} ${kind} link throws NotSupported naming the missing driver`, (h) => {
      const root = h.at();
      const make = () =>
        root.batch(() => root.linkAdd(kind === 'ipip' ? { kind, name: 'tunl1', remote: '172.18.0.3' } : { kind, name: 'tunl1' }));
      if (!present) {
        assert.throws(
          make,
          (e: unknown) => e instanceof NotSupported && e.feature === `the ${kind} link type` && /Unknown device type/.test(e.message),
        );
        assert.deepEqual(
          root.linkList().map((l) => l.name),
          ['lo'],
        );
        return;
      }
      make();
      assert.equal(link(root.linkList(), 'tunl1').kind, kind);
    });
  }

  it("bridgeLinkSet() sets a port's hairpin, learning and flood flags, and linkList() reads them back", (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0' });
    root.linkAdd({ kind: 'veth', name: 'vethA', peer: 'vethB' });
    assert.equal(link(root.linkList(), 'vethA').bridgePort, undefined, 'no port before it has a master');
    root.linkSet('vethA', { master: 'cni0' });
    assert.deepEqual(link(root.linkList(), 'vethA').bridgePort, { hairpin: false, learning: true, flood: true });
    root.bridgeLinkSet('vethA', { hairpin: true, learning: false, flood: false });
    assert.deepEqual(link(root.linkList(), 'vethA').bridgePort, { hairpin: true, learning: false, flood: false });
    root.bridgeLinkSet('vethA', { flood: true });
    assert.deepEqual(link(root.linkList(), 'vethA').bridgePort, { hairpin: true, learning: false, flood: true });
    assert.throws(() => root.bridgeLinkSet('vethB', { learning: false }), HostError, 'a device that is no port');
  });

  it("conntrackList() reads the namespace's connections and conntrackDelete() removes those a filter names, as conntrack -L/-D", async (h) => {
    h.sandboxAdd('ct', { hostname: 'ct' });
    const insert = async (args: string[]) => {
      const r = await h.processStart('ct', ['conntrack', '-I', '-t', '60', ...args]).wait();
      assert.equal(r.status, 0, r.stderr);
    };
    // a DNS query DNATed to 10.244.0.3, one to 10.244.0.9, and a TCP connection to the same Service IP
    await insert([
      '-p',
      'udp',
      '-s',
      '10.244.0.5',
      '-d',
      '10.96.0.10',
      '--sport',
      '40000',
      '--dport',
      '53',
      '-r',
      '10.244.0.3',
      '-q',
      '10.244.0.5',
      '--reply-port-src',
      '53',
      '--reply-port-dst',
      '40000',
    ]);
    await insert([
      '-p',
      'udp',
      '-s',
      '10.244.0.6',
      '-d',
      '10.96.0.10',
      '--sport',
      '40001',
      '--dport',
      '53',
      '-r',
      '10.244.0.9',
      '-q',
      '10.244.0.6',
      '--reply-port-src',
      '53',
      '--reply-port-dst',
      '40001',
    ]);
    await insert([
      '-p',
      'tcp',
      '-s',
      '10.244.0.5',
      '-d',
      '10.96.0.10',
      '--sport',
      '40002',
      '--dport',
      '53',
      '--state',
      'ESTABLISHED',
      '-r',
      '10.244.0.3',
      '-q',
      '10.244.0.5',
      '--reply-port-src',
      '53',
      '--reply-port-dst',
      '40002',
    ]);
    const ct = h.at('ct');
    const entries = ct.conntrackList();
    const udp = entries.filter((e) => e.protocol === 'udp').sort((a, b) => a.original.sport - b.original.sport);
    assert.deepEqual(
      udp.map((e) => [
        e.original.src,
        e.original.dst,
        e.original.sport,
        e.original.dport,
        e.reply.src,
        e.reply.dst,
        e.reply.sport,
        e.reply.dport,
      ]),
      [
        ['10.244.0.5', '10.96.0.10', 40000, 53, '10.244.0.3', '10.244.0.5', 53, 40000],
        ['10.244.0.6', '10.96.0.10', 40001, 53, '10.244.0.9', '10.244.0.6', 53, 40001],
      ],
    );
    assert.equal(entries.filter((e) => e.protocol === 'tcp').length, 1);
    assert.equal(ct.conntrackDelete({ protocol: 'udp', origDst: '10.96.0.10', origDstPort: 53, replySrc: '10.244.0.3' }), 1);
    assert.equal(
      ct.conntrackDelete({ protocol: 'udp', origDst: '10.96.0.10', origDstPort: 53, replySrc: '10.244.0.3' }),
      0,
      'nothing left to match is no error',
    );
    assert.deepEqual(
      ct
        .conntrackList()
        .map((e) => `${e.protocol} ${e.reply.src}`)
        .sort(),
      ['tcp 10.244.0.3', 'udp 10.244.0.9'],
    );
    assert.throws(
      () => ct.conntrackDelete({ protocol: 'udp', replySrc: '10.244.0.300' }),
      /Cannot delete udp conntrack entries: replySrc "10\.244\.0\.300"/,
    );
  });

  it('processStart() runs a server in one sandbox that another sandbox reaches across the bridge', async (h) => {
    const root = h.at();
    root.linkAdd({ kind: 'bridge', name: 'cni0' });
    root.linkSet('cni0', { up: true });
    root.addrAdd('cni0', '10.244.0.1/24');
    h.sandboxAdd('web', { hostname: 'web-0' });
    h.sandboxAdd('client', { hostname: 'client-0' });
    plugPod(h, 'web', 'vethweb', '10.244.0.3');
    plugPod(h, 'client', 'vethclient', '10.244.0.4');
    const server = h.processStart('web', ['python3', '-m', 'http.server', '8080']);
    const get = await retry(
      () => h.processStart('client', ['curl', '-s', 'http://10.244.0.3:8080/']).wait(),
      (r) => r.status === 0,
    );
    assert.equal(get.status, 0, get.stderr);
    assert.match(get.stdout, /<title>Directory listing for \/<\/title>/);
    server.stop();
    await server.wait();
    const refused = await h
      .processStart('client', ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'http://10.244.0.3:8080/'])
      .wait();
    assert.deepEqual([refused.status, refused.stdout], [7, '000'], 'stopped: the connection is refused');
    h.sandboxDel('web');
    assert.deepEqual(h.netnsList(), ['client']);
  });

  it(
    b.has.nfqueue
      ? 'nfqueueBind() judges each new connection after DNAT; a dropped one times out, established ones pass'
      : 'nfqueueBind() throws NotSupported naming NFQUEUE',
    async (h) => {
      const root = h.at();
      if (!b.has.nfqueue) {
        assert.throws(
          () => root.nfqueueBind(101, () => true),
          (e: unknown) => e instanceof NotSupported && /NFQUEUE/.test(e.feature),
        );
        return;
      }
      // routed pods, as kindnet's ptp plugin makes them: a Service IP DNATed at the node
      root.sysctlSet('net.ipv4.ip_forward', '1');
      const pods = [
        ['client', 'vethc', '10.244.1'],
        ['web', 'vethw', '10.244.2'],
      ] as const;
      for (const [sandbox, veth, net] of pods) {
        h.sandboxAdd(sandbox, { hostname: sandbox });
        root.linkAdd({ kind: 'veth', name: veth, peer: 'eth0', peerNetns: sandbox });
        root.linkSet(veth, { up: true });
        root.addrAdd(veth, `${net}.1/24`);
        const pod = h.at(sandbox);
        pod.linkSet('eth0', { up: true });
        pod.addrAdd('eth0', `${net}.3/24`);
        pod.routeAdd({ dst: 'default', via: `${net}.1` });
      }
      root.iptablesRestore('nat', NAT_TABLE.replaceAll('10.244.0.3', '10.244.2.3'));
      for (const bad of [-1, 65536, 1.5])
        assert.throws(() => root.nfqueueBind(bad, () => true), /queue: invalid value/, `queue number ${bad}`);
      const seen: string[] = [];
      let allow = false;
      const queue = root.nfqueueBind(101, (p) => {
        seen.push(
          `${p.protocol} ${p.src}:${p.srcPort > 0 ? '*' : 0} > ${p.dst}:${p.dstPort}${p.local ? ' local' : ''}${p.chain === 'input' ? ' (input)' : ''}`,
        );
        return allow;
      });
      const server = h.processStart('web', ['python3', '-m', 'http.server', '8080']);
      const curl = () => h.processStart('client', ['curl', '-s', '--max-time', '2', 'http://10.96.0.10/']).wait();
      const denied = await curl();
      assert.equal(denied.status, 28, 'the dropped SYN (and its retransmits) time out');
      assert.ok(seen.length >= 2, `each retransmitted SYN is asked again: ${seen.join(', ')}`);
      assert.deepEqual(new Set(seen), new Set(['TCP 10.244.1.3:* > 10.244.2.3:8080']), 'the backend, after DNAT');
      allow = true;
      seen.length = 0;
      const get = await retry(curl, (r) => r.status === 0);
      assert.equal(get.status, 0, get.stderr);
      assert.equal(seen.length, 1, 'one question per connection: replies and later segments pass');
      // a connection to the node itself is asked in INPUT
      allow = false;
      seen.length = 0;
      const ping = await h.processStart('client', ['ping', '-c', '1', '-W', '1', '10.244.1.1']).wait();
      assert.equal(ping.status, 1, ping.stdout);
      assert.deepEqual(seen, ['ICMP 10.244.1.3:0 > 10.244.1.1:0 (input)']);
      queue.close();
      assert.equal((await curl()).status, 0, 'closed: bypass lets packets pass');
      server.stop();
      await server.wait();
    },
  );

  it("a sandbox's processes share its host name (UTS namespace), not the node's", async (h) => {
    h.sandboxAdd('web', { hostname: 'web-0' });
    h.sandboxAdd('db', { hostname: 'db-0' });
    const names = await Promise.all([h.processStart('web', ['hostname']).wait(), h.processStart('db', ['hostname']).wait()]);
    assert.deepEqual(
      names.map((r) => [r.status, r.stdout]),
      [
        [0, 'web-0\n'],
        [0, 'db-0\n'],
      ],
    );
  });
}
