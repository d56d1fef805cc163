import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv4 } from '../wire/index.js';
import { Host, Kernel, linkAdd, tcpOf, type Netns } from './index.js';

const ip = (s: string) => parseIpv4(s)!;

function pair(): { a: Netns; b: Netns; kernel: Kernel } {
  const kernel = new Kernel({ seed: 'tcp' });
  const h = new Host(kernel, 'h');
  const [a, b] = [h.addNetns('a'), h.addNetns('b')];
  linkAdd(a, 'eth0', { kind: 'veth', peerName: 'eth0', peerNetns: b });
  for (const [ns, addr] of [
    [a, '10.1.0.1'],
    [b, '10.1.0.2'],
  ] as const) {
    ns.addrAdd({
      dev: ns.mustLink('eth0'),
      local: ip(addr),
      prefixLen: 24,
      broadcast: undefined,
      scope: 0,
      label: 'eth0',
      noprefixroute: false,
      metric: 0,
    });
    ns.setUp(ns.mustLink('eth0'));
    // The host-unreachable error a socket hears about travels to its own address, over lo.
    ns.setUp(ns.mustLink('lo'));
  }
  return { a, b, kernel };
}

test('TcpStack carries a request and a reply, and both ends close cleanly', () => {
  const { a, b, kernel } = pair();
  const got: string[] = [];
  tcpOf(b).listen(7, 0, () => ({
    onData(c, d) {
      c.send(d);
      c.close();
    },
  }));
  const c = tcpOf(a).connect(
    ip('10.1.0.2'),
    7,
    { sport: 40000 },
    {
      onConnect: (conn) => conn.send(new TextEncoder().encode('ping')),
      onData: (_c, d) => got.push(new TextDecoder().decode(d)),
      onEnd: (conn) => conn.close(),
    },
  );
  kernel.clock.advance(100);
  assert.deepEqual(got, ['ping']);
  assert.equal(c.state, 'CLOSED', 'the client closed second: LAST_ACK, then gone');
  assert.deepEqual(tcpOf(b).describe(), ['10.1.0.2:7 10.1.0.1:40000 TIME_WAIT']);
  kernel.clock.advance(61_000);
  assert.deepEqual(tcpOf(b).describe(), []);
});

test('TcpStack.connect() to a closed port is refused by a reset', () => {
  const { a, kernel } = pair();
  let err: string | undefined;
  tcpOf(a).connect(ip('10.1.0.2'), 9, {}, { onError: (_c, e) => (err = e) });
  kernel.clock.advance(100);
  assert.equal(err, 'ECONNREFUSED');
});

test('TcpStack.connect() to a silent neighbour fails with EHOSTUNREACH once ARP gives up', () => {
  const { a, kernel } = pair();
  let err: string | undefined;
  tcpOf(a).connect(ip('10.1.0.99'), 80, {}, { onError: (_c, e) => (err = e) });
  kernel.clock.advance(2_500);
  assert.equal(err, undefined);
  kernel.clock.advance(1_000);
  assert.equal(err, 'EHOSTUNREACH');
});

test('TcpStack: closing a connection still in SYN_SENT forgets it: no more SYNs, and the late SYN/ACK meets a reset', () => {
  const { a, b, kernel } = pair();
  tcpOf(b).listen(80, 0, () => ({}));
  let errs = 0;
  const c = tcpOf(a).connect(ip('10.1.0.2'), 80, { sport: 40001 }, { onError: () => errs++ });
  assert.deepEqual(tcpOf(a).describe(), ['10.1.0.1:40001 10.1.0.2:80 SYN_SENT']);
  c.close(); // the SYN is on the wire
  assert.deepEqual(tcpOf(a).describe(), [], 'gone at once');
  kernel.clock.advance(10_000);
  assert.deepEqual([c.state, errs, tcpOf(a).describe(), tcpOf(b).describe()], ['CLOSED', 0, [], []]);
});
