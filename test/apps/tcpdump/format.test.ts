// Golden tests: each capture below is built with wire/'s emitter and written with PcapWriter;
// testdata/<capture>.<flags>.txt holds what the real tcpdump 4.99.3 printed for it (its first
// line names the command). `UPDATE_GOLDEN=1` reruns the real tcpdump to rewrite them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  IPV6_UNSPECIFIED,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  PcapWriter,
  dadNeighborSolicitation,
  emitFrame,
  emitIpv4,
  emitTcpOptions,
  icmpv6Frame,
  linkLocalFromMac,
  makeEchoReply,
  makeEchoRequest,
  makeIcmpError,
  mldv2Report,
  onesSum,
  parseIpv4,
  parseIpv6,
  readPcap,
  routerSolicitation,
  setIcmpv6Checksum,
  solicitedNodeGroup,
} from '../../../src/wire/index.js';
import type { EthernetFrame, Ipv4Packet, TcpSegment, UdpDatagram } from '../../../src/wire/index.js';
import { TcpdumpPrinter, formatPcap, formatTimestamp } from '../../../src/apps/tcpdump/format.js';
import type { TcpdumpOptions } from '../../../src/apps/tcpdump/format.js';

const TESTDATA = fileURLToPath(new URL('../../../../src/apps/tcpdump/testdata/', import.meta.url));
const fromHex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!, (x) => parseInt(x, 16));
const ip = (s: string) => parseIpv4(s)!;

// ---- packet builders ----

const MAC_A = '02:42:0a:00:00:01';
const MAC_B = '02:42:0a:00:00:02';
const PING_DATA = Uint8Array.from({ length: 56 }, (_, i) => i);

function ipv4(src: string, dst: string, payload: Ipv4Packet['payload'], over: Partial<Ipv4Packet> = {}): Ipv4Packet {
  const protocol = { icmp: 1, udp: 17, tcp: 6, ipv4: 4, raw: 253 }[payload.kind];
  return {
    kind: 'ipv4',
    tos: 0,
    id: 0x1234,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol,
    src: ip(src),
    dst: ip(dst),
    options: new Uint8Array(),
    payload,
    ...over,
  };
}

function eth(payload: EthernetFrame['payload'], src = MAC_A, dst = MAC_B, etherType?: number): EthernetFrame {
  return { kind: 'eth', dst, src, etherType: etherType ?? (payload.kind === 'arp' ? 0x0806 : 0x0800), payload };
}

function udp(srcPort: number, dstPort: number, payload: UdpDatagram['payload'], zeroChecksum = false): UdpDatagram {
  return { kind: 'udp', srcPort, dstPort, zeroChecksum, payload };
}

function tcp(over: Partial<TcpSegment>): TcpSegment {
  return {
    kind: 'tcp',
    srcPort: 40000,
    dstPort: 80,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 64240,
    urgent: 0,
    options: new Uint8Array(),
    payload: new Uint8Array(),
    ...over,
  };
}

const text = (s: string) => new TextEncoder().encode(s);
const raw = (bytes: Uint8Array) => ({ kind: 'raw', bytes }) as const;
const ts = (val: number, ecr: number) => emitTcpOptions([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val, ecr }]);
const synOptions = (val: number, ecr: number) =>
  emitTcpOptions([{ kind: 'mss', mss: 1460 }, { kind: 'sackOK' }, { kind: 'ts', val, ecr }, { kind: 'nop' }, { kind: 'wscale', shift: 7 }]);

/** A frame with one byte flipped: checksums tcpdump -v/-vv must flag. */
function corrupt(f: EthernetFrame, offset: number): Uint8Array {
  const b = emitFrame(f);
  b[offset]! ^= 0x0f;
  return b;
}

function podEcho(): EthernetFrame {
  return eth(
    ipv4('10.244.2.7', '10.244.1.7', makeEchoRequest(4096, 0, PING_DATA), { id: 28247, ttl: 63 }),
    'aa:bb:cc:00:00:01',
    'aa:bb:cc:00:00:02',
  );
}

function vxlan(port: number, inner: EthernetFrame, zero = true): EthernetFrame {
  return eth(
    ipv4('192.168.102.4', '192.168.102.3', udp(47851, port, { kind: 'vxlan', flags: 0x08, vni: 1, payload: inner }, zero), {
      id: 60220,
      df: false,
    }),
  );
}

function ethernetCapture(): Uint8Array[] {
  const echo = ipv4('10.0.0.1', '10.0.0.2', makeEchoRequest(1, 1, PING_DATA), { id: 28247 });
  const dns = ipv4('1.2.3.4', '5.6.7.8', udp(5000, 6000, raw(new Uint8Array(12))));
  const syn = ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 123, flags: 0x02, options: synOptions(1000, 0) }));
  const router = (m: ReturnType<typeof makeIcmpError>, dst = '1.2.3.4') =>
    eth(ipv4('10.0.0.254', dst, m, { tos: 0xc0, df: false }), MAC_B, MAC_A);
  const paddedArp = new Uint8Array(60);
  paddedArp.set(
    emitFrame(
      eth(
        { kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.0.0.1'), targetMac: MAC_B, targetIp: ip('10.0.0.2') },
        MAC_A,
        'ff:ff:ff:ff:ff:ff',
      ),
    ),
  );
  const frames: (EthernetFrame | Uint8Array)[] = [
    // ARP
    eth(
      { kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.0.0.1'), targetMac: '00:00:00:00:00:00', targetIp: ip('10.0.0.2') },
      MAC_A,
      'ff:ff:ff:ff:ff:ff',
    ),
    eth({ kind: 'arp', op: 2, senderMac: MAC_B, senderIp: ip('10.0.0.2'), targetMac: MAC_A, targetIp: ip('10.0.0.1') }, MAC_B, MAC_A),
    paddedArp,
    // ICMP echo
    eth(echo),
    eth(ipv4('10.0.0.2', '10.0.0.1', makeEchoReply(1, 1, PING_DATA), { id: 555, df: false }), MAC_B, MAC_A),
    // UDP
    eth(dns),
    eth(ipv4('1.2.3.4', '5.6.7.8', udp(5000, 6000, raw(text('hi\n')), true))),
    // ICMP errors, quoting as Linux does and as RFC 792 minimally does
    router(makeIcmpError(3, 3, dns)),
    router(makeIcmpError(3, 1, dns)),
    router(makeIcmpError(3, 0, dns)),
    router(makeIcmpError(11, 0, echo), '10.0.0.1'),
    router(makeIcmpError(11, 1, dns)),
    router(makeIcmpError(3, 2, dns)),
    router(makeIcmpError(3, 4, dns, { rest: 1450 })),
    router(makeIcmpError(3, 13, dns)),
    router(makeIcmpError(3, 10, dns)),
    router(makeIcmpError(3, 3, dns, { quote: 'rfc792' })),
    router(makeIcmpError(3, 3, syn, { quote: 'rfc792' }), '10.0.0.1'),
    router(makeIcmpError(3, 3, syn), '10.0.0.1'),
    // VXLAN: tcpdump decodes 4789 as VXLAN, 8472 as OTV unless -T vxlan
    vxlan(4789, podEcho()),
    vxlan(8472, podEcho()),
    vxlan(
      8472,
      eth(
        {
          kind: 'arp',
          op: 1,
          senderMac: 'aa:bb:cc:00:00:01',
          senderIp: ip('10.244.2.7'),
          targetMac: '00:00:00:00:00:00',
          targetIp: ip('10.244.1.7'),
        },
        'aa:bb:cc:00:00:01',
        'ff:ff:ff:ff:ff:ff',
      ),
      false,
    ),
    // TCP: handshake, data, close; sequence numbers become relative after the SYN-ACK
    eth(syn),
    eth(
      ipv4(
        '10.0.0.2',
        '10.0.0.1',
        tcp({ srcPort: 80, dstPort: 40000, seq: 999, ack: 124, flags: 0x12, window: 65160, options: synOptions(2000, 1000) }),
      ),
      MAC_B,
      MAC_A,
    ),
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 124, ack: 1000, flags: 0x10, window: 502, options: ts(1001, 2000) }))),
    eth(
      ipv4(
        '10.0.0.1',
        '10.0.0.2',
        tcp({
          seq: 124,
          ack: 1000,
          flags: 0x18,
          window: 502,
          options: ts(1001, 2000),
          payload: text('GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n'),
        }),
      ),
    ),
    eth(
      ipv4(
        '10.0.0.2',
        '10.0.0.1',
        tcp({
          srcPort: 80,
          dstPort: 40000,
          seq: 1000,
          ack: 158,
          flags: 0x18,
          window: 509,
          options: ts(2001, 1001),
          payload: text('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n'),
        }),
      ),
      MAC_B,
      MAC_A,
    ),
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 158, ack: 1041, flags: 0x11, window: 502 }))),
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 80, dstPort: 40000, seq: 1041, flags: 0x04, window: 0 })), MAC_B, MAC_A),
    // TCP first seen mid-connection, with SACK, urgent data and an unknown option
    eth(
      ipv4(
        '10.0.0.2',
        '10.0.0.1',
        tcp({
          srcPort: 22,
          dstPort: 40003,
          seq: 5,
          ack: 6,
          flags: 0xf8,
          urgent: 3,
          options: emitTcpOptions([
            { kind: 'sack', blocks: [[10, 20]] },
            { kind: 'other', type: 99, data: new Uint8Array([1, 2]) },
          ]),
          payload: new Uint8Array(4),
        }),
      ),
      MAC_B,
      MAC_A,
    ),
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 22, dstPort: 40003, seq: 9, ack: 6, flags: 0x10 })), MAC_B, MAC_A),
    // HTTP on 8080 that is not a request or response line
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ dstPort: 8080, seq: 1, ack: 1, flags: 0x18, payload: text('hello\r\nworld') }))),
    // IPIP, IP options, fragments, unknown protocol and EtherType
    eth(
      ipv4('192.168.10.101', '192.168.10.102', ipv4('172.16.158.4', '172.16.184.1', makeEchoRequest(61463, 1, PING_DATA)), { df: false }),
    ),
    eth(ipv4('10.0.0.1', '10.0.0.2', makeEchoRequest(1, 2, PING_DATA), { options: new Uint8Array([0x94, 0x04, 0x00, 0x00]), tos: 0x12 })),
    eth(ipv4('10.0.0.1', '10.0.0.2', raw(new Uint8Array(24)), { protocol: 17, mf: true })),
    eth(ipv4('10.0.0.1', '10.0.0.2', raw(new Uint8Array(24)), { protocol: 17, fragOffset: 3 })),
    eth(ipv4('10.0.0.1', '10.0.0.2', raw(new Uint8Array(20)))),
    eth(raw(Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75])), MAC_A, MAC_B, 0x1234),
    // Bad checksums: IP header, UDP, TCP, ICMP
    corrupt(eth(dns), 14 + 10),
    corrupt(eth(dns), 14 + 20 + 6),
    corrupt(eth(syn), 14 + 20 + 16),
    corrupt(eth(echo), 14 + 20 + 2),
  ];
  return frames.map((f) => (f instanceof Uint8Array ? f : emitFrame(f)));
}

/** Frames Linux sent between two namespaces (veth; vxlan id 42 on 8472), as wire tests use. */
function linuxCapture(): Uint8Array[] {
  return [
    'ffffffffffff02000000000108060001080006040001020000000001c0a83201000000000000c0a83202',
    '02000000000102000000000208060001080006040002020000000002c0a83202020000000001c0a83201',
    '02000000000202000000000108004500003cd1744000400183f8c0a83201c0a8320208005b51557e0001999a076b0000000055d107000000000065746c61626b6e65746c61626b6e6574',
    '02000000000202000000000108004500004e0ffa000040118551c0a83201c0a83202c23a2118003ac4d90800000000002a00ffffffffffff0a0000000001080600010800060400010a00000000010af400010000000000000af40002',
    '02000000000202000000000108004500006e0ffb000040118530c0a83201c0a83202d4202118005ad6a90800000000002a000a00000000020a000000000108004500003ce79a400040013d3c0af400010af400020800aaa255880001999a076b00000000950d090000000000101112131415161718191a1b1c1d1e1f',
    '02000000000202000000000108004500003c296f400040062bf9c0a83201c0a832029ac41f90d449fbd200000000a002faf073ac0000020405b40402080a1bbc4dde000000000103030a',
    '020000000001020000000002080045000028000040004006557cc0a83202c0a832011f909ac400000000d449fbd350140000400a0000',
    '02000000000202000000000108004500001f395b400040111c1fc0a83201c0a83202829b270f000bfe6f68690a',
    '020000000001020000000002080045c0003b42e20000400151ccc0a83202c0a832010303e26d000000004500001f395b400040111c1fc0a83201c0a83202829b270f000bfe6f68690a',
  ].map(fromHex);
}

/** What tunl0 shows under Calico IPIP: raw IPv4, no link header. */
function rawCapture(): Uint8Array[] {
  const pod = ipv4('172.16.158.4', '172.16.184.1', makeEchoRequest(41434, 1, PING_DATA));
  return [
    emitIpv4(pod),
    emitIpv4(ipv4('172.16.184.1', '172.16.158.4', makeEchoReply(41434, 1, PING_DATA), { df: false })),
    emitIpv4(ipv4('192.168.10.101', '192.168.10.102', pod, { df: false })),
  ];
}

/**
 * IPv6 frames Linux 6.18 sent on link-up and during a link-local ping (veth pair; DAD on, host
 * and forwarding=1): MLDv2 reports from :: and fe80::, the DAD probe with its nonce, router
 * solicitation, neighbour solicitation/advertisement, echo request/reply with flow labels.
 */
function linuxIpv6Capture(): Uint8Array[] {
  return [
    '33330000001602420a00000186dd600000000024000100000000000000000000000000000000ff0200000000000000000000000000163a000502000001008f006f890000000104000000ff0200000000000000000001ff000001',
    '3333ff00000102420a00000186dd6000000000203aff00000000000000000000000000000000ff0200000000000000000001ff0000018700d88200000000fe8000000000000000420afffe0000010e01cadeb7a909cf',
    '33330000001602420a00000186dd6000000000240001fe8000000000000000420afffe000001ff0200000000000000000000000000163a000502000001008f0067c50000000104000000ff0200000000000000000001ff000001',
    '33330000000202420a00000186dd6000000000103afffe8000000000000000420afffe000001ff020000000000000000000000000002850066a800000000010102420a000001',
    '33330000001602420a00000186dd600000000038000100000000000000000000000000000000ff0200000000000000000000000000163a000502000001008f006c6f0000000204000000ff0200000000000000000001ff00000104000000ff020000000000000000000000000002',
    '33330000001602420a00000186dd60000000004c0001fe8000000000000000420afffe000001ff0200000000000000000000000000163a000502000001008f0062910000000304000000ff0200000000000000000001ff00000004000000ff0200000000000000000001ff00000104000000ff020000000000000000000000000002',
    '33330000001602420a00000186dd6000000000240001fe8000000000000000420afffe000001ff0200000000000000000000000000163a000502000001008f0067c60000000104000000ff0200000000000000000001ff000000',
    '3333ff00000202420a00000186dd6000000000203afffe8000000000000000420afffe000001ff0200000000000000000001ff00000287005dd100000000fe8000000000000000420afffe000002010102420a000001',
    '02420a00000102420a00000286dd6000000000203afffe8000000000000000420afffe000002fe8000000000000000420afffe0000018800f21160000000fe8000000000000000420afffe000002020102420a000002',
    '02420a00000202420a00000186dd60086c1600403a40fe8000000000000000420afffe000001fe8000000000000000420afffe00000280001a7a0a2e00013ba4076b000000003c710d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    '02420a00000102420a00000286dd600ce21a00403a40fe8000000000000000420afffe000002fe8000000000000000420afffe0000018100197a0a2e00013ba4076b000000003c710d0000000000101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637',
    '02420a00000102420a00000286dd6000000000203afffe8000000000000000420afffe000002fe8000000000000000420afffe0000018700541300000000fe8000000000000000420afffe000001010102420a000002',
    '02420a00000202420a00000186dd6000000000183afffe8000000000000000420afffe000001fe8000000000000000420afffe0000028800206040000000fe8000000000000000420afffe000001',
  ].map(fromHex);
}

// ---- IPv6 packet builders ----

const v6 = (s: string) => parseIpv6(s)!;
const LL_A = 'fe80::42:aff:fe00:1';
const LL_B = 'fe80::42:aff:fe00:2';

interface Ip6Options {
  readonly hlim?: number;
  readonly tc?: number;
  readonly flow?: number;
  /** The payload length field, when it should disagree with the payload. */
  readonly plen?: number;
}

/** An IPv6 packet as bytes: the header, then `payload` (extension headers included) as given. */
function ip6(src: string, dst: string, nh: number, payload: Uint8Array, o: Ip6Options = {}): Uint8Array {
  const b = new Uint8Array(40 + payload.length);
  const tc = o.tc ?? 0;
  const flow = o.flow ?? 0;
  const plen = o.plen ?? payload.length;
  b.set([0x60 | (tc >> 4), ((tc & 15) << 4) | (flow >> 16), (flow >> 8) & 0xff, flow & 0xff, plen >> 8, plen & 0xff, nh, o.hlim ?? 64]);
  b.set(v6(src), 8);
  b.set(v6(dst), 24);
  b.set(payload, 40);
  return b;
}

/** An ICMPv6 message with its checksum over the pseudo-header of `src` and `dst`. */
function icmp6(src: string, dst: string, type: number, code: number, body: ArrayLike<number>): Uint8Array {
  const m = new Uint8Array(4 + body.length);
  m[0] = type;
  m[1] = code;
  m.set(body, 4);
  return setIcmpv6Checksum(v6(src), v6(dst), m);
}

/** An IPv6 packet carrying ICMPv6, optionally after extension headers (whose last says 58). */
function icmp6Packet(
  src: string,
  dst: string,
  type: number,
  code: number,
  body: ArrayLike<number>,
  o: Ip6Options & { ext?: { nh: number; bytes: number[] } } = {},
): Uint8Array {
  const m = icmp6(src, dst, type, code, body);
  const ext = o.ext ? Uint8Array.from(o.ext.bytes) : new Uint8Array(0);
  return ip6(src, dst, o.ext ? o.ext.nh : 58, Uint8Array.from([...ext, ...m]), { hlim: 255, ...o });
}

function eth6(packet: Uint8Array, src = MAC_A, dst = MAC_B): Uint8Array {
  return emitFrame({ kind: 'eth', dst, src, etherType: 0x86dd, payload: raw(packet) });
}

const bytesOf = (...parts: (number | ArrayLike<number>)[]) => parts.flatMap((p) => (typeof p === 'number' ? [p] : Array.from(p)));
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u16 = (n: number) => [n >>> 8, n & 0xff];
const macBytes = (m: string) => m.split(':').map((x) => parseInt(x, 16));

/** Frames that exercise the IPv6 printer: knetlab's link-up builders, ND, MLD, errors, extension headers. */
function ipv6Capture(): Uint8Array[] {
  const ll = linkLocalFromMac(MAC_A);
  const sn = solicitedNodeGroup(ll);
  const g = '2001:db8::1';
  const q = '2001:db8::2';
  const quoted = (nh: number, payload: number[]) => Array.from(ip6(q, '2001:db8::99', nh, Uint8Array.from(payload), { hlim: 63 }));
  const udpHead = [0x9c, 0x40, 0x00, 0x35, 0, 20, 0, 0];
  const pi = bytesOf(3, 4, 64, 0xc0, u32(86400), u32(14400), u32(0), v6('2001:db8::'));
  const rdnss = bytesOf(25, 5, 0, 0, u32(0xffffffff), v6('2001:db8::53'), v6('2001:db8::54'));
  const route = bytesOf(24, 2, 48, 0x08, u32(1800), v6('2001:db8:1::').subarray(0, 8));
  const raBody = bytesOf(
    64,
    0xc8,
    u16(1800),
    u32(30000),
    u32(1000),
    1,
    1,
    macBytes(MAC_B),
    5,
    1,
    0,
    0,
    u32(1500),
    pi,
    rdnss,
    route,
    7,
    1,
    0,
    0,
    u32(600000),
    8,
    1,
    0,
    0,
    u16(10),
    u16(20),
    99,
    1,
    1,
    2,
    3,
    4,
    5,
    6,
  );
  const frames: Uint8Array[] = [
    // knetlab's link-up frames
    emitFrame(mldv2Report(MAC_A, IPV6_UNSPECIFIED, [sn])),
    emitFrame(dadNeighborSolicitation(MAC_A, ll, Uint8Array.of(1, 2, 3, 4, 5, 6))),
    emitFrame(dadNeighborSolicitation(MAC_A, ll)),
    emitFrame(mldv2Report(MAC_A, ll, [sn, v6('ff02::2'), v6('ff02::6a')])),
    emitFrame(routerSolicitation(MAC_A, ll)),
    emitFrame(routerSolicitation(MAC_A, IPV6_UNSPECIFIED)),
    // MLDv2 records with sources and unusual types; MLDv1; MLDv2 queries
    emitFrame(
      icmpv6Frame(
        MAC_A,
        ll,
        v6('ff02::16'),
        Uint8Array.from(
          bytesOf(
            143,
            0,
            0,
            0,
            0,
            0,
            0,
            3,
            1,
            0,
            0,
            2,
            v6('ff05::1:3'),
            v6(g),
            v6(q),
            6,
            0,
            0,
            0,
            v6('ff0e::1'),
            7,
            0,
            0,
            0,
            v6('ff02::fb'),
          ),
        ),
        { hopLimit: 1 },
      ),
    ),
    emitFrame(
      icmpv6Frame(MAC_A, ll, v6('ff02::16'), Uint8Array.from(bytesOf(143, 0, 0, 0, 0, 0, 0, 2, 4, 0, 0, 0, v6('ff02::fb'))), {
        hopLimit: 1,
      }),
    ),
    eth6(icmp6Packet(LL_A, 'ff02::fb', 131, 0, bytesOf(u16(0), 0, 0, v6('ff02::fb')), { hlim: 1 })),
    eth6(icmp6Packet(LL_A, 'ff02::2', 132, 0, bytesOf(u16(0), 0, 0, v6('ff02::fb')), { hlim: 1 })),
    eth6(icmp6Packet(LL_B, 'ff02::1', 130, 0, bytesOf(u16(10000), 0, 0, v6('::')), { hlim: 1 })),
    eth6(icmp6Packet(LL_B, 'ff02::1', 130, 0, bytesOf(u16(10000), 0, 0, v6('::'), 0x0a, 125, u16(0)), { hlim: 1 })),
    eth6(icmp6Packet(LL_B, 'ff02::1', 130, 0, bytesOf(u16(0x8123), 0, 0, v6('ff05::3'), 0x02, 0x90, u16(2), v6(g), v6(q)), { hlim: 1 })),
    eth6(icmp6Packet(LL_B, 'ff02::1', 130, 0, bytesOf(u16(0), 0, 0, 1, 2, 3, 4), { hlim: 1 })),
    // Neighbour Discovery
    eth6(icmp6Packet(LL_A, 'ff02::1:ff00:2', 135, 0, bytesOf(0, 0, 0, 0, v6(LL_B), 1, 1, macBytes(MAC_A)))),
    eth6(icmp6Packet(LL_B, LL_A, 136, 0, bytesOf(0xe0, 0, 0, 0, v6(LL_B), 2, 1, macBytes(MAC_B)))),
    eth6(icmp6Packet(LL_B, 'ff02::1', 136, 0, bytesOf(0, 0, 0, 0, v6(LL_B)))),
    eth6(icmp6Packet(LL_B, 'ff02::1', 134, 0, raBody)),
    eth6(
      icmp6Packet(
        LL_B,
        LL_A,
        137,
        0,
        bytesOf(0, 0, 0, 0, v6('fe80::1'), v6(g), 2, 1, macBytes(MAC_B), 4, 2, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8),
      ),
    ),
    // echo and errors
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(7), u16(1), PING_DATA), { hlim: 64, flow: 0x12345, tc: 0xb8 })),
    eth6(icmp6Packet(q, g, 129, 0, bytesOf(u16(7), u16(1), PING_DATA), { hlim: 64 })),
    eth6(icmp6Packet(q, g, 1, 4, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 1, 4, bytesOf(0, 0, 0, 0, quoted(6, [0x9c, 0x40, 0, 80, 0, 0, 0, 0])))),
    eth6(icmp6Packet(q, g, 1, 4, bytesOf(0, 0, 0, 0, quoted(60, [17, 0, 1, 4, 0, 0, 0, 0, ...udpHead])))),
    eth6(icmp6Packet(q, g, 1, 4, bytesOf(0, 0, 0, 0, quoted(99, [1, 2, 3, 4])))),
    eth6(icmp6Packet(q, g, 1, 0, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 1, 1, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 1, 2, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 1, 3, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 1, 6, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 2, 0, bytesOf(u32(1280), quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 3, 0, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 3, 1, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    eth6(icmp6Packet(q, g, 3, 5, bytesOf(0, 0, 0, 0, quoted(17, udpHead)))),
    ...[0, 1, 2, 3, 9].map((code) => eth6(icmp6Packet(q, g, 4, code, bytesOf(u32(40), quoted(17, udpHead))))),
    eth6(icmp6Packet(q, g, 4, 0, bytesOf(u32(40), 1, 2, 3))),
    // types without a decoder here, unknown and rarely seen ones
    eth6(icmp6Packet(q, g, 250, 0, bytesOf(1, 2, 3, 4, 5, 6, 7, 8, 9))),
    eth6(icmp6Packet(q, g, 141, 0, bytesOf(0, 0, 0, 0))),
    eth6(icmp6Packet(q, g, 144, 0, bytesOf(u16(0x1234), 0, 0))),
    eth6(icmp6Packet(q, g, 145, 0, bytesOf(u16(0x1234), 0, 0, v6('2001:db8::7')))),
    eth6(icmp6Packet(q, g, 147, 0, bytesOf(u16(0x1234), u16(0xc000), pi))),
    eth6(icmp6Packet(q, g, 201, 0, bytesOf(1, 2, 3, 4))),
    // extension headers, other next headers
    eth6(
      icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), {
        ext: { nh: 60, bytes: [58, 1, 0, 1, 1, 0, 0x1e, 2, 0xaa, 0xbb, 0xc2, 4, 0, 1, 0, 0] },
      }),
    ),
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), { ext: { nh: 0, bytes: [58, 0, 0xc2, 4, 0, 1, 0, 0] } })),
    eth6(
      icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), {
        ext: { nh: 0, bytes: [60, 0, 5, 2, 0, 0, 1, 0, 58, 2, 0xc9, 18, ...v6('2001:db8::abc'), 0, 1, 0, 0, 0, 0, 0, 0] },
      }),
    ),
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), { ext: { nh: 0, bytes: [58, 0, 5, 3, 0, 0, 0, 0] } })),
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), { ext: { nh: 0, bytes: [0, 0, 1, 4, 0, 0, 0, 0, 58, 0, 1, 4, 0, 0, 0, 0] } })),
    eth6(
      ip6(
        g,
        q,
        44,
        Uint8Array.from([58, 0, 0, 1, 0, 0, 0x12, 0x34, ...icmp6(g, q, 128, 0, bytesOf(u16(1), u16(2), PING_DATA)).subarray(0, 24)]),
      ),
    ),
    eth6(ip6(g, q, 44, Uint8Array.from([58, 0, 0, 24, 0, 0, 0x12, 0x34, 1, 2, 3, 4, 5, 6, 7, 8]))),
    eth6(ip6(g, q, 253, new Uint8Array(12))),
    eth6(ip6(g, q, 59, new Uint8Array(0))),
    eth6(ip6(g, q, 1, new Uint8Array(8))),
    eth6(ip6(g, q, 2, new Uint8Array(8))),
    eth6(ip6(g, q, 4, emitIpv4(ipv4('10.0.0.1', '10.0.0.2', makeEchoRequest(1, 1, PING_DATA))))),
    eth6(ip6(g, q, 41, ip6(LL_A, LL_B, 59, new Uint8Array(0)))),
    emitFrame(eth(ipv4('192.0.2.1', '192.0.2.2', raw(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)))), { protocol: 41, df: false }))),
    emitFrame(eth(ipv4('192.0.2.1', '192.0.2.2', raw(new Uint8Array(8)), { protocol: 58 }))),
    emitFrame(eth(ipv4('192.0.2.1', '192.0.2.2', raw(new Uint8Array(8)), { protocol: 59 }))),
    // malformed: bad checksum, short payload, payload length 0, wrong version, short header, cut off
    eth6(
      (() => {
        const p = icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)));
        p[42]! ^= 0xff;
        return p;
      })(),
    ),
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), { plen: 200 })),
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2)), { plen: 0 })),
    eth6(emitIpv4(ipv4('10.0.0.1', '10.0.0.2', makeEchoRequest(1, 1, PING_DATA)))),
    eth6(new Uint8Array(30).fill(0x60, 0, 1)),
    eth6(icmp6Packet(LL_B, 'ff02::1', 134, 0, raBody)).subarray(0, 14 + 40 + 16 + 20),
    eth6(icmp6Packet(g, q, 128, 0, bytesOf(u16(1), u16(2), PING_DATA), { ext: { nh: 0, bytes: [58, 0, 5, 2, 0, 0, 1, 0] } })).subarray(
      0,
      14 + 44,
    ),
    emitFrame(mldv2Report(MAC_A, ll, [sn, v6('ff02::2')])).subarray(0, 14 + 48 + 8 + 30),
  ];
  return frames;
}

/** IPv6 on a link without a link header (a tun device, an ip6tnl). */
function rawIpv6Capture(): Uint8Array[] {
  return [
    icmp6Packet('2001:db8::1', '2001:db8::2', 128, 0, bytesOf(u16(7), u16(1), PING_DATA), { hlim: 64 }),
    ip6('2001:db8::1', '2001:db8::2', 59, new Uint8Array(0)),
    Uint8Array.of(0x50, 0, 0, 0),
  ];
}

/**
 * IGMP: the IGMPv3 report a Linux 6.18 bridge with multicast snooping sent for 224.0.0.106 when it
 * came up (from 0.0.0.0, Router Alert option), then queries, v1/v2 reports, leave and mtrace.
 */
function igmpCapture(): Uint8Array[] {
  const bridgeReport = fromHex(
    '01005e0000164e15ce74726f080046c0002800004000010203fa00000000e0000016940400002200f9930000000104000000e000006a',
  );
  const igmp = (dst: string, body: number[], over: Partial<Ipv4Packet> = {}) => {
    const m = Uint8Array.from(body);
    const sum = ~onesSum(m, 0, m.length) & 0xffff;
    m[2] = sum >>> 8;
    m[3] = sum & 0xff;
    return emitFrame(
      eth(
        ipv4('10.0.0.1', dst, raw(m), { protocol: 2, ttl: 1, tos: 0xc0, options: Uint8Array.of(0x94, 4, 0, 0), ...over }),
        MAC_A,
        '01:00:5e:00:00:01',
      ),
    );
  };
  const a = (s: string) => {
    const n = ip(s);
    return [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
  };
  const badSum = igmp('224.0.0.1', [0x11, 100, 0, 0, 0, 0, 0, 0]);
  badSum[badSum.length - 5]! ^= 1;
  return [
    bridgeReport,
    igmp('224.0.0.22', [
      0x22,
      0,
      0,
      0,
      0,
      0,
      0,
      2,
      1,
      0,
      0,
      2,
      ...a('239.1.1.1'),
      ...a('10.0.0.7'),
      ...a('10.0.0.8'),
      9,
      0,
      0,
      0,
      ...a('239.1.1.2'),
    ]),
    igmp('224.0.0.22', [0x22, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, ...a('239.1.1.1')]),
    igmp('224.0.0.1', [0x11, 100, 0, 0, 0, 0, 0, 0, 0x0a, 125, 0, 0]),
    igmp('224.0.0.1', [0x11, 0x8f, 0, 0, ...a('239.1.1.1'), 0x02, 125, 0, 2, ...a('10.0.0.7'), ...a('10.0.0.8')]),
    igmp('224.0.0.1', [0x11, 35, 0, 0, ...a('239.1.1.1'), 0, 125, 0, 1, 1, 2, 3]),
    igmp('224.0.0.1', [0x11, 100, 0, 0, 0, 0, 0, 0]),
    igmp('239.1.1.1', [0x11, 10, 0, 0, ...a('239.1.1.1')]),
    igmp('224.0.0.1', [0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
    igmp('239.1.1.1', [0x12, 0, 0, 0, ...a('239.1.1.1')]),
    igmp('239.1.1.1', [0x16, 0, 0, 0, ...a('239.1.1.1')]),
    igmp('224.0.0.2', [0x17, 0, 0, 0, ...a('239.1.1.1')]),
    igmp('224.0.0.2', [0x1f, 0, 0, 0, ...a('239.1.1.1'), ...a('10.0.0.7'), ...a('10.0.0.8'), ...a('224.0.1.32'), 32, 0, 1, 2]),
    igmp('224.0.0.2', [0x1e, 0, 0, 0, ...a('239.1.1.1'), ...a('10.0.0.7'), ...a('10.0.0.8'), ...a('10.0.0.9'), 32, 0, 1, 2]),
    igmp('224.0.0.2', [0x33, 0, 0, 0]),
    badSum,
  ];
}

interface Capture {
  readonly name: string;
  readonly linkType: number;
  readonly frames: () => Uint8Array[];
  readonly flags: readonly (readonly string[])[];
}

const CAPTURES: Capture[] = [
  {
    name: 'ethernet',
    linkType: LINKTYPE_ETHERNET,
    frames: ethernetCapture,
    flags: [[], ['-e'], ['-v'], ['-vv'], ['-T', 'vxlan'], ['-e', '-vv', '-T', 'vxlan']],
  },
  { name: 'linux', linkType: LINKTYPE_ETHERNET, frames: linuxCapture, flags: [[], ['-e'], ['-vv'], ['-T', 'vxlan']] },
  { name: 'raw', linkType: LINKTYPE_RAW, frames: rawCapture, flags: [[], ['-e'], ['-v']] },
  { name: 'linux-ipv6', linkType: LINKTYPE_ETHERNET, frames: linuxIpv6Capture, flags: [[], ['-e'], ['-v'], ['-vv']] },
  { name: 'ipv6', linkType: LINKTYPE_ETHERNET, frames: ipv6Capture, flags: [[], ['-e'], ['-v'], ['-vv']] },
  { name: 'raw-ipv6', linkType: LINKTYPE_RAW, frames: rawIpv6Capture, flags: [[], ['-e'], ['-v']] },
  { name: 'igmp', linkType: LINKTYPE_ETHERNET, frames: igmpCapture, flags: [[], ['-v'], ['-vv']] },
];

/** Timestamps spread over a day, with sub-millisecond parts, to exercise the time format. */
function pcapOf(c: Capture): Uint8Array {
  const w = new PcapWriter(c.linkType);
  c.frames().forEach((f, i) => w.add(i * 3_723_001.25 + i / 8, f));
  return w.toBytes();
}

function optionsOf(flags: readonly string[]): TcpdumpOptions {
  const v = flags.find((f) => /^-v+$/.test(f));
  return { linkHeader: flags.includes('-e'), verbose: v ? v.length - 1 : 0, packetType: flags.includes('vxlan') ? 'vxlan' : undefined };
}

// ---- golden files ----

function goldenPath(c: Capture, flags: readonly string[]): string {
  return join(TESTDATA, `${c.name}.${['nn', ...flags.map((f) => f.replace(/^-/, ''))].join('-')}.txt`);
}

function commandLine(c: Capture, flags: readonly string[]): string {
  return `# TZ=UTC tcpdump -nn ${flags.map((f) => `${f} `).join('')}-r ${c.name}.pcap  (tcpdump 4.99.3, Debian bookworm)\n`;
}

function realTcpdump(pcap: Uint8Array, flags: readonly string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-tcpdump-'));
  try {
    const file = join(dir, 'capture.pcap');
    writeFileSync(file, pcap);
    return execFileSync('tcpdump', ['-nn', ...flags, '-r', file], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function tcpdumpVersion(): string | undefined {
  try {
    return /tcpdump version (\S+)/.exec(execFileSync('tcpdump', ['--version'], { encoding: 'utf8' }))?.[1];
  } catch {
    return undefined;
  }
}

/** Asserts `actual` equals the golden body; on failure shows where the lines part ways. */
function assertGolden(actual: string, path: string, header: string): void {
  assert.ok(existsSync(path), `${path} is missing; run with UPDATE_GOLDEN=1 where tcpdump 4.99.3 is installed`);
  const expected = readFileSync(path, 'utf8').slice(header.length);
  if (actual === expected) return;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let i = 0;
  while (a[i] === b[i]) i++;
  const context = a.slice(Math.max(0, i - 2), i).map((l) => `  ${l}`);
  const diff = [...context, `- ${a[i] ?? '<end>'}`, `+ ${b[i] ?? '<end>'}`].join('\n');
  assert.fail(`${path} differs at line ${i + 2}:\n${diff}`);
}

const version = tcpdumpVersion();
const realSkip =
  version === '4.99.3' ? false : `tcpdump 4.99.3 is not installed (found ${version ?? 'none'}); goldens not re-checked against it`;

for (const c of CAPTURES) {
  for (const flags of c.flags) {
    const label = `tcpdump -nn ${flags.join(' ')}`.trim();
    test(`formatPcap() prints the ${c.name} capture as ${label} does`, () => {
      const pcap = pcapOf(c);
      const header = commandLine(c, flags);
      if (process.env.UPDATE_GOLDEN) {
        assert.equal(version, '4.99.3', 'UPDATE_GOLDEN needs the real tcpdump 4.99.3');
        writeFileSync(goldenPath(c, flags), header + realTcpdump(pcap, flags));
      }
      assertGolden(formatPcap(readPcap(pcap), optionsOf(flags)), goldenPath(c, flags), header);
    });
    test(`the ${c.name} golden for ${label} is what the real tcpdump prints`, { skip: realSkip }, () => {
      const expected = readFileSync(goldenPath(c, flags), 'utf8').slice(commandLine(c, flags).length);
      assert.equal(realTcpdump(pcapOf(c), flags), expected);
    });
  }
}

// ---- unit tests ----

test('formatTimestamp() prints time of day from virtual milliseconds', () => {
  assert.equal(formatTimestamp(0), '00:00:00.000000');
  assert.equal(formatTimestamp(1.5), '00:00:00.001500');
  assert.equal(formatTimestamp(3_723_004.0009), '01:02:03.004001');
  assert.equal(formatTimestamp(86_400_000 + 1000), '00:00:01.000000');
});

test("TcpdumpPrinter prints the seed lab's flannel VXLAN line with -vv -T vxlan", () => {
  const frame = emitFrame(
    eth(
      ipv4('192.168.102.4', '192.168.102.3', udp(47851, 8472, { kind: 'vxlan', flags: 0x08, vni: 1, payload: podEcho() }, true), {
        id: 60220,
        df: false,
      }),
    ),
  );
  const p = new TcpdumpPrinter(LINKTYPE_ETHERNET, { verbose: 2, packetType: 'vxlan' });
  assert.equal(
    p.format(frame),
    'IP (tos 0x0, ttl 64, id 60220, offset 0, flags [none], proto UDP (17), length 134)\n' +
      '    192.168.102.4.47851 > 192.168.102.3.8472: VXLAN, flags [I] (0x08), vni 1\n' +
      'IP (tos 0x0, ttl 63, id 28247, offset 0, flags [DF], proto ICMP (1), length 84)\n' +
      '    10.244.2.7 > 10.244.1.7: ICMP echo request, id 4096, seq 0, length 64',
  );
});

test('TcpdumpPrinter marks a frame cut short by the snaplen as tcpdump does', () => {
  const frame = emitFrame(eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 1, flags: 0x02 }))));
  const p = new TcpdumpPrinter(LINKTYPE_ETHERNET);
  assert.equal(p.format(frame.subarray(0, 40), frame.length), 'IP 10.0.0.1.40000 > 10.0.0.2.80:  [|tcp]');
  assert.equal(p.format(frame.subarray(0, 10), frame.length), ' [|ether]');
});

// ---- differential test on random packets ----

/**
 * A seeded mix of well-formed and malformed packets within what format.ts claims to decode
 * (no DNS/SMTP/... ports, no 802.3/LLC frames, no DVMRP or PIMv1 in IGMP), cut short now and then.
 */
function randomCapture(seed: number): { ether: Uint8Array; raw: Uint8Array } {
  let state = seed;
  const rnd = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const ri = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[ri(a.length)]!;
  const bytes = (n: number) => Uint8Array.from({ length: n }, () => pick([0, 1, 0x41, 0x0d, 0x0a, 0x20, ri(256)]));
  const addr = () => pick([0x0a000001, 0x0a000002, 0xc0a80001, ri(2 ** 32) >>> 0]);
  const u32 = () => ri(2 ** 32) >>> 0;

  const transport = (depth: number): [number, Ipv4Packet['payload']] => {
    switch (ri(depth > 1 ? 5 : 6)) {
      case 0: {
        const type = pick([0, 8, 3, 3, 11, 5, 12, 4, 9, 13, 14, 17, 18, ri(256)]);
        const code = type === 3 ? ri(17) : ri(3);
        let data: Uint8Array = bytes(ri(40));
        if ([3, 4, 5, 11, 12].includes(type) && rnd() < 0.8) {
          data = makeIcmpError(type, code, emitIpv4(packet(depth + 1)), { quote: pick(['rfc792', 548, 12, 30] as const) }).data;
        }
        return [1, { kind: 'icmp', type, code, rest: u32(), data }];
      }
      case 1: {
        const vx = rnd() < 0.5 && depth < 2;
        const ports = vx ? [4789, 8472] : [5000, 40000, 12345];
        const payload: UdpDatagram['payload'] = vx
          ? { kind: 'vxlan', flags: pick([8, 8, 0, 0x0c]), vni: ri(1 << 24), payload: frame(depth + 1) }
          : raw(bytes(ri(30)));
        return [17, udp(pick(ports), vx ? pick([4789, 8472, 5000]) : pick(ports), payload, rnd() < 0.3)];
      }
      case 2: {
        const pool: Parameters<typeof emitTcpOptions>[0][] = [
          [{ kind: 'mss', mss: ri(65536) }],
          [{ kind: 'nop' }],
          [{ kind: 'sackOK' }],
          [{ kind: 'ts', val: u32(), ecr: u32() }],
          [{ kind: 'wscale', shift: ri(15) }],
          [{ kind: 'sack', blocks: [[u32(), u32()]] }],
          [{ kind: 'eol' }],
          [{ kind: 'other', type: pick([99, 28, 19, 20]), data: bytes(ri(6)) }],
        ];
        let options = emitTcpOptions(Array.from({ length: ri(5) }, () => pick(pool)).flat());
        if (options.length > 40) options = options.subarray(0, 40);
        if (rnd() < 0.1) options = bytes(4 * ri(4));
        const http = [
          'GET / HTTP/1.1\r\nHost: x\r\n\r\n',
          'HTTP/1.1 404 Not Found\r\n',
          'POST /a HTTP/1.0\n\nbody',
          'xyz 200 ok\r\n',
          'SSH-2.0-x\r\n',
        ];
        const payload = rnd() < 0.3 ? text(pick(http)) : bytes(ri(20));
        return [
          6,
          tcp({
            srcPort: pick([80, 8080, 40000, 22, 443]),
            dstPort: pick([80, 8080, 40001, 40000]),
            seq: u32(),
            ack: u32(),
            flags: ri(256),
            window: ri(65536),
            urgent: ri(65536),
            options,
            payload,
          }),
        ];
      }
      case 3:
        if (rnd() < 0.4) {
          const igmp = Uint8Array.from([
            pick([0x11, 0x12, 0x16, 0x17, 0x22, 0x1e, 0x1f, 0x99]),
            pick([0, 100, 10, 0x8f, 0xff]),
            ...bytes(2 + 4 * ri(8)),
          ]);
          return [2, raw(igmp)];
        }
        return [pick([253, 99, 58, 59, 41]), raw(bytes(ri(30)))];
      case 4:
        return [pick([1, 6, 17]), raw(bytes(ri(30)))]; // too short for its protocol
      default:
        return [4, packet(depth + 1)];
    }
  };

  const packet = (depth = 0): Ipv4Packet => {
    const [protocol, payload] = transport(depth);
    const optionPool = [
      [1],
      [0],
      [148, 4, 0, ri(3)],
      [7, 7, 4, 10, 0, 0, 1],
      [131, 11, 8, 10, 0, 0, 1, 10, 0, 0, 2],
      [68, 4, 5, 0],
      [130, 3, 0],
    ];
    const options: number[] = [];
    if (rnd() < 0.2) for (let i = ri(3); i >= 0; i--) options.push(...pick(optionPool));
    while (options.length % 4) options.push(0);
    const fragment = rnd() < 0.1;
    const fragOffset = fragment ? ri(3) : 0;
    return {
      kind: 'ipv4',
      tos: pick([0, 0, 0xc0, 1, 2, 3, ri(256)]),
      id: ri(65536),
      df: rnd() < 0.5,
      mf: fragment && rnd() < 0.5,
      fragOffset,
      ttl: pick([64, 1, 0, 255]),
      protocol,
      src: addr(),
      dst: addr(),
      options: Uint8Array.from(options.slice(0, 40)),
      payload: fragOffset && payload.kind !== 'raw' ? raw(bytes(8)) : payload,
    };
  };

  const frame = (depth = 0): EthernetFrame => {
    const macs = [MAC_A, 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', 'aa:bb:cc:dd:ee:ff'];
    switch (ri(6)) {
      case 0:
        return eth(
          {
            kind: 'arp',
            op: pick([1, 2, 3, 4, 8, 9, 5]),
            senderMac: pick(macs),
            senderIp: addr(),
            targetMac: pick(macs),
            targetIp: addr(),
          },
          pick(macs),
          pick(macs),
        );
      case 1:
        return eth(raw(bytes(ri(40))), pick(macs), pick(macs), pick([0x1234, 0x88b5, 0x0806]));
      default:
        return eth(packet(depth), pick(macs), pick(macs));
    }
  };

  const ether = new PcapWriter(LINKTYPE_ETHERNET, pick([262144, 262144, 60, 90]));
  const rawIp = new PcapWriter(LINKTYPE_RAW);
  for (let i = 0; i < 300; i++) {
    let f = emitFrame(frame());
    if (rnd() < 0.1) f = f.subarray(0, ri(f.length));
    ether.add(i, f);
    rawIp.add(i, emitIpv4(packet()));
  }
  return { ether: ether.toBytes(), raw: rawIp.toBytes() };
}

test('TcpdumpPrinter agrees with the real tcpdump on seeded random packets', { skip: realSkip }, () => {
  for (const seed of [1, 2, 3]) {
    const capture = randomCapture(seed);
    for (const pcap of [capture.ether, capture.raw]) {
      for (const flags of [[], ['-e'], ['-v'], ['-vv']]) {
        const real = realTcpdump(pcap, flags).split('\n');
        const mine = formatPcap(readPcap(pcap), optionsOf(flags)).split('\n');
        const i = real.findIndex((line, n) => line !== mine[n]);
        assert.equal(i, -1, `seed ${seed}, tcpdump -nn ${flags.join(' ')}: line ${i}\n- ${real[i]}\n+ ${mine[i]}`);
        assert.equal(mine.length, real.length);
      }
    }
  }
});

/**
 * A seeded mix of IPv6 packets within what format.ts decodes (no TCP/UDP or other protocols
 * tcpdump has decoders for, no routing headers, no ICMPv6 node information, renumbering, RPL or
 * DNSSL), well-formed and not, cut short now and then.
 */
function randomIpv6Capture(seed: number): { ether: Uint8Array; raw: Uint8Array } {
  let state = seed;
  const rnd = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
  const ri = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(a: readonly T[]): T => a[ri(a.length)]!;
  const bytes = (n: number) => Array.from({ length: n }, () => pick([0, 1, 0xff, 0x80, ri(256)]));
  const addrs = [
    '::',
    '::1',
    'fe80::42:aff:fe00:1',
    'ff02::16',
    'ff02::1:ff00:1',
    '2001:db8::1',
    '::ffff:10.0.0.1',
    '::1.2.3.4',
    'ff02::1',
    '1:0:0:2::3',
  ];
  const addr = () => (rnd() < 0.8 ? Array.from(v6(pick(addrs))) : bytes(16));

  const ndOption = (): number[] => {
    switch (ri(12)) {
      case 0:
      case 1:
        return [pick([1, 2]), 1, ...bytes(6)];
      case 2:
        return [3, 4, ri(129), ri(256), ...u32(pick([0xffffffff, 3600, ri(2 ** 31)])), ...u32(ri(100)), 0, 0, 0, 0, ...addr()];
      case 3:
        return [5, 1, 0, 0, ...u32(pick([1500, 1280, ri(65536)]))];
      case 4: {
        const n = ri(3);
        return [25, 1 + 2 * n, 0, 0, ...u32(ri(10000)), ...Array.from({ length: n }, addr).flat()];
      }
      case 5: {
        const l = pick([1, 2, 3, 4]);
        return [24, l, ri(129), ri(256), ...u32(ri(10000)), ...bytes(8 * (l - 1))];
      }
      case 6:
        return [7, 1, 0, 0, ...u32(ri(100000))];
      case 7:
        return [8, 1, 0, 0, ...u16(ri(65536)), ...u16(ri(65536))];
      case 8:
        return [4, 2, ...bytes(14)];
      case 9:
        return [pick([14, 99, 200]), 1, ...bytes(6)];
      case 10:
        return [pick([1, 5, 99]), 0, ...bytes(6)];
      default:
        return [pick([1, 3, 25]), pick([2, 5]), ...bytes(ri(8))];
    }
  };
  const ndOptions = () => Array.from({ length: ri(4) }, ndOption).flat();

  const quotedPacket = (): number[] => {
    const nh = pick([17, 6, 60, 0, 44, 51, 99]);
    let payload: number[];
    if (nh === 60 || nh === 0) payload = [pick([17, 6]), 0, 1, 4, 0, 0, 0, 0, ...bytes(8)];
    else if (nh === 44) payload = [17, 0, ...u16(pick([0, 8])), ...bytes(4), ...bytes(8)];
    else if (nh === 51) payload = [17, 1, 0, 0, ...bytes(8), ...bytes(8)];
    else payload = bytes(8);
    const p = Array.from(ip6('2001:db8::2', '2001:db8::99', nh, Uint8Array.from(payload)));
    return rnd() < 0.2 ? p.slice(0, ri(p.length)) : p;
  };

  const icmpBody = (type: number): number[] => {
    switch (type) {
      case 1:
      case 2:
      case 3:
      case 4:
        return [...bytes(4), ...quotedPacket()];
      case 128:
      case 129:
        return [...bytes(4), ...bytes(ri(20))];
      case 130:
        return rnd() < 0.3
          ? [...bytes(4), ...addr()]
          : [
              ...u16(pick([0, 10000, 0x8000 + ri(0x8000)])),
              0,
              0,
              ...addr(),
              ri(256),
              ri(256),
              ...u16(ri(3)),
              ...Array.from({ length: ri(3) }, addr).flat(),
            ].slice(0, rnd() < 0.2 ? ri(40) : undefined);
      case 131:
      case 132:
        return [...bytes(4), ...addr()].slice(0, rnd() < 0.2 ? ri(20) : undefined);
      case 133:
        return [0, 0, 0, 0, ...ndOptions()];
      case 134:
        return [ri(256), ri(256), ...u16(ri(65536)), ...u32(ri(100000)), ...u32(ri(5000)), ...ndOptions()];
      case 135:
      case 136:
        return [...u32(ri(2 ** 32)), ...addr(), ...ndOptions()];
      case 137:
        return [0, 0, 0, 0, ...addr(), ...addr(), ...ndOptions()];
      case 143: {
        const n = ri(4);
        const records = Array.from({ length: n }, () => {
          const ns = ri(3);
          return [pick([1, 2, 3, 4, 5, 6, 9]), 0, ...u16(rnd() < 0.1 ? 9 : ns), ...addr(), ...Array.from({ length: ns }, addr).flat()];
        }).flat();
        return [0, 0, ...u16(rnd() < 0.1 ? n + 1 : n), ...records];
      }
      case 145:
        return [...bytes(4), ...Array.from({ length: ri(3) }, addr).flat(), ...bytes(ri(3))];
      case 147:
        return [...bytes(4), ...ndOptions()];
      default:
        return bytes(ri(24));
    }
  };

  const extHeader = (nh: number): [number, number[]] => {
    const optionPool = [
      [0],
      [1, 0],
      [1, 2, 0, 0],
      [5, 2, 0, 0],
      [5, 2, 0, 1],
      [5, 3, 0, 0, 0],
      [0xc2, 4, 0, 1, 0, 0],
      [0xc2, 4, 0, 0, 1, 0],
      [0xc9, 16, ...addr()],
      [0x1e, 1, 0xaa],
    ];
    switch (ri(3)) {
      case 0:
      case 1: {
        let opts = Array.from({ length: ri(4) }, () => pick(optionPool)).flat();
        if (rnd() < 0.8) while ((opts.length + 2) % 8) opts.push(0);
        const units = Math.max(0, Math.ceil((opts.length + 2) / 8) - 1);
        opts = [...opts, ...new Array(8 * (units + 1) - 2 - opts.length).fill(0)];
        return [pick([0, 60]), [nh, units, ...opts]];
      }
      default:
        return [44, [nh, 0, ...u16(pick([0, 0, 8, 0x1238 + ri(2)])), ...bytes(4)]];
    }
  };

  const packet = (depth = 0): Uint8Array => {
    const src = pick(addrs);
    const dst = pick(addrs);
    let nh = pick([58, 58, 58, 58, 59, 1, 2, 4, 77, 253, 60, 41]);
    let payload: number[];
    if (nh === 58) {
      const type = pick([
        1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 141, 142, 143, 144, 145, 146, 147, 200, 201, 0, 99, 255,
      ]);
      const m = icmp6(src, dst, type, pick([0, 0, 1, 2, 3, 4, 5, 6, 9]), icmpBody(type));
      if (rnd() < 0.1) m[2]! ^= 0x10;
      payload = Array.from(m);
    } else if (nh === 4) {
      payload = Array.from(emitIpv4(ipv4('10.0.0.1', '10.0.0.2', makeEchoRequest(1, 1, PING_DATA.subarray(0, 8)))));
    } else if (nh === 41 && depth < 2) {
      payload = Array.from(packet(depth + 1));
    } else {
      payload = bytes(ri(30));
    }
    for (let i = ri(4) === 0 ? ri(3) + 1 : 0; i > 0; i--) {
      const [type, header] = extHeader(nh);
      nh = type;
      payload = [...header, ...payload];
    }
    const plen = rnd() < 0.1 ? pick([0, ri(200), Math.max(0, payload.length - ri(8))]) : payload.length;
    return ip6(src, dst, nh, Uint8Array.from(payload), {
      hlim: pick([1, 64, 255]),
      tc: pick([0, 0, 0xb8, ri(256)]),
      flow: pick([0, 0, ri(1 << 20)]),
      plen,
    });
  };

  const ether = new PcapWriter(LINKTYPE_ETHERNET, pick([262144, 262144, 80, 110]));
  const rawIp = new PcapWriter(LINKTYPE_RAW);
  for (let i = 0; i < 300; i++) {
    let f = eth6(packet(), MAC_A, pick([MAC_B, '33:33:00:00:00:16']));
    if (rnd() < 0.1) f = f.subarray(0, ri(f.length));
    ether.add(i, f);
    rawIp.add(i, packet());
  }
  return { ether: ether.toBytes(), raw: rawIp.toBytes() };
}

test('TcpdumpPrinter agrees with the real tcpdump on seeded random IPv6 packets', { skip: realSkip }, () => {
  for (const seed of [1, 2, 3, 4]) {
    const capture = randomIpv6Capture(seed);
    for (const pcap of [capture.ether, capture.raw]) {
      for (const flags of [[], ['-e'], ['-v'], ['-vv']]) {
        const real = realTcpdump(pcap, flags).split('\n');
        const mine = formatPcap(readPcap(pcap), optionsOf(flags)).split('\n');
        const i = real.findIndex((line, n) => line !== mine[n]);
        assert.equal(i, -1, `seed ${seed}, tcpdump -nn ${flags.join(' ')}: line ${i}\n- ${real[i]}\n+ ${mine[i]}`);
        assert.equal(mine.length, real.length);
      }
    }
  }
});
