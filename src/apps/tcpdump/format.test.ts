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
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  PcapWriter,
  emitFrame,
  emitIpv4,
  emitTcpOptions,
  makeEchoReply,
  makeEchoRequest,
  makeIcmpError,
  parseIpv4,
  readPcap,
} from '../../wire/index.js';
import type { EthernetFrame, Ipv4Packet, TcpSegment, UdpDatagram } from '../../wire/index.js';
import { TcpdumpPrinter, formatPcap, formatTimestamp } from './format.js';
import type { TcpdumpOptions } from './format.js';

const TESTDATA = fileURLToPath(new URL('../../../../src/apps/tcpdump/testdata/', import.meta.url));
const fromHex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!, (x) => parseInt(x, 16));
const ip = (s: string) => parseIpv4(s)!;

// ---- packet builders ----

const MAC_A = '02:42:0a:00:00:01';
const MAC_B = '02:42:0a:00:00:02';
const PING_DATA = Uint8Array.from({ length: 56 }, (_, i) => i);

function ipv4(src: string, dst: string, payload: Ipv4Packet['payload'], over: Partial<Ipv4Packet> = {}): Ipv4Packet {
  const protocol = { icmp: 1, udp: 17, tcp: 6, ipv4: 4, raw: 253 }[payload.kind];
  return { kind: 'ipv4', tos: 0, id: 0x1234, df: true, mf: false, fragOffset: 0, ttl: 64, protocol, src: ip(src), dst: ip(dst), options: new Uint8Array(), payload, ...over };
}

function eth(payload: EthernetFrame['payload'], src = MAC_A, dst = MAC_B, etherType?: number): EthernetFrame {
  return { kind: 'eth', dst, src, etherType: etherType ?? (payload.kind === 'arp' ? 0x0806 : 0x0800), payload };
}

function udp(srcPort: number, dstPort: number, payload: UdpDatagram['payload'], zeroChecksum = false): UdpDatagram {
  return { kind: 'udp', srcPort, dstPort, zeroChecksum, payload };
}

function tcp(over: Partial<TcpSegment>): TcpSegment {
  return { kind: 'tcp', srcPort: 40000, dstPort: 80, seq: 0, ack: 0, flags: 0, window: 64240, urgent: 0, options: new Uint8Array(), payload: new Uint8Array(), ...over };
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
  return eth(ipv4('10.244.2.7', '10.244.1.7', makeEchoRequest(4096, 0, PING_DATA), { id: 28247, ttl: 63 }), 'aa:bb:cc:00:00:01', 'aa:bb:cc:00:00:02');
}

function vxlan(port: number, inner: EthernetFrame, zero = true): EthernetFrame {
  return eth(ipv4('192.168.102.4', '192.168.102.3', udp(47851, port, { kind: 'vxlan', flags: 0x08, vni: 1, payload: inner }, zero), { id: 60220, df: false }));
}

function ethernetCapture(): Uint8Array[] {
  const echo = ipv4('10.0.0.1', '10.0.0.2', makeEchoRequest(1, 1, PING_DATA), { id: 28247 });
  const dns = ipv4('1.2.3.4', '5.6.7.8', udp(5000, 6000, raw(new Uint8Array(12))));
  const syn = ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 123, flags: 0x02, options: synOptions(1000, 0) }));
  const router = (m: ReturnType<typeof makeIcmpError>, dst = '1.2.3.4') => eth(ipv4('10.0.0.254', dst, m, { tos: 0xc0, df: false }), MAC_B, MAC_A);
  const paddedArp = new Uint8Array(60);
  paddedArp.set(emitFrame(eth({ kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.0.0.1'), targetMac: MAC_B, targetIp: ip('10.0.0.2') }, MAC_A, 'ff:ff:ff:ff:ff:ff')));
  const frames: (EthernetFrame | Uint8Array)[] = [
    // ARP
    eth({ kind: 'arp', op: 1, senderMac: MAC_A, senderIp: ip('10.0.0.1'), targetMac: '00:00:00:00:00:00', targetIp: ip('10.0.0.2') }, MAC_A, 'ff:ff:ff:ff:ff:ff'),
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
    vxlan(8472, eth({ kind: 'arp', op: 1, senderMac: 'aa:bb:cc:00:00:01', senderIp: ip('10.244.2.7'), targetMac: '00:00:00:00:00:00', targetIp: ip('10.244.1.7') }, 'aa:bb:cc:00:00:01', 'ff:ff:ff:ff:ff:ff'), false),
    // TCP: handshake, data, close; sequence numbers become relative after the SYN-ACK
    eth(syn),
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 80, dstPort: 40000, seq: 999, ack: 124, flags: 0x12, window: 65160, options: synOptions(2000, 1000) })), MAC_B, MAC_A),
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 124, ack: 1000, flags: 0x10, window: 502, options: ts(1001, 2000) }))),
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 124, ack: 1000, flags: 0x18, window: 502, options: ts(1001, 2000), payload: text('GET / HTTP/1.1\r\nHost: 10.0.0.2\r\n\r\n') }))),
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 80, dstPort: 40000, seq: 1000, ack: 158, flags: 0x18, window: 509, options: ts(2001, 1001), payload: text('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n') })), MAC_B, MAC_A),
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ seq: 158, ack: 1041, flags: 0x11, window: 502 }))),
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 80, dstPort: 40000, seq: 1041, flags: 0x04, window: 0 })), MAC_B, MAC_A),
    // TCP first seen mid-connection, with SACK, urgent data and an unknown option
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 22, dstPort: 40003, seq: 5, ack: 6, flags: 0xf8, urgent: 3, options: emitTcpOptions([{ kind: 'sack', blocks: [[10, 20]] }, { kind: 'other', type: 99, data: new Uint8Array([1, 2]) }]), payload: new Uint8Array(4) })), MAC_B, MAC_A),
    eth(ipv4('10.0.0.2', '10.0.0.1', tcp({ srcPort: 22, dstPort: 40003, seq: 9, ack: 6, flags: 0x10 })), MAC_B, MAC_A),
    // HTTP on 8080 that is not a request or response line
    eth(ipv4('10.0.0.1', '10.0.0.2', tcp({ dstPort: 8080, seq: 1, ack: 1, flags: 0x18, payload: text('hello\r\nworld') }))),
    // IPIP, IP options, fragments, unknown protocol and EtherType
    eth(ipv4('192.168.10.101', '192.168.10.102', ipv4('172.16.158.4', '172.16.184.1', makeEchoRequest(61463, 1, PING_DATA)), { df: false })),
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

interface Capture {
  readonly name: string;
  readonly linkType: number;
  readonly frames: () => Uint8Array[];
  readonly flags: readonly (readonly string[])[];
}

const CAPTURES: Capture[] = [
  { name: 'ethernet', linkType: LINKTYPE_ETHERNET, frames: ethernetCapture, flags: [[], ['-e'], ['-v'], ['-vv'], ['-T', 'vxlan'], ['-e', '-vv', '-T', 'vxlan']] },
  { name: 'linux', linkType: LINKTYPE_ETHERNET, frames: linuxCapture, flags: [[], ['-e'], ['-vv'], ['-T', 'vxlan']] },
  { name: 'raw', linkType: LINKTYPE_RAW, frames: rawCapture, flags: [[], ['-e'], ['-v']] },
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
    return execFileSync('tcpdump', ['-nn', ...flags, '-r', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'ignore'] });
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
const realSkip = version === '4.99.3' ? false : `tcpdump 4.99.3 is not installed (found ${version ?? 'none'}); goldens not re-checked against it`;

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

test('TcpdumpPrinter prints the seed lab\'s flannel VXLAN line with -vv -T vxlan', () => {
  const frame = emitFrame(
    eth(ipv4('192.168.102.4', '192.168.102.3', udp(47851, 8472, { kind: 'vxlan', flags: 0x08, vni: 1, payload: podEcho() }, true), { id: 60220, df: false })),
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
 * (no DNS/SMTP/... ports, no IPv6, no 802.3/LLC frames), cut short now and then.
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
          [{ kind: 'mss', mss: ri(65536) }], [{ kind: 'nop' }], [{ kind: 'sackOK' }], [{ kind: 'ts', val: u32(), ecr: u32() }],
          [{ kind: 'wscale', shift: ri(15) }], [{ kind: 'sack', blocks: [[u32(), u32()]] }], [{ kind: 'eol' }],
          [{ kind: 'other', type: pick([99, 28, 19, 20]), data: bytes(ri(6)) }],
        ];
        let options = emitTcpOptions(Array.from({ length: ri(5) }, () => pick(pool)).flat());
        if (options.length > 40) options = options.subarray(0, 40);
        if (rnd() < 0.1) options = bytes(4 * ri(4));
        const http = ['GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'HTTP/1.1 404 Not Found\r\n', 'POST /a HTTP/1.0\n\nbody', 'xyz 200 ok\r\n', 'SSH-2.0-x\r\n'];
        const payload = rnd() < 0.3 ? text(pick(http)) : bytes(ri(20));
        return [6, tcp({ srcPort: pick([80, 8080, 40000, 22, 443]), dstPort: pick([80, 8080, 40001, 40000]), seq: u32(), ack: u32(), flags: ri(256), window: ri(65536), urgent: ri(65536), options, payload })];
      }
      case 3:
        return [pick([253, 99]), raw(bytes(ri(30)))];
      case 4:
        return [pick([1, 6, 17]), raw(bytes(ri(30)))]; // too short for its protocol
      default:
        return [4, packet(depth + 1)];
    }
  };

  const packet = (depth = 0): Ipv4Packet => {
    const [protocol, payload] = transport(depth);
    const optionPool = [[1], [0], [148, 4, 0, ri(3)], [7, 7, 4, 10, 0, 0, 1], [131, 11, 8, 10, 0, 0, 1, 10, 0, 0, 2], [68, 4, 5, 0], [130, 3, 0]];
    const options: number[] = [];
    if (rnd() < 0.2) for (let i = ri(3); i >= 0; i--) options.push(...pick(optionPool));
    while (options.length % 4) options.push(0);
    const fragment = rnd() < 0.1;
    const fragOffset = fragment ? ri(3) : 0;
    return {
      kind: 'ipv4', tos: pick([0, 0, 0xc0, 1, 2, 3, ri(256)]), id: ri(65536), df: rnd() < 0.5, mf: fragment && rnd() < 0.5, fragOffset,
      ttl: pick([64, 1, 0, 255]), protocol, src: addr(), dst: addr(), options: Uint8Array.from(options.slice(0, 40)),
      payload: fragOffset && payload.kind !== 'raw' ? raw(bytes(8)) : payload,
    };
  };

  const frame = (depth = 0): EthernetFrame => {
    const macs = [MAC_A, 'ff:ff:ff:ff:ff:ff', '00:00:00:00:00:00', 'aa:bb:cc:dd:ee:ff'];
    switch (ri(6)) {
      case 0:
        return eth({ kind: 'arp', op: pick([1, 2, 3, 4, 8, 9, 5]), senderMac: pick(macs), senderIp: addr(), targetMac: pick(macs), targetIp: addr() }, pick(macs), pick(macs));
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
