// The IPv4 header (RFC 791 §3.1). Total length, IHL and the header checksum are derived on emit;
// the payload is written by the caller (packet.ts), so nested layers share one buffer.
import { get16, get32, put16, put32 } from './_bytes.js';
import { internetChecksum, onesSum } from './checksum.js';
import { WireError } from './error.js';
export const IPV4_MIN_HEADER_LEN = 20;
export const IPV4_MAX_LEN = 0xffff;
const FLAG_DF = 0x4000;
const FLAG_MF = 0x2000;
/**
 * A view of an IPv4 header at the start of `bytes` (not copied). The constructor checks what
 * every accessor relies on: version 4, IHL >= 5, and a total length that fits the bytes given.
 * Bytes past the total length (Ethernet padding) are not part of the packet.
 */
export class Ipv4View {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.length < IPV4_MIN_HEADER_LEN) {
            throw new WireError('IPv4', `packet of ${bytes.length} bytes is shorter than the 20-byte header`);
        }
        if (this.version !== 4)
            throw new WireError('IPv4', `version ${this.version} is not 4`);
        const words = bytes[0] & 0x0f;
        if (words < 5)
            throw new WireError('IPv4', `header length ${words} words is below 5`);
        if (this.totalLen < this.headerLen) {
            throw new WireError('IPv4', `total length ${this.totalLen} is shorter than the ${this.headerLen}-byte header`);
        }
        if (this.totalLen > bytes.length) {
            throw new WireError('IPv4', `total length ${this.totalLen} exceeds the ${bytes.length} bytes captured`);
        }
    }
    get version() {
        return this.bytes[0] >>> 4;
    }
    /** Header length in bytes (IHL * 4). */
    get headerLen() {
        return (this.bytes[0] & 0x0f) * 4;
    }
    get tos() {
        return this.bytes[1];
    }
    get totalLen() {
        return get16(this.bytes, 2);
    }
    get id() {
        return get16(this.bytes, 4);
    }
    get df() {
        return (get16(this.bytes, 6) & FLAG_DF) !== 0;
    }
    get mf() {
        return (get16(this.bytes, 6) & FLAG_MF) !== 0;
    }
    /** In 8-byte units. */
    get fragOffset() {
        return get16(this.bytes, 6) & 0x1fff;
    }
    get ttl() {
        return this.bytes[8];
    }
    get protocol() {
        return this.bytes[9];
    }
    get checksum() {
        return get16(this.bytes, 10);
    }
    get src() {
        return get32(this.bytes, 12);
    }
    get dst() {
        return get32(this.bytes, 16);
    }
    get options() {
        return this.bytes.subarray(IPV4_MIN_HEADER_LEN, this.headerLen);
    }
    /** The bytes between the header and the total length. */
    get payload() {
        return this.bytes.subarray(this.headerLen, this.totalLen);
    }
    /** True when the header sums to 0xffff with its checksum field included (RFC 1071). */
    get checksumOk() {
        return onesSum(this.bytes, 0, this.headerLen) === 0xffff;
    }
    /** True for any fragment (MF set or a non-zero offset): its payload is not a whole transport message. */
    get isFragment() {
        return this.mf || this.fragOffset !== 0;
    }
}
/** The header's fields as a representation, less the payload the caller decodes. */
export function parseIpv4Header(v) {
    return {
        kind: 'ipv4',
        tos: v.tos,
        id: v.id,
        df: v.df,
        mf: v.mf,
        fragOffset: v.fragOffset,
        ttl: v.ttl,
        protocol: v.protocol,
        src: v.src,
        dst: v.dst,
        options: v.options.slice(),
    };
}
export function ipv4HeaderLen(p) {
    return IPV4_MIN_HEADER_LEN + p.options.length;
}
/**
 * Writes the header at `buf[off]` for a payload of `payloadLen` bytes, including the checksum.
 * Throws a WireError for options that are not whole words or too long, or an oversize packet.
 */
export function emitIpv4Header(p, buf, off, payloadLen) {
    const optLen = p.options.length;
    if (optLen % 4 !== 0 || optLen > 40) {
        throw new WireError('IPv4', `options of ${optLen} bytes are not a multiple of 4 up to 40`);
    }
    const headerLen = IPV4_MIN_HEADER_LEN + optLen;
    const total = headerLen + payloadLen;
    if (total > IPV4_MAX_LEN)
        throw new WireError('IPv4', `total length ${total} exceeds 65535`);
    buf[off] = 0x40 | (headerLen >>> 2);
    buf[off + 1] = p.tos;
    put16(buf, off + 2, total);
    put16(buf, off + 4, p.id);
    put16(buf, off + 6, (p.df ? FLAG_DF : 0) | (p.mf ? FLAG_MF : 0) | (p.fragOffset & 0x1fff));
    buf[off + 8] = p.ttl;
    buf[off + 9] = p.protocol;
    put16(buf, off + 10, 0);
    put32(buf, off + 12, p.src);
    put32(buf, off + 16, p.dst);
    buf.set(p.options, off + IPV4_MIN_HEADER_LEN);
    put16(buf, off + 10, internetChecksum(buf, off, headerLen));
}
/** Whether an IPv4 header at the start of `bytes` carries a correct header checksum. */
export function ipv4ChecksumOk(bytes) {
    return new Ipv4View(bytes).checksumOk;
}
//# sourceMappingURL=ipv4.js.map