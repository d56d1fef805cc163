// IPv4 interface addresses (struct in_ifaddr) and the routes the kernel derives from them
// (fib_add_ifaddr / fib_del_ifaddr in net/ipv4/fib_frontend.c).
import { broadcastOf, inPrefix, networkOf } from '../wire/index.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_KERNEL, } from './fib.js';
/** `broadcast +`: all host bits set, as iproute2 computes it (none for /31 and /32). */
export function defaultBroadcast(local, prefixLen) {
    return prefixLen >= 31 ? undefined : broadcastOf(local, prefixLen);
}
export function sameSubnet(a, local, prefixLen) {
    return a.prefixLen === prefixLen && inPrefix(local, a.local, prefixLen);
}
/**
 * The routes an address contributes while its device is up: a `local` route in table local,
 * a `broadcast` route for an explicit broadcast address, and (for a primary address of a real
 * subnet) the prefix route in table main.
 */
export function addressRoutes(a, primary) {
    const prefsrc = primary.local;
    const base = { tos: 0, protocol: RTPROT_KERNEL, metric: 0, dev: a.dev, onlink: false, prefsrc };
    const routes = [
        // A secondary's local route names the primary as its source, as fib_add_ifaddr does.
        { ...base, table: RT_TABLE_LOCAL, type: 'local', dst: a.local, dstLen: 32, scope: RT_SCOPE_HOST },
    ];
    if (a.broadcast !== undefined && a.broadcast !== 0xffffffff) {
        routes.push({ ...base, table: RT_TABLE_LOCAL, type: 'broadcast', dst: a.broadcast, dstLen: 32, scope: RT_SCOPE_LINK });
    }
    const prefix = networkOf(a.local, a.prefixLen);
    if (prefix !== 0 && !a.secondary && (prefix !== a.local || a.prefixLen < 32)) {
        if (!a.noprefixroute) {
            // Loopback prefixes are local in table local (`local 127.0.0.0/8 dev lo`); others go to main.
            routes.push(a.dev.kind === 'loopback'
                ? { ...base, table: RT_TABLE_LOCAL, type: 'local', dst: prefix, dstLen: a.prefixLen, scope: RT_SCOPE_HOST, prefsrc: a.local }
                : { ...base, table: RT_TABLE_MAIN, type: 'unicast', dst: prefix, dstLen: a.prefixLen, scope: RT_SCOPE_LINK, metric: a.metric });
        }
        // The subnet's broadcast address, whether or not one was given (fib_add_ifaddr, Linux >= 5.x).
        const brd = broadcastOf(a.local, a.prefixLen);
        if (a.prefixLen < 31 && brd !== a.broadcast) {
            routes.push({ ...base, table: RT_TABLE_LOCAL, type: 'broadcast', dst: brd, dstLen: 32, scope: RT_SCOPE_LINK });
        }
    }
    return routes;
}
//# sourceMappingURL=addr.js.map