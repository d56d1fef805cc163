// The gateway cache answers as the lookups it saves would: random route, address and link changes
// on two namespaces, one with the cache and one without, give the same routes and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv4, parseIpv4 } from '../wire/index.js';
import { Rng } from '../sim/index.js';
import { Host, Kernel, KernelError, delAddr, delRoute, linkAdd, newAddr, newRoute, type Netns, type Route } from './index.js';

const ip = (s: string) => parseIpv4(s)!;

/** eth0 and eth1 (veths, peers up), as a kind node's eth0 is. */
function node(h: Host, name: string): Netns {
  const ns = h.addNetns(name);
  for (const i of [0, 1]) {
    linkAdd(ns, `eth${i}`, { kind: 'veth', peerName: `p${i}` });
    ns.setUp(ns.mustLink(`p${i}`));
  }
  return ns;
}

/** What a request made of the namespace: the route stored (its device, whether the gateway is local) or the errno. */
function outcome(op: () => Route | void): string {
  try {
    const r = op();
    return r ? `${r.dev?.name} ${r.gatewayLocal ?? false}` : 'ok';
  } catch (e) {
    if (e instanceof KernelError) return `${e.errno} ${e.message}`;
    throw e;
  }
}

const dump = (ns: Netns): string =>
  [...ns.tables.values()]
    .flatMap((t) => t.dump())
    .map(
      (r) =>
        `${r.table} ${r.type} ${formatIpv4(r.dst)}/${r.dstLen} via ${r.gateway === undefined ? '-' : formatIpv4(r.gateway)} dev ${r.dev?.name}`,
    )
    .join('\n');

test('GatewayCache: plain routes resolve their gateways as without it, through addresses, routes and links changing', () => {
  const rng = new Rng('gateway-cache');
  const h = new Host(new Kernel({ seed: 'gw' }), 'h');
  const cached = node(h, 'cached');
  const plain = node(h, 'plain');
  // the second namespace never finds a gateway kept (its tables still tell its cache they changed)
  Object.defineProperty(plain, 'gateways', { value: { get: () => undefined, learn() {}, changed() {} } });
  // addresses, gateways and destinations from a few small ranges, so that they meet
  const addrIn = (last: number) => ip(`172.18.${rng.int(0, 3)}.${rng.int(0, last)}`);
  const pick = <T>(xs: readonly T[]): T => xs[rng.int(0, xs.length)]!;
  let answered = 0;
  const cache = cached.gateways;
  const get = cache.get.bind(cache);
  cache.get = (gw) => {
    const dev = get(gw);
    if (dev) answered++;
    return dev;
  };
  for (let step = 0; step < 4000; step++) {
    const op = rng.int(0, 16);
    const eth = `eth${rng.int(0, 2)}`;
    const a = addrIn(6);
    const gw = addrIn(256);
    const len = pick([0, 8, 16, 22, 23, 24, 30, 32]);
    const flag = rng.int(0, 2) === 1;
    const pod = ip(`10.244.${rng.int(0, 50)}.0`);
    const run = (ns: Netns): string => {
      const dev = ns.mustLink(eth);
      switch (op) {
        case 0:
        case 1:
          return outcome(() => void newAddr(ns, { dev, local: a, prefixLen: Math.max(len, 16) }, false));
        case 2:
          return outcome(() => void delAddr(ns, dev, { local: a, prefixLen: Math.max(len, 16) }));
        case 3:
          return outcome(() => (flag ? ns.setUp(dev) : ns.setDown(dev)));
        case 4: {
          // a route of any length, some overlapping the gateways' networks, through a device or a gateway
          const dst = len === 0 ? 0 : (a & ~(0xffffffff >>> len)) >>> 0;
          return outcome(() =>
            newRoute(
              ns,
              { dst, dstLen: len, dev: flag ? dev : undefined, gateway: flag ? undefined : gw },
              { create: true, replace: true },
            ),
          );
        }
        case 5: {
          const dst = len === 0 ? 0 : (a & ~(0xffffffff >>> len)) >>> 0;
          return outcome(() => void delRoute(ns, { dst, dstLen: len }));
        }
        default:
          // kindnet's route: a pod network via another node's address, no device
          return outcome(() => newRoute(ns, { dst: pod, dstLen: 24, gateway: gw }, { create: true, replace: true }));
      }
    };
    assert.equal(run(cached), run(plain), `step ${step}, op ${op}`);
    assert.equal(dump(cached), dump(plain), `step ${step}, op ${op}`);
  }
  // the comparison means something only if the cache answered often
  assert.ok(answered > 500, `the cache answered ${answered} times`);
});
