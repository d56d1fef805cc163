// IPv4 interface addresses (struct in_ifaddr) and the routes the kernel derives from them
// (fib_add_ifaddr / fib_del_ifaddr in net/ipv4/fib_frontend.c).
import { broadcastOf, inPrefix, networkOf, type Ipv4 } from '../wire/index.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, RT_TABLE_MAIN, RTPROT_KERNEL, type Route } from './fib.js';
import type { Link } from './link.js';

export interface IfAddr {
  readonly dev: Link;
  readonly local: Ipv4;
  readonly prefixLen: number;
  /** The broadcast address, when one was given (`broadcast +` computes it). */
  readonly broadcast: Ipv4 | undefined;
  readonly scope: number;
  readonly label: string;
  /** IFA_F_SECONDARY: another address of the same subnet was there first. */
  readonly secondary: boolean;
  readonly noprefixroute: boolean;
  /** IFA_F_PERMANENT is set on every address added from userspace. */
  readonly metric: number;
}

/**
 * An address record written out whole (the fields of `a`, its secondary flag, and a new label or
 * metric): Object.assign({}, a, { secondary }) kept all but four fields in a separate property
 * array, one more object per address (every pod's eth0 and its veth's /32 gateway).
 */
export function ifAddr(a: Omit<IfAddr, 'secondary'>, secondary: boolean, label = a.label, metric = a.metric): IfAddr {
  const { dev, local, prefixLen, broadcast, scope, noprefixroute } = a;
  return { dev, local, prefixLen, broadcast, scope, label, noprefixroute, metric, secondary };
}

/** `broadcast +`: all host bits set, as iproute2 computes it (none for /31 and /32). */
export function defaultBroadcast(local: Ipv4, prefixLen: number): Ipv4 | undefined {
  return prefixLen >= 31 ? undefined : broadcastOf(local, prefixLen);
}

export function sameSubnet(a: IfAddr, local: Ipv4, prefixLen: number): boolean {
  return a.prefixLen === prefixLen && inPrefix(local, a.local, prefixLen);
}

/**
 * The routes an address contributes while its device is up: a `local` route in table local,
 * a `broadcast` route for an explicit broadcast address, and (for a primary address of a real
 * subnet) the prefix route in table main.
 */
export function addressRoutes(a: IfAddr, primary: IfAddr): Route[] {
  const prefsrc = primary.local;
  // Each route is written out whole: V8 (Node 20) makes `{ ...base, newField }` cost microseconds.
  const route = (table: number, type: Route['type'], dst: Ipv4, dstLen: number, scope: number, src = prefsrc, metric = 0): Route => ({
    tos: 0,
    protocol: RTPROT_KERNEL,
    metric,
    dev: a.dev,
    onlink: false,
    prefsrc: src,
    table,
    type,
    dst,
    dstLen,
    scope,
  });
  const routes: Route[] = [
    // A secondary's local route names the primary as its source, as fib_add_ifaddr does.
    route(RT_TABLE_LOCAL, 'local', a.local, 32, RT_SCOPE_HOST),
  ];
  if (a.broadcast !== undefined && a.broadcast !== 0xffffffff) {
    routes.push(route(RT_TABLE_LOCAL, 'broadcast', a.broadcast, 32, RT_SCOPE_LINK));
  }
  const prefix = networkOf(a.local, a.prefixLen);
  if (prefix !== 0 && !a.secondary && (prefix !== a.local || a.prefixLen < 32)) {
    if (!a.noprefixroute) {
      // Loopback prefixes are local in table local (`local 127.0.0.0/8 dev lo`); others go to main.
      routes.push(
        a.dev.kind === 'loopback'
          ? route(RT_TABLE_LOCAL, 'local', prefix, a.prefixLen, RT_SCOPE_HOST, a.local)
          : route(RT_TABLE_MAIN, 'unicast', prefix, a.prefixLen, RT_SCOPE_LINK, prefsrc, a.metric),
      );
    }
    // The subnet's broadcast address, whether or not one was given (fib_add_ifaddr, Linux >= 5.x).
    const brd = broadcastOf(a.local, a.prefixLen);
    if (a.prefixLen < 31 && brd !== a.broadcast) {
      routes.push(route(RT_TABLE_LOCAL, 'broadcast', brd, 32, RT_SCOPE_LINK));
    }
  }
  return routes;
}
