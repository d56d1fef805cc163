import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4 } from '../wire/index.js';
import { FibTable, type Route } from './fib.js';
import { KernelError } from './errors.js';

const ip = (s: string) => parseIpv4(s)!;
const r = (dst: string, len: number, extra: Partial<Route> = {}): Route => ({
  table: 254,
  type: 'unicast',
  dst: ip(dst),
  dstLen: len,
  tos: 0,
  protocol: 4,
  scope: 0,
  metric: 0,
  onlink: false,
  ...extra,
});

test('Fib.lookup() prefers the longest prefix', () => {
  const t = new FibTable(254);
  t.insert(r('0.0.0.0', 0, { gateway: ip('192.0.2.1') }));
  t.insert(r('10.0.0.0', 8, { gateway: ip('192.0.2.8') }));
  t.insert(r('10.1.0.0', 16, { gateway: ip('192.0.2.16') }));
  assert.equal(t.lookup(ip('10.1.2.3'))?.gateway, ip('192.0.2.16'));
  assert.equal(t.lookup(ip('10.2.0.1'))?.gateway, ip('192.0.2.8'));
  assert.equal(t.lookup(ip('8.8.8.8'))?.gateway, ip('192.0.2.1'));
});

test('Fib.lookup() picks the lowest metric within a prefix and skips unusable routes', () => {
  const t = new FibTable(254);
  t.insert(r('10.0.0.0', 8, { metric: 100, gateway: ip('192.0.2.100') }));
  t.insert(r('10.0.0.0', 8, { metric: 50, gateway: ip('192.0.2.50') }));
  t.insert(r('0.0.0.0', 0, { gateway: ip('192.0.2.1') }));
  assert.equal(t.lookup(ip('10.9.9.9'))?.metric, 50);
  assert.equal(t.lookup(ip('10.9.9.9'), (x) => x.metric !== 50)?.metric, 100);
  assert.equal(t.lookup(ip('10.9.9.9'), (x) => x.dstLen === 0)?.gateway, ip('192.0.2.1'));
});

test('Fib.insert() refuses a duplicate key unless replacing, and dump() orders as ip route does', () => {
  const t = new FibTable(254);
  t.insert(r('10.0.0.0', 8));
  assert.throws(
    () => t.insert(r('10.0.0.0', 8)),
    (e: unknown) => e instanceof KernelError && e.errno === 'EEXIST',
  );
  t.insert(r('10.0.0.0', 8, { gateway: ip('192.0.2.9') }), 'replace');
  assert.equal(t.size, 1);
  t.insert(r('10.0.0.0', 24));
  t.insert(r('0.0.0.0', 0));
  t.insert(r('192.168.0.0', 16));
  assert.deepEqual(
    t.dump().map((x) => `${x.dst >>> 24}/${x.dstLen}`),
    ['0/0', '10/24', '10/8', '192/16'],
  );
});

test('Fib.lookup() costs the same in a table of 100,000 routes (one probe per prefix length)', () => {
  const t = new FibTable(254);
  for (let i = 0; i < 100_000; i++) t.insert(r('0.0.0.0', 32, { dst: (0x0a000000 + i * 7) >>> 0 }));
  t.insert(r('10.0.0.0', 8, { gateway: 1 }));
  assert.equal(t.lookup(0x0a000000 + 7 * 500)?.dstLen, 32);
  assert.equal(t.lookup(0x0a000001)?.dstLen, 8);
});
