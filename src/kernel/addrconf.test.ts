// The link-up plan against the order and times the captures on Linux 6.18 show (veth in a fresh
// namespace, MAC 02:42:0a:00:00:01). Each planned frame is compared with what wire/ipv6.ts's
// builders make, which src/wire/ipv6.test.ts checks byte for byte against the captured frames.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../sim/index.js';
import {
  IPV6_ALL_ROUTERS,
  IPV6_ALL_SNOOPERS,
  IPV6_UNSPECIFIED,
  dadNeighborSolicitation,
  emitFrame,
  formatIpv6,
  mldv2Report,
  parseIpv6,
  routerSolicitation,
  type Ipv6,
} from '../wire/index.js';
import { LINK_UP_IPV6, linkUpIpv6Plan, linkUpIpv6Series, type PlannedFrame } from './addrconf.js';

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const v6 = (s: string): Ipv6 => parseIpv6(s)!;

const MAC = '02:42:0a:00:00:01';
const LL = v6('fe80::42:aff:fe00:1');
const SN = v6('ff02::1:ff00:1');
/** The solicited-node group of fe80::, the subnet-router anycast address a router joins. */
const SN_ANYCAST = v6('ff02::1:ff00:0');

const frameHex = (f: Parameters<typeof emitFrame>[0]) => hex(emitFrame(f));
const MLD_FROM_UNSPECIFIED = frameHex(mldv2Report(MAC, IPV6_UNSPECIFIED, [SN]));
const MLD_FROM_LL = frameHex(mldv2Report(MAC, LL, [SN]));
const DAD_NS = frameHex(dadNeighborSolicitation(MAC, LL, fromHex('cadeb7a909cf')));
const RS = frameHex(routerSolicitation(MAC, LL));
const ROUTER_MLD_TWO_GROUPS = frameHex(mldv2Report(MAC, IPV6_UNSPECIFIED, [SN, IPV6_ALL_ROUTERS]));
const ROUTER_MLD_THREE_GROUPS = frameHex(mldv2Report(MAC, LL, [SN_ANYCAST, SN, IPV6_ALL_ROUTERS]));
const ROUTER_MLD_ANYCAST_GROUP = frameHex(mldv2Report(MAC, LL, [SN_ANYCAST]));

const summary = (plan: PlannedFrame[]) =>
  plan.map((p) => {
    const b = emitFrame(p.frame);
    const src = formatIpv6(b.subarray(22, 38));
    return p.what === 'mld-report' ? `mld ${src} ${b[14 + 40 + 8 + 7]}` : `${p.what} ${src}`;
  });

const seeded = (seed: number) => {
  const rng = new Rng(seed);
  return () => rng.float();
};

test('linkUpIpv6Plan() with DAD: reports from :: around the probe, then from fe80:: with the RS', () => {
  for (let seed = 1; seed <= 50; seed++) {
    const plan = linkUpIpv6Plan({ mac: MAC, random: seeded(seed), untilMs: 20_000 });
    const s = summary(plan);
    const ns = plan.find((p) => p.what === 'dad-ns')!;
    const done = ns.atMs + LINK_UP_IPV6.dadRetransMs;
    assert.equal(plan.find((p) => p.what === 'mld-report')!.atMs, LINK_UP_IPV6.mldStateChangeDelayMs);
    assert.ok(ns.atMs < 1000);
    // Before DAD completes every report comes from ::; at completion a report and the RS.
    for (const p of plan) if (p.what === 'mld-report' && p.atMs < done) assert.match(summary([p])[0]!, /^mld :: 1$/);
    const atDone = plan.filter((p) => p.atMs === done);
    assert.deepEqual(summary(atDone), ['mld fe80::42:aff:fe00:1 1', 'router-solicitation fe80::42:aff:fe00:1']);
    assert.equal(s.filter((x) => x.startsWith('mld')).length, 4);
    // RS gaps: 4 s ±10 %, then roughly doubling.
    const rs = plan.filter((p) => p.what === 'router-solicitation').map((p) => p.atMs);
    assert.ok(rs[1]! - rs[0]! >= 3600 && rs[1]! - rs[0]! <= 4400);
    assert.ok(rs[2]! - rs[1]! >= 1.9 * (rs[1]! - rs[0]!) && rs[2]! - rs[1]! <= 2.1 * (rs[1]! - rs[0]!));
    assert.ok(plan.every((p, i) => i === 0 || p.atMs >= plan[i - 1]!.atMs));
  }
});

test('linkUpIpv6Plan() replays the captured DAD sequence byte for byte', () => {
  // Capture "dadon" (times from carrier-up): report :: at 0.012 s, NS at 0.120 s, report :: at
  // 0.908 s, DAD done at 1.120 s (report and RS), report at 1.352 s, RSs 3.744 s and 7.172 s apart.
  // The draws, in the order the plan takes them: NS delay, report repeat, nonce, post-DAD repeat, RS gaps.
  const nonce = [0xca, 0xde, 0xb7, 0xa9, 0x09, 0xcf].map((b) => (b + 0.5) / 256);
  const draws = [0.12, 0.896, ...nonce, 0.232, 0.18, 0.0775];
  const random = () => draws.shift() ?? 0.5;
  const plan = linkUpIpv6Plan({ mac: MAC, random, untilMs: 13_000 });
  assert.deepEqual(
    plan.map((p) => Math.round(p.atMs)),
    [12, 120, 908, 1120, 1120, 1352, 4864, 12036],
  );
  assert.deepEqual(
    plan.map((p) => hex(emitFrame(p.frame))),
    [MLD_FROM_UNSPECIFIED, DAD_NS, MLD_FROM_UNSPECIFIED, MLD_FROM_LL, RS, MLD_FROM_LL, RS, RS],
  );
});

test('linkUpIpv6Plan() without DAD: report and RS at once, then three more reports within a second', () => {
  const plan = linkUpIpv6Plan({ mac: MAC, dad: false, random: seeded(7), untilMs: 10_000 });
  const s = summary(plan);
  assert.deepEqual(s.slice(0, 3), ['mld fe80::42:aff:fe00:1 1', 'router-solicitation fe80::42:aff:fe00:1', 'mld fe80::42:aff:fe00:1 1']);
  assert.equal(plan[0]!.atMs, 0);
  assert.equal(plan[2]!.atMs, LINK_UP_IPV6.mldStateChangeDelayMs);
  const reports = plan.filter((p) => p.what === 'mld-report');
  assert.equal(reports.length, 4);
  assert.ok(reports.every((p) => p.atMs < 1100));
});

test('linkUpIpv6Plan() for a router reports ff02::2 and the anycast group and sends no RS', () => {
  const draws = [0.524, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.38, 0.8, 0.56];
  const plan = linkUpIpv6Plan({ mac: MAC, forwarding: true, random: () => draws.shift() ?? 0.5 });
  assert.deepEqual(
    plan.filter((p) => p.what === 'mld-report').map((p) => hex(emitFrame(p.frame))),
    [
      ROUTER_MLD_TWO_GROUPS,
      ROUTER_MLD_TWO_GROUPS,
      ROUTER_MLD_THREE_GROUPS,
      ROUTER_MLD_ANYCAST_GROUP,
      ROUTER_MLD_ANYCAST_GROUP,
      ROUTER_MLD_THREE_GROUPS,
    ],
  );
  assert.ok(plan.every((p) => p.what !== 'router-solicitation'));
});

test('linkUpIpv6Plan() for a router without DAD sends four reports of all three groups', () => {
  const plan = linkUpIpv6Plan({ mac: MAC, forwarding: true, dad: false, random: seeded(3) });
  assert.deepEqual(summary(plan), Array(4).fill('mld fe80::42:aff:fe00:1 3'));
});

test("linkUpIpv6Plan() puts a bridge's ff02::6a after its solicited-node group", () => {
  const mac = '4e:15:ce:74:72:6f';
  const plan = linkUpIpv6Plan({ mac, openGroups: [IPV6_ALL_SNOOPERS], random: seeded(1), untilMs: 100 });
  const b = emitFrame(plan[0]!.frame);
  assert.equal(formatIpv6(b.subarray(14 + 48 + 12, 14 + 48 + 28)), 'ff02::1:ff74:726f');
  assert.equal(formatIpv6(b.subarray(14 + 48 + 32, 14 + 48 + 48)), 'ff02::6a');
});

test('LinkUpIpv6Series.sentFrame() is frame() with its packet made when read, and says its length', () => {
  const variants = [
    {},
    { dad: false },
    { forwarding: true },
    { forwarding: true, dad: false },
    { openGroups: [IPV6_ALL_SNOOPERS] },
    { openGroups: [IPV6_ALL_SNOOPERS], dad: false },
  ];
  for (const [n, v] of variants.entries()) {
    const series = linkUpIpv6Series({ mac: MAC, random: seeded(n + 1), untilMs: 60_000, ...v });
    assert.ok(series.length >= 3);
    for (let i = 0; i < series.length; i++) {
      const built = series.frame(i);
      const sent = series.sentFrame(i);
      assert.equal(frameHex(sent), frameHex(built), `variant ${n} frame ${i}`);
      assert.deepEqual([sent.dst, sent.src, sent.etherType], [built.dst, built.src, built.etherType]);
      const p = sent.payload as { length?: number; bytes: Uint8Array };
      assert.equal(p.length, p.bytes.length, `variant ${n} frame ${i}`);
    }
  }
});
