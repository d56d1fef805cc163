import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, ICMP_TIME_EXCEEDED, LINUX_ICMP_QUOTE_MAX, echoId, echoReplyTo, echoSeq, emitIcmp, emitIpv4, icmpChecksumOk, makeEchoReply, makeEchoRequest, makeIcmpError, parseIcmp, parseIpv4, parseIpv4Packet, } from './index.js';
const fromHex = (h) => Uint8Array.from(h.replace(/\s+/g, '').match(/../g), (x) => parseInt(x, 16));
const toHex = (b) => Buffer.from(b).toString('hex');
test('makeEchoRequest() packs id and sequence into rest; echoId()/echoSeq() read them back', () => {
    const m = makeEchoRequest(0x557e, 1, new Uint8Array(0));
    assert.equal(m.type, 8);
    assert.equal(m.rest, 0x557e0001);
    assert.equal(echoId(m), 0x557e);
    assert.equal(echoSeq(m), 1);
    assert.deepEqual(makeEchoReply(0x557e, 1, m.data), echoReplyTo(m));
    assert.equal(echoReplyTo(m).type, 0);
});
test('Icmp emit reproduces the checksum of a real Linux echo request', () => {
    // ping -p 6b6e65746c6162 -s 32: a 16-byte timestamp then the pattern.
    const real = fromHex('08005b51557e0001999a076b0000000055d107000000000065746c61626b6e65746c61626b6e6574');
    const m = makeEchoRequest(0x557e, 1, real.subarray(8));
    const buf = new Uint8Array(real.length + 2).fill(0xa5);
    emitIcmp(m, buf, 1);
    assert.equal(toHex(buf.subarray(1, 1 + real.length)), toHex(real));
    assert.equal(buf[0], 0xa5);
    assert.equal(buf[real.length + 1], 0xa5);
    assert.deepEqual(parseIcmp(real), m);
    assert.ok(icmpChecksumOk(real));
});
// The UDP datagram `echo hi > /dev/udp/192.168.50.2/9999` sent, and the whole IPv4 packet of the
// port unreachable Linux answered with (tos 0xc0, no DF, the datagram quoted whole).
const OFFENDING = '4500001f395b400040111c1fc0a83201c0a83202829b270f000bfe6f68690a';
const LINUX_REPLY = '45c0003b42e20000400151ccc0a83202c0a83201 0303e26d00000000' + OFFENDING;
test('makeIcmpError() quotes the offending datagram as Linux does, byte for byte', () => {
    const error = makeIcmpError(ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, fromHex(OFFENDING));
    const reply = {
        kind: 'ipv4',
        tos: 0xc0,
        id: 0x42e2,
        df: false,
        mf: false,
        fragOffset: 0,
        ttl: 64,
        protocol: 1,
        src: parseIpv4('192.168.50.2'),
        dst: parseIpv4('192.168.50.1'),
        options: new Uint8Array(),
        payload: error,
    };
    assert.equal(toHex(emitIpv4(reply)), toHex(fromHex(LINUX_REPLY)));
});
test('makeIcmpError() takes the offending packet as a representation too', () => {
    const offending = parseIpv4Packet(fromHex(OFFENDING));
    assert.deepEqual(makeIcmpError(3, 3, offending), makeIcmpError(3, 3, fromHex(OFFENDING)));
});
test('makeIcmpError() stops at 548 bytes by default and at header + 8 with rfc792', () => {
    const big = {
        ...parseIpv4Packet(fromHex(OFFENDING)),
        protocol: 1,
        payload: makeEchoRequest(1, 1, new Uint8Array(1000)),
    };
    assert.equal(LINUX_ICMP_QUOTE_MAX, 548);
    assert.equal(makeIcmpError(ICMP_TIME_EXCEEDED, 0, big).data.length, 548);
    const short = makeIcmpError(ICMP_TIME_EXCEEDED, 0, big, { quote: 'rfc792' });
    assert.equal(short.data.length, 28);
    assert.equal(toHex(short.data.subarray(20)), toHex(emitIpv4(big).subarray(20, 28)));
});
test('makeIcmpError() does not quote Ethernet padding past the total length', () => {
    const padded = new Uint8Array(46);
    padded.set(fromHex(OFFENDING));
    assert.equal(makeIcmpError(3, 3, padded).data.length, 31);
});
test('makeIcmpError() carries the next-hop MTU of "fragmentation needed" in rest', () => {
    assert.equal(makeIcmpError(3, 4, fromHex(OFFENDING), { rest: 1450 }).rest, 1450);
});
//# sourceMappingURL=icmp.test.js.map