// Route resolution for locally generated and received packets (ip_route_output_key /
// ip_route_input_slow in net/ipv4/route.c), and source address selection (inet_select_addr).
import { formatIpv4, inPrefix } from '../wire/index.js';
import { KernelError } from './errors.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN } from './fib.js';
/** Policy rules 0 (local), 32766 (main), 32767 (default): the tables fib_lookup consults, in order. */
const RULE_TABLES = [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT];
/**
 * A route is usable when its device is up; a `local` route always is (addresses on a device
 * that was never up, like kube-ipvs0, are still local).
 */
function usable(r, oif) {
    if (r.dev && !r.dev.adminUp && r.type !== 'local')
        return false;
    return oif === undefined || r.dev === undefined || r.dev === oif || r.type === 'local';
}
export function fibLookup(ns, dst, oif) {
    for (const id of RULE_TABLES) {
        const t = ns.tables.get(id);
        const r = t?.lookup(dst, (x) => usable(x, oif));
        if (r && r.type !== 'throw')
            return r;
    }
    return undefined;
}
/** The errno a route type gives a sender (fib_props[]). */
const TYPE_ERRNO = {
    blackhole: 'EINVAL',
    unreachable: 'EHOSTUNREACH',
    prohibit: 'EACCES',
};
/**
 * inet_select_addr(): a primary address of `dev` within `scope`, preferring one on the same
 * subnet as `dst`; failing that, any non-link-scope address of the namespace (loopback's first).
 */
export function selectSource(ns, dev, dst, scope) {
    let any = 0;
    for (const a of ns.addrsOf(dev)) {
        if (a.secondary || a.scope > scope)
            continue;
        if (dst === 0 || inPrefix(dst, a.local, a.prefixLen))
            return a.local;
        if (!any)
            any = a.local;
    }
    if (any)
        return any;
    for (const link of ns.links()) {
        for (const a of ns.addrsOf(link)) {
            if (a.secondary || a.scope === RT_SCOPE_LINK || a.scope > scope)
                continue;
            if (a.scope !== RT_SCOPE_HOST || link.kind !== 'loopback' || scope >= RT_SCOPE_HOST)
                return a.local;
        }
    }
    return 0;
}
/**
 * ip_route_output_key(): resolves a locally generated packet to `dst`. Throws a KernelError with
 * the errno connect() would return (ENETUNREACH, EHOSTUNREACH, EINVAL, EACCES).
 */
export function routeOutput(ns, dst, opts = {}) {
    const route = fibLookup(ns, dst, opts.oif);
    if (!route)
        throw new KernelError('ENETUNREACH');
    const errno = TYPE_ERRNO[route.type];
    if (errno)
        throw new KernelError(errno);
    if (route.type === 'local' || (route.type === 'broadcast' && route.table === RT_TABLE_LOCAL && ns.isLocalAddress(dst))) {
        const lo = ns.links().find((l) => l.kind === 'loopback');
        return { route, dev: lo, nexthop: dst, src: opts.src ?? dst };
    }
    const dev = route.dev;
    const nexthop = route.gateway ?? dst;
    const src = opts.src ?? route.prefsrc ?? selectSource(ns, dev, route.gateway ?? dst, route.scope);
    return { route, dev, nexthop, src };
}
/**
 * ip_route_input_slow(): what becomes of a packet received on `dev`. Martian sources, reverse
 * path filtering and the forwarding switch are checked as the kernel checks them.
 */
export function routeInput(ns, dev, src, dst) {
    const drop = (reason) => ({ kind: 'error', errno: 'EINVAL', reason, icmp: false });
    if (src >>> 28 === 0xe || src === 0xffffffff)
        return drop(`martian source ${formatIpv4(src)}`);
    if (dst === 0xffffffff)
        return { kind: 'broadcast' };
    if (src === 0)
        return drop('martian source 0.0.0.0');
    if (dst >>> 28 === 0xe)
        return { kind: 'broadcast' };
    if (dev.kind !== 'loopback' && (src >>> 24 === 127 || dst >>> 24 === 127) && !ns.sysctl.effective(dev.name, 'route_localnet')) {
        return drop('martian address in 127.0.0.0/8 on a non-loopback device');
    }
    const route = fibLookup(ns, dst);
    if (!route) {
        const fwd = ns.sysctl.effective(dev.name, 'forwarding') === 1;
        return { kind: 'error', errno: 'ENETUNREACH', reason: `no route to ${formatIpv4(dst)}`, icmp: fwd };
    }
    if (route.type === 'broadcast')
        return { kind: 'broadcast' };
    if (route.type === 'local') {
        const rp = validateSource(ns, dev, src);
        return rp ? drop(rp) : { kind: 'local', route };
    }
    if (ns.sysctl.effective(dev.name, 'forwarding') !== 1) {
        // ip_error() with forwarding off only counts the packet: no ICMP.
        return { kind: 'error', errno: 'EHOSTUNREACH', reason: `forwarding is disabled on ${dev.name}`, icmp: false };
    }
    if (route.type !== 'unicast') {
        const errno = TYPE_ERRNO[route.type] ?? 'EINVAL';
        return { kind: 'error', errno, reason: `${route.type} route`, icmp: route.type !== 'blackhole' };
    }
    const rp = validateSource(ns, dev, src);
    if (rp)
        return drop(rp);
    const out = route.dev;
    const nexthop = route.gateway ?? dst;
    const srcAddr = route.prefsrc ?? selectSource(ns, out, nexthop, route.scope);
    return { kind: 'forward', resolved: { route, dev: out, nexthop, src: srcAddr } };
}
/** fib_validate_source(): rp_filter 1 wants the reply to leave by `dev`; 2 wants any route back. */
function validateSource(ns, dev, src) {
    const mode = ns.sysctl.effective(dev.name, 'rp_filter');
    if (mode === 0 || dev.kind === 'loopback')
        return undefined;
    const back = fibLookup(ns, src);
    if (back?.type === 'local' && !ns.sysctl.effective(dev.name, 'accept_local'))
        return `martian source ${formatIpv4(src)} (a local address)`;
    if (!back || (back.type !== 'unicast' && back.type !== 'local'))
        return `rp_filter: no route back to ${formatIpv4(src)}`;
    if (mode === 1 && back.dev !== dev)
        return `rp_filter=1: reply to ${formatIpv4(src)} would leave by ${back.dev?.name}, not ${dev.name}`;
    return undefined;
}
//# sourceMappingURL=route.js.map