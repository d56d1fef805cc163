import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4, ICMP_ECHO_REQUEST, IPPROTO_ICMP, type Ipv4Packet } from '../wire/index.js';
import { Bridge, Host, Kernel, linkAdd, linkSetMaster, Walk, ipSend, type Netns } from './index.js';

const ip = (s: string) => parseIpv4(s)!;

function addr(ns: Netns, dev: string, cidr: string): void {
  const [a, len] = cidr.split('/');
  ns.addrAdd({
    dev: ns.mustLink(dev),
    local: ip(a!),
    prefixLen: Number(len),
    broadcast: undefined,
    scope: 0,
    label: dev,
    noprefixroute: false,
    metric: 0,
  });
}

function echo(ns: Netns, dst: string, wait = 10, id = 7): { replies: Ipv4Packet[]; walk: Walk } {
  const replies: Ipv4Packet[] = [];
  ns.pingSockets.set(id, (skb) => replies.push(skb.data));
  const walk = new Walk();
  ipSend(
    ns,
    {
      dst: ip(dst),
      protocol: IPPROTO_ICMP,
      payload: { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: (id << 16) | 1, data: new Uint8Array(56) },
    },
    walk,
  );
  ns.kernel.clock.advance(wait);
  return { replies, walk };
}

test('a veth pair across namespaces carries an echo and its reply', () => {
  const k = new Kernel({ seed: 1 });
  const h = new Host(k, 'host');
  const ns = h.addNetns('test-ns');
  linkAdd(ns, 'veth1', { kind: 'veth', peerName: 'veth2', peerNetns: h.root });
  assert.equal(ns.mustLink('veth1').ifindex, 2);
  assert.equal(h.root.mustLink('veth2').ifindex, 2);
  addr(h.root, 'veth2', '10.0.0.1/24');
  addr(ns, 'veth1', '10.0.0.2/24');
  h.root.setUp(h.root.mustLink('veth2'));
  ns.setUp(ns.mustLink('veth1'));
  const { replies, walk } = echo(h.root, '10.0.0.2');
  assert.equal(replies.length, 1, walk.render());
  assert.equal(replies[0]!.src, ip('10.0.0.2'));
  assert.equal(h.root.neigh.get(h.root.mustLink('veth2'), ip('10.0.0.2'))?.state, 'REACHABLE');
  assert.equal(ns.neigh.get(ns.mustLink('veth1'), ip('10.0.0.1'))?.state, 'DELAY');
});

test('two namespaces joined by a bridge reach each other and the bridge learns both MACs', () => {
  const k = new Kernel({ seed: 2 });
  const h = new Host(k, 'host');
  const br = linkAdd(h.root, 'br0', { kind: 'bridge' }) as Bridge;
  const nsA = h.addNetns('a');
  const nsB = h.addNetns('b');
  linkAdd(nsA, 'eth0', { kind: 'veth', peerName: 'vetha', peerNetns: h.root });
  linkAdd(nsB, 'eth0', { kind: 'veth', peerName: 'vethb', peerNetns: h.root });
  for (const v of ['vetha', 'vethb']) {
    linkSetMaster(h.root.mustLink(v), br);
    h.root.setUp(h.root.mustLink(v));
  }
  h.root.setUp(br);
  addr(nsA, 'eth0', '172.18.0.2/24');
  addr(nsB, 'eth0', '172.18.0.3/24');
  nsA.setUp(nsA.mustLink('eth0'));
  nsB.setUp(nsB.mustLink('eth0'));
  const { replies, walk } = echo(nsA, '172.18.0.3');
  assert.equal(replies.length, 1, walk.render());
  const learned = br
    .entries()
    .filter((e) => !e.local)
    .map((e) => [e.mac, e.port.name]);
  assert.deepEqual(
    learned.sort(),
    [
      [nsA.mustLink('eth0').mac, 'vetha'],
      [nsB.mustLink('eth0').mac, 'vethb'],
    ].sort(),
  );
});

test('an unanswered ARP ends in FAILED and a host-unreachable error for the sender', () => {
  const k = new Kernel({ seed: 3 });
  const h = new Host(k, 'host');
  linkAdd(h.root, 'd0', { kind: 'veth', peerName: 'd1' });
  addr(h.root, 'd0', '10.1.0.1/24');
  h.root.setUp(h.root.mustLink('d0'));
  h.root.setUp(h.root.mustLink('d1'));
  const { replies } = echo(h.root, '10.1.0.9', 3500);
  assert.equal(h.root.neigh.get(h.root.mustLink('d0'), ip('10.1.0.9'))?.state, 'FAILED');
  assert.equal(replies.length, 1);
  const err = replies[0]!.payload;
  assert.equal(err.kind === 'icmp' && err.type, 3);
  assert.equal(replies[0]!.src, ip('10.1.0.1'));
});
