import assert from 'node:assert/strict';
import { test } from 'node:test';
import { internetChecksum, onesSum, pseudoHeaderSum } from './index.js';
const fromHex = (h) => Uint8Array.from(h.match(/../g), (x) => parseInt(x, 16));
test('onesSum() matches the worked example of RFC 1071 §3', () => {
    // 0001 f203 f4f5 f6f7 sums to 2ddf0, folded to ddf2.
    assert.equal(onesSum(fromHex('0001f203f4f5f6f7'), 0, 8), 0xddf2);
});
test('internetChecksum() of a well-known IPv4 header is 0xb861', () => {
    // 192.168.0.1 -> 192.168.0.199, UDP, total length 115, checksum field zeroed.
    const header = fromHex('450000730000400040110000c0a80001c0a800c7');
    assert.equal(internetChecksum(header, 0, header.length), 0xb861);
});
test('onesSum() pads an odd trailing byte with zero on the right', () => {
    assert.equal(onesSum(fromHex('0102ab'), 0, 3), 0x0102 + 0xab00);
});
test('pseudoHeaderSum() is the folded sum of addresses, protocol and length', () => {
    // The value Linux leaves in a UDP checksum field under CHECKSUM_PARTIAL offload:
    // 192.168.50.1 -> 192.168.50.2, length 0x5a.
    assert.equal(pseudoHeaderSum(0xc0a83201, 0xc0a83202, 17, 0x5a), 0xe5bf);
});
//# sourceMappingURL=checksum.test.js.map