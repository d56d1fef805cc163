// ICMP for IPv4 (RFC 792): type, code, checksum over the whole message, 4 bytes of "rest",
// then data. Echo carries identifier/sequence in `rest`; errors quote the offending datagram.
import { get16, get32, put16, put32 } from './_bytes.js';
import { internetChecksum, onesSum } from './checksum.js';
import { WireError } from './error.js';
import { ICMP_ECHO_REPLY, ICMP_ECHO_REQUEST } from './types.js';
export const ICMP_HEADER_LEN = 8;
/** Destination-unreachable codes (RFC 792, RFC 1122 §3.2.2.1). */
export const ICMP_NET_UNREACH = 0;
export const ICMP_HOST_UNREACH = 1;
export const ICMP_PROT_UNREACH = 2;
export const ICMP_PORT_UNREACH = 3;
export const ICMP_FRAG_NEEDED = 4;
/** Time-exceeded codes. */
export const ICMP_EXC_TTL = 0;
export const ICMP_EXC_FRAGTIME = 1;
/** A read-only view of an ICMP message filling `bytes` (not copied). */
export class IcmpView {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.length < ICMP_HEADER_LEN) {
            throw new WireError('ICMP', `message of ${bytes.length} bytes is shorter than the 8-byte header`);
        }
    }
    get type() {
        return this.bytes[0];
    }
    get code() {
        return this.bytes[1];
    }
    get checksum() {
        return get16(this.bytes, 2);
    }
    get rest() {
        return get32(this.bytes, 4);
    }
    get data() {
        return this.bytes.subarray(ICMP_HEADER_LEN);
    }
    get checksumOk() {
        return onesSum(this.bytes, 0, this.bytes.length) === 0xffff;
    }
}
export function icmpBufferLen(m) {
    return ICMP_HEADER_LEN + m.data.length;
}
/** Decodes a message that fills `bytes` exactly (IPv4 bounds it); data is copied. */
export function parseIcmp(bytes) {
    const v = new IcmpView(bytes);
    return { kind: 'icmp', type: v.type, code: v.code, rest: v.rest, data: v.data.slice() };
}
/** Writes the message at `buf[off]` and computes its checksum. */
export function emitIcmp(m, buf, off) {
    buf[off] = m.type;
    buf[off + 1] = m.code;
    put16(buf, off + 2, 0);
    put32(buf, off + 4, m.rest);
    buf.set(m.data, off + ICMP_HEADER_LEN);
    put16(buf, off + 2, internetChecksum(buf, off, ICMP_HEADER_LEN + m.data.length));
}
/** Whether an ICMP message filling `bytes` has a correct checksum. */
export function icmpChecksumOk(bytes) {
    return new IcmpView(bytes).checksumOk;
}
export function makeEchoRequest(id, seq, data) {
    return { kind: 'icmp', type: ICMP_ECHO_REQUEST, code: 0, rest: echoRest(id, seq), data };
}
export function makeEchoReply(id, seq, data) {
    return { kind: 'icmp', type: ICMP_ECHO_REPLY, code: 0, rest: echoRest(id, seq), data };
}
/** The reply a host sends to an echo request: same id, sequence and data (RFC 792 "Echo"). */
export function echoReplyTo(request) {
    return { ...request, type: ICMP_ECHO_REPLY, code: 0 };
}
export function isEcho(m) {
    return m.type === ICMP_ECHO_REQUEST || m.type === ICMP_ECHO_REPLY;
}
export function echoId(m) {
    return m.rest >>> 16;
}
export function echoSeq(m) {
    return m.rest & 0xffff;
}
function echoRest(id, seq) {
    return (((id & 0xffff) << 16) | (seq & 0xffff)) >>> 0;
}
//# sourceMappingURL=icmp.js.map