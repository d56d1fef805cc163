import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Captures } from './capture.js';
import type { Link } from './link.js';
import type { EthernetFrame } from '../wire/index.js';

const frame = (n: number): EthernetFrame => ({
  kind: 'eth',
  dst: 'ff:ff:ff:ff:ff:ff',
  src: '02:00:00:00:00:01',
  etherType: 0x88b5,
  payload: { kind: 'raw', bytes: Uint8Array.of(n) },
});

test('a full capture ring keeps the newest packets, oldest first, per device; a forgotten device starts empty', () => {
  const c = new Captures(3);
  const a = {} as Link;
  const b = {} as Link;
  for (let i = 1; i <= 7; i++) c.tap(a, i, 'out', frame(i));
  c.tap(b, 8, 'in', frame(8));
  assert.deepEqual(
    c.of(a).map((p) => p.t),
    [5, 6, 7],
  );
  c.tap(a, 9, 'in', frame(9));
  assert.deepEqual(
    c.of(a).map((p) => [p.t, p.dir]),
    [
      [6, 'out'],
      [7, 'out'],
      [9, 'in'],
    ],
  );
  assert.deepEqual(
    c.of(b).map((p) => p.t),
    [8],
  );
  c.forget(a);
  assert.deepEqual(c.of(a), []);
  c.enabled = false;
  c.tap(b, 10, 'in', frame(10));
  assert.deepEqual(
    c.of(b).map((p) => p.t),
    [8],
  );
});

test('a capture ring keeps every packet in order while it grows, then the newest once full', () => {
  const c = new Captures(10);
  const a = {} as Link;
  for (let i = 1; i <= 6; i++) c.tap(a, i, 'out', frame(i));
  assert.deepEqual(
    c.of(a).map((p) => p.t),
    [1, 2, 3, 4, 5, 6],
  );
  for (let i = 7; i <= 25; i++) c.tap(a, i, 'in', frame(i));
  assert.deepEqual(
    c.of(a).map((p) => p.t),
    [16, 17, 18, 19, 20, 21, 22, 23, 24, 25],
  );
});

test('a capture ring of any limit holds what a list cut to its newest packets holds', () => {
  for (const limit of [1, 2, 3, 5, 8]) {
    const c = new Captures(limit);
    const a = {} as Link;
    const model: { t: number; dir: 'in' | 'out'; data: EthernetFrame }[] = [];
    for (let i = 1; i <= 30; i++) {
      const p = { t: i / 7, dir: i % 3 ? ('out' as const) : ('in' as const), data: frame(i) };
      c.tap(a, p.t, p.dir, p.data);
      model.push(p);
      assert.deepEqual(c.of(a), model.slice(-limit), `limit ${limit}, ${i} packets`);
    }
  }
});
