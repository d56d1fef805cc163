// How `ip route` prints a route (iproute2 iproute.c print_route) and which routes a listing
// selects (filter_nlmsg): from kernel Route values, in the kernel's dump order.
import { nexthopDead, RT_SCOPE_HOST, RT_TABLE_MAIN, type Netns, type Nexthop, type Route } from '../../kernel/index.js';
import { formatIpv4, inPrefix } from '../../wire/index.js';
import { protoName, scopeName, tableName } from './names.js';
import type { Printer } from './print.js';

export interface RouteFilter {
  /** 0: all tables. */
  table: number;
  protocol?: number;
  scope?: number;
  type?: Route['type'];
  oif?: number;
  metric?: number;
  /** `root P`: routes inside P (len >= P.len). */
  root?: { addr: number; len: number };
  /** `match P`: routes containing P (len <= P.len). */
  match?: { addr: number; len: number };
  via?: { addr: number; len: number };
  src?: { addr: number; len: number };
}

export function emptyRouteFilter(): RouteFilter {
  return { table: RT_TABLE_MAIN };
}

export function routeMatches(r: Route, f: RouteFilter): boolean {
  if (f.table > 0 && r.table !== f.table) return false;
  if (f.protocol !== undefined && r.protocol !== f.protocol) return false;
  if (f.scope !== undefined && r.scope !== f.scope) return false;
  if (f.type !== undefined && r.type !== f.type) return false;
  if (f.root && (f.root.len > r.dstLen || !inPrefix(r.dst, f.root.addr, f.root.len))) return false;
  if (f.match && (f.match.len < r.dstLen || !inPrefix(f.match.addr, r.dst, r.dstLen))) return false;
  if (f.via && (r.gateway === undefined ? f.via.len > 0 : !inPrefix(r.gateway, f.via.addr, f.via.len))) return false;
  if (f.src && (r.prefsrc === undefined ? f.src.len > 0 : !inPrefix(r.prefsrc, f.src.addr, f.src.len))) return false;
  if (f.oif !== undefined && r.dev?.ifindex !== f.oif) return false;
  if (f.metric !== undefined && r.metric !== f.metric) return false;
  return true;
}

/** The routes a dump returns: tables in the order of their hash bucket (id mod 256), each in trie order. */
export function dumpRoutes(ns: Netns, f: RouteFilter): Route[] {
  const tables = [...ns.tables.values()]
    .filter((t) => f.table === 0 || t.id === f.table)
    .sort((a, b) => (a.id & 255) - (b.id & 255) || a.id - b.id);
  return tables.flatMap((t) => t.dump()).filter((r) => routeMatches(r, f));
}

export interface RoutePrintOptions {
  readonly details: boolean;
  readonly filter: RouteFilter;
}

/** The dst text: `default`, `10.0.0.0/24`, or a host address without `/32`. */
export function dstText(r: Pick<Route, 'dst' | 'dstLen'>): string {
  if (r.dstLen === 0 && r.dst === 0) return 'default';
  return r.dstLen === 32 ? formatIpv4(r.dst) : `${formatIpv4(r.dst)}/${r.dstLen}`;
}

/** print_route() for a FIB entry. */
export function printRoute(p: Printer, r: Route, o: RoutePrintOptions): void {
  const f = o.filter;
  p.openObject();
  if (r.type !== 'unicast' || o.details) p.any('type', r.type, `${r.type} `);
  p.any('dst', dstText(r), `${dstText(r)} `);
  if (r.gateway !== undefined && !(f.via && f.via.len === 32)) p.any('gateway', formatIpv4(r.gateway), `via ${formatIpv4(r.gateway)} `);
  if (r.dev && f.oif === undefined) p.any('dev', r.dev.name, `dev ${r.dev.name} `);
  if ((r.table !== RT_TABLE_MAIN || o.details) && f.table === 0) p.any('table', tableName(r.table), `table ${tableName(r.table)} `);
  if ((r.protocol !== 3 || o.details) && f.protocol === undefined)
    p.any('protocol', protoName(r.protocol), `proto ${protoName(r.protocol)} `);
  if ((r.scope !== 0 || o.details) && f.scope === undefined) p.any('scope', scopeName(r.scope), `scope ${scopeName(r.scope)} `);
  if (r.prefsrc !== undefined && !(f.src && f.src.len === 32)) p.any('prefsrc', formatIpv4(r.prefsrc), `src ${formatIpv4(r.prefsrc)} `);
  if (r.metric !== 0 && f.metric === undefined) p.any('metric', r.metric, `metric ${r.metric} `);
  printRouteFlags(p, routeFlags(r));
  if (r.mtu !== undefined) printMetrics(p, r.mtu);
  if (r.nexthops) printMultipath(p, r.nexthops);
  p.fp('\n');
  p.closeObject();
}

/** print_rta_multipath(): one `\tnexthop via G dev D weight W FLAGS` per path, each on its own line (after `\` with -o). */
function printMultipath(p: Printer, hops: readonly Nexthop[]): void {
  p.openArray('nexthops');
  for (const h of hops) {
    p.openObject();
    p.fp(`${p.opts.oneline ? '\\' : '\n'}\tnexthop `);
    if (h.gateway !== undefined) p.any('gateway', formatIpv4(h.gateway), `via ${formatIpv4(h.gateway)} `);
    p.any('dev', h.dev.name, `dev ${h.dev.name} `);
    p.any('weight', h.weight, `weight ${h.weight} `);
    printRouteFlags(p, nexthopFlags(h));
    p.closeObject();
  }
  p.closeArray();
}

/** A path's rtnh_flags: RTNH_F_DEAD (with LINKDOWN) while its device is down, ONLINK, LINKDOWN without carrier. */
export function nexthopFlags(h: Nexthop): string[] {
  const flags: string[] = [];
  const dead = nexthopDead(h);
  if (dead) flags.push('dead');
  if (h.onlink) flags.push('onlink');
  if (dead || !h.dev.carrier) flags.push('linkdown');
  return flags;
}

/** RTNH_F_ONLINK, and RTNH_F_LINKDOWN for a next hop whose device is up without carrier. */
export function routeFlags(r: Route): string[] {
  const flags: string[] = [];
  if (r.onlink) flags.push('onlink');
  if (r.dev && r.type !== 'local' && r.scope !== RT_SCOPE_HOST && r.dev.adminUp && !r.dev.carrier) flags.push('linkdown');
  if (r.mpFlags?.linkdown) flags.push('linkdown');
  return flags;
}

export function printRouteFlags(p: Printer, flags: readonly string[]): void {
  p.openArray('flags');
  for (const fl of flags) p.any(undefined, fl, `${fl} `);
  p.closeArray();
}

function printMetrics(p: Printer, mtu: number): void {
  p.openArray('metrics');
  p.openObject();
  p.fp('mtu ');
  p.any('mtu', mtu, `${mtu} `);
  p.closeObject();
  p.closeArray();
}
