// Where a namespace's plain routes reach their gateways (`ip route add DST via GW`: no device, not
// onlink, table main, default rules): the route fib_check_nh_v4_gw() last found for a gateway,
// which answers for every gateway in its network but the longer prefixes inside it. kindnetd on
// every node routes to every other node's pods via that node's address: N² gateway lookups in a
// cluster, each in tables local and main of another namespace, all found through one route (the
// node network's). The answer depends on the routes alone, not on device state: a route that comes
// or goes overlapping that network forgets it.
import { networkOf, type Ipv4 } from '../wire/index.js';
import { RT_SCOPE_LINK, RT_TABLE_DEFAULT, RT_TABLE_LOCAL, RT_TABLE_MAIN, type FibTable, type Route } from './fib.js';
import type { Link } from './link.js';

/** Longer prefixes inside the network kept at most (local addresses and broadcasts, a few subnets); more: nothing is kept. */
const MAX_EXCEPTIONS = 16;

/** A gateway route this cache may answer for: no device, not onlink, scope below link, table main, default rules. */
export function plainGatewayRoute(dev: Link | undefined, onlink: boolean, scope: number, table: number, customRules: boolean): boolean {
  return dev === undefined && !onlink && scope < RT_SCOPE_LINK && table === RT_TABLE_MAIN && !customRules;
}

export class GatewayCache {
  /** The device of the route found, for gateways in net/len; undefined: nothing kept. */
  private dev: Link | undefined;
  private net = 0;
  private len = 0;
  /** The routes longer than len inside net/len in tables local, main and default, as (network, length) pairs. */
  private exceptions: number[] = [];

  /** The device a plain route's gateway resolves to, when known. */
  get(gw: Ipv4): Link | undefined {
    if (this.dev === undefined || networkOf(gw, this.len) !== this.net) return undefined;
    const ex = this.exceptions;
    for (let i = 0; i < ex.length; i += 2) if (networkOf(gw, ex[i + 1]!) === ex[i]) return undefined;
    return this.dev;
  }

  /**
   * Plain route's gateway `gw` was found through route `via` in `tables` (the namespace's). Every
   * other gateway in via's network that no longer prefix there covers meets the same routes (those
   * holding the whole network) in the same order, so it resolves the same.
   */
  learn(gw: Ipv4, via: Route, tables: ReadonlyMap<number, FibTable>): void {
    this.dev = undefined;
    const exceptions: number[] = [];
    for (const id of [RT_TABLE_LOCAL, RT_TABLE_MAIN, RT_TABLE_DEFAULT]) {
      const t = tables.get(id);
      if (t && !t.longerWithin(via.dst, via.dstLen, exceptions, MAX_EXCEPTIONS)) return;
    }
    for (let i = 0; i < exceptions.length; i += 2) if (networkOf(gw, exceptions[i + 1]!) === exceptions[i]) return;
    this.dev = via.dev;
    this.net = via.dst;
    this.len = via.dstLen;
    this.exceptions = exceptions;
  }

  /** A route of `dst`/`len` came or went in one of the namespace's tables: forgets when it overlaps the network kept. */
  changed(dst: Ipv4, len: number): void {
    if (this.dev === undefined) return;
    const common = Math.min(len, this.len);
    if (networkOf(dst, common) === networkOf(this.net, common)) this.dev = undefined;
  }
}
