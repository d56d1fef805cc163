import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tlsUnwrap, tlsWrap } from './tls.js';

test('tlsWrap() frames plaintext as application_data records that tlsUnwrap() reads back, a partial record left for later', () => {
  const plain = new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n');
  const wrapped = tlsWrap(plain);
  assert.deepEqual([...wrapped.subarray(0, 5)], [23, 3, 3, 0, plain.length]);
  assert.deepEqual(tlsUnwrap(wrapped), { plain, used: wrapped.length });
  const big = new Uint8Array(20000).fill(0x61);
  const two = tlsWrap(big);
  assert.equal(two.length, 20000 + 10);
  assert.deepEqual([...two.subarray(16389, 16394)], [23, 3, 3, (20000 - 16384) >> 8, (20000 - 16384) & 255]);
  const partial = tlsUnwrap(two.subarray(0, two.length - 1))!;
  assert.deepEqual([partial.plain.length, partial.used], [16384, 16389]);
  assert.equal(tlsUnwrap(new TextEncoder().encode('GET /')), undefined);
});
