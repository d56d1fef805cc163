// The journal's base64 is RFC 4648's, byte for byte as Node's encoder writes it, and decodes back.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBase64, toBase64 } from './journal.js';

test('toBase64() and fromBase64() agree with Buffer at every length modulo 3', () => {
  for (let n = 0; n < 200; n++) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 31) & 255);
    const text = toBase64(bytes);
    assert.equal(text, Buffer.from(bytes).toString('base64'), `length ${n}`);
    assert.deepEqual(fromBase64(text), bytes, `length ${n}`);
  }
  assert.deepEqual(fromBase64('YQ'), new Uint8Array([0x61]));
  assert.throws(() => fromBase64('YQ?='), /invalid character at offset 2/);
});
