// The IPv4 FIB: routing tables with longest-prefix match (mirrors net/ipv4/fib_trie.c semantics,
// not its data structure). Each table keeps one hash map per prefix length, so a lookup costs at
// most 33 map probes whatever the number of routes.
import { networkOf, type Ipv4 } from '../wire/index.js';
import { KernelError } from './errors.js';
import type { Link } from './link.js';

export const RT_TABLE_DEFAULT = 253;
export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;

export const RT_SCOPE_UNIVERSE = 0;
export const RT_SCOPE_SITE = 200;
export const RT_SCOPE_LINK = 253;
export const RT_SCOPE_HOST = 254;
export const RT_SCOPE_NOWHERE = 255;

export const RTPROT_KERNEL = 2;
export const RTPROT_BOOT = 3;
export const RTPROT_STATIC = 4;

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'blackhole' | 'unreachable' | 'prohibit' | 'throw';

/** One path of a multipath route (struct fib_nh): RTA_MULTIPATH's rtnexthop with its gateway. */
export interface Nexthop {
  readonly gateway?: Ipv4;
  readonly dev: Link;
  /** 1..256 (rtnh_hops + 1). */
  readonly weight: number;
  readonly onlink: boolean;
}

export interface Route {
  readonly table: number;
  readonly type: RouteType;
  readonly dst: Ipv4;
  readonly dstLen: number;
  readonly tos: number;
  readonly protocol: number;
  readonly scope: number;
  /** The metric ("priority" in netlink). */
  readonly metric: number;
  readonly prefsrc?: Ipv4;
  readonly gateway?: Ipv4;
  readonly dev?: Link;
  readonly onlink: boolean;
  /**
   * The gateway is one of our own addresses (fib_check_nh_v4_gw found an RTN_LOCAL route): the next
   * hop's scope is host, so the route does not use the gateway (rt_uses_gateway is 0) and a packet
   * goes to its destination on link, and ip route get prints no `via`.
   */
  readonly gatewayLocal?: boolean;
  /** RTAX_MTU, when the route carries an mtu metric. */
  readonly mtu?: number;
  /**
   * Two or more paths (an ECMP route, fib_nhs > 1): then `gateway` and `dev` are absent and each
   * path has its own. A route given one `nexthop` is stored as a plain route, as the kernel dumps it.
   */
  readonly nexthops?: readonly Nexthop[];
  /** On the one-path view a lookup resolves a multipath route to (res->nhc): that route (res->fi). */
  readonly pathOf?: Route;
  /** A multipath route's own flags (fib_info's fib_flags), which carrier events change in place. */
  readonly mpFlags?: MultipathFlags;
}

/**
 * fib_info's RTNH_F_LINKDOWN: set when the route is made with every path without carrier, or when
 * a carrier loss leaves every path dead or without carrier (fib_sync_down_dev, NETDEV_CHANGE);
 * cleared when a path's device gets carrier back (fib_sync_up). Not simply "all paths linkdown":
 * losses on two devices one after the other leave it unset, as in Linux.
 */
export interface MultipathFlags {
  linkdown: boolean;
}

/** A path is dead while its device is down (fib_sync_down_dev sets RTNH_F_DEAD, fib_sync_up clears it). */
export function nexthopDead(h: Nexthop): boolean {
  return !h.dev.adminUp;
}

/** Whether `dev` is the route's device or one of its paths' (fib_info_nh_uses_dev). */
export function routeUsesDev(r: Route, dev: Link): boolean {
  return r.dev === dev || (r.nexthops?.some((h) => h.dev === dev) ?? false);
}

/**
 * The fields routeWithDev writes out by name, and those of the routes it copies whole instead: the
 * compiler rejects a Route field in neither list, which the copy by name would silently drop.
 */
type NamedRouteField =
  | 'table'
  | 'type'
  | 'dst'
  | 'dstLen'
  | 'tos'
  | 'protocol'
  | 'scope'
  | 'metric'
  | 'prefsrc'
  | 'gateway'
  | 'dev'
  | 'onlink'
  | 'mtu';
type RouteCopiedWhole = 'nexthops' | 'pathOf' | 'mpFlags' | 'gatewayLocal';
type NoneLeft<T extends never> = T;
export type EveryRouteFieldCopied = NoneLeft<Exclude<keyof Route, NamedRouteField | RouteCopiedWhole>>;

/**
 * Route `r` (as rtnl's newRoute writes it: these thirteen fields) with its device set, written out
 * whole: a copy made with Object.assign({}, r, { dev }) keeps all but four of its fields in a
 * separate property array, one more object per route stored (kindnet's route to every other node
 * makes N² of them) and one more load per field read. Any other route is copied as before.
 */
export function routeWithDev(r: Route, dev: Link | undefined, gatewayLocal?: true): Route {
  if (r.nexthops || r.pathOf || r.mpFlags || r.gatewayLocal !== undefined)
    return Object.assign({}, r, gatewayLocal ? { dev, gatewayLocal } : { dev });
  const { table, type, dst, dstLen, tos, protocol, scope, metric, prefsrc, gateway, onlink, mtu } = r;
  if (gatewayLocal) return { table, type, dst, dstLen, tos, protocol, scope, metric, prefsrc, gateway, dev, onlink, mtu, gatewayLocal };
  return { table, type, dst, dstLen, tos, protocol, scope, metric, prefsrc, gateway, dev, onlink, mtu };
}

/** A plain route's fields beside its network, gateway and device: what many routes share (as fib_alias entries share a fib_info). */
interface RouteAttrs {
  readonly table: number;
  readonly type: RouteType;
  readonly tos: number;
  readonly protocol: number;
  readonly scope: number;
  readonly metric: number;
  readonly prefsrc: Ipv4 | undefined;
  readonly onlink: boolean;
  readonly mtu: number | undefined;
}

/**
 * A plain route (one path, its gateway not local) as its network, gateway and device, its other
 * fields read from attributes it shares with the routes made before it that have the same: kindnet's
 * route to every other node's pods (N² in a cluster, all alike but for those three) takes 64 bytes
 * instead of a 13-field object's 128. Immutable, as every stored route; a copy (routeWithDev) is a
 * plain object again.
 */
class SharedAttrsRoute implements Route {
  constructor(
    readonly dst: Ipv4,
    readonly dstLen: number,
    readonly gateway: Ipv4 | undefined,
    readonly dev: Link | undefined,
    private readonly attrs: RouteAttrs,
  ) {}

  get table(): number {
    return this.attrs.table;
  }
  get type(): RouteType {
    return this.attrs.type;
  }
  get tos(): number {
    return this.attrs.tos;
  }
  get protocol(): number {
    return this.attrs.protocol;
  }
  get scope(): number {
    return this.attrs.scope;
  }
  get metric(): number {
    return this.attrs.metric;
  }
  get prefsrc(): Ipv4 | undefined {
    return this.attrs.prefsrc;
  }
  get onlink(): boolean {
    return this.attrs.onlink;
  }
  get mtu(): number | undefined {
    return this.attrs.mtu;
  }
}

/** The attributes of the last route made by plainRoute, which the next one takes when it has the same. */
let lastAttrs: RouteAttrs | undefined;

const sameAttrs = (a: RouteAttrs, r: Omit<Route, 'dst' | 'dstLen' | 'gateway' | 'dev'>): boolean =>
  a.table === r.table &&
  a.type === r.type &&
  a.tos === r.tos &&
  a.protocol === r.protocol &&
  a.scope === r.scope &&
  a.metric === r.metric &&
  a.prefsrc === r.prefsrc &&
  a.onlink === r.onlink &&
  a.mtu === r.mtu;

/** Plain route `r` (no paths, gateway not local) in its compact form, reading the same in every field. */
export function plainRoute(r: Route): Route {
  if (r.nexthops || r.pathOf || r.mpFlags || r.gatewayLocal !== undefined) return r;
  let attrs = lastAttrs;
  if (attrs === undefined || !sameAttrs(attrs, r)) {
    const { table, type, tos, protocol, scope, metric, prefsrc, onlink, mtu } = r;
    attrs = lastAttrs = { table, type, tos, protocol, scope, metric, prefsrc, onlink, mtu };
  }
  return new SharedAttrsRoute(r.dst, r.dstLen, r.gateway, r.dev, attrs);
}

/** The fields that identify a route for replace/delete (fib_table_insert's key). */
function sameKey(a: Route, b: Route): boolean {
  return a.dst === b.dst && a.dstLen === b.dstLen && a.tos === b.tos && a.metric === b.metric;
}

/**
 * A network's routes: the route itself when it has one (most: a kind node holds a route to each
 * other node's pods, N² in a cluster, and a one-element list costs 56 bytes more per route), else
 * the list of two or more, sorted by tos and metric.
 */
type Entry = Route | Route[];

const entryDst = (e: Entry): Ipv4 => (Array.isArray(e) ? e[0]! : e).dst;

/**
 * The routes of one prefix length by network address. Every entry's routes share their network,
 * so a table with few networks of a length keeps just its entries (a pod's namespace has one or
 * two a length) and looks them up by their network; past SMALL_BUCKET networks a Map. Both keep
 * insertion order, so iteration is the same either way.
 */
type Bucket = Entry[] | Map<number, Entry>;
const SMALL_BUCKET = 8;

/**
 * A network's key in a Map bucket: its address as a signed 32-bit integer, a small integer to V8
 * (an address from 128.0.0.0 up is no small integer unsigned: a boxed number per lookup, hashed as a
 * double). One-to-one, so the Map holds the same networks in the same order.
 */
const mapKey = (dst: Ipv4): number => dst | 0;

function bucketGet(b: Bucket, dst: Ipv4): Entry | undefined {
  if (b instanceof Map) return b.get(mapKey(dst));
  for (let i = 0; i < b.length; i++) if (entryDst(b[i]!) === dst) return b[i];
  return undefined;
}

/** The bucket with `e` (the routes of a network it lacks) added last. */
function bucketAdd(b: Bucket, e: Entry): Bucket {
  if (b instanceof Map) return b.set(mapKey(entryDst(e)), e);
  if (b.length < SMALL_BUCKET) return b.concat([e]); // concat: an exact-length array (push leaves room for 16)
  return new Map(b.map((x) => [mapKey(entryDst(x)), x] as const)).set(mapKey(entryDst(e)), e);
}

/** `e` in place of the entry of its network (which the bucket has), keeping its place. */
function bucketSet(b: Bucket, e: Entry): void {
  const dst = entryDst(e);
  if (b instanceof Map) b.set(mapKey(dst), e);
  else b[b.findIndex((x) => entryDst(x) === dst)] = e;
}

/** The bucket without the entry of network `dst`, the others in their order. */
function bucketRemove(b: Bucket, dst: Ipv4): Bucket {
  if (b instanceof Map) {
    b.delete(mapKey(dst));
    return b;
  }
  return b.filter((x) => entryDst(x) !== dst);
}

/** The entries in insertion order. */
function bucketEntries(b: Bucket): Iterable<Entry> {
  return b instanceof Map ? b.values() : b;
}

const NO_ROUTES: readonly Route[] = [];

export class FibTable {
  /** Prefix lengths that hold routes, longest first: the only ones a lookup probes. */
  private lengths: number[] = [];
  /**
   * buckets[i] holds the routes for prefix length lengths[i] by network, in dump order
   * (two short lists rather than a 33-slot array: most tables hold two or three lengths).
   */
  private buckets: Bucket[] = [];
  private count = 0;
  /** How many routes have several paths: carrier events look through the table only when some do. */
  private mpCount = 0;

  constructor(
    readonly id: number,
    /** Told of every route that comes or goes (the namespace's resolved gateways depend on them). */
    private readonly watch?: { changed(dst: Ipv4, len: number): void },
  ) {}

  get size(): number {
    return this.count;
  }

  get multipathCount(): number {
    return this.mpCount;
  }

  private counted(r: Route, by: number): void {
    if (r.nexthops) this.mpCount += by;
  }

  /** The entry of network `dst`/`len`, if the table has any route there. */
  private entryOf(dst: Ipv4, len: number): Entry | undefined {
    const i = this.lengths.indexOf(len);
    return i < 0 ? undefined : bucketGet(this.buckets[i]!, dst);
  }

  /** Adds a route; with `replace`, an existing route with the same key is replaced (NLM_F_REPLACE). */
  insert(route: Route, mode: 'add' | 'replace' | 'append' = 'add'): void {
    let at = this.lengths.indexOf(route.dstLen);
    if (at < 0) {
      at = 0;
      while (at < this.lengths.length && this.lengths[at]! > route.dstLen) at++;
      // concat() makes arrays of the exact length (a spread leaves room for 17 elements).
      this.lengths = this.lengths.slice(0, at).concat(route.dstLen, this.lengths.slice(at));
      this.buckets = this.buckets.slice(0, at).concat([[]], this.buckets.slice(at));
    }
    const bucket = this.buckets[at]!;
    const e = bucketGet(bucket, route.dst);
    this.watch?.changed(route.dst, route.dstLen); // before the change: a refused one forgets too, harmlessly
    if (e === undefined) {
      this.counted(route, 1);
      this.buckets[at] = bucketAdd(bucket, route);
      this.count++;
      return;
    }
    const list = Array.isArray(e) ? e : [e];
    const i = list.findIndex((r) => sameKey(r, route) && (mode !== 'append' || sameRoute(r, route)));
    if (i >= 0) {
      if (mode === 'add' || mode === 'append') throw new KernelError('EEXIST');
      this.counted(list[i]!, -1);
      this.counted(route, 1);
      if (list === e) list[i] = route;
      else bucketSet(bucket, route);
    } else {
      this.counted(route, 1);
      list.push(route);
      list.sort((a, b) => a.tos - b.tos || a.metric - b.metric);
      if (list !== e) bucketSet(bucket, list);
      this.count++;
    }
  }

  /** Takes route `i` of entry `e` (of bucket `b`) out: a list left with one route keeps it alone, an emptied entry goes. */
  private removeAt(b: number, e: Entry, i: number): Route {
    let gone: Route;
    if (!Array.isArray(e)) {
      gone = e;
      this.buckets[b] = bucketRemove(this.buckets[b]!, e.dst);
    } else {
      gone = e.splice(i, 1)[0]!;
      bucketSet(this.buckets[b]!, e.length === 1 ? e[0]! : e);
    }
    this.count--;
    this.counted(gone, -1);
    this.watch?.changed(gone.dst, gone.dstLen);
    return gone;
  }

  /** Deletes the first route matching every field given (fib_table_delete); ESRCH becomes ENOENT-like. */
  delete(match: (r: Route) => boolean): Route | undefined {
    for (let b = 0; b < this.buckets.length; b++) {
      for (const e of bucketEntries(this.buckets[b]!)) {
        const i = Array.isArray(e) ? e.findIndex(match) : match(e) ? 0 : -1;
        if (i >= 0) return this.removeAt(b, e, i);
      }
    }
    return undefined;
  }

  /** Removes every route for which `pred` holds; returns what was removed. */
  deleteWhere(pred: (r: Route) => boolean): Route[] {
    const gone: Route[] = [];
    for (let b = 0; b < this.buckets.length; b++) {
      const bucket = this.buckets[b]!;
      const emptied: Ipv4[] = [];
      for (const e of bucketEntries(bucket)) {
        if (!Array.isArray(e)) {
          if (pred(e)) {
            gone.push(e);
            emptied.push(e.dst);
          }
          continue;
        }
        const keep = e.filter((r) => !pred(r));
        if (keep.length === e.length) continue;
        gone.push(...e.filter(pred));
        if (keep.length === 0) emptied.push(e[0]!.dst);
        else bucketSet(bucket, keep.length === 1 ? keep[0]! : keep); // the same network, its place kept
      }
      let left = bucket;
      for (const dst of emptied) left = bucketRemove(left, dst);
      this.buckets[b] = left;
    }
    this.count -= gone.length;
    for (const r of gone) {
      this.counted(r, -1);
      this.watch?.changed(r.dst, r.dstLen);
    }
    return gone;
  }

  /**
   * Longest-prefix match: the routes of the longest prefix containing `ip`, lowest metric first.
   * `usable` filters out routes whose next hop cannot be used (dead device, scope), as
   * fib_table_lookup skips them and goes on to shorter prefixes.
   */
  lookup(ip: Ipv4, usable?: (r: Route) => boolean): Route | undefined {
    for (let i = 0; i < this.lengths.length; i++) {
      const e = bucketGet(this.buckets[i]!, networkOf(ip, this.lengths[i]!));
      if (e === undefined) continue;
      if (!Array.isArray(e)) {
        if (!usable || usable(e)) return e;
        continue;
      }
      for (const r of e) if (!usable || usable(r)) return r;
    }
    return undefined;
  }

  /**
   * lookup() with the usable routes those of scope `scope` or narrower, through `dev` when given:
   * a next hop's gateway (fib_check_nh_v4_gw), with no predicate closure (each kindnet route, N²
   * in a cluster, resolves its gateway).
   */
  lookupGateway(ip: Ipv4, scope: number, dev: Link | undefined): Route | undefined {
    for (let i = 0; i < this.lengths.length; i++) {
      const e = bucketGet(this.buckets[i]!, networkOf(ip, this.lengths[i]!));
      if (e === undefined) continue;
      if (!Array.isArray(e)) {
        if (e.scope >= scope && (dev === undefined || e.dev === dev)) return e;
        continue;
      }
      for (const r of e) if (r.scope >= scope && (dev === undefined || r.dev === dev)) return r;
    }
    return undefined;
  }

  /**
   * Pushes the network and length of every route longer than `len` inside `net`/`len` onto `out`
   * (pairs); false, with `out` unfinished, when that makes more than `max` networks. A bucket with
   * fewer networks inside than it holds is probed for each of them, not walked.
   */
  longerWithin(net: Ipv4, len: number, out: number[], max: number): boolean {
    for (let i = 0; i < this.lengths.length && this.lengths[i]! > len; i++) {
      const l = this.lengths[i]!;
      const b = this.buckets[i]!;
      const inside = 2 ** (l - len);
      if (b instanceof Map && inside < b.size) {
        for (let k = 0; k < inside; k++) {
          const dst = net + k * 2 ** (32 - l);
          if (b.has(mapKey(dst))) out.push(dst, l);
        }
      } else {
        for (const e of bucketEntries(b)) {
          const dst = entryDst(e);
          if (networkOf(dst, len) === net) out.push(dst, l);
        }
      }
      if (out.length > 2 * max) return false;
    }
    return true;
  }

  /** The routes of exactly this prefix (any tos and metric), from the index, in order. */
  routesOf(dst: Ipv4, dstLen: number): readonly Route[] {
    const e = this.entryOf(dst, dstLen);
    return e === undefined ? NO_ROUTES : Array.isArray(e) ? e : [e];
  }

  /** Deletes the first route of exactly this prefix for which `match` holds (fib_table_delete, through the index). */
  deleteOf(dst: Ipv4, dstLen: number, match: (r: Route) => boolean): Route | undefined {
    const b = this.lengths.indexOf(dstLen);
    const e = b < 0 ? undefined : bucketGet(this.buckets[b]!, dst);
    if (e === undefined) return undefined;
    const i = Array.isArray(e) ? e.findIndex(match) : match(e) ? 0 : -1;
    return i < 0 ? undefined : this.removeAt(b, e, i);
  }

  /** The route equal to `r` in key, type and device, if present. */
  lookupExact(r: Route): Route | undefined {
    return this.routesOf(r.dst, r.dstLen).find((x) => sameKey(x, r) && x.type === r.type && x.dev === r.dev);
  }

  /** Routes in the order `ip route show` dumps them: by network, then longer prefix first. */
  dump(): Route[] {
    const all: Route[] = [];
    for (const b of this.buckets)
      for (const e of bucketEntries(b)) {
        if (Array.isArray(e)) all.push(...e);
        else all.push(e);
      }
    return all.sort((a, b) => a.dst - b.dst || b.dstLen - a.dstLen || a.tos - b.tos || a.metric - b.metric);
  }
}

/** The same type and next hops (fib_table_insert's fa_match: the same fib_info, nh_comp over every path). */
export function sameRoute(a: Route, b: Route): boolean {
  return a.type === b.type && a.gateway === b.gateway && a.dev === b.dev && sameNexthops(a.nexthops, b.nexthops);
}

function sameNexthops(a: readonly Nexthop[] | undefined, b: readonly Nexthop[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return (
    a.length === b.length &&
    a.every((h, i) => {
      const o = b[i]!;
      return h.gateway === o.gateway && h.dev === o.dev && h.weight === o.weight && h.onlink === o.onlink;
    })
  );
}
