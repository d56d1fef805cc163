// Route resolution for locally generated and received packets (ip_route_output_key /
// ip_route_input_slow in net/ipv4/route.c), and source address selection (inet_select_addr).
import { formatIpv4, inPrefix, type Ipv4, type Ipv4Packet } from '../wire/index.js';
import { KernelError, type Errno } from './errors.js';
import { nexthopDead, routeUsesDev, RT_SCOPE_HOST, RT_SCOPE_LINK, RT_TABLE_LOCAL, type Route } from './fib.js';
import type { Link } from './link.js';
import { IPPROTO_IGMP, mcJoined } from './mcast.js';
import { multipathHash, packetHashFlow, selectPath, viaPath } from './multipath.js';
import type { Netns } from './netns.js';
import type { Flow } from './rules.js';

/** Where a packet goes: the route, the device, the next hop to resolve and the source address. */
export interface Resolved {
  readonly route: Route;
  readonly dev: Link;
  readonly nexthop: Ipv4;
  readonly src: Ipv4;
}

/**
 * A route is usable when its device is up; a `local` route always is (addresses on a device
 * that was never up, like kube-ipvs0, are still local).
 */
function usable(r: Route, oif: Link | undefined): boolean {
  // fib_table_lookup() skips a multipath route's dead paths, and with an oif the paths through others.
  if (r.nexthops) return r.nexthops.some((h) => !nexthopDead(h) && (oif === undefined || h.dev === oif));
  if (r.dev && !r.dev.adminUp && r.type !== 'local' && r.scope !== RT_SCOPE_HOST) return false;
  return oif === undefined || r.dev === undefined || r.dev === oif;
}

/** What fib_lookup() answers: a route, or the errno of a rule's action or of no rule finding one. */
export type FibResult = Route | { readonly errno: Errno };

/**
 * fib_lookup(): the policy rules pick tables in order (by default local, main, default); a miss,
 * a throw route or a missing table goes on to the next rule, and a rule's suppressor
 * (suppress_prefixlength, suppress_ifgroup: every device is in group 0) refuses a route it finds.
 */
export function fibResult(ns: Netns, fl: Flow): FibResult {
  return ns.rules.lookup<Route>(fl, (id, rule) => {
    const r = ns.tables.get(id)?.lookup(fl.dst, (x) => usable(x, fl.oif));
    if (!r || r.type === 'throw') return undefined;
    if (r.type === 'unicast' || r.type === 'local' || r.type === 'broadcast') {
      if (r.dstLen <= rule.suppressPrefixlen || (rule.suppressIfgroup === 0 && r.dev !== undefined)) return undefined;
    }
    return r;
  });
}

/** The route fib_lookup() finds for `fl`, or undefined when a rule or the lack of one refuses it. */
export function fibLookup(ns: Netns, fl: Flow): Route | undefined {
  const r = fibResult(ns, fl);
  return 'errno' in r ? undefined : r;
}

/**
 * fib_select_path(): a multipath route resolves to one of its paths — with an oif, the first live
 * path through it (fib_table_lookup's choice); otherwise the path the hash falls in
 * (fib_multipath_hash, fib_select_multipath) of the packet `skb` when there is one (a forwarded
 * packet; for an ICMP error sent, the packet it is about), else of the flow. Any other route is
 * returned as it is.
 */
export function selectRoutePath(ns: Netns, r: Route, fl: Flow, skb?: Ipv4Packet): Route {
  if (!r.nexthops) return r;
  if (fl.oif !== undefined) {
    const h = r.nexthops.find((x) => !nexthopDead(x) && x.dev === fl.oif);
    if (h) return viaPath(r, h);
  }
  const policy = Number(ns.sysctl.get('net/ipv4/fib_multipath_hash_policy'));
  const keys = skb ? packetHashFlow(skb, policy) : { src: fl.src ?? 0, dst: fl.dst, proto: fl.proto, sport: fl.sport, dport: fl.dport };
  const hash = multipathHash(ns.multipathKey, policy, keys);
  return viaPath(r, selectPath(r, hash) ?? r.nexthops.find((x) => !nexthopDead(x)) ?? r.nexthops[0]!);
}

/** A locally generated packet's flow: it comes from loopback (flowi4_iif = LOOPBACK_IFINDEX). */
export function outputFlow(ns: Netns, dst: Ipv4, opts: { src?: Ipv4; oif?: Link; mark?: number; tos?: number } = {}): Flow {
  return { dst, src: opts.src ?? 0, iif: ns.loopback(), oif: opts.oif, mark: opts.mark ?? 0, tos: opts.tos ?? 0 };
}

/** The errno a route type gives a sender (fib_props[]). */
const TYPE_ERRNO: Partial<Record<Route['type'], Errno>> = {
  blackhole: 'EINVAL',
  unreachable: 'EHOSTUNREACH',
  prohibit: 'EACCES',
};

/**
 * inet_select_addr(): a primary address of `dev` within `scope`, preferring one on the same
 * subnet as `dst`; failing that, any non-link-scope address of the namespace (loopback's first).
 */
export function selectSource(ns: Netns, dev: Link, dst: Ipv4, scope: number): Ipv4 {
  let any = 0;
  for (const a of ns.addrsOf(dev)) {
    if (a.secondary || a.scope > scope) continue;
    if (dst === 0 || inPrefix(dst, a.local, a.prefixLen)) return a.local;
    if (!any) any = a.local;
  }
  if (any) return any;
  for (const link of ns.links()) {
    for (const a of ns.addrsOf(link)) {
      if (a.secondary || a.scope === RT_SCOPE_LINK || a.scope > scope) continue;
      if (a.scope !== RT_SCOPE_HOST || link.kind !== 'loopback' || scope >= RT_SCOPE_HOST) return a.local;
    }
  }
  return 0;
}

/**
 * ip_route_output_key(): resolves a locally generated packet to `dst`. Throws a KernelError with
 * the errno connect() would return (ENETUNREACH, EHOSTUNREACH, EINVAL, EACCES).
 */
export function routeOutput(
  ns: Netns,
  dst: Ipv4,
  opts: { src?: Ipv4; oif?: Link; mark?: number; tos?: number; proto?: number; sport?: number; dport?: number; skb?: Ipv4Packet } = {},
): Resolved {
  if (opts.oif !== undefined && !opts.oif.adminUp) throw new KernelError('ENETUNREACH');
  const fl: Flow = {
    dst,
    src: opts.src ?? 0,
    iif: ns.loopback(),
    oif: opts.oif,
    mark: opts.mark ?? 0,
    tos: opts.tos ?? 0,
    proto: opts.proto,
    sport: opts.sport,
    dport: opts.dport,
  };
  const result = fibResult(ns, fl);
  // The hash reads the flow as the lookup has it: a source not yet chosen is 0.
  const found = 'errno' in result ? result : selectRoutePath(ns, result, fl, opts.skb);
  const errno = 'errno' in found ? found.errno : TYPE_ERRNO[found.type];
  if (errno !== undefined) {
    // ip_route_output_key_hash_rcu(): with a device given and no route, "assume that the
    // destination is on link" (ping -I DEV, ip route get ... oif DEV).
    if (opts.oif === undefined) throw new KernelError(errno);
    const route: Route = {
      table: 0,
      type: 'unicast',
      dst,
      dstLen: 32,
      tos: 0,
      protocol: 0,
      scope: RT_SCOPE_LINK,
      metric: 0,
      dev: opts.oif,
      onlink: false,
    };
    return { route, dev: opts.oif, nexthop: dst, src: opts.src ?? selectSource(ns, opts.oif, 0, RT_SCOPE_LINK) };
  }
  const route = found as Route;
  if (route.type === 'local' || (route.type === 'broadcast' && route.table === RT_TABLE_LOCAL && ns.isLocalAddress(dst))) {
    const lo = ns.loopback()!;
    // A local route's prefsrc is its address's primary (fib_add_ifaddr): traffic to a secondary
    // address goes from the primary one.
    return { route, dev: lo, nexthop: dst, src: opts.src ?? (route.type === 'local' ? route.prefsrc : undefined) ?? dst };
  }
  const dev = route.dev!;
  const nexthop = route.gatewayLocal ? dst : (route.gateway ?? dst);
  const src = opts.src ?? route.prefsrc ?? selectSource(ns, dev, route.gateway ?? dst, route.scope);
  return { route, dev, nexthop, src };
}

export type InputDecision =
  | { readonly kind: 'local'; readonly route: Route }
  | { readonly kind: 'broadcast' }
  | { readonly kind: 'forward'; readonly resolved: Resolved }
  | { readonly kind: 'error'; readonly errno: Errno; readonly reason: string; readonly icmp: boolean };

/**
 * ip_route_input_slow(): what becomes of a packet received on `dev` (with its mark and tos, for
 * the policy rules). Martian sources, reverse path filtering and the forwarding switch are
 * checked as the kernel checks them.
 */
export function routeInput(
  ns: Netns,
  dev: Link,
  src: Ipv4,
  dst: Ipv4,
  opts: { mark?: number; tos?: number; proto?: number; sport?: number; dport?: number; skb?: Ipv4Packet } = {},
): InputDecision {
  const drop = (reason: string): InputDecision => ({ kind: 'error', errno: 'EINVAL', reason, icmp: false });
  if (src >>> 28 === 0xe || src === 0xffffffff) return drop(`martian source ${formatIpv4(src)}`);
  if (dst === 0xffffffff) return { kind: 'broadcast' };
  if (dst >>> 28 === 0xe) {
    // ip_route_input_rcu(): multicast goes up only for a group the device is in (no multicast
    // routing here); ip_mc_validate_source() lets 0.0.0.0 send only IGMP or to 224.0.0.0/24.
    if (!mcJoined(dev, dst)) return drop(`${dev.name} is not in multicast group ${formatIpv4(dst)}`);
    if (src === 0 && opts.proto !== IPPROTO_IGMP && dst >>> 8 !== 0xe00000) return drop('martian source 0.0.0.0');
    return { kind: 'broadcast' };
  }
  if (src === 0) return drop('martian source 0.0.0.0');
  if (dev.kind !== 'loopback' && (src >>> 24 === 127 || dst >>> 24 === 127) && !ns.sysctl.effective(dev.name, 'route_localnet')) {
    return drop('martian address in 127.0.0.0/8 on a non-loopback device');
  }
  const fwd = ns.sysctl.effective(dev.name, 'forwarding') === 1;
  const fl: Flow = {
    dst,
    src,
    iif: dev,
    mark: opts.mark ?? 0,
    tos: opts.tos ?? 0,
    proto: opts.proto,
    sport: opts.sport,
    dport: opts.dport,
  };
  const result = fibResult(ns, fl);
  const found = 'errno' in result ? result : selectRoutePath(ns, result, fl, opts.skb);
  if ('errno' in found) {
    // ip_error(): with forwarding off the packet is only counted; a blackhole rule (EINVAL) is silent.
    const why =
      found.errno === 'ENETUNREACH' ? `no route to ${formatIpv4(dst)}` : `a policy rule refuses ${formatIpv4(dst)} (${found.errno})`;
    return { kind: 'error', errno: fwd ? found.errno : 'EHOSTUNREACH', reason: why, icmp: fwd && found.errno !== 'EINVAL' };
  }
  const route = found;
  if (route.type === 'broadcast') return { kind: 'broadcast' };
  if (route.type === 'local') {
    const rp = validateSource(ns, dev, src, dst);
    return rp ? drop(rp) : { kind: 'local', route };
  }
  if (!fwd) {
    // ip_error() with forwarding off only counts the packet: no ICMP.
    return { kind: 'error', errno: 'EHOSTUNREACH', reason: `forwarding is disabled on ${dev.name}`, icmp: false };
  }
  if (route.type !== 'unicast') {
    const errno = TYPE_ERRNO[route.type] ?? 'EINVAL';
    return { kind: 'error', errno, reason: `${route.type} route`, icmp: route.type !== 'blackhole' };
  }
  const rp = validateSource(ns, dev, src, dst);
  if (rp) return drop(rp);
  const out = route.dev!;
  const nexthop = route.gatewayLocal ? dst : (route.gateway ?? dst);
  const srcAddr = route.prefsrc ?? selectSource(ns, out, nexthop, route.scope);
  return { kind: 'forward', resolved: { route, dev: out, nexthop, src: srcAddr } };
}

/**
 * fib_validate_source(): rp_filter 1 wants the reply to leave by `dev`; 2 wants any route back.
 * The reverse flow goes from `dst` to `src`, as if sent from here (iif loopback, no mark).
 */
function validateSource(ns: Netns, dev: Link, src: Ipv4, dst: Ipv4): string | undefined {
  const mode = ns.sysctl.effective(dev.name, 'rp_filter');
  if (dev.kind === 'loopback') return undefined;
  if (mode === 0) {
    // Without rp_filter only a source that is one of this namespace's own addresses is martian
    // (unless accept_local): a packet of ours came back, e.g. sent out of a veth to its own peer.
    if (ns.sysctl.effective(dev.name, 'accept_local') || !ns.isLocalAddress(src)) return undefined;
    return `martian source ${formatIpv4(src)} (a local address)`;
  }
  const back = fibLookup(ns, { dst: src, src: dst, iif: ns.loopback() });
  if (back?.type === 'local' && !ns.sysctl.effective(dev.name, 'accept_local'))
    return `martian source ${formatIpv4(src)} (a local address)`;
  if (!back || (back.type !== 'unicast' && back.type !== 'local')) return `rp_filter: no route back to ${formatIpv4(src)}`;
  // fib_info_nh_uses_dev(): with a multipath route back, any path through `dev` will do.
  if (mode === 1 && !routeUsesDev(back, dev))
    return `rp_filter=1: reply to ${formatIpv4(src)} would leave by ${back.dev?.name ?? back.nexthops?.map((h) => h.dev.name).join(' or ')}, not ${dev.name}`;
  return undefined;
}
