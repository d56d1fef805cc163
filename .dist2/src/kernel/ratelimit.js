/** net.ipv4.icmp_ratelimit, in milliseconds. */
export const ICMP_RATELIMIT_MS = 1000;
/** XRLIM_BURST_FACTOR. */
const XRLIM_BURST = 6;
/** ip_rt_error_cost and ip_rt_error_burst. */
const RT_ERROR_COST_MS = 1000;
const RT_ERROR_BURST_MS = 5000;
/** A new peer starts as if last seen a minute ago (inet_getpeer), so its bucket is full. */
const NEW_PEER_AGE_MS = 60_000;
/** icmp_ratemask's default: destination unreachable, source quench, time exceeded, parameter problem. */
export function icmpRateLimited(type) {
    return type === 3 || type === 4 || type === 11 || type === 12;
}
const peers = new WeakMap();
function peerOf(ns, addr) {
    let m = peers.get(ns);
    if (!m) {
        m = new Map();
        peers.set(ns, m);
    }
    let p = m.get(addr);
    if (!p) {
        p = { tokens: 0, last: ns.kernel.clock.now() - NEW_PEER_AGE_MS };
        m.set(addr, p);
    }
    return p;
}
function spend(ns, addr, cost, burst) {
    const p = peerOf(ns, addr);
    const now = ns.kernel.clock.now();
    p.tokens = Math.min(p.tokens + (now - p.last), burst);
    p.last = now;
    if (p.tokens < cost)
        return false;
    p.tokens -= cost;
    return true;
}
/** inet_peer_xrlim_allow() for an ICMP error to `addr`. */
export function icmpXrlimAllow(ns, addr) {
    return spend(ns, addr, ICMP_RATELIMIT_MS, XRLIM_BURST * ICMP_RATELIMIT_MS);
}
/** ip_error()'s own check before it calls icmp_send() for an undeliverable packet from `addr`. */
export function ipErrorAllow(ns, addr) {
    return spend(ns, addr, RT_ERROR_COST_MS, RT_ERROR_BURST_MS);
}
//# sourceMappingURL=ratelimit.js.map