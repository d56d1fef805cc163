import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  WireError,
  emitFrame,
  emitFrameInto,
  emitIpv4,
  frameBufferLen,
  icmpChecksumOk,
  ipv4ChecksumOk,
  parseFrame,
  parseIpv4,
  parseIpv4Packet,
  tcpChecksumOk,
  udpChecksumOk,
} from './index.js';
import type { EthernetFrame, Ipv4Packet } from './index.js';

const fromHex = (h: string) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g)!, (x) => parseInt(x, 16));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// Frames Linux 6.x sent between two network namespaces (veth, tx checksum offload off so every
// checksum is final; vxlan id 42 on port 8472), captured with tcpdump -w.
const REAL = {
  arpRequest: 'ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 c0a83201 000000000000 c0a83202',
  arpReply: '020000000001 020000000002 0806 0001 0800 06 04 0002 020000000002 c0a83202 020000000001 c0a83201',
  echoRequest:
    '020000000002 020000000001 0800 4500003cd1744000400183f8c0a83201c0a83202' +
    '08005b51557e0001999a076b0000000055d107000000000065746c61626b6e65746c61626b6e6574',
  vxlanArp:
    '020000000002 020000000001 0800 4500004e0ffa000040118551c0a83201c0a83202 c23a2118003ac4d9 0800000000002a00' +
    'ffffffffffff0a0000000001080600010800060400010a00000000010af400010000000000000af40002',
  vxlanEcho:
    '020000000002 020000000001 0800 4500006e0ffb000040118530c0a83201c0a83202 d4202118005ad6a9 0800000000002a00' +
    '0a00000000020a0000000001 0800 4500003ce79a400040013d3c0af400010af40002' +
    '0800aaa255880001999a076b00000000950d090000000000101112131415161718191a1b1c1d1e1f',
  tcpSyn:
    '020000000002 020000000001 0800 4500003c296f400040062bf9c0a83201c0a83202' +
    '9ac41f90d449fbd200000000a002faf073ac0000 020405b40402080a1bbc4dde000000000103030a',
  tcpRst: '020000000001 020000000002 0800 450000280000400040065 57cc0a83202c0a83201 1f909ac400000000d449fbd350140000400a0000',
  udp: '020000000002 020000000001 0800 4500001f395b400040111c1fc0a83201c0a83202 829b270f000bfe6f 68690a',
  portUnreachable:
    '020000000001 020000000002 0800 45c0003b42e20000400151ccc0a83202c0a83201 0303e26d00000000' +
    '4500001f395b400040111c1fc0a83201c0a83202829b270f000bfe6f68690a',
};

for (const [name, hex] of Object.entries(REAL)) {
  test(`parseFrame() and emitFrame() are exact inverses on a real ${name}`, () => {
    const bytes = fromHex(hex);
    const frame = parseFrame(bytes);
    assert.equal(toHex(emitFrame(frame)), toHex(bytes));
    assert.equal(frameBufferLen(frame), bytes.length);
  });
}

test('parseFrame() decodes every layer of a real VXLAN-encapsulated ICMP echo', () => {
  const f = parseFrame(fromHex(REAL.vxlanEcho));
  assert.equal(f.payload.kind, 'ipv4');
  const outer = f.payload as Ipv4Packet;
  assert.equal(outer.payload.kind, 'udp');
  const udp = outer.payload;
  assert.ok(udp.kind === 'udp' && udp.dstPort === 8472 && udp.payload.kind === 'vxlan');
  const vx = udp.payload;
  assert.ok(vx.kind === 'vxlan');
  assert.equal(vx.flags, 0x08);
  assert.equal(vx.vni, 42);
  assert.equal(vx.payload.src, '0a:00:00:00:00:01');
  const inner = vx.payload.payload as Ipv4Packet;
  assert.equal(inner.src, parseIpv4('10.244.0.1'));
  assert.ok(inner.payload.kind === 'icmp' && inner.payload.type === 8 && inner.payload.rest === 0x55880001);
});

test('parseFrame() decodes a real ARP request', () => {
  const f = parseFrame(fromHex(REAL.arpRequest));
  assert.deepEqual(f, {
    kind: 'eth',
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:01',
    etherType: 0x0806,
    payload: {
      kind: 'arp',
      op: 1,
      senderMac: '02:00:00:00:00:01',
      senderIp: parseIpv4('192.168.50.1'),
      targetMac: '00:00:00:00:00:00',
      targetIp: parseIpv4('192.168.50.2'),
    },
  });
});

test('parseFrame() ignores Ethernet padding after an ARP packet and an IPv4 packet', () => {
  for (const hex of [REAL.arpRequest, REAL.udp]) {
    const bytes = fromHex(hex);
    const padded = new Uint8Array(60);
    padded.set(bytes);
    assert.equal(toHex(emitFrame(parseFrame(padded))), toHex(bytes));
  }
});

test('emitFrameInto() writes every byte of the frame and nothing around it', () => {
  const bytes = fromHex(REAL.vxlanEcho);
  const buf = new Uint8Array(bytes.length + 8).fill(0xa5);
  const n = emitFrameInto(parseFrame(bytes), buf, 4);
  assert.equal(n, bytes.length);
  assert.equal(toHex(buf.subarray(4, 4 + n)), toHex(bytes));
  assert.deepEqual([...buf.subarray(0, 4), ...buf.subarray(4 + n)], Array(8).fill(0xa5));
});

test('Ipv4 emit computes the header checksum', () => {
  const bytes = fromHex(REAL.echoRequest).subarray(14);
  const p = parseIpv4Packet(bytes);
  const out = emitIpv4(p);
  assert.equal(toHex(out.subarray(10, 12)), '83f8');
  assert.ok(ipv4ChecksumOk(out));
  out[8] = 63; // a TTL decrement without a checksum update
  assert.ok(!ipv4ChecksumOk(out));
});

test('emitted ICMP, UDP and TCP checksums verify, and a flipped bit fails them', () => {
  const icmp = emitIpv4(parseIpv4Packet(fromHex(REAL.echoRequest).subarray(14))).subarray(20);
  assert.ok(icmpChecksumOk(icmp));
  const src = parseIpv4('192.168.50.1')!;
  const dst = parseIpv4('192.168.50.2')!;
  const udp = fromHex(REAL.udp).subarray(34);
  assert.ok(udpChecksumOk(udp, src, dst));
  const tcp = fromHex(REAL.tcpSyn).subarray(34);
  assert.ok(tcpChecksumOk(tcp, src, dst));
  udp[8] = udp[8]! ^ 1;
  tcp[30] = tcp[30]! ^ 1;
  assert.ok(!udpChecksumOk(udp, src, dst));
  assert.ok(!tcpChecksumOk(tcp, src, dst));
});

const icmpEcho: Ipv4Packet = {
  kind: 'ipv4',
  tos: 0,
  id: 1,
  df: true,
  mf: false,
  fragOffset: 0,
  ttl: 64,
  protocol: 1,
  src: parseIpv4('10.0.0.1')!,
  dst: parseIpv4('10.0.0.2')!,
  options: new Uint8Array(),
  payload: { kind: 'icmp', type: 8, code: 0, rest: 0x00010001, data: new Uint8Array(4) },
};

test('Udp emit with zeroChecksum leaves the checksum 0, as Linux vxlan without udpcsum sends', () => {
  const p: Ipv4Packet = {
    ...icmpEcho,
    protocol: 17,
    payload: { kind: 'udp', srcPort: 1, dstPort: 2, zeroChecksum: true, payload: { kind: 'raw', bytes: new Uint8Array([1]) } },
  };
  const out = emitIpv4(p);
  assert.equal(toHex(out.subarray(26, 28)), '0000');
  const back = parseIpv4Packet(out);
  assert.ok(back.payload.kind === 'udp' && back.payload.zeroChecksum === true);
});

test('Udp emit sends a computed checksum of 0 as 0xffff (RFC 768)', () => {
  const withPayload = (bytes: Uint8Array): Ipv4Packet => ({
    ...icmpEcho,
    protocol: 17,
    payload: { kind: 'udp', srcPort: 1, dstPort: 2, payload: { kind: 'raw', bytes } },
  });
  // With a zero payload word the checksum is ~S; a payload word of 0xffff - S makes the sum
  // 0xffff, whose complement 0 must go on the wire as 0xffff.
  const probe = emitIpv4(withPayload(new Uint8Array(2)));
  const s = ~((probe[26]! << 8) | probe[27]!) & 0xffff;
  const word = 0xffff - s;
  const out = emitIpv4(withPayload(new Uint8Array([word >> 8, word & 0xff])));
  assert.equal(toHex(out.subarray(26, 28)), 'ffff');
  assert.ok(udpChecksumOk(out.subarray(20), icmpEcho.src, icmpEcho.dst));
});

test('IPv4-in-IPv4 emits and parses as nested packets (protocol 4)', () => {
  const outer: Ipv4Packet = {
    ...icmpEcho,
    protocol: 4,
    df: false,
    src: parseIpv4('192.168.10.101')!,
    dst: parseIpv4('192.168.10.102')!,
    payload: icmpEcho,
  };
  const bytes = emitIpv4(outer);
  assert.equal(bytes.length, 20 + 20 + 12);
  assert.equal(bytes[9], 4);
  assert.deepEqual(parseIpv4Packet(bytes), outer);
});

test('Ipv4 emit writes options and IHL; parse reads them back', () => {
  const p: Ipv4Packet = { ...icmpEcho, options: new Uint8Array([0x94, 0x04, 0x00, 0x00]) }; // Router Alert, RFC 2113
  const bytes = emitIpv4(p);
  assert.equal(bytes[0], 0x46);
  assert.ok(ipv4ChecksumOk(bytes));
  assert.deepEqual(parseIpv4Packet(bytes), p);
});

test('parseIpv4Packet() keeps a fragment payload raw and round-trips its flags', () => {
  const frag: Ipv4Packet = { ...icmpEcho, df: false, mf: true, fragOffset: 0, payload: { kind: 'raw', bytes: new Uint8Array(16) } };
  const later: Ipv4Packet = { ...frag, mf: false, fragOffset: 2 };
  for (const p of [frag, later]) assert.deepEqual(parseIpv4Packet(emitIpv4(p)), p);
  assert.equal(toHex(emitIpv4(later).subarray(6, 8)), '0002');
  assert.equal(toHex(emitIpv4(frag).subarray(6, 8)), '2000');
});

test('parseFrame() keeps a UDP payload on a VXLAN port raw when it does not look like VXLAN', () => {
  const p: Ipv4Packet = {
    ...icmpEcho,
    protocol: 17,
    payload: { kind: 'udp', srcPort: 4789, dstPort: 4789, payload: { kind: 'raw', bytes: new Uint8Array(20) } },
  };
  const back = parseIpv4Packet(emitIpv4(p));
  assert.ok(back.payload.kind === 'udp' && back.payload.payload.kind === 'raw');
});

test('parseFrame() keeps an unknown EtherType and IP protocol raw', () => {
  const f: EthernetFrame = {
    kind: 'eth',
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:01',
    etherType: 0x88cc,
    payload: { kind: 'raw', bytes: new Uint8Array([1, 2, 3]) },
  };
  assert.deepEqual(parseFrame(emitFrame(f)), f);
  const gre: Ipv4Packet = { ...icmpEcho, protocol: 47, payload: { kind: 'raw', bytes: new Uint8Array([0, 0, 8, 0]) } };
  assert.deepEqual(parseIpv4Packet(emitIpv4(gre)), gre);
});

test('parse errors are WireErrors naming the protocol and the problem', () => {
  const cases: [Uint8Array, (b: Uint8Array) => unknown, string][] = [
    [new Uint8Array(10), parseFrame, 'Ethernet: frame of 10 bytes is shorter than the 14-byte header'],
    [fromHex('4300001400000000400100000a0000010a000002'), parseIpv4Packet, 'IPv4: header length 3 words is below 5'],
    [fromHex('6500001400000000400100000a0000010a000002'), parseIpv4Packet, 'IPv4: version 6 is not 4'],
    [fromHex('4500003000000000400100000a0000010a000002'), parseIpv4Packet, 'IPv4: total length 48 exceeds the 20 bytes captured'],
    [
      fromHex('4500001800000000401100000a0000010a00000200010002'),
      parseIpv4Packet,
      'UDP: datagram of 4 bytes is shorter than the 8-byte header',
    ],
    [fromHex('4500001c00000000401100000a0000010a0000020001000200200000'), parseIpv4Packet, 'UDP: length 32 exceeds the 8 bytes available'],
    [
      fromHex('4500001800000000400100000a0000010a00000208000000'),
      parseIpv4Packet,
      'ICMP: message of 4 bytes is shorter than the 8-byte header',
    ],
    [
      fromHex(REAL.arpRequest.replace('0001 0800 06 04', '0006 0800 06 04')),
      parseFrame,
      'ARP: htype 6 ptype 0x0800 hlen 6 plen 4 is not Ethernet/IPv4',
    ],
  ];
  for (const [bytes, parse, message] of cases) {
    assert.throws(
      () => parse(bytes),
      (e: unknown) => e instanceof WireError && e.message === message,
      message,
    );
  }
});

test('emit rejects a payload the EtherType or protocol field does not name', () => {
  const f: EthernetFrame = { kind: 'eth', dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01', etherType: 0x0806, payload: icmpEcho };
  assert.throws(() => emitFrame(f), /^WireError: Ethernet: EtherType 0x0806 does not match the ipv4 payload \(expected 0x0800\)$/);
  assert.throws(() => emitIpv4({ ...icmpEcho, protocol: 17 }), /IPv4: protocol 17 does not match the icmp payload \(expected 1\)/);
  assert.throws(() => emitIpv4({ ...icmpEcho, options: new Uint8Array(3) }), /IPv4: options of 3 bytes are not a multiple of 4 up to 40/);
});
