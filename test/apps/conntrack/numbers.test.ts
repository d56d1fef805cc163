// The C number readers conntrack relies on, against what glibc returns for the same text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inetAton, strtol, strtoul, strtoulEnd } from '../../../src/apps/conntrack/numbers.js';

test('strtoul() reads base 0 prefixes, stops at the first non-digit and wraps negatives', () => {
  assert.deepEqual(strtoulEnd('0x10/0xf0'), [16n, 4]);
  assert.deepEqual(strtoulEnd('010'), [8n, 3]);
  assert.deepEqual(strtoulEnd('0x'), [0n, 1]);
  assert.deepEqual(strtoulEnd('foo'), [0n, 0]);
  assert.equal(strtoul('-1'), (1n << 64n) - 1n);
  assert.equal(strtoul('99999999999999999999999'), (1n << 64n) - 1n);
  assert.equal(strtoul('  +7x'), 7n);
});

test('strtol() saturates at LONG_MIN and LONG_MAX', () => {
  assert.equal(strtol('-99999999999999999999', 10), -(1n << 63n));
  assert.equal(strtol('99999999999999999999', 10), (1n << 63n) - 1n);
  assert.equal(strtol('12abc', 10), 12n);
  assert.equal(strtol('abc', 10), 0n);
});

test('inetAton() takes one to four parts in any base and ignores what follows white space', () => {
  assert.equal(inetAton('10.1'), 0x0a000001);
  assert.equal(inetAton('0xa.0.0.010'), 0x0a000008);
  assert.equal(inetAton('10.0.0.1 trailing'), 0x0a000001);
  assert.equal(inetAton('167772161'), 0x0a000001);
  assert.equal(inetAton('10.0.0.256'), undefined);
  assert.equal(inetAton('1.2.3.4.5'), undefined);
  assert.equal(inetAton('-1'), undefined);
  assert.equal(inetAton(''), undefined);
  assert.equal(inetAton('10.0.0.1x'), undefined);
});
