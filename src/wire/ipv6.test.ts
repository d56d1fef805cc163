// The link-up builders against frames Linux 6.18 sent (veth in a fresh namespace, MAC
// 02:42:0a:00:00:01, captured with tcpdump -w), byte for byte, and the link-up plan against the
// order those captures show.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../sim/index.js';
import {
  IPV6_ALL_ROUTERS,
  IPV6_ALL_SNOOPERS,
  IPV6_UNSPECIFIED,
  LINK_UP_IPV6,
  dadNeighborSolicitation,
  emitFrame,
  formatIpv6,
  icmpv6Frame,
  linkLocalFromMac,
  linkUpIpv6Plan,
  mldv2Report,
  multicastMac,
  onesSum,
  parseIpv6,
  routerSolicitation,
  solicitedNodeGroup,
} from './index.js';
import type { Ipv6, PlannedFrame } from './index.js';

const fromHex = (h: string) => Uint8Array.from(h.match(/../g)!, (x) => parseInt(x, 16));
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const v6 = (s: string): Ipv6 => parseIpv6(s)!;

const MAC = '02:42:0a:00:00:01';
const LL = v6('fe80::42:aff:fe00:1');
const SN = v6('ff02::1:ff00:1');

/** Frames from the captures (DAD on, host; DAD on, forwarding=1). */
const LINUX = {
  mldFromUnspecified:
    '33330000001602420a00000186dd600000000024000100000000000000000000000000000000ff0200000000000000000000000000163a000502000001008f006f890000000104000000ff0200000000000000000001ff000001',
  dadNs:
    '3333ff00000102420a00000186dd6000000000203aff00000000000000000000000000000000ff0200000000000000000001ff0000018700d88200000000fe8000000000000000420afffe0000010e01cadeb7a909cf',
  mldFromLinkLocal:
    '33330000001602420a00000186dd6000000000240001fe8000000000000000420afffe000001ff0200000000000000000000000000163a000502000001008f0067c50000000104000000ff0200000000000000000001ff000001',
  rs: '33330000000202420a00000186dd6000000000103afffe8000000000000000420afffe000001ff020000000000000000000000000002850066a800000000010102420a000001',
  routerMldTwoGroups:
    '33330000001602420a00000186dd600000000038000100000000000000000000000000000000ff0200000000000000000000000000163a000502000001008f006c6f0000000204000000ff0200000000000000000001ff00000104000000ff020000000000000000000000000002',
  routerMldThreeGroups:
    '33330000001602420a00000186dd60000000004c0001fe8000000000000000420afffe000001ff0200000000000000000000000000163a000502000001008f0062910000000304000000ff0200000000000000000001ff00000004000000ff0200000000000000000001ff00000104000000ff020000000000000000000000000002',
  routerMldAnycastGroup:
    '33330000001602420a00000186dd6000000000240001fe8000000000000000420afffe000001ff0200000000000000000000000000163a000502000001008f0067c60000000104000000ff0200000000000000000001ff000000',
};

test('linkLocalFromMac() builds the EUI-64 address with the U/L bit flipped', () => {
  assert.equal(formatIpv6(linkLocalFromMac(MAC)), 'fe80::42:aff:fe00:1');
  assert.equal(formatIpv6(linkLocalFromMac('4e:15:ce:74:72:6f')), 'fe80::4c15:ceff:fe74:726f');
  assert.equal(formatIpv6(linkLocalFromMac('00:00:00:00:00:00')), 'fe80::200:ff:fe00:0');
});

test('solicitedNodeGroup() and multicastMac() map an address to its group and MAC', () => {
  assert.equal(formatIpv6(solicitedNodeGroup(LL)), 'ff02::1:ff00:1');
  assert.equal(formatIpv6(solicitedNodeGroup(v6('fe80::4c15:ceff:fe74:726f'))), 'ff02::1:ff74:726f');
  assert.equal(formatIpv6(solicitedNodeGroup(v6('fe80::'))), 'ff02::1:ff00:0');
  assert.equal(multicastMac(SN), '33:33:ff:00:00:01');
  assert.equal(multicastMac(v6('ff02::16')), '33:33:00:00:00:16');
});

test('formatIpv6() writes what glibc inet_ntop() writes', () => {
  // Left: any spelling; right: Python's socket.inet_ntop() on Debian bookworm (glibc 2.36).
  const cases: [string, string][] = [
    ['::', '::'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4'],
    ['::1.2.3.4', '::1.2.3.4'],
    ['::0.1.0.0', '::0.1.0.0'],
    ['::ffff:0:0', '::ffff:0.0.0.0'],
    ['0:0:0:0:0:1:0:0', '::1:0:0'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['0:0:0:0:0:0:ffff:1', '::255.255.0.1'],
    ['0:0:0:0:1:ffff:1:1', '::1:ffff:1:1'],
    ['ABCD:EF01:2345:6789:abcd:ef01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
    ['0:0:0:0:0:ffff:0:1', '::ffff:0.0.0.1'],
  ];
  for (const [text, want] of cases) assert.equal(formatIpv6(v6(text)), want, text);
});

test('parseIpv6() rejects what is not an address', () => {
  for (const bad of [
    '',
    ':',
    '1:2:3:4:5:6:7',
    '1:2:3:4:5:6:7:8:9',
    '1::2::3',
    '12345::',
    'g::',
    '::1.2.3',
    '::256.1.1.1',
    '1:2:3:4:5:6:7::8',
  ]) {
    assert.equal(parseIpv6(bad), undefined, bad);
  }
  assert.equal(hex(parseIpv6('1:2:3:4:5:6:7:8')!), '00010002000300040005000600070008');
});

test('mldv2Report() is the MLDv2 report Linux sends, during DAD and after', () => {
  assert.equal(hex(emitFrame(mldv2Report(MAC, IPV6_UNSPECIFIED, [SN]))), LINUX.mldFromUnspecified);
  assert.equal(hex(emitFrame(mldv2Report(MAC, LL, [SN]))), LINUX.mldFromLinkLocal);
});

test('mldv2Report() lists several groups in the order given', () => {
  assert.equal(hex(emitFrame(mldv2Report(MAC, IPV6_UNSPECIFIED, [SN, IPV6_ALL_ROUTERS]))), LINUX.routerMldTwoGroups);
  assert.equal(hex(emitFrame(mldv2Report(MAC, LL, [v6('ff02::1:ff00:0'), SN, IPV6_ALL_ROUTERS]))), LINUX.routerMldThreeGroups);
});

test('routerSolicitation() is the RS Linux sends, with the source link-layer option', () => {
  assert.equal(hex(emitFrame(routerSolicitation(MAC, LL))), LINUX.rs);
});

test('routerSolicitation() from :: has no link-layer option (RFC 4861 §4.1)', () => {
  const b = emitFrame(routerSolicitation(MAC, IPV6_UNSPECIFIED));
  assert.equal(b.length, 14 + 40 + 8);
  assert.equal(b[14 + 5], 8);
  assert.equal(onesSum(b, 14 + 40, 8, 0x3a + 8 + onesSum(b, 22, 32)), 0xffff);
});

test('dadNeighborSolicitation() is the DAD probe Linux sends, nonce and all', () => {
  assert.equal(hex(emitFrame(dadNeighborSolicitation(MAC, LL, fromHex('cadeb7a909cf')))), LINUX.dadNs);
  const plain = emitFrame(dadNeighborSolicitation(MAC, LL));
  assert.equal(plain.length, 14 + 40 + 24);
  assert.throws(() => dadNeighborSolicitation(MAC, LL, new Uint8Array(4)), /ICMPv6: a DAD nonce has 6 bytes here, not 4/);
});

test('icmpv6Frame() needs a destination MAC for a unicast destination', () => {
  assert.throws(
    () => icmpv6Frame(MAC, LL, v6('fe80::2'), new Uint8Array(8), { hopLimit: 64 }),
    /IPv6: a frame to unicast fe80::2 needs a destination MAC/,
  );
  const f = icmpv6Frame(MAC, LL, v6('fe80::2'), Uint8Array.of(128, 0, 0xa5, 0xa5, 0, 1, 0, 2), {
    hopLimit: 64,
    dstMac: '02:42:0a:00:00:02',
    flowLabel: 0x86c16,
  });
  assert.equal(hex(emitFrame(f)).slice(28, 36), '60086c16');
});

// ---- the plan ----

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
    [
      LINUX.mldFromUnspecified,
      LINUX.dadNs,
      LINUX.mldFromUnspecified,
      LINUX.mldFromLinkLocal,
      LINUX.rs,
      LINUX.mldFromLinkLocal,
      LINUX.rs,
      LINUX.rs,
    ],
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
      LINUX.routerMldTwoGroups,
      LINUX.routerMldTwoGroups,
      LINUX.routerMldThreeGroups,
      LINUX.routerMldAnycastGroup,
      LINUX.routerMldAnycastGroup,
      LINUX.routerMldThreeGroups,
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
