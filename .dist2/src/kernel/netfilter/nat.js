/** The ephemeral range nf_nat uses when a source port must change (NF_NAT_RANGE_PROTO_... defaults). */
const PORT_MIN = 1024;
const PORT_MAX = 65535;
/**
 * nf_nat_setup_info(): rewrites `conn.reply` so replies come back to the new address/port.
 * `range` gives the new address (and optionally port range); `random` picks ports at random
 * (--random-fully), else the original port is kept when it is free, as nf_nat does.
 */
export function setupBinding(ct, conn, manip, range, opts) {
    const orig = conn.original;
    const addr = pickAddr(range, manip === 'src' ? orig.src : orig.dst);
    const keep = manip === 'src' ? orig.sport : orig.dport;
    const candidate = (port) => (manip === 'src'
        ? { ...conn.reply, dst: addr, dport: port }
        : { ...conn.reply, src: addr, sport: port });
    const [lo, hi] = range.minPort !== undefined ? [range.minPort, range.maxPort ?? range.minPort] : manip === 'src' ? [PORT_MIN, PORT_MAX] : [keep, keep];
    // Only TCP and UDP ports are remapped here; ICMP keeps its identifier and other protocols have none.
    if (orig.proto !== 6 && orig.proto !== 17) {
        conn.reply = manip === 'src' ? { ...conn.reply, dst: addr } : { ...conn.reply, src: addr };
        if (ct.tupleTaken(conn.reply))
            return false;
        if (manip === 'src')
            conn.srcNat = true;
        else
            conn.dstNat = true;
        return true;
    }
    let port = keep;
    {
        const inRange = keep >= lo && keep <= hi;
        if (opts.random || !inRange || ct.tupleTaken(candidate(keep))) {
            const span = hi - lo + 1;
            const start = opts.random || !inRange ? opts.rng.int(0, span) : (keep - lo + 1) % span;
            port = -1;
            for (let i = 0; i < span; i++) {
                const p = lo + ((start + i) % span);
                if (!ct.tupleTaken(candidate(p))) {
                    port = p;
                    break;
                }
            }
            if (port < 0)
                return false;
        }
    }
    conn.reply = candidate(port);
    if (manip === 'src')
        conn.srcNat = true;
    else
        conn.dstNat = true;
    return true;
}
function pickAddr(range, current) {
    if (range.minAddr === undefined)
        return current;
    return range.minAddr;
}
/**
 * nf_nat_packet(): the rewrite a packet of `conn` needs at a hook doing `manip`. At a DST hook
 * (PREROUTING, OUTPUT) the original direction needs DNAT and the reply direction un-SNAT; at
 * a SRC hook (POSTROUTING, INPUT) the reverse. The target is the inverse of the other
 * direction's tuple.
 */
export function natPacket(p, conn, dir, manip) {
    const needs = manip === 'src' ? (dir === 'original' ? conn.srcNat : conn.dstNat) : (dir === 'original' ? conn.dstNat : conn.srcNat);
    if (!needs)
        return p;
    const other = dir === 'original' ? conn.reply : conn.original;
    // The packet should look like the inverse of the other direction: src = other.dst, dst = other.src.
    if (manip === 'src')
        return rewrite(p, 'src', other.dst, other.dport);
    return rewrite(p, 'dst', other.src, other.sport);
}
/** Rewrites one side's address and, for TCP and UDP, its port. */
export function rewrite(p, side, addr, port) {
    const l4 = p.payload;
    let payload = l4;
    if (l4.kind === 'tcp' || l4.kind === 'udp') {
        payload = side === 'src' ? { ...l4, srcPort: port } : { ...l4, dstPort: port };
    }
    return side === 'src' ? { ...p, src: addr, payload } : { ...p, dst: addr, payload };
}
//# sourceMappingURL=nat.js.map