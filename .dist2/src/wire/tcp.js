// The TCP header (RFC 793 §3.1, RFC 9293): ports, seq/ack, data offset, flags, window, checksum
// over an IPv4 pseudo-header, urgent pointer, options kept as raw bytes. Options can be built
// and read with the helpers below (RFC 7323 timestamps and window scale, RFC 2018 SACK).
import { get16, get32, put16, put32 } from './_bytes.js';
import { onesSum, pseudoHeaderSum } from './checksum.js';
import { WireError } from './error.js';
import { IPPROTO_TCP } from './types.js';
export const TCP_MIN_HEADER_LEN = 20;
export const TCP_ECE = 0x40;
export const TCP_CWR = 0x80;
/** A view of a TCP segment filling `bytes` (not copied); the data offset must fit. */
export class TcpView {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.length < TCP_MIN_HEADER_LEN) {
            throw new WireError('TCP', `segment of ${bytes.length} bytes is shorter than the 20-byte header`);
        }
        const words = bytes[12] >>> 4;
        if (words < 5)
            throw new WireError('TCP', `data offset ${words} words is below 5`);
        if (words * 4 > bytes.length) {
            throw new WireError('TCP', `data offset ${words} words exceeds the ${bytes.length} bytes available`);
        }
    }
    get srcPort() {
        return get16(this.bytes, 0);
    }
    get dstPort() {
        return get16(this.bytes, 2);
    }
    get seq() {
        return get32(this.bytes, 4);
    }
    get ack() {
        return get32(this.bytes, 8);
    }
    get headerLen() {
        return (this.bytes[12] >>> 4) * 4;
    }
    get flags() {
        return this.bytes[13];
    }
    get window() {
        return get16(this.bytes, 14);
    }
    get checksum() {
        return get16(this.bytes, 16);
    }
    get urgent() {
        return get16(this.bytes, 18);
    }
    get options() {
        return this.bytes.subarray(TCP_MIN_HEADER_LEN, this.headerLen);
    }
    get payload() {
        return this.bytes.subarray(this.headerLen);
    }
    checksumOk(src, dst) {
        const len = this.bytes.length;
        return onesSum(this.bytes, 0, len, pseudoHeaderSum(src, dst, IPPROTO_TCP, len)) === 0xffff;
    }
}
export function tcpBufferLen(s) {
    return TCP_MIN_HEADER_LEN + s.options.length + s.payload.length;
}
/** Decodes a segment that fills `bytes` exactly (IPv4 bounds it); options and payload are copied. */
export function parseTcp(bytes) {
    const v = new TcpView(bytes);
    return {
        kind: 'tcp',
        srcPort: v.srcPort,
        dstPort: v.dstPort,
        seq: v.seq,
        ack: v.ack,
        flags: v.flags,
        window: v.window,
        urgent: v.urgent,
        options: v.options.slice(),
        payload: v.payload.slice(),
    };
}
/** Writes the segment at `buf[off]` with its checksum; `src`/`dst` are the IPv4 addresses. */
export function emitTcp(s, buf, off, src, dst) {
    const optLen = s.options.length;
    if (optLen % 4 !== 0 || optLen > 40) {
        throw new WireError('TCP', `options of ${optLen} bytes are not a multiple of 4 up to 40`);
    }
    const headerLen = TCP_MIN_HEADER_LEN + optLen;
    const len = headerLen + s.payload.length;
    put16(buf, off, s.srcPort);
    put16(buf, off + 2, s.dstPort);
    put32(buf, off + 4, s.seq);
    put32(buf, off + 8, s.ack);
    buf[off + 12] = (headerLen >>> 2) << 4;
    buf[off + 13] = s.flags;
    put16(buf, off + 14, s.window);
    put16(buf, off + 16, 0);
    put16(buf, off + 18, s.urgent);
    buf.set(s.options, off + TCP_MIN_HEADER_LEN);
    buf.set(s.payload, off + headerLen);
    put16(buf, off + 16, ~onesSum(buf, off, len, pseudoHeaderSum(src, dst, IPPROTO_TCP, len)) & 0xffff);
}
/** Whether a TCP segment filling `bytes` has a correct checksum. */
export function tcpChecksumOk(bytes, src, dst) {
    return new TcpView(bytes).checksumOk(src, dst);
}
/**
 * Decodes option bytes up to the first EOL. Throws a WireError for an option whose length
 * byte is missing, below 2, or runs past the end.
 */
export function parseTcpOptions(bytes) {
    const out = [];
    let i = 0;
    while (i < bytes.length) {
        const type = bytes[i];
        if (type === 0) {
            out.push({ kind: 'eol' });
            break;
        }
        if (type === 1) {
            out.push({ kind: 'nop' });
            i++;
            continue;
        }
        if (i + 1 >= bytes.length)
            throw new WireError('TCP', `option ${type} has no length byte`);
        const len = bytes[i + 1];
        if (len < 2 || i + len > bytes.length)
            throw new WireError('TCP', `option ${type} length ${len} is invalid`);
        const body = bytes.subarray(i + 2, i + len);
        out.push(decodeOption(type, body));
        i += len;
    }
    return out;
}
function decodeOption(type, body) {
    if (type === 2 && body.length === 2)
        return { kind: 'mss', mss: get16(body, 0) };
    if (type === 3 && body.length === 1)
        return { kind: 'wscale', shift: body[0] };
    if (type === 4 && body.length === 0)
        return { kind: 'sackOK' };
    if (type === 5 && body.length % 8 === 0) {
        const blocks = [];
        for (let j = 0; j < body.length; j += 8)
            blocks.push([get32(body, j), get32(body, j + 4)]);
        return { kind: 'sack', blocks };
    }
    if (type === 8 && body.length === 8)
        return { kind: 'ts', val: get32(body, 0), ecr: get32(body, 4) };
    return { kind: 'other', type, data: body.slice() };
}
/** Encodes options and pads with zero (EOL) bytes to a multiple of 4, as RFC 793 asks. */
export function emitTcpOptions(options) {
    const parts = [];
    for (const o of options) {
        switch (o.kind) {
            case 'eol':
                parts.push(0);
                break;
            case 'nop':
                parts.push(1);
                break;
            case 'mss':
                parts.push(2, 4, o.mss >>> 8, o.mss & 0xff);
                break;
            case 'wscale':
                parts.push(3, 3, o.shift);
                break;
            case 'sackOK':
                parts.push(4, 2);
                break;
            case 'sack':
                parts.push(5, 2 + 8 * o.blocks.length);
                for (const [l, r] of o.blocks)
                    parts.push(...be32(l), ...be32(r));
                break;
            case 'ts':
                parts.push(8, 10, ...be32(o.val), ...be32(o.ecr));
                break;
            case 'other':
                parts.push(o.type, 2 + o.data.length, ...o.data);
                break;
        }
    }
    while (parts.length % 4)
        parts.push(0);
    return Uint8Array.from(parts);
}
function be32(v) {
    return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}
//# sourceMappingURL=tcp.js.map