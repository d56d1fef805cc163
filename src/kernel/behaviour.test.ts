// Packet traces through the emulated stack (STYLE 7): each case builds a small topology and
// checks what a network engineer would notice — a reply, a drop and why, a neighbour state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4, ICMP_ECHO_REQUEST, IPPROTO_ICMP, type Ipv4Packet } from '../wire/index.js';
import { Host, Kernel, linkAdd, Walk, ipSend, type Netns, type Ipip, type Vxlan } from './index.js';

const ip = (s: string) => parseIpv4(s)!;

function addr(ns: Netns, dev: string, cidr: string, scope = 0): void {
  const [a, len] = cidr.split('/');
  ns.addrAdd({
    dev: ns.mustLink(dev),
    local: ip(a!),
    prefixLen: Number(len),
    broadcast: undefined,
    scope,
    label: dev,
    noprefixroute: false,
    metric: 0,
  });
  ns.setUp(ns.mustLink(dev));
}

function via(ns: Netns, cidr: string, gw: string, opts: { dev?: string; onlink?: boolean } = {}): void {
  const [a, len] = cidr.split('/');
  ns.table(254).insert(
    ns.resolveNexthop({
      table: 254,
      type: 'unicast',
      dst: ip(a!),
      dstLen: Number(len),
      tos: 0,
      protocol: 4,
      scope: 0,
      metric: 0,
      gateway: ip(gw),
      dev: opts.dev ? ns.mustLink(opts.dev) : undefined,
      onlink: opts.onlink ?? false,
    }),
  );
}

function echo(ns: Netns, dst: string, wait = 50): { got: Ipv4Packet[]; walk: Walk } {
  const got: Ipv4Packet[] = [];
  ns.pingSockets.set(9, (skb) => got.push(skb.data));
  const walk = new Walk();
  ipSend(
    ns,
    {
      dst: ip(dst),
      protocol: IPPROTO_ICMP,
      payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: (9 << 16) | 1, data: new Uint8Array(56) },
    },
    walk,
  );
  ns.kernel.clock.advance(wait);
  return { got, walk };
}

/** a(10.0.1.2) — r — b(10.0.2.2): two subnets joined by a router namespace. */
function routed(): { a: Netns; r: Netns; b: Netns } {
  const h = new Host(new Kernel({ seed: 'routed' }), 'h');
  const [a, r, b] = ['a', 'r', 'b'].map((n) => h.addNetns(n)) as [Netns, Netns, Netns];
  linkAdd(a, 'eth0', { kind: 'veth', peerName: 'eth0', peerNetns: r });
  linkAdd(b, 'eth0', { kind: 'veth', peerName: 'eth1', peerNetns: r });
  addr(a, 'eth0', '10.0.1.2/24');
  addr(r, 'eth0', '10.0.1.1/24');
  addr(r, 'eth1', '10.0.2.1/24');
  addr(b, 'eth0', '10.0.2.2/24');
  via(a, '0.0.0.0/0', '10.0.1.1');
  via(b, '0.0.0.0/0', '10.0.2.1');
  return { a, r, b };
}

test('a router forwards only with ip_forward=1, decrementing the TTL', () => {
  const { a, r } = routed();
  const off = echo(a, '10.0.2.2');
  assert.equal(off.got.length, 0);
  assert.match(off.walk.dropped?.detail ?? '', /forwarding is disabled on eth0/);
  r.sysctl.set('net.ipv4.ip_forward', '1');
  const on = echo(a, '10.0.2.2');
  assert.equal(on.got.length, 1, on.walk.render());
  assert.equal(on.got[0]!.ttl, 63);
});

test('a packet with TTL 1 dies at the router with ICMP time exceeded from the router', () => {
  const { a, r } = routed();
  r.sysctl.set('net.ipv4.ip_forward', '1');
  const got: Ipv4Packet[] = [];
  a.pingSockets.set(5, (skb) => got.push(skb.data));
  ipSend(a, {
    dst: ip('10.0.2.2'),
    ttl: 1,
    protocol: IPPROTO_ICMP,
    payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: (5 << 16) | 1, data: new Uint8Array(8) },
  });
  a.kernel.clock.advance(10);
  assert.equal(got.length, 1);
  const m = got[0]!.payload;
  assert.equal(m.kind === 'icmp' && `${m.type}/${m.code}`, '11/0');
  assert.equal(got[0]!.src, ip('10.0.1.1'));
});

test('strict rp_filter drops a packet whose source routes back through another device', () => {
  const { a, r } = routed();
  r.sysctl.set('net.ipv4.ip_forward', '1');
  r.sysctl.set('net.ipv4.conf.eth0.rp_filter', '1');
  // a claims a source on b's subnet: the reply route leaves r by eth1, not eth0.
  const walk = new Walk();
  ipSend(
    a,
    {
      dst: ip('10.0.2.2'),
      src: ip('10.0.2.99'),
      protocol: IPPROTO_ICMP,
      payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: 1, data: new Uint8Array(8) },
    },
    walk,
  );
  a.kernel.clock.advance(10);
  assert.match(walk.dropped?.detail ?? '', /rp_filter=1/);
});

test('proxy_arp answers for an address routed through another device, as Calico relies on', () => {
  const h = new Host(new Kernel({ seed: 'proxy' }), 'h');
  const pod = h.addNetns('pod');
  const node = h.root;
  linkAdd(pod, 'eth0', { kind: 'veth', peerName: 'cali1', peerNetns: node });
  addr(pod, 'eth0', '10.244.0.5/32');
  pod.table(254).insert({
    table: 254,
    type: 'unicast',
    dst: ip('169.254.1.1'),
    dstLen: 32,
    tos: 0,
    protocol: 4,
    scope: 253,
    metric: 0,
    dev: pod.mustLink('eth0'),
    onlink: false,
  });
  via(pod, '0.0.0.0/0', '169.254.1.1', { dev: 'eth0' });
  node.setUp(node.mustLink('cali1'));
  node.table(254).insert({
    table: 254,
    type: 'unicast',
    dst: ip('10.244.0.5'),
    dstLen: 32,
    tos: 0,
    protocol: 4,
    scope: 253,
    metric: 0,
    dev: node.mustLink('cali1'),
    onlink: false,
  });
  linkAdd(node, 'eth0', { kind: 'veth', peerName: 'up0' });
  addr(node, 'eth0', '192.168.0.10/24');
  node.setUp(node.mustLink('up0'));
  via(node, '0.0.0.0/0', '192.168.0.1');
  node.sysctl.set('net.ipv4.ip_forward', '1');

  echo(pod, '8.8.8.8', 3000);
  assert.equal(pod.neigh.get(pod.mustLink('eth0'), ip('169.254.1.1'))?.state, 'FAILED');

  node.sysctl.set('net.ipv4.conf.cali1.proxy_arp', '1');
  pod.neigh.flushWhere(() => true);
  echo(pod, '8.8.8.8', 10);
  const n = pod.neigh.get(pod.mustLink('eth0'), ip('169.254.1.1'));
  assert.equal(n?.state, 'REACHABLE');
  assert.equal(n?.lladdr, node.mustLink('cali1').mac);
});

test('arp_ignore=1 stays silent for an address configured on another device', () => {
  const h = new Host(new Kernel({ seed: 'arpignore' }), 'h');
  const c = h.addNetns('c');
  linkAdd(c, 'eth0', { kind: 'veth', peerName: 'v0', peerNetns: h.root });
  addr(c, 'eth0', '10.5.0.2/24');
  addr(h.root, 'v0', '10.5.0.1/24');
  linkAdd(h.root, 'vip', { kind: 'veth', peerName: 'vip-peer' });
  addr(h.root, 'vip', '10.5.0.100/32');
  assert.equal(echo(c, '10.5.0.100').got.length, 1);
  h.root.sysctl.set('net.ipv4.conf.all.arp_ignore', '1');
  c.neigh.flushWhere(() => true);
  assert.equal(echo(c, '10.5.0.100', 3500).got.filter((p) => p.payload.kind === 'icmp' && p.payload.type === 0).length, 0);
});

test('a neighbour entry goes STALE after its reachable time and back through DELAY when used', () => {
  const h = new Host(new Kernel({ seed: 'nud' }), 'h');
  const p = h.addNetns('p');
  linkAdd(p, 'eth0', { kind: 'veth', peerName: 'v0', peerNetns: h.root });
  addr(p, 'eth0', '10.6.0.2/24');
  addr(h.root, 'v0', '10.6.0.1/24');
  echo(h.root, '10.6.0.2');
  const n = () => h.root.neigh.get(h.root.mustLink('v0'), ip('10.6.0.2'))?.state;
  assert.equal(n(), 'REACHABLE');
  // Reachable time is random in [15 s, 45 s): past 45 s the entry is STALE whatever was drawn.
  h.kernel.clock.advance(46_000);
  assert.equal(n(), 'STALE');
  echo(h.root, '10.6.0.2', 1);
  assert.equal(n(), 'DELAY');
  h.kernel.clock.advance(6_000);
  assert.equal(n(), 'REACHABLE', 'a unicast probe was answered');
});

test('a vxlan device with learning on learns the remote VTEP from what it receives', () => {
  const h = new Host(new Kernel({ seed: 'vx' }), 'h');
  const [x, y] = [h.addNetns('x'), h.addNetns('y')];
  linkAdd(x, 'eth0', { kind: 'veth', peerName: 'eth0', peerNetns: y });
  addr(x, 'eth0', '192.168.1.1/24');
  addr(y, 'eth0', '192.168.1.2/24');
  const vx = linkAdd(x, 'vx0', { kind: 'vxlan', vni: 42, local: ip('192.168.1.1'), underlay: x.mustLink('eth0') }) as Vxlan;
  const vy = linkAdd(y, 'vx0', { kind: 'vxlan', vni: 42, local: ip('192.168.1.2'), underlay: y.mustLink('eth0') }) as Vxlan;
  vx.fdbUpdate('00:00:00:00:00:00', ip('192.168.1.2'), 'append');
  vy.fdbUpdate('00:00:00:00:00:00', ip('192.168.1.1'), 'append');
  addr(x, 'vx0', '10.42.0.1/24');
  addr(y, 'vx0', '10.42.0.2/24');
  const { got, walk } = echo(x, '10.42.0.2');
  assert.equal(got.length, 1, walk.render());
  assert.deepEqual(vy.fdb.get(vx.mac)?.dsts, [ip('192.168.1.1')]);
  assert.equal(vx.mtu, 1450);
});

test("an ipip tunnel without a fixed remote sends to the route's gateway (Calico tunl0)", () => {
  const h = new Host(new Kernel({ seed: 'ipip' }), 'h');
  const [n1, n2] = [h.addNetns('n1'), h.addNetns('n2')];
  linkAdd(n1, 'eth0', { kind: 'veth', peerName: 'eth0', peerNetns: n2 });
  addr(n1, 'eth0', '192.168.10.101/24');
  addr(n2, 'eth0', '192.168.10.102/24');
  const t1 = linkAdd(n1, 'tunl0', { kind: 'ipip' }) as Ipip;
  const t2 = linkAdd(n2, 'tunl0', { kind: 'ipip' }) as Ipip;
  addr(n1, 'tunl0', '172.16.1.0/32');
  addr(n2, 'tunl0', '172.16.2.0/32');
  via(n1, '172.16.2.0/24', '192.168.10.102', { dev: 'tunl0', onlink: true });
  via(n2, '172.16.1.0/24', '192.168.10.101', { dev: 'tunl0', onlink: true });
  const { got, walk } = echo(n1, '172.16.2.0');
  assert.equal(got.length, 1, walk.render());
  assert.ok(
    walk.events.some((e) => e.stage === 'encap' && /IPIP 192\.168\.10\.101 > 192\.168\.10\.102/.test(e.detail)),
    walk.render(),
  );
  assert.equal(t1.mtu, 1480);
  assert.ok(t2.stats.rxPackets > 0);
});

test('ICMP errors to another host are rate limited per host: six at once, then one a second', () => {
  const { a, r } = routed();
  r.sysctl.set('net.ipv4.ip_forward', '1');
  const errors: Ipv4Packet[] = [];
  a.pingSockets.set(11, (skb) => errors.push(skb.data));
  // Nine TTL-expired echoes in one burst: the router's bucket holds six tokens of one second.
  for (let seq = 1; seq <= 9; seq++) {
    ipSend(a, {
      dst: ip('10.0.2.2'),
      ttl: 1,
      protocol: IPPROTO_ICMP,
      payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: (11 << 16) | seq, data: new Uint8Array(8) },
    });
  }
  a.kernel.clock.advance(10);
  assert.equal(errors.length, 6);
  a.kernel.clock.advance(2_000);
  ipSend(a, {
    dst: ip('10.0.2.2'),
    ttl: 1,
    protocol: IPPROTO_ICMP,
    payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: (11 << 16) | 10, data: new Uint8Array(8) },
  });
  a.kernel.clock.advance(10);
  assert.equal(errors.length, 7, 'a token per second comes back');
});
