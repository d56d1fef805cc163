// The link-up builders against frames Linux 6.18 sent (veth in a fresh namespace, MAC
// 02:42:0a:00:00:01, captured with tcpdump -w), byte for byte. When they leave: src/kernel/addrconf.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  IPV6_ALL_ROUTERS,
  IPV6_UNSPECIFIED,
  dadNeighborSolicitation,
  emitFrame,
  formatIpv6,
  icmpv6Frame,
  linkLocalFromMac,
  mldv2Report,
  multicastMac,
  onesSum,
  parseIpv6,
  routerSolicitation,
  solicitedNodeGroup,
} from './index.js';
import type { Ipv6 } from './index.js';

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
