// The UDP header (RFC 768). The checksum covers an IPv4 pseudo-header, the header and the
// payload; a computed 0 is sent as 0xffff, and 0 means "no checksum" (Linux VXLAN sends 0).
import { get16, put16 } from './_bytes.js';
import { onesSum, pseudoHeaderSum } from './checksum.js';
import { WireError } from './error.js';
import { IPPROTO_UDP } from './types.js';
export const UDP_HEADER_LEN = 8;
/** A view of a UDP datagram at the start of `bytes` (not copied); its length field must fit. */
export class UdpView {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.length < UDP_HEADER_LEN) {
            throw new WireError('UDP', `datagram of ${bytes.length} bytes is shorter than the 8-byte header`);
        }
        const len = this.length;
        if (len < UDP_HEADER_LEN)
            throw new WireError('UDP', `length ${len} is shorter than the 8-byte header`);
        if (len > bytes.length)
            throw new WireError('UDP', `length ${len} exceeds the ${bytes.length} bytes available`);
    }
    get srcPort() {
        return get16(this.bytes, 0);
    }
    get dstPort() {
        return get16(this.bytes, 2);
    }
    /** Header plus payload, from the length field. */
    get length() {
        return get16(this.bytes, 4);
    }
    get checksum() {
        return get16(this.bytes, 6);
    }
    get payload() {
        return this.bytes.subarray(UDP_HEADER_LEN, this.length);
    }
    /** True when the checksum is absent (0) or verifies against the pseudo-header. */
    checksumOk(src, dst) {
        if (this.checksum === 0)
            return true;
        const len = this.length;
        return onesSum(this.bytes, 0, len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len)) === 0xffff;
    }
}
/** The header fields as a representation; the caller decodes the payload. */
export function parseUdpHeader(v) {
    return v.checksum === 0
        ? { kind: 'udp', srcPort: v.srcPort, dstPort: v.dstPort, zeroChecksum: true }
        : { kind: 'udp', srcPort: v.srcPort, dstPort: v.dstPort };
}
/**
 * Writes the header at `buf[off]`. The `payloadLen` payload bytes must already be in place after
 * it, since the checksum covers them; `src`/`dst` are the enclosing IPv4 addresses.
 */
export function emitUdpHeader(d, buf, off, payloadLen, src, dst) {
    const len = UDP_HEADER_LEN + payloadLen;
    if (len > 0xffff)
        throw new WireError('UDP', `length ${len} exceeds 65535`);
    put16(buf, off, d.srcPort);
    put16(buf, off + 2, d.dstPort);
    put16(buf, off + 4, len);
    put16(buf, off + 6, 0);
    if (d.zeroChecksum)
        return;
    const sum = ~onesSum(buf, off, len, pseudoHeaderSum(src, dst, IPPROTO_UDP, len)) & 0xffff;
    put16(buf, off + 6, sum === 0 ? 0xffff : sum);
}
/** Whether a UDP datagram at the start of `bytes` carries a correct (or no) checksum. */
export function udpChecksumOk(bytes, src, dst) {
    return new UdpView(bytes).checksumOk(src, dst);
}
//# sourceMappingURL=udp.js.map