// The VXLAN header (RFC 7348 §5): flags (0x08 = I, "VNI valid"), 3 reserved bytes, a 24-bit
// VNI, a reserved byte; the inner Ethernet frame follows.
import { get32, put32 } from './_bytes.js';
import { WireError } from './error.js';
export const VXLAN_HEADER_LEN = 8;
export const VXLAN_FLAG_I = 0x08;
/** A read-only view of a VXLAN header at the start of `bytes` (not copied). */
export class VxlanView {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.length < VXLAN_HEADER_LEN) {
            throw new WireError('VXLAN', `packet of ${bytes.length} bytes is shorter than the 8-byte header`);
        }
    }
    get flags() {
        return this.bytes[0];
    }
    get vni() {
        return get32(this.bytes, 4) >>> 8;
    }
    get payload() {
        return this.bytes.subarray(VXLAN_HEADER_LEN);
    }
}
/** Whether a UDP payload plausibly is VXLAN: a whole header with the I flag set. */
export function looksLikeVxlan(bytes) {
    return bytes.length >= VXLAN_HEADER_LEN && (bytes[0] & VXLAN_FLAG_I) !== 0;
}
/** Writes the 8-byte header at `buf[off]`; reserved bytes are zero. */
export function emitVxlanHeader(v, buf, off) {
    if (v.vni < 0 || v.vni > 0xffffff)
        throw new WireError('VXLAN', `VNI ${v.vni} does not fit 24 bits`);
    put32(buf, off, (v.flags & 0xff) << 24);
    put32(buf, off + 4, v.vni << 8);
}
//# sourceMappingURL=vxlan.js.map