import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue, Rng } from '../../sim/index.js';
import {
  emitIpv4,
  ipv4ChecksumOk,
  parseIpv4,
  parseIpv4Packet,
  tcpChecksumOk,
  IPPROTO_ICMP,
  IPPROTO_TCP,
  TCP_SYN,
  type Ipv4Packet,
} from '../../wire/index.js';
import { ConntrackTable, tupleOf } from './conntrack.js';
import { natPacket, setupBinding } from './nat.js';

const ip = (s: string) => parseIpv4(s)!;

function echo(type: 0 | 8, src: string, dst: string, id: number): Ipv4Packet {
  return {
    kind: 'ipv4',
    tos: 0,
    id: 1,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: IPPROTO_ICMP,
    src: ip(src),
    dst: ip(dst),
    options: new Uint8Array(0),
    payload: { kind: 'icmp', type, code: 0, rest: ((id << 16) | 1) >>> 0, data: new Uint8Array(8) },
  };
}
const idOf = (p: Ipv4Packet) => (p.payload.kind === 'icmp' ? p.payload.rest >>> 16 : -1);

test('SNAT of an ICMP echo keeps its identifier when free, and takes a free one when not', () => {
  const ct = new ConntrackTable(new EventQueue());
  const range = { minAddr: ip('10.0.2.1'), maxAddr: ip('10.0.2.1') };
  const first = ct.create(tupleOf(echo(8, '10.0.1.2', '10.0.2.2', 77))!);
  assert.ok(setupBinding(ct, first, 'src', range, { random: false, rng: new Rng('t') }));
  ct.confirm(first);
  assert.equal(first.reply.sport, 77);
  // Another client behind the same address, same identifier: the reply tuple would clash.
  const second = ct.create(tupleOf(echo(8, '10.0.1.3', '10.0.2.2', 77))!);
  assert.ok(setupBinding(ct, second, 'src', range, { random: false, rng: new Rng('t') }));
  assert.notEqual(second.reply.sport, 77);
  const out = natPacket(echo(8, '10.0.1.3', '10.0.2.2', 77), second, 'original', 'src');
  assert.equal(out.src, ip('10.0.2.1'));
  assert.equal(idOf(out), second.reply.sport);
  // The reply comes back to the client with its own identifier.
  const back = natPacket(echo(0, '10.0.2.2', '10.0.2.1', second.reply.sport), second, 'reply', 'dst');
  assert.equal(back.dst, ip('10.0.1.3'));
  assert.equal(idOf(back), 77);
});

test('MASQUERADE --random-fully remaps an ICMP echo identifier', () => {
  const ct = new ConntrackTable(new EventQueue());
  const rng = new Rng('random-fully');
  const ids = new Set<number>();
  for (let i = 0; i < 4; i++) {
    const c = ct.create(tupleOf(echo(8, `10.0.1.${2 + i}`, '10.0.2.2', 77))!);
    assert.ok(setupBinding(ct, c, 'src', { minAddr: ip('10.0.2.1'), maxAddr: ip('10.0.2.1') }, { random: true, rng }));
    ids.add(c.reply.sport);
  }
  assert.equal(ids.size, 4, `ids ${[...ids].join(',')}`);
});

test('an ICMP error about a DNATed segment is translated back, its quoted segment too, with correct checksums', () => {
  const ct = new ConntrackTable(new EventQueue());
  const syn: Ipv4Packet = {
    kind: 'ipv4',
    tos: 0,
    id: 7,
    df: true,
    mf: false,
    fragOffset: 0,
    ttl: 64,
    protocol: IPPROTO_TCP,
    src: ip('10.0.1.2'),
    dst: ip('10.96.0.10'),
    options: new Uint8Array(0),
    payload: {
      kind: 'tcp',
      srcPort: 40000,
      dstPort: 80,
      seq: 1234,
      ack: 0,
      flags: TCP_SYN,
      window: 64240,
      urgent: 0,
      options: new Uint8Array(0),
      payload: new Uint8Array(0),
    },
  };
  const conn = ct.create(tupleOf(syn)!);
  assert.ok(
    setupBinding(
      ct,
      conn,
      'dst',
      { minAddr: ip('10.0.3.5'), maxAddr: ip('10.0.3.5'), minPort: 8080, maxPort: 8080 },
      { random: false, rng: new Rng('t') },
    ),
  );
  const dnated = natPacket(syn, conn, 'original', 'dst');
  // The router's error quotes the packet as it was after DNAT; it is related, in the reply direction.
  const error: Ipv4Packet = {
    ...dnated,
    id: 9,
    src: ip('10.0.1.1'),
    dst: ip('10.0.1.2'),
    protocol: IPPROTO_ICMP,
    tos: 0xc0,
    df: false,
    payload: { kind: 'icmp', type: 3, code: 1, rest: 0, data: emitIpv4(dnated) },
  };
  assert.equal(natPacket(error, conn, 'reply', 'dst'), error, 'nothing to undo at OUTPUT');
  const out = natPacket(error, conn, 'reply', 'src');
  assert.equal(out.src, ip('10.96.0.10'));
  assert.equal(out.dst, ip('10.0.1.2'));
  const q = out.payload.kind === 'icmp' ? out.payload.data : new Uint8Array(0);
  const inner = parseIpv4Packet(q);
  assert.equal(inner.dst, ip('10.96.0.10'));
  assert.equal(inner.payload.kind === 'tcp' && inner.payload.dstPort, 80);
  assert.ok(ipv4ChecksumOk(q));
  assert.ok(tcpChecksumOk(q.subarray(20), inner.src, inner.dst));
});
