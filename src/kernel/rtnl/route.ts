// Route requests as the kernel answers them (inet_rtm_newroute / inet_rtm_delroute:
// fib_create_info's checks, then fib_table_insert or fib_table_delete on the FIB's index).
import { networkOf, type Ipv4 } from '../../wire/index.js';
import { KernelError } from '../errors.js';
import {
  RT_SCOPE_HOST,
  RT_SCOPE_LINK,
  RT_SCOPE_UNIVERSE,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  RTPROT_BOOT,
  plainRoute,
  routeWithDev,
  sameRoute,
  type Nexthop,
  type Route,
  type RouteType,
} from '../fib.js';
import { plainGatewayRoute } from '../gateway-cache.js';
import type { Link } from '../link.js';
import type { Netns } from '../netns.js';
import { fibResult, routeOutput, selectRoutePath, selectSource, type Resolved } from '../route.js';

/** An RTM_NEWROUTE / RTM_DELROUTE message: what is absent was not sent. */
export interface RouteMsg {
  readonly dst: Ipv4;
  readonly dstLen: number;
  readonly type?: RouteType;
  readonly table?: number;
  readonly tos?: number;
  readonly protocol?: number;
  readonly scope?: number;
  readonly metric?: number;
  readonly prefsrc?: Ipv4;
  readonly gateway?: Ipv4;
  readonly dev?: Link;
  readonly onlink?: boolean;
  readonly mtu?: number;
  /** RTA_MULTIPATH: one rtnexthop per path, in order (`nexthop via G dev D weight W onlink`). */
  readonly multipath?: readonly MultipathHop[];
}

/** An rtnexthop: ifindex (absent: 0), its RTA_GATEWAY, rtnh_hops + 1 and RTNH_F_ONLINK. */
export interface MultipathHop {
  readonly gateway?: Ipv4;
  readonly dev?: Link;
  readonly weight: number;
  readonly onlink: boolean;
}

/** The netlink flags of RTM_NEWROUTE: `ip route add` is create+excl, `append` create+append, `replace` create+replace, `change` replace, `prepend` create. */
export interface NewRouteFlags {
  readonly create?: boolean;
  readonly excl?: boolean;
  readonly replace?: boolean;
  readonly append?: boolean;
}

/** inet_rtm_newroute(): validates as fib_create_info does and inserts; returns the route stored. */
export function newRoute(ns: Netns, m: RouteMsg, flags: NewRouteFlags): Route {
  const type = m.type ?? 'unicast';
  const table = m.table ?? (type === 'local' || type === 'broadcast' ? RT_TABLE_LOCAL : RT_TABLE_MAIN);
  const dev = m.dev;
  let scope = m.scope;
  if (scope === undefined) {
    if (type === 'local') scope = RT_SCOPE_HOST;
    else if (type === 'broadcast') scope = RT_SCOPE_LINK;
    else if (type === 'unicast' && m.gateway === undefined && !m.multipath) scope = RT_SCOPE_LINK;
    else scope = RT_SCOPE_UNIVERSE;
  }
  // inet_rtm_newroute(): the table exists from here on (fib_new_table), even if the route is refused.
  const t = ns.table(table);
  if (networkOf(m.dst, m.dstLen) !== m.dst) throw new KernelError('EINVAL', 'Invalid prefix for given prefix length');
  if (scope > RT_SCOPE_HOST) throw new KernelError('EINVAL', 'Invalid scope');
  if (m.prefsrc !== undefined && !ns.isLocalAddress(m.prefsrc) && !(type === 'local' && m.prefsrc === m.dst))
    throw new KernelError('EINVAL', 'Invalid prefsrc address');
  // A plain route's gateway in a network resolved before (GatewayCache): the device the lookups of
  // checkNexthop would find, which has nothing else to refuse, so the route is made whole at once.
  const gw = m.gateway;
  const onlink = m.onlink ?? false;
  const known =
    type === 'unicast' && gw !== undefined && gw !== 0 && !m.multipath && plainGatewayRoute(dev, onlink, scope, table, ns.rules.custom)
      ? ns.gateways.get(gw)
      : undefined;
  const fields: Route = {
    table,
    type,
    dst: m.dst,
    dstLen: m.dstLen,
    tos: m.tos ?? 0,
    protocol: m.protocol ?? RTPROT_BOOT,
    scope,
    metric: m.metric ?? 0,
    prefsrc: m.prefsrc,
    gateway: gw,
    dev: dev ?? known,
    onlink,
    mtu: m.mtu,
  };
  // a known gateway's route is checked already: its device is the gateway's, and it is stored compact
  let route = known === undefined ? fields : plainRoute(fields);
  if (known === undefined) {
    if (m.multipath) route = multipathRoute(ns, route, m.multipath);
    else if (type === 'unicast' || type === 'local' || type === 'broadcast') route = checkNexthop(ns, route);
    else if (dev === undefined) route = routeWithDev(route, undefined);
  }
  const mode = flags.append ? 'append' : flags.replace ? 'replace' : 'add';
  // create with excl, replace or append: the insert alone decides (EEXIST for excl, as the key
  // clashes), without a look at the network's routes first (kindnet's replace: N² in a cluster).
  if (flags.create && (flags.excl || flags.replace || flags.append)) {
    t.insert(route, mode);
    return route;
  }
  const network = t.routesOf(route.dst, route.dstLen);
  const keyed = (x: Route) => x.tos === route.tos && x.metric === route.metric;
  // Whether a route has the key; the list of them only for a prepend (no array per route added).
  const clash = network.some(keyed);
  if (!flags.create && !clash) throw new KernelError('ENOENT');
  if (flags.create && clash) {
    // NLM_F_CREATE alone (prepend): the new route goes in front of those with the same key.
    const existing = network.filter(keyed);
    if (existing.some((x) => sameRoute(x, route))) throw new KernelError('EEXIST');
    const sameKey = new Set(existing);
    t.deleteWhere((x) => sameKey.has(x));
    t.insert(route, 'add');
    for (const x of existing) t.insert(x, 'append');
    return route;
  }
  t.insert(route, mode);
  return route;
}

/**
 * fib_check_nh() for a route's one next hop: a device-only hop needs its device up; a gateway
 * must be on link (`onlink` on an up device, a scope narrower than the route's) or one of our
 * own addresses; the device comes from the route that reaches the gateway.
 */
function checkNexthop(ns: Netns, route: Route): Route {
  const { type, gateway, dev, scope } = route;
  if (scope === RT_SCOPE_HOST) {
    // fib_create_info(): a host-scope route is a local address's: no gateway, any device state.
    if (gateway) throw new KernelError('EINVAL', 'Route with host scope can not have a gateway');
    if (!dev) throw new KernelError('ENODEV');
    return route;
  }
  if (gateway === undefined && !dev) throw new KernelError('ENODEV');
  if (gateway === undefined && dev && !dev.adminUp && type === 'unicast') throw new KernelError('ENETDOWN', 'Device for nexthop is not up');
  // `via 0.0.0.0` is no gateway at all (rtm_to_fib_config), and fib_check_nh_nongw() refuses onlink.
  if (type === 'unicast' && !gateway && route.onlink)
    throw new KernelError('EINVAL', 'Invalid flags for nexthop - PERVASIVE and ONLINK can not be set');
  if (type !== 'unicast' || gateway === undefined || gateway === 0) return route;
  if (route.onlink && scope >= RT_SCOPE_LINK) throw new KernelError('EINVAL', 'Nexthop has invalid scope');
  // fib_table_lookup() with the hop's device as oif skips aliases through other devices: the
  // same address may be another device's subnet broadcast.
  const viaLocal = !route.onlink ? ns.tables.get(RT_TABLE_LOCAL)?.lookup(gateway, dev && ((r) => r.dev === dev)) : undefined;
  if (viaLocal?.type === 'local' && viaLocal.dev && (!dev || dev === viaLocal.dev)) {
    // fib_check_nh_v4_gw() accepts a gateway that is one of our own addresses (RTN_LOCAL), on a
    // device that is up: the local route outlives its device going down, so that is ENETDOWN.
    if (!viaLocal.dev.adminUp) throw new KernelError('ENETDOWN');
    return routeWithDev(route, dev ?? viaLocal.dev, true);
  }
  return ns.resolveNexthop(route, !route.onlink && viaLocal === undefined);
}

/**
 * fib_create_info() with RTA_MULTIPATH (fib_get_nhs): the first path must agree with RTA_OIF and
 * RTA_GATEWAY when those are sent too, and each path is checked as a route's one next hop. One
 * path makes a plain route; two or more a multipath route, whose RTNH_F_ONLINK is the route's own.
 */
function multipathRoute(ns: Netns, route: Route, hops: readonly MultipathHop[]): Route {
  const first = hops[0]!;
  if (route.dev && first.dev !== route.dev) throw new KernelError('EINVAL', 'Nexthop device index does not match RTA_OIF');
  if (route.gateway !== undefined && route.gateway !== 0 && first.gateway !== route.gateway) {
    throw new KernelError('EINVAL', 'Nexthop gateway does not match RTA_GATEWAY or RTA_VIA');
  }
  if (route.type !== 'unicast' && route.type !== 'local' && route.type !== 'broadcast') {
    throw new KernelError('EINVAL', 'Gateway, device and multipath can not be specified for this route type');
  }
  if (route.scope === RT_SCOPE_HOST) {
    if (hops.length !== 1) throw new KernelError('EINVAL', 'Route with host scope can not have multiple nexthops');
    if (first.gateway) throw new KernelError('EINVAL', 'Route with host scope can not have a gateway');
  }
  const paths = hops.map((h) => {
    const gateway = h.gateway === 0 ? undefined : h.gateway;
    const r = checkNexthop(ns, Object.assign({}, route, { gateway, dev: h.dev, onlink: h.onlink }));
    return { route: r, hop: { gateway: r.gateway, dev: r.dev!, weight: h.weight, onlink: h.onlink } satisfies Nexthop };
  });
  if (paths.length === 1) return paths[0]!.route;
  const nexthops = paths.map((p) => p.hop);
  // fib_create_info(): every path without carrier marks the route itself linkdown.
  return Object.assign({}, route, {
    gateway: undefined,
    dev: undefined,
    nexthops,
    mpFlags: { linkdown: nexthops.every((h) => !h.dev.carrier) },
  });
}

/**
 * fib_nh_match(): a device or gateway sent compares with the first path only; otherwise each of
 * the route's paths needs a counterpart in RTA_MULTIPATH, in order (fewer sent: no match).
 */
function nexthopsMatch(x: Route, m: RouteMsg): boolean {
  const paths: readonly { gateway?: Ipv4; dev?: Link }[] = x.nexthops ?? [{ gateway: x.gateway, dev: x.dev }];
  if (m.dev !== undefined || m.gateway !== undefined) {
    return (m.dev === undefined || paths[0]!.dev === m.dev) && (m.gateway === undefined || paths[0]!.gateway === m.gateway);
  }
  if (m.multipath === undefined) return true;
  return paths.every((p, i) => {
    const h = m.multipath![i];
    return h !== undefined && (h.dev === undefined || h.dev === p.dev) && (h.gateway === undefined || h.gateway === p.gateway);
  });
}

/** inet_rtm_delroute(): deletes the first route of the prefix that matches every attribute sent; ESRCH when none does. */
export function delRoute(ns: Netns, m: RouteMsg): Route {
  const table = ns.tables.get(m.table ?? RT_TABLE_MAIN);
  if (table === undefined) throw new KernelError('ESRCH', 'FIB table does not exist');
  const dst = networkOf(m.dst, m.dstLen);
  const gone = table.deleteOf(
    dst,
    m.dstLen,
    (x) =>
      x.tos === (m.tos ?? 0) &&
      (m.type === undefined || x.type === m.type) &&
      (m.scope === undefined || x.scope === m.scope) &&
      (m.prefsrc === undefined || x.prefsrc === m.prefsrc) &&
      (m.protocol === undefined || x.protocol === m.protocol) &&
      (m.metric === undefined || x.metric === m.metric) &&
      nexthopsMatch(x, m),
  );
  if (!gone) throw new KernelError('ESRCH');
  return gone;
}

/** The routes of one table with exactly this prefix (an exact RTM_GETROUTE with NLM_F_MATCH), from the FIB's index. */
export function getRoutes(ns: Netns, table: number, dst: Ipv4, dstLen: number): readonly Route[] {
  return ns.tables.get(table)?.routesOf(dst, dstLen) ?? [];
}

/** An RTM_GETROUTE question: the path a packet to `dst` takes, sent from here or (with `iif`) arriving on `iif` from `src`. */
export interface RouteQuery {
  readonly dst: Ipv4;
  readonly src?: Ipv4;
  readonly oif?: Link;
  readonly iif?: Link;
  readonly mark?: number;
  readonly tos?: number;
  /** RTA_IP_PROTO, RTA_SPORT, RTA_DPORT: the flow's protocol and ports, as the multipath hash may read them. */
  readonly proto?: number;
  readonly sport?: number;
  readonly dport?: number;
}

/** inet_rtm_getroute(): ip_route_output_key, or the input decision (ip_route_input_slow) with `iif`. */
export function getRoute(ns: Netns, q: RouteQuery): Resolved {
  // rtm_getroute_parse_ip_proto(): IPv4 takes TCP, UDP and ICMP.
  if (q.proto !== undefined && q.proto !== 6 && q.proto !== 17 && q.proto !== 1)
    throw new KernelError('EOPNOTSUPP', 'Unsupported ip proto');
  const l4 = { proto: q.proto, sport: q.sport, dport: q.dport };
  if (q.iif !== undefined) {
    const src = q.src ?? 0;
    if (src === 0 || src >>> 28 === 0xe || src === 0xffffffff) throw new KernelError('EINVAL');
    if (ns.isLocalAddress(src)) throw new KernelError('EINVAL');
    // The route's error (rt->dst.error) is the answer: a rule's or a route type's errno, or
    // EHOSTUNREACH for anything but local delivery when the device does not forward.
    const fwd = ns.sysctl.effective(q.iif.name, 'forwarding') === 1;
    const fl = { dst: q.dst, src, iif: q.iif, mark: q.mark ?? 0, tos: q.tos ?? 0, ...l4 };
    const result = fibResult(ns, fl);
    if ('errno' in result) throw new KernelError(fwd ? result.errno : 'EHOSTUNREACH');
    const found = selectRoutePath(ns, result, fl);
    if (found.type === 'local') return { route: found, dev: ns.loopback()!, nexthop: q.dst, src: q.dst };
    if (!fwd) throw new KernelError('EHOSTUNREACH');
    const errno = ({ blackhole: 'EINVAL', unreachable: 'EHOSTUNREACH', prohibit: 'EACCES' } as const)[found.type as 'blackhole'];
    if (errno !== undefined) throw new KernelError(errno);
    const dev = found.dev!;
    const nexthop = found.gateway ?? q.dst;
    return { route: found, dev, nexthop, src: found.prefsrc ?? selectSource(ns, dev, nexthop, found.scope) };
  }
  // ip_route_output_key(): a source that is not one of our addresses finds no device.
  const src = q.src;
  if (src !== undefined && (src >>> 28 === 0xe || src === 0xffffffff)) throw new KernelError('EINVAL');
  if (src !== undefined && src !== 0 && !ns.isLocalAddress(src)) throw new KernelError('ENETUNREACH');
  return routeOutput(ns, q.dst, { src: src || undefined, oif: q.oif, mark: q.mark, tos: q.tos, ...l4 });
}
