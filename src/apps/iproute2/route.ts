// `ip route add|append|replace|change|prepend|del|show|flush|get`
// (iproute2 iproute.c / iprule.c): parse everything, make the kernel's fib_create_info checks,
// then one FIB change.
import {
  delRoute,
  getRoute,
  KernelError,
  newRoute,
  RT_TABLE_LOCAL,
  RT_TABLE_MAIN,
  type Link,
  type MultipathHop,
  type NewRouteFlags,
  type RouteMsg,
  type RouteQuery,
  type RouteType,
} from '../../kernel/index.js';
import { formatIpv4 } from '../../wire/index.js';
import {
  Args,
  addrArg,
  duparg2,
  fail,
  inetAddr,
  invarg,
  matches,
  parseNumber,
  parseU32,
  parsePrefixArg,
  prefixArg,
  type Prefix,
} from './args.js';
import { printerFor, type Ctx } from './ctx.js';
import type { Printer } from './print.js';
import { rtnl } from './errors.js';
import { protoNumber, ROUTE_TYPES, scopeNumber, tableName, tableNumber } from './names.js';
import { ipprotoNumber } from './rule.js';
import { dumpRoutes, emptyRouteFilter, printRoute, printRouteFlags, type RouteFilter } from './route-show.js';

const ROUTE_USAGE = [
  'Usage: ip route { list | flush } SELECTOR',
  '       ip route save SELECTOR',
  '       ip route restore',
  '       ip route showdump',
  '       ip route get [ ROUTE_GET_FLAGS ] ADDRESS',
  '                            [ from ADDRESS iif STRING ]',
  '                            [ oif STRING ] [ tos TOS ]',
  '                            [ mark NUMBER ] [ vrf NAME ]',
  '                            [ uid NUMBER ] [ ipproto PROTOCOL ]',
  '                            [ sport NUMBER ] [ dport NUMBER ]',
  '       ip route { add | del | change | append | replace } ROUTE',
  'SELECTOR := [ root PREFIX ] [ match PREFIX ] [ exact PREFIX ]',
  '            [ table TABLE_ID ] [ vrf NAME ] [ proto RTPROTO ]',
  '            [ type TYPE ] [ scope SCOPE ]',
  'ROUTE := NODE_SPEC [ INFO_SPEC ]',
  'NODE_SPEC := [ TYPE ] PREFIX [ tos TOS ]',
  '             [ table TABLE_ID ] [ proto RTPROTO ]',
  '             [ scope SCOPE ] [ metric METRIC ]',
  '             [ ttl-propagate { enabled | disabled } ]',
  'INFO_SPEC := { NH | nhid ID } OPTIONS FLAGS [ nexthop NH ]...',
  'NH := [ encap ENCAPTYPE ENCAPHDR ] [ via [ FAMILY ] ADDRESS ]',
  '\t    [ dev STRING ] [ weight NUMBER ] NHFLAGS',
  'FAMILY := [ inet | inet6 | mpls | bridge | link ]',
  'OPTIONS := FLAGS [ mtu NUMBER ] [ advmss NUMBER ] [ as [ to ] ADDRESS ]',
  '           [ rtt TIME ] [ rttvar TIME ] [ reordering NUMBER ]',
  '           [ window NUMBER ] [ cwnd NUMBER ] [ initcwnd NUMBER ]',
  '           [ ssthresh NUMBER ] [ realms REALM ] [ src ADDRESS ]',
  '           [ rto_min TIME ] [ hoplimit NUMBER ] [ initrwnd NUMBER ]',
  '           [ features FEATURES ] [ quickack BOOL ] [ congctl NAME ]',
  '           [ pref PREF ] [ expires TIME ] [ fastopen_no_cookie BOOL ]',
  'TYPE := { unicast | local | broadcast | multicast | throw |',
  '          unreachable | prohibit | blackhole | nat }',
  'TABLE_ID := [ local | main | default | all | NUMBER ]',
  'SCOPE := [ host | link | global | NUMBER ]',
  'NHFLAGS := [ onlink | pervasive ]',
  'RTPROTO := [ kernel | boot | static | NUMBER ]',
  'PREF := [ low | medium | high ]',
  'TIME := NUMBER[s|ms]',
  'BOOL := [1|0]',
  'FEATURES := ecn',
  'ENCAPTYPE := [ mpls | ip | ip6 | seg6 | seg6local | rpl | ioam6 ]',
  'ENCAPHDR := [ MPLSLABEL | SEG6HDR | SEG6LOCAL | IOAM6HDR ]',
  'SEG6HDR := [ mode SEGMODE ] segs ADDR1,ADDRi,ADDRn [hmac HMACKEYID] [cleanup]',
  'SEGMODE := [ encap | inline ]',
  'SEG6LOCAL := action ACTION [ OPTIONS ] [ count ]',
  'ACTION := { End | End.X | End.T | End.DX2 | End.DX6 | End.DX4 |',
  '            End.DT6 | End.DT4 | End.DT46 | End.B6 | End.B6.Encaps |',
  '            End.BM | End.S | End.AS | End.AM | End.BPF }',
  'OPTIONS := OPTION [ OPTIONS ]',
  'OPTION := { srh SEG6HDR | nh4 ADDR | nh6 ADDR | iif DEV | oif DEV |',
  '            table TABLEID | vrftable TABLEID | endpoint PROGNAME }',
  'IOAM6HDR := trace prealloc type IOAM6_TRACE_TYPE ns IOAM6_NAMESPACE size IOAM6_TRACE_SIZE',
  'ROUTE_GET_FLAGS := [ fibmatch ]',
];

const KERNEL_TYPES: readonly RouteType[] = ['unicast', 'local', 'broadcast', 'blackhole', 'unreachable', 'prohibit', 'throw'];

/** rtnl_rtntype_a2n(): a type name (or number) as a type index. */
function routeTypeIndex(s: string): number | undefined {
  const i = (ROUTE_TYPES as readonly string[]).indexOf(s);
  if (i >= 0) return i;
  return /^\d+$/.test(s) && Number(s) < 256 ? Number(s) : undefined;
}

interface RouteRequest {
  type?: RouteType;
  dst?: Prefix;
  gateway?: number;
  dev?: string;
  prefsrc?: number;
  metric?: number;
  protocol?: number;
  scope?: number;
  table?: number;
  onlink: boolean;
  mtu?: number;
  tos?: number;
  /** The words from the first `nexthop` on: parse_nexthops() reads them after the rest. */
  nexthops?: string[];
  /** Whether the destination was `default`/`all`/`any`, which leaves the family unset. */
  dstAnyFamily?: boolean;
}

function parseRouteRequest(argv: readonly string[]): RouteRequest {
  const r: RouteRequest = { onlink: false };
  const a = new Args(argv);
  let gwSeen = false;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'src') r.prefsrc = addrArg(a.next());
    else if (w === 'via') {
      if (gwSeen) invarg('use nexthop syntax to specify multiple via\n', w);
      gwSeen = true;
      let t = a.next();
      if (t === 'inet') t = a.next();
      else if (t === 'inet6' || t === 'mpls' || t === 'link' || t === 'bridge') fail(1, `knetlab: "via ${t}" is not emulated`);
      r.gateway = addrArg(t);
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const t = a.next();
      const n = /^(0x)?[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : NaN;
      if (!(n >= 0 && n <= 255)) invarg('"tos" value is invalid\n', t);
      r.tos = n;
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const t = a.next();
      const n = parseU32(t);
      if (n === undefined) invarg('"metric" value is invalid\n', t);
      r.metric = n;
    } else if (w === 'scope') {
      const t = a.next();
      const n = scopeNumber(t);
      if (n === undefined) invarg('invalid "scope" value\n', t);
      r.scope = n;
    } else if (w === 'mtu') {
      let t = a.next();
      if (t === 'lock') t = a.next();
      const n = parseU32(t);
      if (n === undefined) invarg('"mtu" value is invalid\n', t);
      r.mtu = n;
    } else if (w === 'onlink') r.onlink = true;
    else if (matches(w, 'protocol')) {
      const t = a.next();
      const n = protoNumber(t);
      if (n === undefined) invarg('"protocol" value is invalid\n', t);
      r.protocol = n;
    } else if (matches(w, 'table')) {
      const t = a.next();
      const n = tableNumber(t);
      if (n === undefined) invarg('"table" value is invalid\n', t);
      r.table = n;
    } else if (w === 'dev' || w === 'oif') r.dev = a.next();
    else if (w === 'nexthop') {
      r.nexthops = a.rest();
      break;
    } else if (w === 'nhid' || w === 'encap' || w === 'from' || w === 'realms' || w === 'expires' || w === 'as') {
      fail(1, `knetlab: "ip route ... ${w}" is not emulated`);
    } else if (
      [
        'advmss',
        'hoplimit',
        'reordering',
        'rtt',
        'rttvar',
        'window',
        'cwnd',
        'initcwnd',
        'initrwnd',
        'ssthresh',
        'rto_min',
        'features',
        'quickack',
        'congctl',
        'pref',
        'fastopen_no_cookie',
        'ttl-propagate',
      ].includes(w)
    ) {
      a.next();
    } else {
      let t = w;
      if (t === 'to') t = a.next();
      const ti = !/^[0-9]/.test(t) ? routeTypeIndex(t) : undefined;
      if (ti !== undefined) {
        const name = ROUTE_TYPES[ti] as RouteType | undefined;
        t = a.next();
        if (!name || !KERNEL_TYPES.includes(name)) fail(1, `knetlab: routes of type "${ROUTE_TYPES[ti] ?? ti}" are not emulated`);
        r.type = name;
      }
      if (matches(t, 'help')) fail(255, ...ROUTE_USAGE);
      if (r.dst !== undefined) duparg2('to', t);
      if (t.includes(':')) fail(1, `knetlab: IPv6 routes are not emulated ("${t}")`);
      r.dst = prefixArg(t);
      r.dstAnyFamily = t === 'default' || t === 'all' || t === 'any';
    }
  }
  return r;
}

/**
 * parse_nexthops() / parse_one_nh(): `nexthop [via [inet] ADDR] [dev DEV] [weight 1..256] [onlink]`
 * repeated; a device is looked up as its hop is read, so a missing one stops the parse there.
 */
function parseNexthops(ctx: Ctx, argv: readonly string[], family: string): MultipathHop[] {
  const hops: MultipathHop[] = [];
  let i = 0;
  while (i < argv.length) {
    if (argv[i] !== 'nexthop') fail(255, `Error: "nexthop" or end of line is expected instead of "${argv[i]}"`);
    if (i + 1 >= argv.length) fail(255, 'Error: unexpected end of line after "nexthop"');
    let gateway: number | undefined;
    let dev: Link | undefined;
    let weight = 1;
    let onlink = false;
    const next = (): string => {
      i++;
      if (i >= argv.length) fail(255, 'Command line is not complete. Try option "help"');
      return argv[i]!;
    };
    for (i++; i < argv.length; i++) {
      const w = argv[i]!;
      if (w === 'via') {
        let t = next();
        if (t === 'inet') t = next();
        else if (t === 'inet6' || t === 'mpls' || t === 'link' || t === 'bridge' || t.includes(':'))
          fail(1, `knetlab: "nexthop via ${t}" is not emulated`);
        const addr = t === 'default' || t === 'any' || t === 'all' ? 0 : inetAddr(t);
        if (addr === undefined) fail(1, `Error: ${family} address is expected rather than "${t}".`);
        // rta_addattr_l() adds one RTA_GATEWAY per `via`; the kernel's nla_find() reads the first.
        gateway ??= addr;
      } else if (w === 'dev') {
        const d = next();
        dev = ctx.ns.linkByName(d);
        if (!dev) fail(255, `Cannot find device "${d}"`, 'Error: cannot parse nexthop');
      } else if (w === 'weight') {
        const t = next();
        const n = parseNumber(t);
        if (n === undefined || n < 0 || n > 0xffffffff || n === 0 || n > 256) invarg('"weight" is invalid\n', t);
        weight = n!;
      } else if (w === 'onlink') onlink = true;
      else if (matches(w, 'realms') || w === 'encap' || w === 'as') fail(1, `knetlab: "nexthop ... ${w}" is not emulated`);
      else break;
    }
    hops.push({ gateway, dev, weight, onlink });
  }
  return hops;
}

type Mode = 'add' | 'append' | 'replace' | 'change' | 'prepend' | 'del';

/** iproute_modify()'s netlink flags for each command word. */
const FLAGS: Record<Exclude<Mode, 'del'>, NewRouteFlags> = {
  add: { create: true, excl: true },
  append: { create: true, append: true },
  replace: { create: true, replace: true },
  change: { replace: true },
  prepend: { create: true },
};

/** iproute_modify(): the request goes to the kernel's RTM_NEWROUTE / RTM_DELROUTE. */
function routeModify(ctx: Ctx, argv: readonly string[], mode: Mode): number {
  const r = parseRouteRequest(argv);
  if (r.dst === undefined) fail(255, ...ROUTE_USAGE);
  let dev: Link | undefined;
  if (r.dev !== undefined) dev = ctx.ns.linkByName(r.dev) ?? fail(1, `Cannot find device "${r.dev}"`);
  const family = r.dstAnyFamily && ctx.o.family !== 'inet' ? 'any valid' : 'inet';
  const multipath = r.nexthops && parseNexthops(ctx, r.nexthops, family);
  const msg: RouteMsg = {
    dst: r.dst!.addr,
    dstLen: r.dst!.len,
    type: r.type,
    table: r.table,
    tos: r.tos,
    protocol: r.protocol,
    scope: r.scope,
    metric: r.metric,
    prefsrc: r.prefsrc,
    gateway: r.gateway,
    dev,
    onlink: r.onlink,
    mtu: r.mtu,
    multipath,
  };
  rtnl(() => (mode === 'del' ? delRoute(ctx.ns, msg) : newRoute(ctx.ns, msg, FLAGS[mode])));
  return 0;
}

/** The selector words of `ip route show|flush` (iproute_list_flush_or_save). */
function parseRouteFilter(ctx: Ctx, argv: readonly string[]): RouteFilter {
  const f = emptyRouteFilter();
  const a = new Args(argv);
  const prefix = (t: string): { addr: number; len: number } => {
    const p = parsePrefixArg(t) ?? fail(1, `Error: any valid prefix is expected rather than "${t}".`);
    return { addr: p.addr, len: p.len };
  };
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (matches(w, 'table')) {
      const t = a.next();
      const n = tableNumber(t);
      if (n === undefined) {
        if (t === 'all') f.table = 0;
        else if (t === 'cache') fail(1, 'knetlab: the route cache is not emulated');
        else if (t === 'help') fail(255, ...ROUTE_USAGE);
        else invarg('table id value is invalid\n', t);
      } else f.table = n;
    } else if (matches(w, 'cached') || matches(w, 'cloned')) fail(1, 'knetlab: the route cache is not emulated');
    else if (matches(w, 'protocol')) {
      const t = a.next();
      const n = protoNumber(t);
      if (n === undefined) {
        if (t !== 'all') invarg('invalid "protocol"\n', t);
        f.protocol = undefined;
      } else f.protocol = n;
    } else if (matches(w, 'scope')) {
      const t = a.next();
      const n = scopeNumber(t);
      if (n === undefined) {
        if (t !== 'all') invarg('invalid "scope"\n', t);
        f.scope = undefined;
      } else f.scope = n;
    } else if (matches(w, 'type')) {
      const t = a.next();
      const i = routeTypeIndex(t);
      if (i === undefined) invarg('node type value is invalid\n', t);
      f.type = ROUTE_TYPES[i!] as RouteType;
    } else if (w === 'dev' || w === 'oif') {
      const d = a.next();
      const l = ctx.ns.linkByName(d) ?? fail(1, `Cannot find device "${d}"`);
      f.oif = l.ifindex;
    } else if (w === 'iif') {
      const d = a.next();
      ctx.ns.linkByName(d) ?? fail(1, `Cannot find device "${d}"`);
    } else if (matches(w, 'metric') || matches(w, 'priority') || w === 'preference') {
      const t = a.next();
      const n = parseU32(t);
      if (n === undefined) invarg('"metric" value is invalid\n', t);
      f.metric = n;
    } else if (w === 'via') {
      let t = a.next();
      if (t === 'inet') t = a.next();
      f.via = prefix(t);
    } else if (w === 'src') f.src = prefix(a.next());
    else if (w === 'tos' || matches(w, 'dsfield') || w === 'mark' || matches(w, 'realms') || matches(w, 'from') || matches(w, 'vrf')) {
      fail(1, `knetlab: "ip route show ${w}" is not emulated`);
    } else {
      let t = w;
      if (matches(t, 'to')) t = a.next();
      if (matches(t, 'root')) f.root = prefix(a.next());
      else if (matches(t, 'match')) f.match = prefix(a.next());
      else {
        if (matches(t, 'exact')) t = a.next();
        const p = prefix(t);
        f.root = p;
        f.match = p;
      }
    }
  }
  return f;
}

/** inet_dump_fib(): a dump of one table that does not exist ends with the kernel's extack and iproute2's `what`. */
function tableExists(ctx: Ctx, f: RouteFilter, what: string): void {
  if (f.table === 0 || ctx.ns.tables.has(f.table)) return;
  // With -j, new_json_obj() has already opened the answer's array.
  if (ctx.o.json && what === 'Dump terminated') ctx.proc.stdout('[');
  fail(2, 'Error: ipv4: FIB table does not exist.', what);
}

function routeList(ctx: Ctx, argv: readonly string[]): number {
  if (ctx.o.family === 'inet6' || ctx.o.family === 'link') fail(1, 'knetlab: IPv6 routes are not emulated');
  const f = parseRouteFilter(ctx, argv);
  tableExists(ctx, f, 'Dump terminated');
  const p = printerFor(ctx.o);
  p.begin();
  for (const r of dumpRoutes(ctx.ns, f)) printRoute(p, r, { details: ctx.o.details, filter: f });
  ctx.proc.stdout(p.end());
  return 0;
}

function routeFlush(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) fail(1, '"ip route flush" requires arguments.');
  const f = parseRouteFilter(ctx, argv);
  tableExists(ctx, f, 'Flush terminated');
  for (const r of dumpRoutes(ctx.ns, f)) ctx.ns.table(r.table).deleteOf(r.dst, r.dstLen, (x) => x === r);
  return 0;
}

/** `ip route get`: the route a locally generated packet would take, as the kernel's cloned route prints. */
function routeGet(ctx: Ctx, argv: readonly string[]): number {
  const a = new Args(argv);
  let dst: Prefix | undefined;
  let from: Prefix | undefined;
  let oif: Link | undefined;
  let iif: string | undefined;
  let mark = 0;
  let tos = 0;
  let fibmatch = false;
  let proto: number | undefined;
  let sport: number | undefined;
  let dport: number | undefined;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'tos' || matches(w, 'dsfield')) {
      const t = a.next();
      const n = /^(0[xX])?[0-9a-fA-F]+$/.test(t) ? parseInt(t, 16) : NaN;
      if (!(n >= 0 && n <= 255)) invarg('TOS value is invalid\n', t);
      tos = n;
    } else if (matches(w, 'mark')) {
      const t = a.next();
      mark = parseU32(t) ?? invarg('invalid mark value', t);
    } else if (matches(w, 'sport') || matches(w, 'dport')) {
      // get_be16(): RTA_SPORT / RTA_DPORT, which the multipath hash reads with policy 1.
      const t = a.next();
      const n = parseNumber(t);
      if (n === undefined || n < 0 || n > 0xffff) invarg(matches(w, 'sport') ? 'invalid sport\n' : 'invalid dport\n', t);
      if (matches(w, 'sport')) sport = n;
      else dport = n;
    } else if (matches(w, 'ipproto')) {
      const t = a.next();
      proto = ipprotoNumber(t) ?? invarg('Invalid "ipproto" value\n', t);
    } else if (matches(w, 'uid') || matches(w, 'vrf')) a.next();
    else if (matches(w, 'from')) {
      const t = a.next();
      if (matches(t, 'help')) fail(255, ...ROUTE_USAGE);
      from = prefixArg(t);
    } else if (matches(w, 'iif')) iif = a.next();
    else if (matches(w, 'oif') || w === 'dev') {
      const d = a.next();
      oif = ctx.ns.linkByName(d) ?? fail(1, `Cannot find device "${d}"`);
    } else if (matches(w, 'fibmatch')) fibmatch = true;
    else if (matches(w, 'notify') || matches(w, 'connected')) continue;
    else {
      let t = w;
      if (t === 'to') t = a.next();
      if (matches(t, 'help')) fail(255, ...ROUTE_USAGE);
      if (t.includes(':')) fail(1, `knetlab: IPv6 routes are not emulated ("${t}")`);
      dst = prefixArg(t);
      if (dst.len !== 32) ctx.proc.stderr(`Warning: /${dst.len} as prefix is invalid, only /32 (or none) is supported.\n`);
    }
  }
  if (!dst) fail(1, 'need at least a destination address');
  if (iif !== undefined) {
    const dev = ctx.ns.linkByName(iif) ?? fail(1, `Cannot find device "${iif}"`);
    const q = { dst: dst!.addr, src: from?.addr ?? 0, iif: dev, mark, tos, proto, sport, dport };
    return fibmatch ? routeGetFibmatch(ctx, q) : routeGetInput(ctx, q);
  }
  const src = from?.addr;
  if (fibmatch) return routeGetFibmatch(ctx, { dst: dst!.addr, src, oif, mark, tos, proto, sport, dport });
  const res = rtnl(() => getRoute(ctx.ns, { dst: dst!.addr, src, oif, mark, tos, proto, sport, dport }));
  const local = res.route.type === 'local';
  const brd = res.route.type === 'broadcast';
  const p = printerFor(ctx.o);
  p.begin();
  p.openObject();
  if (local || brd) p.any('type', res.route.type, `${res.route.type} `);
  p.any('dst', formatIpv4(dst!.addr), `${formatIpv4(dst!.addr)} `);
  if (src !== undefined) p.any('from', formatIpv4(src), `from ${formatIpv4(src)} `);
  if (res.route.gateway !== undefined && !res.route.gatewayLocal && !local && !brd)
    p.any('gateway', formatIpv4(res.route.gateway), `via ${formatIpv4(res.route.gateway)} `);
  p.any('dev', res.dev.name, `dev ${res.dev.name} `);
  printGetTable(ctx, p, res.route.table);
  // rt_fill_info() puts RTA_PREFSRC only for a chosen source: none when no address could be picked
  if (src === undefined && res.src !== 0) p.any('prefsrc', formatIpv4(res.src), `src ${formatIpv4(res.src)} `);
  printRouteFlags(p, []);
  printMark(p, mark);
  p.any('uid', 0, 'uid 0 ');
  printCacheFlags(p, local ? ['local'] : brd ? ['local', 'brd'] : []);
  if (res.route.mtu !== undefined) {
    p.openArray('metrics');
    p.openObject();
    p.fp('mtu ');
    p.any('mtu', res.route.mtu, `${res.route.mtu} `);
    p.closeObject();
    p.closeArray();
  }
  p.fp('\n');
  p.closeObject();
  ctx.proc.stdout(p.end());
  return 0;
}

/**
 * The table of the route a lookup found (RTM_F_LOOKUP_TABLE), unless main. Until a namespace's
 * first rule change the local and main tables are one trie, so a local route reads as main.
 */
function printGetTable(ctx: Ctx, p: Printer, table: number): void {
  const t = table === RT_TABLE_LOCAL && !ctx.ns.rules.custom ? RT_TABLE_MAIN : table;
  if (t && (t !== RT_TABLE_MAIN || ctx.o.details)) p.any('table', tableName(t), `table ${tableName(t)} `);
}

/** RTA_MARK: decimal below 16, hex from 16 on. */
function printMark(p: Printer, mark: number): void {
  if (mark === 0) return;
  p.js('mark', mark);
  p.fp(mark >= 16 ? `mark 0x${mark.toString(16)} ` : `mark ${mark} `);
}

/** print_cache_flags(): `\n    cache <local,brd> `. */
function printCacheFlags(p: Printer, flags: readonly string[]): void {
  p.fp(`${p.opts.oneline ? '\\' : '\n'}    cache `);
  p.openArray('cache');
  for (const fl of flags) p.js(undefined, fl);
  p.closeArray();
  if (flags.length) p.fp(`<${flags.join(',')}> `);
}

/**
 * `ip route get fibmatch`: the FIB entry the lookup matched (RTM_F_FIB_MATCH), printed as
 * `ip route show` prints it — a multipath route whole, whichever path the flow takes. A route
 * assumed on link for an oif is no FIB entry: EHOSTUNREACH. Until the first rule change table
 * local reads as main, the merged trie's id.
 */
function routeGetFibmatch(ctx: Ctx, q: RouteQuery): number {
  const res = rtnl(() => {
    const r = getRoute(ctx.ns, q);
    if (r.route.table === 0) throw new KernelError('EHOSTUNREACH');
    return r;
  });
  let fib = res.route.pathOf ?? res.route;
  if (fib.table === RT_TABLE_LOCAL && !ctx.ns.rules.custom) fib = { ...fib, table: RT_TABLE_MAIN };
  const p = printerFor(ctx.o);
  p.begin();
  printRoute(p, fib, { details: ctx.o.details, filter: { table: 0 } });
  ctx.proc.stdout(p.end());
  return 0;
}

/** `ip route get ... iif DEV`: the input route decision (ip_route_input_slow) for a packet from `src`. */
function routeGetInput(ctx: Ctx, q: RouteQuery & { readonly src: number; readonly iif: Link; readonly mark: number }): number {
  const { dst, src, iif: dev } = q;
  const res = rtnl(() => getRoute(ctx.ns, q));
  const local = res.route.type === 'local';
  const p = printerFor(ctx.o);
  p.begin();
  p.openObject();
  if (local) p.any('type', 'local', 'local ');
  p.any('dst', formatIpv4(dst), `${formatIpv4(dst)} `);
  p.any('from', formatIpv4(src), `from ${formatIpv4(src)} `);
  if (res.route.gateway !== undefined && !res.route.gatewayLocal && !local)
    p.any('gateway', formatIpv4(res.route.gateway), `via ${formatIpv4(res.route.gateway)} `);
  p.any('dev', res.dev.name, `dev ${res.dev.name} `);
  printGetTable(ctx, p, res.route.table);
  printRouteFlags(p, []);
  printMark(p, q.mark);
  printCacheFlags(p, local ? ['local'] : []);
  p.any('iif', dev.name, `iif ${dev.name} `);
  p.fp('\n');
  p.closeObject();
  ctx.proc.stdout(p.end());
  return 0;
}

/** do_iproute(). */
export function ipRoute(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) return routeList(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return routeModify(ctx, rest, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return routeModify(ctx, rest, 'change');
  if (matches(cmd, 'replace')) return routeModify(ctx, rest, 'replace');
  if (matches(cmd, 'prepend')) return routeModify(ctx, rest, 'prepend');
  if (matches(cmd, 'append')) return routeModify(ctx, rest, 'append');
  if (matches(cmd, 'test')) return routeModify(ctx, rest, 'add');
  if (matches(cmd, 'delete')) return routeModify(ctx, rest, 'del');
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return routeList(ctx, rest);
  if (matches(cmd, 'get')) return routeGet(ctx, rest);
  if (matches(cmd, 'flush')) return routeFlush(ctx, rest);
  if (matches(cmd, 'help')) fail(255, ...ROUTE_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "ip route help".`);
}
