import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  PcapWriter,
  WireError,
  emitFrame,
  emitIpv4,
  makeEchoRequest,
  parseIpv4,
  pcapTimestamp,
  readPcap,
} from '../../src/wire/index.js';
import type { EthernetFrame, Ipv4Packet } from '../../src/wire/index.js';

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

function echo(src: string, dst: string, ttl = 64): Ipv4Packet {
  return {
    kind: 'ipv4',
    tos: 0,
    id: 0x1234,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl,
    protocol: 1,
    src: parseIpv4(src)!,
    dst: parseIpv4(dst)!,
    options: new Uint8Array(),
    payload: makeEchoRequest(
      7,
      1,
      Uint8Array.from({ length: 56 }, (_, i) => i),
    ),
  };
}

function eth(payload: Ipv4Packet, src = '02:00:00:00:00:01', dst = '02:00:00:00:00:02'): EthernetFrame {
  return { kind: 'eth', dst, src, etherType: 0x0800, payload };
}

/** Flannel's shape: pod ICMP in VXLAN (VNI 1, port 8472) between node IPs. */
function vxlanFrame(): EthernetFrame {
  const inner = eth(echo('10.244.1.2', '10.244.2.3', 63), 'aa:aa:aa:00:00:01', 'aa:aa:aa:00:00:02');
  return eth({
    ...echo('172.18.0.2', '172.18.0.3'),
    df: false,
    protocol: 17,
    payload: { kind: 'udp', srcPort: 40000, dstPort: 8472, payload: { kind: 'vxlan', flags: 0x08, vni: 1, payload: inner } },
  });
}

test('PcapWriter writes the libpcap header tcpdump writes on x86', () => {
  const bytes = new PcapWriter().toBytes();
  // magic a1b2c3d4 LE, version 2.4, thiszone 0, sigfigs 0, snaplen 262144, linktype 1
  assert.equal(toHex(bytes), 'd4c3b2a1' + '02000400' + '00000000' + '00000000' + '00000400' + '01000000');
});

test('PcapWriter stores virtual milliseconds as seconds and microseconds', () => {
  assert.deepEqual(pcapTimestamp(1500.25), { sec: 1, usec: 500250 });
  assert.deepEqual(pcapTimestamp(0.0004), { sec: 0, usec: 0 });
  const w = new PcapWriter(LINKTYPE_RAW);
  w.add(3_600_000.5, new Uint8Array([0x45]));
  const rec = w.toBytes().subarray(24);
  assert.equal(toHex(rec), '100e0000' + 'f4010000' + '01000000' + '01000000' + '45');
});

test('readPcap() reads back what PcapWriter wrote', () => {
  const w = new PcapWriter(LINKTYPE_ETHERNET, 64);
  const a = emitFrame(eth(echo('10.0.0.1', '10.0.0.2')));
  w.add(1.5, a);
  w.add(2, new Uint8Array([1, 2, 3]));
  const file = readPcap(w.toBytes());
  assert.equal(file.linkType, LINKTYPE_ETHERNET);
  assert.equal(file.snaplen, 64);
  assert.equal(file.records.length, 2);
  assert.equal(file.records[0]!.timeMs, 1.5);
  assert.equal(file.records[0]!.origLen, a.length);
  assert.equal(toHex(file.records[0]!.bytes), toHex(a.subarray(0, 64)), 'cut to the snaplen');
  assert.deepEqual([...file.records[1]!.bytes], [1, 2, 3]);
});

test('readPcap() reads big-endian and nanosecond files', () => {
  const header = 'a1b23c4d' + '00020004' + '00000000' + '00000000' + '0000ffff' + '00000065';
  const record = '00000001' + '000f4240' + '00000001' + '00000001' + '45';
  const file = readPcap(Uint8Array.from(Buffer.from(header + record, 'hex')));
  assert.equal(file.linkType, LINKTYPE_RAW);
  assert.equal(file.records[0]!.timeMs, 1001);
});

test('readPcap() rejects a file that is not pcap', () => {
  assert.throws(
    () => readPcap(new Uint8Array(24)),
    (e: unknown) => e instanceof WireError && /^pcap: magic number 0x00000000/.test(e.message),
  );
});

function has(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function withPcap<T>(bytes: Uint8Array, fn: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'knetlab-pcap-'));
  try {
    const path = join(dir, 'capture.pcap');
    writeFileSync(path, bytes);
    return fn(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const tshark = has('tshark') ? false : 'tshark is not installed (apt-get install -y tshark); pcap interoperability unchecked';

test('tshark reads our pcap: ICMP over Ethernet, and ICMP inside VXLAN on 8472', { skip: tshark }, () => {
  const w = new PcapWriter();
  w.add(0, emitFrame(eth(echo('10.0.0.1', '10.0.0.2'))));
  w.add(1, emitFrame(vxlanFrame()));
  const fields = withPcap(w.toBytes(), (path) =>
    execFileSync(
      'tshark',
      [
        '-r',
        path,
        '-d',
        'udp.port==8472,vxlan',
        '-o',
        'ip.check_checksum:TRUE',
        '-o',
        'udp.check_checksum:TRUE',
        '-T',
        'fields',
        '-e',
        'frame.protocols',
        '-e',
        'ip.checksum.status',
        '-e',
        'icmp.checksum.status',
        '-e',
        'udp.checksum.status',
        '-e',
        'vxlan.vni',
        '-e',
        'icmp.type',
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
    ),
  );
  // Checksum status 1 is "Good" in tshark's fields.
  assert.equal(
    fields,
    'eth:ethertype:ip:icmp:data\t1\t1\t\t\t8\n' + 'eth:ethertype:ip:udp:vxlan:eth:ethertype:ip:icmp:data\t1,1\t1\t1\t1\t8\n',
  );
});

test('tshark reads our raw-IP pcap of an IPIP packet', { skip: tshark }, () => {
  const w = new PcapWriter(LINKTYPE_RAW);
  w.add(0, emitIpv4({ ...echo('192.168.10.101', '192.168.10.102'), protocol: 4, payload: echo('172.16.158.4', '172.16.184.1') }));
  const fields = withPcap(w.toBytes(), (path) =>
    execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.protocols', '-e', 'ip.src'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }),
  );
  assert.equal(fields, 'raw:ip:ip:icmp:data\t192.168.10.101,172.16.158.4\n');
});
