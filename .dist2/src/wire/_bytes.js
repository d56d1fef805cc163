// Big-endian (network order) field access on a Uint8Array. Private to wire/.
export function get16(b, off) {
    return (b[off] << 8) | b[off + 1];
}
export function get32(b, off) {
    return ((b[off] << 24) | (b[off + 1] << 16) | (b[off + 2] << 8) | b[off + 3]) >>> 0;
}
export function put16(b, off, v) {
    b[off] = v >>> 8;
    b[off + 1] = v;
}
export function put32(b, off, v) {
    b[off] = v >>> 24;
    b[off + 1] = v >>> 16;
    b[off + 2] = v >>> 8;
    b[off + 3] = v;
}
//# sourceMappingURL=_bytes.js.map