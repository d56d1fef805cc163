// `ip link show` and `ip addr show|flush` share one lister in iproute2 (ipaddr_list_flush_or_save):
// the same filter words, the same rules for which devices appear. Parsing here; printing in
// link-show.ts and addr-show.ts.
import type { Link } from '../../kernel/index.js';
import { inPrefix } from '../../wire/index.js';
import { addrsOfLink, printAddr, type AddrRecord } from './addr-show.js';
import { Args, duparg2, fail, invarg, matches, parsePrefixArg, type Prefix } from './args.js';
import { printerFor, type Ctx } from './ctx.js';
import { printLink, printLinkBrief, printBriefHead, printStats, type LinkView } from './link-show.js';
import { scopeNumber } from './names.js';

/** ifa_flags names a filter may name (get_filter), by the flag each tests. */
const FLAG_FILTERS = [
  'secondary',
  'nodad',
  'optimistic',
  'dadfailed',
  'home',
  'deprecated',
  'tentative',
  'permanent',
  'mngtmpaddr',
  'noprefixroute',
  'autojoin',
  'stable-privacy',
];

export interface ListFilter {
  dev?: string;
  up: boolean;
  master?: string;
  nomaster: boolean;
  kind?: string;
  slaveKind?: string;
  label?: string;
  scope?: number;
  prefix?: Prefix;
  /** flag name -> wanted value */
  flags: Map<string, boolean>;
  /** `to PREFIX` sets the family the way get_prefix() does. */
  family?: 'inet';
}

export function parseListArgs(argv: readonly string[]): ListFilter {
  const f: ListFilter = { up: false, nomaster: false, flags: new Map() };
  const a = new Args(argv);
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'to') {
      const t = a.next();
      f.prefix = parsePrefixArg(t) ?? fail(1, `Error: any valid prefix is expected rather than "${t}".`);
      f.family = 'inet';
    } else if (w === 'scope') {
      const s = a.next();
      const n = scopeNumber(s);
      if (n === undefined) {
        if (s !== 'all') invarg('invalid "scope"\n', s);
        f.scope = undefined;
      } else f.scope = n;
    } else if (w === 'up') f.up = true;
    else if (flagFilter(f, w)) continue;
    else if (w === 'label') f.label = a.next();
    else if (w === 'group') {
      const g = a.next();
      if (g !== 'default' && g !== '0') invarg('Invalid "group" value\n', g);
    } else if (w === 'master') f.master = a.next();
    else if (w === 'nomaster') f.nomaster = true;
    else if (w === 'type') {
      const t = a.next();
      if (t.endsWith('_slave')) f.slaveKind = t.slice(0, -'_slave'.length);
      else f.kind = t;
    } else {
      let dev = w;
      if (w === 'dev') dev = a.next();
      else if (matches(w, 'help')) fail(255, 'Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]');
      if (f.dev !== undefined) duparg2('dev', dev);
      f.dev = dev;
    }
  }
  return f;
}

function flagFilter(f: ListFilter, word: string): boolean {
  let inv = false;
  let w = word;
  if (w.startsWith('-')) (inv = true), (w = w.slice(1));
  if (w === 'dynamic') (inv = !inv), (w = 'permanent');
  else if (w === 'primary') (inv = !inv), (w = 'secondary');
  if (!FLAG_FILTERS.includes(w)) return false;
  f.flags.set(w, !inv);
  return true;
}

function addrFlag(a: AddrRecord, name: string): boolean {
  if (name === 'secondary') return a.secondary;
  if (name === 'permanent') return true;
  if (name === 'noprefixroute') return a.noprefixroute;
  return false;
}

/** The address filters of print_addrinfo()/ipaddr_filter(): family, scope, flags, label, prefix. */
export function addrMatches(a: AddrRecord, f: ListFilter, family: Ctx['o']['family']): boolean {
  if (family !== undefined && family !== 'link' && a.family !== family) return false;
  if (f.scope !== undefined && a.scope !== f.scope) return false;
  for (const [name, want] of f.flags) if (addrFlag(a, name) !== want) return false;
  if (f.label !== undefined && !globMatch(f.label, a.label ?? a.dev.name)) return false;
  if (f.prefix && (a.local4 === undefined || !inPrefix(a.local4, f.prefix.addr, f.prefix.len))) return false;
  return true;
}

/** fnmatch() without flags, for `label PATTERN`. */
function globMatch(pattern: string, s: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(s);
}

/** The device filters of print_linkinfo(): up, master, type. */
function linkMatches(ctx: Ctx, link: Link, f: ListFilter, masterLink: Link | undefined): boolean {
  if (f.up && !link.adminUp) return false;
  if (masterLink && link.master !== masterLink) return false;
  if (f.nomaster && link.master) return false;
  if (f.kind !== undefined && (link.kind === 'loopback' || link.kind !== f.kind)) return false;
  if (f.slaveKind !== undefined && !(link.master && link.master.kind === f.slaveKind)) return false;
  void ctx;
  return true;
}

/** `ip link show` (doLink) and `ip addr show`. */
export function listLinks(ctx: Ctx, argv: readonly string[], doLink: boolean): number {
  const f = parseListArgs(argv);
  const ns = ctx.ns;
  let masterLink: Link | undefined;
  if (f.master !== undefined) {
    masterLink = ns.linkByName(f.master);
    if (!masterLink) invarg('Device does not exist\n', f.master);
  }
  let links = ns.links();
  if (f.dev !== undefined) {
    const l = ns.linkByName(f.dev);
    if (!l) fail(1, `Device "${f.dev}" does not exist.`);
    links = [l!];
  }
  // `ip link show DEV` asks for that one device (iplink_get): the other filters do not apply.
  const single = doLink && f.dev !== undefined;
  const family = doLink ? 'link' : (ctx.o.family ?? f.family);
  const v: LinkView = { ns, host: ctx.host, details: ctx.o.details, stats: ctx.o.stats, family, doLink };
  const addrFiltered =
    !doLink && (family !== undefined || f.scope !== undefined || f.flags.size > 0 || f.label !== undefined || f.prefix !== undefined);
  const p = printerFor(ctx.o);
  // `-o` and `label` print the addresses alone, without the device part.
  const noLink = !doLink && (ctx.o.oneline || f.label !== undefined);
  p.begin();
  for (const link of links) {
    if (!single && !linkMatches(ctx, link, f, masterLink)) continue;
    let addrs: AddrRecord[] = [];
    // `ip -0 addr` (AF_PACKET) lists the devices in the address format, without addresses.
    if (!doLink && family !== 'link') {
      const all = addrsOfLink(ns, link);
      addrs = all.filter((a) => addrMatches(a, f, family));
      // ipaddr_filter(): a device whose addresses all fail the filters is left out; one with
      // no address at all stays unless a family was asked for.
      if (addrFiltered && addrs.length === 0 && !(all.length === 0 && family === undefined)) continue;
      if (f.up && !link.adminUp) addrs = [];
    }
    p.openObject();
    if (ctx.o.brief) {
      if (doLink) printLinkBrief(p, link, v);
      else {
        printBriefHead(p, link, v);
        p.openArray('addr_info');
        for (const a of addrs) printAddr(p, a, { brief: true, oneline: false });
        p.closeArray();
        p.fp('\n');
      }
    } else {
      if (!noLink) printLink(p, link, v);
      if (!doLink) {
        p.openArray('addr_info');
        for (const a of addrs) printAddr(p, a, { brief: false, oneline: ctx.o.oneline });
        p.closeArray();
        // `ip -s addr`: the device's counters follow its addresses.
        if (ctx.o.stats > 0 && !noLink) {
          printStats(p, link, ctx.o.stats);
          p.fp('\n');
        }
      }
    }
    p.closeObject();
  }
  ctx.proc.stdout(p.end());
  return 0;
}
