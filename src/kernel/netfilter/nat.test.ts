import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventQueue, Rng } from '../../sim/index.js';
import { parseIpv4, IPPROTO_ICMP, type Ipv4Packet } from '../../wire/index.js';
import { ConntrackTable, tupleOf } from './conntrack.js';
import { natPacket, setupBinding } from './nat.js';

const ip = (s: string) => parseIpv4(s)!;

function echo(type: 0 | 8, src: string, dst: string, id: number): Ipv4Packet {
  return {
    kind: 'ipv4', tos: 0, id: 1, df: true, mf: false, fragOffset: 0, ttl: 64, protocol: IPPROTO_ICMP, src: ip(src), dst: ip(dst),
    options: new Uint8Array(0), payload: { kind: 'icmp', type, code: 0, rest: ((id << 16) | 1) >>> 0, data: new Uint8Array(8) },
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
