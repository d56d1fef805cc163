// The multipath hash and path choice: SipHash on the reference vectors, fib_rebalance's bounds,
// and through the kernel (newRoute, getRoute) how flows spread over weighted paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { emitIpv4, formatIpv4, parseIpv4, type Ipv4Packet } from '../wire/index.js';
import { Rng } from '../sim/index.js';
import { Host, Kernel, linkAdd, linkSetDown, getRoute, newRoute, routeInput, type Netns } from './index.js';
import { multipathHash, siphashWords, upperBounds, hashKeyFrom } from './multipath.js';

const ip = (s: string) => parseIpv4(s)!;

test('siphashWords() gives SipHash-2-4 on the reference vectors (key 00..0f, truncated to 32 bits)', () => {
  const key = [0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c] as const;
  assert.equal(siphashWords(key, []), 0xdd0e0e31);
  assert.equal(siphashWords(key, [0x03020100]), 0x277187b7);
  assert.equal(siphashWords(key, [0x03020100, 0x07060504]), 0x9a932462);
});

test('upperBounds() splits 2^31 by cumulative weight, rounded to closest, and gives a dead path -1', () => {
  assert.deepEqual(upperBounds([1, 3]), [2 ** 29 - 1, 2 ** 31 - 1]);
  assert.deepEqual(upperBounds([1, undefined, 1]), [2 ** 30 - 1, -1, 2 ** 31 - 1]);
  assert.deepEqual(upperBounds([1, 1, 1]), [715827882, 1431655764, 2 ** 31 - 1]);
});

test('multipathHash() is symmetric, 31 bits, and reads ports only under policy 1', () => {
  const key = hashKeyFrom(7);
  const a = { src: ip('10.0.0.1'), dst: ip('10.9.0.1'), proto: 17, sport: 1000, dport: 53 };
  const b = { src: a.dst, dst: a.src, proto: 17, sport: 53, dport: 1000 };
  assert.equal(multipathHash(key, 0, a), multipathHash(key, 0, b));
  assert.equal(multipathHash(key, 1, a), multipathHash(key, 1, b));
  assert.equal(multipathHash(key, 0, a), multipathHash(key, 0, { ...a, sport: 1001 }));
  assert.notEqual(multipathHash(key, 1, a), multipathHash(key, 1, { ...a, sport: 1001 }));
  for (let i = 0; i < 100; i++) {
    const h = multipathHash(key, 0, { src: i, dst: i * 7919 });
    assert.ok(h >= 0 && h < 2 ** 31);
  }
});

/** A namespace with d1 (10.1.0.1/24), d2 (10.2.0.1/24), d3 (10.3.0.1/24), veths with their peers up. */
function ecmpHost(seed: string): Netns {
  const h = new Host(new Kernel({ seed }), 'h');
  const ns = h.addNetns('ecmp');
  for (const i of [1, 2, 3]) {
    const dev = linkAdd(ns, `d${i}`, { kind: 'veth', peerName: `p${i}` });
    ns.setUp(ns.mustLink(`p${i}`));
    ns.addrAdd({
      dev,
      local: ip(`10.${i}.0.1`),
      prefixLen: 24,
      broadcast: undefined,
      scope: 0,
      label: dev.name,
      noprefixroute: false,
      metric: 0,
    });
    ns.setUp(dev);
  }
  return ns;
}

function addEcmp(ns: Netns, weights: readonly number[]): void {
  newRoute(
    ns,
    {
      dst: ip('10.0.0.0'),
      dstLen: 8,
      multipath: weights.map((weight, i) => ({ gateway: ip(`10.${i + 1}.0.2`), dev: ns.mustLink(`d${i + 1}`), weight, onlink: false })),
    },
    { create: true, excl: true },
  );
}

/** How many of `n` flows (random destinations in 10/8, from a seeded Rng) leave by each device. */
function spread(
  ns: Netns,
  n: number,
  flow: (rng: Rng) => { dst: number; src?: number; sport?: number; dport?: number; proto?: number },
): Map<string, number> {
  const rng = new Rng('flows');
  const count = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const f = flow(rng);
    const r = getRoute(ns, f);
    count.set(r.dev.name, (count.get(r.dev.name) ?? 0) + 1);
  }
  return count;
}

const anyDst = (rng: Rng) => ({ dst: ip('10.0.0.0') + rng.int(0, 1 << 24) });

test('flows spread over the paths in proportion to their weights (1:3 and 1:1:2)', () => {
  const ns = ecmpHost('weights');
  addEcmp(ns, [1, 3]);
  const two = spread(ns, 20000, anyDst);
  assert.ok(Math.abs(two.get('d2')! / 20000 - 0.75) < 0.015, JSON.stringify([...two]));
  const ns3 = ecmpHost('weights');
  addEcmp(ns3, [1, 1, 2]);
  const three = spread(ns3, 20000, anyDst);
  for (const [dev, share] of [
    ['d1', 0.25],
    ['d2', 0.25],
    ['d3', 0.5],
  ] as const) {
    assert.ok(Math.abs(three.get(dev)! / 20000 - share) < 0.015, `${dev}: ${JSON.stringify([...three])}`);
  }
});

test('a dead path takes no flows, and the live ones share its part by weight', () => {
  const ns = ecmpHost('dead');
  addEcmp(ns, [1, 1, 2]);
  linkSetDown(ns.mustLink('d3'));
  const c = spread(ns, 10000, anyDst);
  assert.equal(c.get('d3'), undefined);
  assert.ok(Math.abs(c.get('d1')! / 10000 - 0.5) < 0.02, JSON.stringify([...c]));
});

test('one flow always takes the same path; under policy 0 its ports do not move it, under policy 1 they do', () => {
  const ns = ecmpHost('policy');
  addEcmp(ns, [1, 1]);
  const dst = ip('10.77.0.9');
  const byPort = (sport: number) => getRoute(ns, { dst, proto: 17, sport, dport: 53 }).dev.name;
  assert.equal(byPort(1000), byPort(1000));
  assert.equal(new Set(Array.from({ length: 64 }, (_, i) => byPort(1000 + i))).size, 1);
  ns.sysctl.set('net.ipv4.fib_multipath_hash_policy', '1');
  assert.equal(new Set(Array.from({ length: 64 }, (_, i) => byPort(1000 + i))).size, 2);
});

test('the choice is the same for the same seed and differs with the seed, as between two boots', () => {
  const choices = (seed: string) => {
    const ns = ecmpHost(seed);
    addEcmp(ns, [1, 1]);
    return Array.from({ length: 64 }, (_, i) => getRoute(ns, { dst: ip('10.0.0.0') + i * 4099 }).dev.name).join(',');
  };
  assert.equal(choices('boot-a'), choices('boot-a'));
  assert.notEqual(choices('boot-a'), choices('boot-b'));
});

test('ip route get with an oif takes the path through it, whatever the hash', () => {
  const ns = ecmpHost('oif');
  addEcmp(ns, [1, 1, 1]);
  for (const d of ['d1', 'd2', 'd3']) {
    const r = getRoute(ns, { dst: ip('10.200.0.1'), oif: ns.mustLink(d) });
    assert.equal(r.dev.name, d);
    assert.equal(formatIpv4(r.nexthop), `10.${d[1]}.0.2`);
  }
});

test("a router forwards the flows of a multipath route over its paths by their hash; only a dead path's flows move", () => {
  const ns = ecmpHost('forward');
  addEcmp(ns, [1, 1, 1]);
  ns.sysctl.set('net.ipv4.ip_forward', '1');
  const iif = ns.mustLink('d1');
  const via = (src: number, dst: number) => getRoute(ns, { dst, src, iif }).dev.name;
  const rng = new Rng('forwarded');
  const flows = Array.from({ length: 300 }, () => [ip('10.1.0.0') + rng.int(2, 250), ip('10.0.0.0') + rng.int(0, 1 << 24)] as const);
  const first = flows.map(([s, d]) => via(s, d));
  assert.deepEqual(new Set(first), new Set(['d1', 'd2', 'd3']));
  // The choice is a function of the flow: asking again gives the same path.
  assert.deepEqual(
    flows.map(([s, d]) => via(s, d)),
    first,
  );
  linkSetDown(ns.mustLink('d2'));
  const after = flows.map(([s, d]) => via(s, d));
  assert.ok(!after.includes('d2'));
  // fib_rebalance over 1:1:1 with the middle path dead: bounds 1/3, 2/3, 1 become 1/2, -, 1, so
  // only the dead path's flows move; those on d1 and d3 stay where they were.
  assert.ok(first.every((d, i) => d === 'd2' || after[i] === d));
  assert.ok(first.some((d, i) => d === 'd2' && after[i] === 'd1') && first.some((d, i) => d === 'd2' && after[i] === 'd3'));
});

test('an ICMP error takes the path of the flow it quotes (ip_multipath_l3_keys), not of its own addresses', () => {
  const ns = ecmpHost('icmp');
  addEcmp(ns, [1, 1, 1]);
  ns.sysctl.set('net.ipv4.ip_forward', '1');
  const iif = ns.mustLink('d1');
  const packet = (src: number, dst: number, payload: Ipv4Packet['payload']): Ipv4Packet => ({
    kind: 'ipv4',
    tos: 0,
    id: 1,
    df: false,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: payload.kind === 'icmp' ? 1 : 17,
    src,
    dst,
    options: new Uint8Array(0),
    payload,
  });
  const pathOf = (p: Ipv4Packet) => {
    const d = routeInput(ns, iif, p.src, p.dst, { skb: p });
    assert.equal(d.kind, 'forward');
    return d.kind === 'forward' ? d.resolved.dev.name : '';
  };
  const rng = new Rng('errors');
  let differs = 0;
  for (let i = 0; i < 200; i++) {
    const a = ip('10.0.0.0') + rng.int(0, 1 << 24);
    const b = ip('10.1.0.0') + rng.int(2, 250);
    const router = ip('10.1.0.0') + rng.int(2, 250);
    const flow = packet(b, a, { kind: 'udp', srcPort: 1000, dstPort: 53, payload: { kind: 'raw', bytes: new Uint8Array(4) } });
    // A time-exceeded error from a router about a packet a sent to b, on its way back to a.
    const quoted = emitIpv4(packet(a, b, { kind: 'udp', srcPort: 53, dstPort: 1000, payload: { kind: 'raw', bytes: new Uint8Array(4) } }));
    const error = packet(router, a, { kind: 'icmp', type: 11, code: 0, rest: 0, data: quoted });
    assert.equal(pathOf(error), pathOf(flow));
    if (pathOf(packet(router, a, { kind: 'icmp', type: 8, code: 0, rest: 0, data: quoted })) !== pathOf(flow)) differs++;
  }
  // An echo request is no error: its own addresses pick its path, often another.
  assert.ok(differs > 50, `${differs}`);
});
