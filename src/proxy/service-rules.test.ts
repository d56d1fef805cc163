import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probability } from './service-rules.js';

test('probability() formats 1/n as Go’s %0.10f (upstream TestComputeProbability)', () => {
  const expected: Record<number, string> = {
    1: '1.0000000000',
    2: '0.5000000000',
    10: '0.1000000000',
    100: '0.0100000000',
    1000: '0.0010000000',
    10000: '0.0001000000',
    100000: '0.0000100000',
    100001: '0.0000099999',
  };
  for (const [n, p] of Object.entries(expected)) assert.equal(probability(Number(n)), p, `n=${n}`);
  let previous = 0;
  for (let n = 100000; n > 1; n--) {
    const p = Number(probability(n));
    assert.ok(p > previous, `probability(${n}) = ${p} is not above probability(${n + 1})`);
    previous = p;
  }
});

test('probability() rounds an exact tie to even, as Go does: 1/2048 = 0.00048828125', () => {
  assert.equal(probability(2048), '0.0004882812');
  assert.equal(probability(3), '0.3333333333');
  assert.equal(probability(6), '0.1666666667');
  assert.equal(probability(4096), '0.0002441406');
});
