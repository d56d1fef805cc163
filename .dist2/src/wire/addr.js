export const MAC_ZERO = '00:00:00:00:00:00';
export const MAC_BROADCAST = 'ff:ff:ff:ff:ff:ff';
/** Parses dotted-quad IPv4; returns undefined unless it is exactly four decimal octets. */
export function parseIpv4(text) {
    const parts = text.split('.');
    if (parts.length !== 4)
        return undefined;
    let v = 0;
    for (const p of parts) {
        if (!/^\d{1,3}$/.test(p))
            return undefined;
        const n = Number(p);
        if (n > 255)
            return undefined;
        v = v * 256 + n;
    }
    return v >>> 0;
}
export function formatIpv4(ip) {
    return `${ip >>> 24}.${(ip >>> 16) & 0xff}.${(ip >>> 8) & 0xff}.${ip & 0xff}`;
}
/** The netmask of a prefix length as an unsigned integer (/0 is 0). */
export function prefixMask(len) {
    return len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
}
export function networkOf(ip, len) {
    return (ip & prefixMask(len)) >>> 0;
}
export function broadcastOf(ip, len) {
    return (ip | ~prefixMask(len)) >>> 0;
}
export function inPrefix(ip, net, len) {
    return ((ip ^ net) & prefixMask(len)) === 0;
}
/** Parses `a.b.c.d[/len]`; a missing length means /32. */
export function parsePrefix(text) {
    const slash = text.indexOf('/');
    const addr = parseIpv4(slash < 0 ? text : text.slice(0, slash));
    if (addr === undefined)
        return undefined;
    if (slash < 0)
        return { addr, len: 32 };
    const lenText = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(lenText))
        return undefined;
    const len = Number(lenText);
    return len <= 32 ? { addr, len } : undefined;
}
export function formatPrefix(p) {
    return `${formatIpv4(p.addr)}/${p.len}`;
}
/** Parses a MAC written as six hex pairs separated by ':' (iproute2 also takes one-digit pairs). */
export function parseMac(text) {
    const parts = text.split(':');
    if (parts.length !== 6 || !parts.every((p) => /^[0-9a-fA-F]{1,2}$/.test(p)))
        return undefined;
    return parts.map((p) => p.toLowerCase().padStart(2, '0')).join(':');
}
export function macToBytes(mac, out, offset) {
    for (let i = 0; i < 6; i++)
        out[offset + i] = parseInt(mac.slice(i * 3, i * 3 + 2), 16);
}
export function macFromBytes(buf, offset) {
    let s = '';
    for (let i = 0; i < 6; i++) {
        if (i)
            s += ':';
        s += buf[offset + i].toString(16).padStart(2, '0');
    }
    return s;
}
export function isMulticastMac(mac) {
    return (parseInt(mac.slice(0, 2), 16) & 1) === 1;
}
//# sourceMappingURL=addr.js.map