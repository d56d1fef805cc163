// `ip addr add|change|replace|del|flush|show` (iproute2 ipaddress.c ipaddr_modify and the lister).
import { defaultBroadcast, delAddr, KernelError, newAddr, type AddrMsg, type Link } from '../../kernel/index.js';
import { Args, duparg, duparg2, fail, invarg, matches, parseU32, prefixArg, addrArg, type Prefix } from './args.js';
import type { Ctx } from './ctx.js';
import { rtnl } from './errors.js';
import { addrsOfLink } from './addr-show.js';
import { addrMatches, listLinks, parseListArgs } from './list.js';
import { scopeNumber } from './names.js';

const ADDR_USAGE = [
  'Usage: ip address {add|change|replace} IFADDR dev IFNAME [ LIFETIME ]',
  '                                                      [ CONFFLAG-LIST ]',
  '       ip address del IFADDR dev IFNAME [mngtmpaddr]',
  '       ip address {save|flush} [ dev IFNAME ] [ scope SCOPE-ID ]',
  '                            [ to PREFIX ] [ FLAG-LIST ] [ label LABEL ] [up]',
  '       ip address [ show [ dev IFNAME ] [ scope SCOPE-ID ] [ master DEVICE ]',
  '                         [ nomaster ]',
  '                         [ type TYPE ] [ to PREFIX ] [ FLAG-LIST ]',
  '                         [ label LABEL ] [up] [ vrf NAME ] ]',
  '       ip address {showdump|restore}',
  'IFADDR := PREFIX | ADDR peer PREFIX',
  '          [ broadcast ADDR ] [ anycast ADDR ]',
  '          [ label IFNAME ] [ scope SCOPE-ID ] [ metric METRIC ]',
  'SCOPE-ID := [ host | link | global | NUMBER ]',
  'FLAG-LIST := [ FLAG-LIST ] FLAG',
  'FLAG  := [ permanent | dynamic | secondary | primary |',
  '           [-]tentative | [-]deprecated | [-]dadfailed | temporary |',
  '           CONFFLAG-LIST ]',
  'CONFFLAG-LIST := [ CONFFLAG-LIST ] CONFFLAG',
  'CONFFLAG  := [ home | nodad | mngtmpaddr | noprefixroute | autojoin ]',
  'LIFETIME := [ valid_lft LFT ] [ preferred_lft LFT ]',
  'LFT := forever | SECONDS',
];

interface AddrRequest {
  local?: Prefix;
  localArg?: string;
  dev?: string;
  label?: string;
  /** '+' / '-' / an address */
  broadcast?: '+' | '-' | number;
  scope?: number;
  metric?: number;
  noprefixroute: boolean;
}

function parseAddrRequest(argv: readonly string[]): AddrRequest {
  const r: AddrRequest = { noprefixroute: false };
  const a = new Args(argv);
  let brdSeen = false;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'peer' || w === 'remote') {
      a.next();
      fail(1, 'knetlab: point-to-point addresses (peer) are not emulated');
    } else if (matches(w, 'broadcast') || w === 'brd') {
      const t = a.next();
      if (brdSeen) duparg('broadcast', t);
      brdSeen = true;
      r.broadcast = t === '+' ? '+' : t === '-' ? '-' : addrArg(t);
    } else if (w === 'anycast') {
      a.next();
      fail(1, 'knetlab: anycast addresses are not emulated');
    } else if (w === 'valid_lft' || w === 'preferred_lft') {
      const t = a.next();
      if (t !== 'forever' && parseU32(t) === undefined) invarg(`${w} value`, t);
    } else if (w === 'label') r.label = a.next();
    else if (matches(w, 'metric') || matches(w, 'priority') || matches(w, 'preference')) {
      const t = a.next();
      const n = parseU32(t);
      if (n === undefined) invarg('"metric" value is invalid\n', t);
      r.metric = n;
    } else if (w === 'scope') {
      const t = a.next();
      const n = scopeNumber(t);
      if (n === undefined) invarg('invalid scope value.', t);
      r.scope = n;
    } else if (w === 'dev') r.dev = a.next();
    else if (w === 'noprefixroute') r.noprefixroute = true;
    else if (w === 'home' || w === 'nodad' || w === 'mngtmpaddr' || w === 'autojoin') continue;
    else {
      let t = w;
      if (w === 'local') t = a.next();
      if (matches(t, 'help')) fail(255, ...ADDR_USAGE);
      if (r.local !== undefined) duparg2('local', t);
      if (t.includes(':')) fail(1, `knetlab: IPv6 addresses are not emulated ("${t}")`);
      r.local = prefixArg(t);
      r.localArg = t;
    }
  }
  return r;
}

/** ipaddr_modify(): add (create, exclusive), change/replace, delete. */
function addrModify(ctx: Ctx, argv: readonly string[], mode: 'add' | 'replace' | 'change' | 'del'): number {
  const r = parseAddrRequest(argv);
  if (r.dev === undefined) fail(1, 'Not enough information: "dev" argument is required.');
  const dev = ctx.ns.linkByName(r.dev!) ?? fail(1, `Cannot find device "${r.dev}"`);
  if (mode === 'del') return addrDel(ctx, dev, r);
  const local = r.local;
  let broadcast: number | undefined;
  if (typeof r.broadcast === 'number') broadcast = r.broadcast;
  else if (local && r.broadcast !== undefined && local.len <= 30) {
    broadcast =
      r.broadcast === '+'
        ? defaultBroadcast(local.addr, local.len)
        : (local.addr & (local.len === 0 ? 0 : 0xffffffff << (32 - local.len))) >>> 0;
  }
  const msg: AddrMsg = {
    dev,
    local: local?.addr,
    prefixLen: local?.len ?? 0,
    broadcast,
    scope: r.scope,
    label: r.label,
    noprefixroute: r.noprefixroute,
    metric: r.metric,
  };
  rtnl(() => newAddr(ctx.ns, msg, mode !== 'add'));
  return 0;
}

function addrDel(ctx: Ctx, dev: Link, r: AddrRequest): number {
  if (r.local && !r.local.explicitLen) {
    ctx.proc.stderr(
      'Warning: Executing wildcard deletion to stay compatible with old scripts.\n' +
        `         Explicitly specify the prefix length (${r.localArg}/32) to avoid this warning.\n` +
        '         This special behaviour is likely to disappear in further releases,\n' +
        '         fix your scripts!\n',
    );
  }
  const prefixLen = r.local !== undefined && r.local.explicitLen ? r.local.len : undefined;
  rtnl(() => delAddr(ctx.ns, dev, { local: r.local?.addr, prefixLen, label: r.label }));
  return 0;
}

/** `ip addr flush`: deletes what `ip addr show` with the same filters would list, until none is left. */
function addrFlush(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) fail(1, 'Flush requires arguments.');
  const f = parseListArgs(argv);
  const ns = ctx.ns;
  let links = ns.links();
  if (f.dev !== undefined) {
    const l = ns.linkByName(f.dev);
    if (!l) fail(1, `Device "${f.dev}" does not exist.`);
    links = [l!];
  }
  for (const link of links) {
    if (f.up && !link.adminUp) continue;
    for (;;) {
      const victim = addrsOfLink(ns, link).find((a) => addrMatches(a, f, ctx.o.family));
      if (!victim) break;
      if (victim.family === 'inet6') {
        // The link-local (or ::1) address goes; addrconf adds it again on the next up.
        link.ipv6LinkLocal = false;
        continue;
      }
      try {
        ns.addrDel(link, victim.local4!, victim.prefixLen);
      } catch (e) {
        if (!(e instanceof KernelError)) throw e;
        break;
      }
    }
  }
  return 0;
}

/** do_ipaddr(). */
export function ipAddr(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) return listLinks(ctx, [], false);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return addrModify(ctx, rest, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return addrModify(ctx, rest, 'change');
  if (matches(cmd, 'replace')) return addrModify(ctx, rest, 'replace');
  if (matches(cmd, 'delete')) return addrModify(ctx, rest, 'del');
  if (matches(cmd, 'list') || matches(cmd, 'show') || matches(cmd, 'lst')) return listLinks(ctx, rest, false);
  if (matches(cmd, 'flush')) return addrFlush(ctx, rest);
  if (matches(cmd, 'help')) fail(255, ...ADDR_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "ip address help".`);
}
