// The classic libpcap file format (pcap-savefile(5), draft-ietf-opsawg-pcap): a 24-byte global
// header, then per packet a 16-byte record header and the captured bytes. We write what tcpdump
// writes on x86: little-endian, magic 0xa1b2c3d4 (microsecond timestamps), version 2.4,
// snaplen 262144. Runtime-neutral: toBytes() returns the file; the CLI writes it.
import { WireError } from './error.js';
export const LINKTYPE_ETHERNET = 1;
/** Raw IPv4/IPv6 with no link header, as tcpdump shows tunl0 and other ipip devices. */
export const LINKTYPE_RAW = 101;
export const PCAP_SNAPLEN = 262144;
const MAGIC_MICRO = 0xa1b2c3d4;
const MAGIC_NANO = 0xa1b23c4d;
const GLOBAL_HEADER_LEN = 24;
const RECORD_HEADER_LEN = 16;
/** Splits virtual milliseconds into a pcap timestamp, rounding to the nearest microsecond. */
export function pcapTimestamp(timeMs) {
    const micros = Math.round(timeMs * 1000);
    return { sec: Math.floor(micros / 1e6), usec: micros % 1e6 };
}
/** Collects packets in memory and renders a pcap file. */
export class PcapWriter {
    linkType;
    snaplen;
    records = [];
    size = GLOBAL_HEADER_LEN;
    constructor(linkType = LINKTYPE_ETHERNET, snaplen = PCAP_SNAPLEN) {
        this.linkType = linkType;
        this.snaplen = snaplen;
    }
    /**
     * Records a packet captured at `timeMs`. The bytes are referenced, not copied: the caller must
     * not change them afterwards (emitFrame's buffers are fresh, so that holds for them).
     */
    add(timeMs, bytes) {
        if (!(timeMs >= 0))
            throw new WireError('pcap', `timestamp ${timeMs} ms is negative`);
        const kept = bytes.length > this.snaplen ? bytes.subarray(0, this.snaplen) : bytes;
        this.records.push({ timeMs, bytes: kept, origLen: bytes.length });
        this.size += RECORD_HEADER_LEN + kept.length;
    }
    get count() {
        return this.records.length;
    }
    toBytes() {
        const out = new Uint8Array(this.size);
        const dv = new DataView(out.buffer);
        dv.setUint32(0, MAGIC_MICRO, true);
        dv.setUint16(4, 2, true);
        dv.setUint16(6, 4, true);
        dv.setInt32(8, 0, true); // thiszone: timestamps are UTC
        dv.setUint32(12, 0, true); // sigfigs
        dv.setUint32(16, this.snaplen, true);
        dv.setUint32(20, this.linkType, true);
        let off = GLOBAL_HEADER_LEN;
        for (const r of this.records) {
            const { sec, usec } = pcapTimestamp(r.timeMs);
            dv.setUint32(off, sec, true);
            dv.setUint32(off + 4, usec, true);
            dv.setUint32(off + 8, r.bytes.length, true);
            dv.setUint32(off + 12, r.origLen, true);
            out.set(r.bytes, off + RECORD_HEADER_LEN);
            off += RECORD_HEADER_LEN + r.bytes.length;
        }
        return out;
    }
}
/**
 * Reads a classic pcap file of either byte order, micro- or nanosecond magic. Record bytes are
 * subarrays of `bytes`. Throws a WireError for a bad magic number or a truncated record.
 */
export function readPcap(bytes) {
    if (bytes.length < GLOBAL_HEADER_LEN) {
        throw new WireError('pcap', `file of ${bytes.length} bytes is shorter than the 24-byte header`);
    }
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let le;
    let nano;
    const magicLe = dv.getUint32(0, true);
    const magicBe = dv.getUint32(0, false);
    if (magicLe === MAGIC_MICRO || magicLe === MAGIC_NANO)
        [le, nano] = [true, magicLe === MAGIC_NANO];
    else if (magicBe === MAGIC_MICRO || magicBe === MAGIC_NANO)
        [le, nano] = [false, magicBe === MAGIC_NANO];
    else
        throw new WireError('pcap', `magic number 0x${magicBe.toString(16).padStart(8, '0')} is not a pcap file`);
    const snaplen = dv.getUint32(16, le);
    const linkType = dv.getUint32(20, le) & 0x0fffffff; // the top bits carry FCS information
    const records = [];
    let off = GLOBAL_HEADER_LEN;
    while (off < bytes.length) {
        if (off + RECORD_HEADER_LEN > bytes.length)
            throw new WireError('pcap', `record header at byte ${off} is truncated`);
        const sec = dv.getUint32(off, le);
        const frac = dv.getUint32(off + 4, le);
        const caplen = dv.getUint32(off + 8, le);
        const origLen = dv.getUint32(off + 12, le);
        const start = off + RECORD_HEADER_LEN;
        if (start + caplen > bytes.length)
            throw new WireError('pcap', `record at byte ${off} claims ${caplen} bytes past the end`);
        const timeMs = sec * 1000 + (nano ? frac / 1e6 : frac / 1e3);
        records.push({ timeMs, bytes: bytes.subarray(start, start + caplen), origLen });
        off = start + caplen;
    }
    return { linkType, snaplen, records };
}
//# sourceMappingURL=pcap.js.map