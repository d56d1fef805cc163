/**
 * The 16-bit one's-complement sum of `len` bytes of `buf` from `off`, added to `acc`, folded to
 * 16 bits and not yet complemented. An odd trailing byte counts as its high half (RFC 1071 §4.1).
 */
export function onesSum(buf, off, len, acc = 0) {
    let sum = acc;
    const end = off + (len & ~1);
    for (let i = off; i < end; i += 2)
        sum += (buf[i] << 8) | buf[i + 1];
    if (len & 1)
        sum += buf[end] << 8;
    // Doubles hold the sum exactly up to 2^53, so folding once at the end suffices.
    while (sum > 0xffff)
        sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
    return sum;
}
/** The checksum field value for these bytes: the complement of their one's-complement sum. */
export function internetChecksum(buf, off, len, acc = 0) {
    return ~onesSum(buf, off, len, acc) & 0xffff;
}
/** The one's-complement sum of the IPv4 pseudo-header: src, dst, zero, protocol, length. */
export function pseudoHeaderSum(src, dst, protocol, length) {
    let sum = (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + protocol + length;
    while (sum > 0xffff)
        sum = (sum & 0xffff) + (sum >>> 16);
    return sum;
}
//# sourceMappingURL=checksum.js.map