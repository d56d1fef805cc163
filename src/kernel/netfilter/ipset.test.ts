// The ipset registry as the packet path and kube-proxy use it. Output formats are checked against
// the real tool in src/apps/ipset/golden.test.ts; here: matching, extensions and invariants.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue } from '../../sim/index.js';
import { parseIpv4 } from '../../wire/index.js';
import { IpsetError, IpsetRegistry } from './ipset.js';
import { jhash2, jhash3words } from './jhash.js';

const ip = (s: string): number => parseIpv4(s)!;
const TCP = 6;
const UDP = 17;

function registry(): { reg: IpsetRegistry; clock: EventQueue } {
  const clock = new EventQueue();
  return { reg: new IpsetRegistry(clock, { initval: () => 0x12345678 }), clock };
}

test('jhash2 and jhash_3words give lookup3 values (cross-checked with the kernel through bucket order)', () => {
  // Bucket numbers the real kernel used for hash:ip,port members (initval 0xe44f5939, 1024 buckets)
  // follow from these values; the ipset goldens check the same arithmetic end to end.
  assert.equal(jhash2([0x0a01c80a, 0x0635_00], 0xe44f5939) & 1023, 92);
  assert.equal(jhash3words(1, 2, 3, 0), jhash3words(1, 2, 3, 0));
  assert.notEqual(jhash2([1], 0), jhash2([1], 1));
});

test('IpsetRegistry.match() takes dst,dst from the packet for a hash:ip,port set (KUBE-CLUSTER-IP)', () => {
  const { reg } = registry();
  reg.create('KUBE-CLUSTER-IP', 'hash:ip,port');
  reg.add('KUBE-CLUSTER-IP', { ip: ip('10.96.0.1'), proto: TCP, port: 443 });
  reg.add('KUBE-CLUSTER-IP', { ip: ip('10.96.0.10'), proto: UDP, port: 53 });
  const pkt = { src: ip('10.244.1.5'), dst: ip('10.96.0.1'), proto: TCP, sport: 40000, dport: 443 };
  assert.equal(reg.match('KUBE-CLUSTER-IP', ['dst', 'dst'], pkt), true);
  assert.equal(reg.match('KUBE-CLUSTER-IP', ['dst', 'src'], pkt), false, 'source port 40000 is not a member');
  assert.equal(reg.match('KUBE-CLUSTER-IP', ['dst', 'dst'], { ...pkt, proto: UDP }), false, 'the protocol is part of the element');
  assert.equal(reg.match('KUBE-CLUSTER-IP', ['dst'], pkt), false, 'fewer flags than the set has dimensions never match');
  assert.equal(reg.match('KUBE-CLUSTER-IP', ['dst', 'dst'], { src: 1, dst: ip('10.96.0.10'), proto: UDP, sport: 1, dport: 53 }), true);
  assert.equal(reg.match('NO-SUCH-SET', ['dst', 'dst'], pkt), false);
});

test('IpsetRegistry.match() on hash:net tries each prefix length present, longest first, and honours nomatch', () => {
  const { reg } = registry();
  reg.create('N', 'hash:net');
  reg.add('N', { ip: ip('10.0.0.0'), cidr: 8 });
  reg.add('N', { ip: ip('10.1.0.0'), cidr: 16, nomatch: true });
  reg.add('N', { ip: ip('10.1.2.0'), cidr: 24 });
  const at = (dst: string): boolean => reg.match('N', ['dst'], { src: 0, dst: ip(dst), proto: TCP, dport: 80 });
  assert.equal(at('10.9.9.9'), true, '/8 covers it');
  assert.equal(at('10.1.9.9'), false, 'the /16 nomatch entry is the longest match');
  assert.equal(at('10.1.2.9'), true, 'the /24 is longer than the nomatch /16');
  assert.equal(at('11.0.0.1'), false);
  reg.del('N', { ip: ip('10.1.0.0'), cidr: 16 });
  assert.equal(at('10.1.9.9'), true, 'with the nomatch entry gone the /8 matches');
});

test('IpsetRegistry.match() on hash:ip,port,net and hash:ip,port,ip (KUBE-LOOP-BACK, source ranges)', () => {
  const { reg } = registry();
  reg.create('LB-SRC', 'hash:ip,port,net');
  reg.add('LB-SRC', { ip: ip('172.18.255.200'), proto: TCP, port: 80, ip2: ip('192.168.0.0'), cidr2: 16 });
  const pkt = { src: ip('192.168.7.7'), dst: ip('172.18.255.200'), proto: TCP, sport: 5555, dport: 80 };
  assert.equal(reg.match('LB-SRC', ['dst', 'dst', 'src'], pkt), true);
  assert.equal(reg.match('LB-SRC', ['dst', 'dst', 'src'], { ...pkt, src: ip('192.169.0.1') }), false);
  reg.create('LOOP', 'hash:ip,port,ip');
  reg.add('LOOP', { ip: ip('10.244.1.5'), proto: TCP, port: 8080, ip2: ip('10.244.1.5') });
  const hairpin = { src: ip('10.244.1.5'), dst: ip('10.244.1.5'), proto: TCP, sport: 1, dport: 8080 };
  assert.equal(reg.match('LOOP', ['dst', 'dst', 'src'], hairpin), true);
  assert.equal(reg.match('LOOP', ['dst', 'dst', 'src'], { ...hairpin, src: ip('10.244.1.6') }), false);
});

test('IpsetRegistry.match() on bitmap:port tests the chosen port whatever the protocol', () => {
  const { reg } = registry();
  reg.create('KUBE-NODE-PORT-TCP', 'bitmap:port', { range: { from: 30000, to: 32767 } });
  reg.add('KUBE-NODE-PORT-TCP', { port: 30080 });
  assert.equal(reg.match('KUBE-NODE-PORT-TCP', ['dst'], { src: 1, dst: 2, proto: TCP, sport: 1, dport: 30080 }), true);
  assert.equal(reg.match('KUBE-NODE-PORT-TCP', ['dst'], { src: 1, dst: 2, proto: TCP, sport: 1, dport: 30081 }), false);
  assert.equal(reg.match('KUBE-NODE-PORT-TCP', ['dst'], { src: 1, dst: 2, proto: TCP, sport: 1, dport: 80 }), false, 'outside the range');
  assert.throws(
    () => reg.add('KUBE-NODE-PORT-TCP', { port: 80 }),
    (e: unknown) => e instanceof IpsetError && e.code === 'BITMAP_RANGE',
  );
});

test('IpSet element timeouts run on the injected clock', () => {
  const { reg, clock } = registry();
  reg.create('T', 'hash:ip', { timeout: 10 });
  reg.add('T', { ip: ip('1.1.1.1') });
  reg.add('T', { ip: ip('1.1.1.2'), timeout: 0 });
  const hit = (a: string): boolean => reg.match('T', ['src'], { src: ip(a), dst: 0, proto: TCP });
  assert.equal(reg.get('T')!.members()[0]!.timeout !== undefined, true);
  clock.advance(9_999);
  assert.equal(hit('1.1.1.1'), true);
  clock.advance(2);
  assert.equal(hit('1.1.1.1'), false, 'expired after the set default of 10 s');
  assert.equal(hit('1.1.1.2'), true, 'timeout 0 is permanent');
  assert.equal(reg.get('T')!.header().entries, 1);
  reg.add('T', { ip: ip('1.1.1.1') });
  assert.equal(hit('1.1.1.1'), true, 'an expired entry can be added again');
  assert.throws(
    () => {
      reg.create('P', 'hash:ip');
      reg.add('P', { ip: 1, timeout: 5 });
    },
    (e: unknown) => e instanceof IpsetError && e.code === 'TIMEOUT',
  );
});

test('IpsetRegistry counts references: destroy refuses a referenced set, swap leaves references with the names', () => {
  const { reg } = registry();
  reg.create('S', 'hash:ip');
  reg.create('U', 'hash:ip');
  reg.add('U', { ip: ip('9.9.9.9') });
  const ref = reg.reference('S');
  assert.equal(reg.get('S')!.header().references, 1);
  assert.throws(
    () => reg.destroy('S'),
    (e: unknown) => e instanceof IpsetError && e.code === 'BUSY',
  );
  assert.throws(
    () => reg.destroy(),
    (e: unknown) => e instanceof IpsetError && e.code === 'BUSY',
  );
  assert.throws(
    () => reg.rename('S', 'X'),
    (e: unknown) => e instanceof IpsetError && e.code === 'REFERENCED',
  );
  reg.swap('S', 'U');
  assert.equal(reg.get('S')!.header().references, 1, 'the reference stays with the name S');
  assert.equal(reg.match(ref.name, ['src'], { src: ip('9.9.9.9'), dst: 0, proto: TCP }), true, "S now holds U's members");
  reg.release(ref);
  reg.destroy('S');
  assert.deepEqual(
    reg.sets().map((s) => s.name),
    ['U'],
  );
});

test('IpsetRegistry.create() takes the first free slot; -exist accepts only the same set', () => {
  const { reg } = registry();
  reg.create('A', 'hash:ip');
  reg.create('B', 'hash:ip');
  reg.destroy('A');
  reg.create('C', 'hash:net');
  assert.deepEqual(
    reg.sets().map((s) => s.name),
    ['C', 'B'],
  );
  reg.create('B', 'hash:ip', { hashsize: 4096 }, true);
  assert.throws(
    () => reg.create('B', 'hash:ip', { timeout: 1 }, true),
    (e: unknown) => e instanceof IpsetError && e.code === 'EXIST_SETNAME2',
  );
  assert.throws(
    () => reg.swap('B', 'C'),
    (e: unknown) => e instanceof IpsetError && e.code === 'TYPE_MISMATCH',
  );
});

test('IpSet counters count matched packets and bytes', () => {
  const { reg } = registry();
  reg.create('K', 'hash:ip', { counters: true });
  reg.add('K', { ip: ip('1.1.1.1') });
  reg.match('K', ['dst'], { src: 0, dst: ip('1.1.1.1'), proto: TCP, len: 60 });
  reg.match('K', ['dst'], { src: 0, dst: ip('1.1.1.1'), proto: TCP, len: 40 });
  const m = reg.get('K')!.members()[0]!;
  assert.equal(m.packets, 2);
  assert.equal(m.bytes, 100);
});

test('IpSet lookups stay within one bucket as the set grows (the table doubles instead)', () => {
  const { reg } = registry();
  reg.create('BIG', 'hash:ip,port', { hashsize: 64 });
  for (let i = 0; i < 20_000; i++) reg.add('BIG', { ip: (ip('10.0.0.0') + i) >>> 0, proto: TCP, port: 80 });
  const h = reg.get('BIG')!.header();
  assert.equal(h.entries, 20_000);
  assert.ok(h.hashsize! >= 2048, `the table grew (hashsize ${h.hashsize})`);
  assert.equal(reg.match('BIG', ['dst', 'dst'], { src: 0, dst: (ip('10.0.0.0') + 19_999) >>> 0, proto: TCP, dport: 80 }), true);
  assert.equal(reg.match('BIG', ['dst', 'dst'], { src: 0, dst: (ip('10.0.0.0') + 20_000) >>> 0, proto: TCP, dport: 80 }), false);
});
