// Ethernet II framing (IEEE 802.3 clause 3.2 with a type field): dst, src, EtherType.
// No FCS and no padding to 60 bytes: captures on Linux (and on veth, which never pads) show
// frames as the stack built them.
import { get16, put16 } from './_bytes.js';
import { readMac as macFromBytes, writeMac as macToBytes } from './_mac.js';
import { WireError } from './error.js';
export const ETHERNET_HEADER_LEN = 14;
/** A read-only view of an Ethernet II header at the start of `bytes` (not copied). */
export class EthernetView {
    bytes;
    constructor(bytes) {
        this.bytes = bytes;
        if (bytes.length < ETHERNET_HEADER_LEN) {
            throw new WireError('Ethernet', `frame of ${bytes.length} bytes is shorter than the 14-byte header`);
        }
    }
    get dst() {
        return macFromBytes(this.bytes, 0);
    }
    get src() {
        return macFromBytes(this.bytes, 6);
    }
    get etherType() {
        return get16(this.bytes, 12);
    }
    /** Everything after the header, as a subarray of `bytes`. */
    get payload() {
        return this.bytes.subarray(ETHERNET_HEADER_LEN);
    }
}
/** Writes the 14-byte header at `buf[off]`; the payload is the caller's to write after it. */
export function emitEthernetHeader(f, buf, off) {
    macToBytes(f.dst, buf, off);
    macToBytes(f.src, buf, off + 6);
    put16(buf, off + 12, f.etherType);
}
//# sourceMappingURL=ethernet.js.map