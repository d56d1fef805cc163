import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4 } from '../wire/index.js';
import { FibTable, plainRoute, routeWithDev, type Route } from './fib.js';
import type { Link } from './link.js';
import { KernelError } from './errors.js';

const ip = (s: string) => parseIpv4(s)!;
const r = (dst: string, len: number, extra: Partial<Route> = {}): Route => ({
  table: 254,
  type: 'unicast',
  dst: ip(dst),
  dstLen: len,
  tos: 0,
  protocol: 4,
  scope: 0,
  metric: 0,
  onlink: false,
  ...extra,
});

test('Fib.lookup() prefers the longest prefix', () => {
  const t = new FibTable(254);
  t.insert(r('0.0.0.0', 0, { gateway: ip('192.0.2.1') }));
  t.insert(r('10.0.0.0', 8, { gateway: ip('192.0.2.8') }));
  t.insert(r('10.1.0.0', 16, { gateway: ip('192.0.2.16') }));
  assert.equal(t.lookup(ip('10.1.2.3'))?.gateway, ip('192.0.2.16'));
  assert.equal(t.lookup(ip('10.2.0.1'))?.gateway, ip('192.0.2.8'));
  assert.equal(t.lookup(ip('8.8.8.8'))?.gateway, ip('192.0.2.1'));
});

test('Fib.lookup() picks the lowest metric within a prefix and skips unusable routes', () => {
  const t = new FibTable(254);
  t.insert(r('10.0.0.0', 8, { metric: 100, gateway: ip('192.0.2.100') }));
  t.insert(r('10.0.0.0', 8, { metric: 50, gateway: ip('192.0.2.50') }));
  t.insert(r('0.0.0.0', 0, { gateway: ip('192.0.2.1') }));
  assert.equal(t.lookup(ip('10.9.9.9'))?.metric, 50);
  assert.equal(t.lookup(ip('10.9.9.9'), (x) => x.metric !== 50)?.metric, 100);
  assert.equal(t.lookup(ip('10.9.9.9'), (x) => x.dstLen === 0)?.gateway, ip('192.0.2.1'));
});

test('Fib.insert() refuses a duplicate key unless replacing, and dump() orders as ip route does', () => {
  const t = new FibTable(254);
  t.insert(r('10.0.0.0', 8));
  assert.throws(
    () => t.insert(r('10.0.0.0', 8)),
    (e: unknown) => e instanceof KernelError && e.errno === 'EEXIST',
  );
  t.insert(r('10.0.0.0', 8, { gateway: ip('192.0.2.9') }), 'replace');
  assert.equal(t.size, 1);
  t.insert(r('10.0.0.0', 24));
  t.insert(r('0.0.0.0', 0));
  t.insert(r('192.168.0.0', 16));
  assert.deepEqual(
    t.dump().map((x) => `${x.dst >>> 24}/${x.dstLen}`),
    ['0/0', '10/24', '10/8', '192/16'],
  );
});

test('Fib.lookup() costs the same in a table of 100,000 routes (one probe per prefix length)', () => {
  const t = new FibTable(254);
  for (let i = 0; i < 100_000; i++) t.insert(r('0.0.0.0', 32, { dst: (0x0a000000 + i * 7) >>> 0 }));
  t.insert(r('10.0.0.0', 8, { gateway: 1 }));
  assert.equal(t.lookup(0x0a000000 + 7 * 500)?.dstLen, 32);
  assert.equal(t.lookup(0x0a000001)?.dstLen, 8);
});

test('FibTable keeps every route in the order a plain list of them gives, whether a length holds few networks or many, below and above 128.0.0.0', () => {
  // A model: all routes in one list, each network's routes in the table's per-network order
  // (insertion, then tos and metric); the table must dump, look up, find and delete as it does.
  let seed = 7;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  for (let round = 0; round < 40; round++) {
    const t = new FibTable(254);
    let model: Route[] = [];
    const networks = 1 + rand(20); // past the small bucket's 8 networks in most rounds
    // every other round above 128.0.0.0, whose addresses are negative as the buckets' int32 keys
    const base = round % 2 ? 0xac100000 : 0x0a000000;
    for (let step = 0; step < 300; step++) {
      const len = [32, 24, 16][rand(3)]!;
      const dst = (base + (rand(networks) << (32 - len))) >>> 0;
      const route: Route = {
        table: 254,
        type: 'unicast',
        dst,
        dstLen: len,
        tos: 0,
        protocol: 4,
        scope: 0,
        metric: rand(3),
        onlink: false,
      };
      const sameNet = (x: Route) => x.dst === dst && x.dstLen === len;
      const op = rand(10);
      if (op < 5) {
        const clash = model.some((x) => sameNet(x) && x.metric === route.metric);
        if (clash) assert.throws(() => t.insert(route), KernelError);
        else {
          t.insert(route);
          // a network keeps the place of its first route; its routes sorted by metric (a stable sort)
          const mine = model
            .filter(sameNet)
            .concat(route)
            .sort((a, b) => a.metric - b.metric);
          const at = model.findIndex(sameNet);
          const rest = model.filter((x) => !sameNet(x));
          model = at < 0 ? rest.concat(mine) : [...model.slice(0, at).filter((x) => !sameNet(x)), ...mine, ...rest.slice(at)];
        }
      } else if (op < 7) {
        const want = model.find((x) => sameNet(x) && x.metric === route.metric);
        const gone = t.deleteOf(dst, len, (x) => x.metric === route.metric);
        assert.equal(gone, want);
        model = model.filter((x) => x !== want);
      } else if (op < 8) {
        const metric = rand(3);
        const gone = t.deleteWhere((x) => x.metric === metric && x.dstLen === len);
        assert.equal(gone.length, model.filter((x) => x.metric === metric && x.dstLen === len).length);
        model = model.filter((x) => !(x.metric === metric && x.dstLen === len));
      } else if (op < 9) {
        // the first match of the longest length first, networks in the order they came
        const want = [32, 24, 16].map((l) => model.find((x) => x.dstLen === l && x.metric === route.metric)).find((x) => x);
        assert.equal(
          t.delete((x) => x.metric === route.metric),
          want,
        );
        if (want) model = model.filter((x) => x !== want);
      }
      assert.equal(t.size, model.length);
      const sorted = [...model].sort((a, b) => a.dst - b.dst || b.dstLen - a.dstLen || a.tos - b.tos || a.metric - b.metric);
      assert.deepEqual(t.dump(), sorted);
      assert.deepEqual(t.routesOf(dst, len), model.filter(sameNet));
      const probe = (base + (rand(networks) << 8) + rand(256)) >>> 0;
      const best = [32, 24, 16]
        .map((l) => model.find((x) => x.dstLen === l && x.dst === (l === 32 ? probe : (probe >>> (32 - l)) << (32 - l)) >>> 0))
        .find((x) => x);
      assert.equal(t.lookup(probe), best);
    }
  }
});

test('plainRoute() reads the same as the route it compacts, field by field, in a table and when copied; routes with paths or a local gateway stay as they are', () => {
  const dev = { name: 'eth0' } as unknown as Link;
  const fields: readonly (keyof Route)[] = [
    'table',
    'type',
    'dst',
    'dstLen',
    'tos',
    'protocol',
    'scope',
    'metric',
    'prefsrc',
    'gateway',
    'dev',
    'onlink',
    'mtu',
    'gatewayLocal',
    'nexthops',
    'pathOf',
    'mpFlags',
  ];
  // a route, then one that differs from it in a single attribute, for each attribute, in turn
  const variants: Partial<Route>[] = [
    { metric: 7 },
    { protocol: 3 },
    { mtu: 1400 },
    { prefsrc: ip('172.18.0.2') },
    { tos: 4 },
    { scope: 200 },
    { onlink: true },
    { table: 100 },
    { type: 'blackhole' },
  ];
  const routes = variants.flatMap((v, i) =>
    [{}, v].map((extra, j) => r(`10.0.${2 * i + j}.0`, 24, { gateway: ip(`172.18.0.${i + 3}`), dev, ...extra })),
  );
  const t = new FibTable(254);
  // each compact route reads its own attributes, whatever the route made before it had
  for (const x of [...routes, ...routes.slice().reverse()]) {
    const c = plainRoute(x);
    for (const f of fields) assert.equal(c[f], x[f], f);
    const copy = routeWithDev(c, dev);
    for (const f of fields) assert.equal(copy[f], x[f], `copy's ${f}`);
    t.insert(c, 'replace');
    assert.equal(t.lookup(x.dst + 1), c);
  }
  assert.equal(t.size, routes.length);
  const local = { ...routes[0]!, gatewayLocal: true };
  assert.equal(plainRoute(local), local);
});
