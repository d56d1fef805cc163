const LIMIT = 4096;
const toBytes = new Map();
const toText = new Map();
export function writeMac(mac, out, offset) {
    let b = toBytes.get(mac);
    if (!b) {
        b = new Uint8Array(6);
        for (let i = 0; i < 6; i++)
            b[i] = parseInt(mac.slice(i * 3, i * 3 + 2), 16);
        if (toBytes.size >= LIMIT)
            toBytes.clear();
        toBytes.set(mac, b);
    }
    out.set(b, offset);
}
export function readMac(buf, offset) {
    const key = (buf[offset] * 0x10000 + (buf[offset + 1] << 8) + buf[offset + 2]) * 0x1000000 +
        ((buf[offset + 3] << 16) | (buf[offset + 4] << 8) | buf[offset + 5]);
    let mac = toText.get(key);
    if (mac === undefined) {
        mac = '';
        for (let i = 0; i < 6; i++)
            mac += (i ? ':' : '') + buf[offset + i].toString(16).padStart(2, '0');
        if (toText.size >= LIMIT)
            toText.clear();
        toText.set(key, mac);
    }
    return mac;
}
//# sourceMappingURL=_mac.js.map