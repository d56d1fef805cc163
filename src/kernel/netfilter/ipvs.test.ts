// IPVS schedulers, persistence and the connection table, checked against the kernel's
// algorithms (net/netfilter/ipvs/*.c). Real servers are added the way ipvsadm adds them; note
// that the kernel puts each new server at the head of the service's list, and the walking
// schedulers (rr, wrr, lc, wlc, sed, nq) walk that list from the head.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from '../../sim/index.js';
import { parseIpv4 } from '../../wire/index.js';
import { IPPROTO_TCP, IPPROTO_UDP, Ipvs, IpvsError, connStateName, type IpvsServiceKey } from './ipvs.js';
import {
  DestinationHashing,
  IP_VS_MH_TAB_SIZE,
  IP_VS_SVC_F_SCHED1,
  MaglevHashing,
  SourceHashing,
  hash32,
  hsiphashU32,
  siphash,
} from './ipvs-sched.js';

const ip = (s: string): number => parseIpv4(s)!;
const VIP: IpvsServiceKey = { fwmark: 0, protocol: IPPROTO_TCP, addr: ip('10.96.0.10'), port: 80 };
const A = ip('10.244.1.1');
const B = ip('10.244.2.1');
const C = ip('10.244.3.1');
const name = new Map([
  [A, 'A'],
  [B, 'B'],
  [C, 'C'],
]);

function lab(): { ipvs: Ipvs; clock: EventQueue } {
  const clock = new EventQueue();
  let r = 7;
  return { ipvs: new Ipvs(clock, { random: () => (r = (r * 1103515245 + 12345) >>> 0) }), clock };
}

let port = 30000;
/** A SYN from a client to the VIP; returns the chosen server's name. */
function syn(ipvs: Ipvs, src = ip('10.0.0.1'), key = VIP): string | undefined {
  const v = ipvs.packetIn({ protocol: key.protocol, src, sport: port++, dst: key.addr, dport: key.port, tcp: { syn: true }, len: 60 });
  return v.kind === 'forward' ? name.get(v.dest.addr) : undefined;
}

function pick(ipvs: Ipvs, n: number, src?: (i: number) => number): (string | undefined)[] {
  return Array.from({ length: n }, (_, i) => syn(ipvs, src ? src(i) : ip('10.0.0.1')));
}

function service(
  sched: string,
  weights: readonly [number, number][],
  opts: { persistent?: number; schedFlags?: number } = {},
): { ipvs: Ipvs; clock: EventQueue } {
  const l = lab();
  l.ipvs.addService(VIP, { scheduler: sched, ...opts });
  for (const [addr, weight] of weights) l.ipvs.addDest(VIP, { addr, port: 8080, weight, forward: 'masq' });
  return l;
}

test('Ipvs rr over 3 servers walks the list from the newest server: C,B,A,C,B,A', () => {
  const { ipvs } = service('rr', [
    [A, 1],
    [B, 1],
    [C, 1],
  ]);
  assert.deepEqual(pick(ipvs, 6), ['C', 'B', 'A', 'C', 'B', 'A']);
});

test('Ipvs rr skips a weight-0 (quiescent) server and continues after a removed one', () => {
  const { ipvs } = service('rr', [
    [A, 1],
    [B, 1],
    [C, 1],
  ]);
  ipvs.editDest(VIP, { addr: B, port: 8080, weight: 0, forward: 'masq' });
  assert.deepEqual(pick(ipvs, 4), ['C', 'A', 'C', 'A']);
  ipvs.editDest(VIP, { addr: B, port: 8080, weight: 1, forward: 'masq' });
  ipvs.deleteDest(VIP, A, 8080);
  assert.deepEqual(pick(ipvs, 3), ['C', 'B', 'C'], 'the pointer moved back to the entry before A');
});

/** A service whose wrr scheduler is bound after its servers exist (ipvsadm -E -s wrr). */
function wrrBoundLate(weights: readonly [number, number][]): Ipvs {
  const { ipvs } = service('rr', weights);
  ipvs.editService(VIP, { scheduler: 'wrr' });
  return ipvs;
}

test('Ipvs wrr with weights 3:1 picks A,A,A,B', () => {
  // List A(3), B(1) (B added first); init_svc starts at cw = mw = 3: A(3) A(2) A(1) B(1).
  assert.deepEqual(
    pick(
      wrrBoundLate([
        [B, 1],
        [A, 3],
      ]),
      8,
    ),
    ['A', 'A', 'A', 'B', 'A', 'A', 'A', 'B'],
  );
});

test('Ipvs wrr keeps its current weight across adds: B(1) then A(3) added to a wrr service picks A,B first', () => {
  // init_svc with no servers leaves cw = 0; adding B sets cw = mw = 1; adding A (mw = 3) keeps
  // cw = 1, so the first pass takes every server with weight >= 1 before stepping from 3.
  const { ipvs } = service('wrr', [
    [B, 1],
    [A, 3],
  ]);
  assert.deepEqual(pick(ipvs, 8), ['A', 'B', 'A', 'A', 'A', 'B', 'A', 'A']);
});

test('Ipvs wrr with weights 4:2:1 steps by the gcd and serves every server in proportion', () => {
  assert.deepEqual(
    pick(
      wrrBoundLate([
        [C, 1],
        [B, 2],
        [A, 4],
      ]),
      7,
    ),
    ['A', 'A', 'A', 'B', 'A', 'B', 'C'],
  );
  assert.deepEqual(
    pick(
      wrrBoundLate([
        [B, 2],
        [A, 4],
      ]),
      3,
    ),
    ['A', 'A', 'B'],
    'gcd 2: cw steps 4 -> 2',
  );
});

test('Ipvs lc picks the server with the fewest (active << 8) + inactive connections', () => {
  const { ipvs } = service('lc', [
    [A, 1],
    [B, 1],
    [C, 1],
  ]);
  // Every SYN makes an active connection (SYN_RECV); lc walks C, B, A and takes the first minimum.
  assert.deepEqual(pick(ipvs, 4), ['C', 'B', 'A', 'C']);
  const d = ipvs.getService(VIP)!.dests;
  assert.deepEqual(
    d.map((x) => [name.get(x.addr), x.activeConns, x.inactConns]),
    [
      ['C', 2, 0],
      ['B', 1, 0],
      ['A', 1, 0],
    ],
  );
});

test('Ipvs wlc weighs connections by server weight (open connections on a weight-2 server)', () => {
  const { ipvs } = service('wlc', [
    [A, 2],
    [B, 1],
  ]);
  // list B(1), A(2): B 0/1 vs A 0/2 -> B first (no strictly lower); then A (256/1 > 0/2), then A (256*2/... )
  assert.deepEqual(pick(ipvs, 6), ['B', 'A', 'A', 'B', 'A', 'A']);
});

test('Ipvs sed and nq: nq sends to an idle server first, sed minimises (active + 1) / weight', () => {
  const s = service('sed', [
    [A, 3],
    [B, 1],
  ]);
  assert.deepEqual(pick(s.ipvs, 5), ['A', 'A', 'B', 'A', 'A']);
  // nq: B is idle -> B; then A is idle -> A; then (1+1)/1 vs (1+1)/3 ... A while 2*3 > (a+1)*1.
  const n = service('nq', [
    [A, 3],
    [B, 1],
  ]);
  assert.deepEqual(pick(n.ipvs, 5), ['B', 'A', 'A', 'A', 'A']);
});

test('Ipvs dh keeps a destination address on one server; sh keeps a source address on one', () => {
  const dh = service('dh', [
    [A, 1],
    [B, 1],
    [C, 1],
  ]);
  const viaDh = pick(dh.ipvs, 5);
  assert.equal(new Set(viaDh).size, 1, 'every flow to one VIP goes to the same server');
  assert.equal(DestinationHashing.bucketOf(VIP.addr), hash32(VIP.addr, 8));
  const sh = service('sh', [
    [A, 1],
    [B, 1],
    [C, 1],
  ]);
  const clients = Array.from({ length: 40 }, (_, i) => ip(`192.168.${i}.7`));
  const first = clients.map((c) => syn(sh.ipvs, c));
  const again = clients.map((c) => syn(sh.ipvs, c));
  assert.deepEqual(again, first, 'same source, same server');
  assert.equal(new Set(first).size, 3, 'the sources spread over all servers');
});

test('Ipvs sh skips a weight-0 server only with sh-fallback', () => {
  const sh = service('sh', [
    [A, 1],
    [B, 1],
    [C, 1],
  ]);
  const clients = Array.from({ length: 60 }, (_, i) => ip(`172.16.${i}.1`));
  const before = clients.map((c) => syn(sh.ipvs, c));
  sh.ipvs.editDest(VIP, { addr: B, port: 8080, weight: 0, forward: 'masq' });
  const after = clients.map((c) => syn(sh.ipvs, c));
  clients.forEach((_, i) =>
    assert.equal(after[i], before[i] === 'B' ? undefined : before[i], "B's clients find no server, the others keep theirs"),
  );
  const fb = service(
    'sh',
    [
      [A, 1],
      [B, 1],
      [C, 1],
    ],
    { schedFlags: IP_VS_SVC_F_SCHED1 },
  );
  fb.ipvs.editDest(VIP, { addr: B, port: 8080, weight: 0, forward: 'masq' });
  const withFallback = clients.map((c) => syn(fb.ipvs, c));
  assert.ok(
    withFallback.every((x) => x === 'A' || x === 'C'),
    "sh-fallback moves B's clients to A or C",
  );
  assert.equal(SourceHashing.bucketOf(clients[0]!, 0), hash32(clients[0]!, 8));
});

test('Ipvs lblc keeps a destination on its server until it is overloaded; lblcr grows a set', () => {
  const lblc = service('lblc', [
    [A, 1],
    [B, 1],
  ]);
  // wlc picks B; B stays cached until it has 2 active > weight 1 while A is idle (0 * 2 < 1).
  assert.deepEqual(pick(lblc.ipvs, 4), ['B', 'B', 'A', 'A']);
  // lblcr: the same, but A joins B in the destination's set; the set's least loaded serves next.
  const lblcr = service('lblcr', [
    [A, 1],
    [B, 1],
  ]);
  assert.deepEqual(pick(lblcr.ipvs, 5), ['B', 'B', 'A', 'A', 'A']);
});

test('SipHash matches the reference vector; hsiphash is SipHash-1-3', () => {
  const key = Array.from({ length: 16 }, (_, i) => i);
  const k0 = key.slice(0, 8).reduceRight((a, b) => (a << 8n) | BigInt(b), 0n);
  const k1 = key.slice(8).reduceRight((a, b) => (a << 8n) | BigInt(b), 0n);
  const msg = Uint8Array.from({ length: 15 }, (_, i) => i);
  assert.equal(siphash(msg, k0, k1, 2, 4), 0xa129ca6149be45e5n);
  assert.equal(siphash(new Uint8Array(0), k0, k1, 2, 4), 0x726fdb47dd0e0e31n);
  assert.equal(hsiphashU32(1, 2654435761n, 2654435761n), hsiphashU32(1, 2654435761n, 2654435761n));
});

test('Ipvs mh is stable per source and moves few clients when a server is removed (Maglev)', () => {
  const servers = Array.from({ length: 5 }, (_, i) => ip(`10.244.${i}.9`));
  const l = lab();
  l.ipvs.addService(VIP, { scheduler: 'mh' });
  for (const s of servers) l.ipvs.addDest(VIP, { addr: s, port: 8080, weight: 1, forward: 'masq' });
  const mh = l.ipvs.getService(VIP)!.scheduler as unknown as MaglevHashing<never>;
  const before = [...mh.table()].map((d) => (d as { addr: number } | undefined)?.addr);
  assert.equal(before.length, IP_VS_MH_TAB_SIZE);
  const counts = servers.map((s) => before.filter((a) => a === s).length);
  assert.ok(
    counts.every((c) => Math.abs(c - IP_VS_MH_TAB_SIZE / 5) < 60),
    `slots are spread evenly: ${counts}`,
  );
  l.ipvs.deleteDest(VIP, servers[2]!, 8080);
  const after = [...mh.table()].map((d) => (d as { addr: number } | undefined)?.addr);
  let moved = 0;
  for (let i = 0; i < IP_VS_MH_TAB_SIZE; i++) if (before[i] !== servers[2] && after[i] !== before[i]) moved++;
  assert.ok(
    after.every((a) => a !== servers[2]),
    'the removed server owns no slot',
  );
  assert.ok(moved / IP_VS_MH_TAB_SIZE < 0.05, `slots of the other servers mostly keep their owner (${moved} moved)`);
});

test('Ipvs persistence pins a client to its server for the timeout, with a template (cport 0)', () => {
  const { ipvs, clock } = service(
    'rr',
    [
      [A, 1],
      [B, 1],
      [C, 1],
    ],
    { persistent: 300 },
  );
  const client = ip('10.0.0.5');
  const first = syn(ipvs, client);
  assert.deepEqual([syn(ipvs, client), syn(ipvs, client)], [first, first]);
  assert.notEqual(syn(ipvs, ip('10.0.0.6')), undefined);
  const tpl = ipvs.connections().find((c) => c.template && c.caddr === client)!;
  assert.equal(tpl.cport, 0);
  assert.equal(connStateName(tpl), 'NONE');
  assert.equal(ipvs.remaining(tpl), 300);
  assert.equal(ipvs.getService(VIP)!.dests.find((d) => name.get(d.addr) === first)!.persistConns, 1);
  // The connections (SYN_RECV, 60 s) expire first; the template 300 s after its last use.
  clock.advance(301_000);
  assert.equal(ipvs.connections().filter((c) => c.caddr === client).length, 0);
});

test('Ipvs TCP connections follow the kernel state table and count active/inactive', () => {
  const { ipvs, clock } = service('rr', [[A, 1]]);
  const v = ipvs.packetIn({
    protocol: IPPROTO_TCP,
    src: ip('10.0.0.1'),
    sport: 1234,
    dst: VIP.addr,
    dport: 80,
    tcp: { syn: true },
    len: 60,
  });
  assert.equal(v.kind, 'forward');
  const conn = (v as { conn: Parameters<typeof connStateName>[0] }).conn;
  const dest = ipvs.getService(VIP)!.dests[0]!;
  assert.equal(connStateName(conn), 'SYN_RECV');
  assert.equal(ipvs.remaining(conn), 60);
  assert.deepEqual([dest.activeConns, dest.inactConns], [1, 0]);
  const reply = ipvs.lookup({ protocol: IPPROTO_TCP, src: A, sport: 8080, dst: ip('10.0.0.1'), dport: 1234 })!;
  assert.equal(reply.dir, 'out');
  ipvs.outPacket(reply.conn, { protocol: IPPROTO_TCP, tcp: { syn: true, ack: true } });
  ipvs.packetIn({ protocol: IPPROTO_TCP, src: ip('10.0.0.1'), sport: 1234, dst: VIP.addr, dport: 80, tcp: { ack: true } });
  assert.equal(connStateName(conn), 'ESTABLISHED');
  assert.equal(ipvs.remaining(conn), 900);
  ipvs.packetIn({ protocol: IPPROTO_TCP, src: ip('10.0.0.1'), sport: 1234, dst: VIP.addr, dport: 80, tcp: { fin: true, ack: true } });
  assert.equal(connStateName(conn), 'CLOSE_WAIT');
  assert.deepEqual([dest.activeConns, dest.inactConns], [0, 1], 'CLOSE_WAIT is inactive');
  ipvs.outPacket(conn, { protocol: IPPROTO_TCP, tcp: { fin: true, ack: true } });
  assert.equal(connStateName(conn), 'TIME_WAIT');
  clock.advance(120_001);
  assert.equal(ipvs.connections().length, 0, 'the entry expired (timers run when IPVS is next used)');
  assert.deepEqual([dest.activeConns, dest.inactConns], [0, 0]);
});

test('Ipvs UDP connections are inactive and live 300 s', () => {
  const l = lab();
  const dns: IpvsServiceKey = { fwmark: 0, protocol: IPPROTO_UDP, addr: ip('10.96.0.10'), port: 53 };
  l.ipvs.addService(dns, { scheduler: 'rr' });
  l.ipvs.addDest(dns, { addr: A, port: 53, forward: 'masq' });
  const v = l.ipvs.packetIn({ protocol: IPPROTO_UDP, src: ip('10.0.0.1'), sport: 5353, dst: dns.addr, dport: 53, len: 70 });
  assert.equal(v.kind, 'forward');
  const c = (v as { conn: Parameters<typeof connStateName>[0] }).conn;
  assert.equal(connStateName(c), 'UDP');
  assert.equal(l.ipvs.remaining(c), 300);
  assert.deepEqual([l.ipvs.getService(dns)!.dests[0]!.activeConns, l.ipvs.getService(dns)!.dests[0]!.inactConns], [0, 1]);
});

test('Ipvs connections expire on the shared event queue: the clock running frees the server with no IPVS call', () => {
  const l = lab();
  const dns: IpvsServiceKey = { fwmark: 0, protocol: IPPROTO_UDP, addr: ip('10.96.0.10'), port: 53 };
  l.ipvs.addService(dns, { scheduler: 'rr' });
  const dest = l.ipvs.addDest(dns, { addr: A, port: 53, forward: 'masq' });
  l.ipvs.packetIn({ protocol: IPPROTO_UDP, src: ip('10.0.0.1'), sport: 5353, dst: dns.addr, dport: 53, len: 70 });
  assert.equal(l.clock.nextAt(), 300_000);
  l.clock.advance(299_999);
  assert.equal(dest.inactConns, 1);
  l.clock.advance(1);
  assert.equal(dest.inactConns, 0);
  assert.equal(l.clock.nextAt(), undefined);
});

test('Ipvs answers a service without servers with unreachable, and passes non-SYN TCP', () => {
  const l = lab();
  l.ipvs.addService(VIP, { scheduler: 'rr' });
  assert.deepEqual(l.ipvs.packetIn({ protocol: IPPROTO_TCP, src: 1, sport: 1, dst: VIP.addr, dport: 80, tcp: { syn: true } }), {
    kind: 'unreachable',
  });
  assert.deepEqual(l.ipvs.packetIn({ protocol: IPPROTO_TCP, src: 1, sport: 1, dst: VIP.addr, dport: 80, tcp: { ack: true } }), {
    kind: 'pass',
  });
  assert.deepEqual(l.ipvs.packetIn({ protocol: IPPROTO_TCP, src: 1, sport: 1, dst: VIP.addr, dport: 81, tcp: { syn: true } }), {
    kind: 'pass',
  });
});

test('Ipvs control errors are the kernel errnos ipvsadm reports', () => {
  const l = lab();
  const code = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      return e instanceof IpvsError ? e.code : 'other';
    }
    return undefined;
  };
  assert.equal(
    code(() => l.ipvs.addDest(VIP, { addr: A, port: 80, forward: 'masq' })),
    'ESRCH',
  );
  l.ipvs.addService(VIP, { scheduler: 'rr' });
  assert.equal(
    code(() => l.ipvs.addService(VIP, { scheduler: 'rr' })),
    'EEXIST',
  );
  assert.equal(
    code(() => l.ipvs.addService({ ...VIP, port: 81 }, { scheduler: 'foo' })),
    'ENOENT',
  );
  l.ipvs.addDest(VIP, { addr: A, port: 80, forward: 'masq' });
  assert.equal(
    code(() => l.ipvs.addDest(VIP, { addr: A, port: 80, forward: 'masq' })),
    'EEXIST',
  );
  assert.equal(
    code(() => l.ipvs.editDest(VIP, { addr: B, port: 80, forward: 'masq' })),
    'ENOENT',
  );
  assert.equal(
    code(() => l.ipvs.deleteService({ ...VIP, port: 99 })),
    'ESRCH',
  );
});

test('Ipvs rates follow the kernel estimator (2 s ticks, 1/4 smoothing)', () => {
  const { ipvs, clock } = service('rr', [[A, 1]]);
  for (let i = 0; i < 20; i++) syn(ipvs, ip(`10.1.0.${i + 1}`));
  clock.advance(2000);
  const s = ipvs.getService(VIP)!.stats.snapshot();
  // 20 conns in 2 s: rate = 20 << 9, avg = rate / 4 = 2560 (scaled by 1024): (2560 + 511) >> 10 = 2.
  assert.deepEqual([s.conns, s.inpkts, s.inbytes, s.cps, s.inpps], [20, 20, 1200, 2, 2]);
});
