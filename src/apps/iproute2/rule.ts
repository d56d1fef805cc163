// `ip rule add|del|list|show|flush` (iproute2 6.1 ip/iprule.c): iprule_modify()'s parse into
// one RTM_NEWRULE / RTM_DELRULE, and print_rule() with filter_nlmsg() for listings.
import {
  delRule,
  FR_ACT_GOTO,
  FR_ACT_NOP,
  FR_ACT_TO_TBL,
  newRule,
  ruleDefaults,
  RT_TABLE_MAIN,
  RTPROT_KERNEL,
  type FibRule,
  type Netns,
  type Range,
  type RuleMsg,
} from '../../kernel/index.js';
import { formatIpv4 } from '../../wire/index.js';
import { protocolName, protocolNumber } from '../ipset/netdb.js';
import { Args, fail, invarg, matches, parsePrefixArg, parseU32, validIfname, type Prefix } from './args.js';
import { printerFor, type Ctx } from './ctx.js';
import { rtnl } from './errors.js';
import { groupName, protoName, protoNumber, ROUTE_TYPES, tableName, tableNumber } from './names.js';
import type { Printer } from './print.js';

const RULE_USAGE = [
  'Usage: ip rule { add | del } SELECTOR ACTION',
  '       ip rule { flush | save | restore }',
  '       ip rule [ list [ SELECTOR ]]',
  'SELECTOR := [ not ] [ from PREFIX ] [ to PREFIX ] [ tos TOS ]',
  '            [ fwmark FWMARK[/MASK] ]',
  '            [ iif STRING ] [ oif STRING ] [ pref NUMBER ] [ l3mdev ]',
  '            [ uidrange NUMBER-NUMBER ]',
  '            [ ipproto PROTOCOL ]',
  '            [ sport [ NUMBER | NUMBER-NUMBER ]',
  '            [ dport [ NUMBER | NUMBER-NUMBER ] ]',
  'ACTION := [ table TABLE_ID ]',
  '          [ protocol PROTO ]',
  '          [ nat ADDRESS ]',
  '          [ realms [SRCREALM/]DSTREALM ]',
  '          [ goto NUMBER ]',
  '          SUPPRESSOR',
  'SUPPRESSOR := [ suppress_prefixlength NUMBER ]',
  '              [ suppress_ifgroup DEVGROUP ]',
  'TABLE_ID := [ local | main | default | NUMBER ]',
];

const RTN_NAT = 10;

/** rtnl_dsfield_a2n(): a name of /etc/iproute2/rt_dsfield or a hex number up to 0xff. */
function dsfield(text: string): number | undefined {
  const named: Record<string, number> = {
    default: 0,
    AF11: 0x28,
    AF12: 0x30,
    AF13: 0x38,
    AF21: 0x48,
    AF22: 0x50,
    AF23: 0x58,
    AF31: 0x68,
    AF32: 0x70,
    AF33: 0x78,
    AF41: 0x88,
    AF42: 0x90,
    AF43: 0x98,
    CS1: 0x20,
    CS2: 0x40,
    CS3: 0x60,
    CS4: 0x80,
    CS5: 0xa0,
    CS6: 0xc0,
    CS7: 0xe0,
    EF: 0xb8,
  };
  if (Object.hasOwn(named, text)) return named[text];
  const n = /^(0[xX])?[0-9a-fA-F]+$/.test(text) ? parseInt(text, 16) : NaN;
  return n >= 0 && n <= 255 ? n : undefined;
}

/** sscanf("%u-%u") for uid ranges (both needed). */
function uidRange(text: string): Range | undefined {
  const m = /^\s*\+?(\d+)-\+?(\d+)/.exec(text);
  if (!m || Number(m[1]) > 0xffffffff || Number(m[2]) > 0xffffffff) return undefined;
  return { start: Number(m[1]), end: Number(m[2]) };
}

/** sscanf("%hu-%hu"): one port or a range, each truncated to 16 bits as %hu stores it. */
function portRange(text: string): Range | undefined {
  const m = /^\s*\+?(\d+)(?:-\+?(\d+))?/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]) & 0xffff;
  return { start, end: m[2] === undefined ? start : Number(m[2]) & 0xffff };
}

/** inet_proto_a2n(): `all` is 0, a number up to 255, or a name of /etc/protocols. */
export function ipprotoNumber(text: string): number | undefined {
  if (text.toLowerCase() === 'all') return 0;
  if (/^\d+$/.test(text)) return Number(text) <= 255 ? Number(text) : undefined;
  return protocolNumber(text);
}

/** get_rt_realms_or_raw(): `[FROM/]TO`, names of /etc/iproute2/rt_realms (cosmos is 0) or numbers. */
function realms(text: string): number | undefined {
  const one = (t: string): number | undefined => (t === 'cosmos' ? 0 : /^\d+$/.test(t) && Number(t) <= 0xffff ? Number(t) : undefined);
  const [a, b] = text.split('/') as [string, string | undefined];
  if (b === undefined) return one(a);
  const from = one(a);
  const to = one(b);
  return from === undefined || to === undefined ? undefined : ((from << 16) | to) >>> 0;
}

/** get_prefix() with iproute2's family word in the error ("any valid" unless -4 was given). */
function prefix(ctx: Ctx, text: string): Prefix {
  return (
    parsePrefixArg(text) ?? fail(1, `Error: ${ctx.o.family === 'inet' ? 'inet' : 'any valid'} prefix is expected rather than "${text}".`)
  );
}

/** iprule_modify(): the request `ip rule add|del ARGS` sends. */
function parseRuleRequest(ctx: Ctx, argv: readonly string[], add: boolean): RuleMsg {
  let r: FibRule = { ...ruleDefaults(0, 0), action: add ? FR_ACT_TO_TBL : 0 };
  let userPref = false;
  let hasGoto = false;
  let tableOk = false;
  let nat = false;
  const a = new Args(argv);
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'not') r = { ...r, invert: true };
    else if (w === 'from' || w === 'to') {
      const p = prefix(ctx, a.next());
      r = w === 'from' ? { ...r, src: p.len === 0 ? 0 : p.addr, srcLen: p.len } : { ...r, dst: p.len === 0 ? 0 : p.addr, dstLen: p.len };
    } else if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const t = a.next();
      const n = parseU32(t) ?? invarg('preference value is invalid\n', t);
      r = { ...r, pref: n };
      userPref = true;
    } else if (w === 'tos' || matches(w, 'dsfield')) {
      const t = a.next();
      r = { ...r, tos: dsfield(t) ?? invarg('TOS value is invalid\n', t) };
    } else if (w === 'fwmark') {
      const t = a.next();
      const [v, m] = t.split('/', 2) as [string, string | undefined];
      const mark = parseU32(v) ?? invarg('fwmark value is invalid\n', v);
      const mask = m === undefined ? undefined : (parseU32(m) ?? invarg('fwmask value is invalid\n', m));
      // fib_nl2rule(): a non-zero mark without a mask compares every bit.
      r = { ...r, mark, markMask: mask ?? (mark ? 0xffffffff : 0) };
    } else if (matches(w, 'realms')) {
      const t = a.next();
      r = { ...r, realms: realms(t) ?? invarg('invalid realms\n', t) };
    } else if (matches(w, 'protocol')) {
      const t = a.next();
      r = { ...r, protocol: protoNumber(t) ?? invarg('"protocol" value is invalid\n', t) };
    } else if (matches(w, 'tun_id')) {
      fail(1, 'knetlab: "ip rule ... tun_id" is not emulated');
    } else if (matches(w, 'table') || w === 'lookup') {
      const t = a.next();
      r = { ...r, table: tableNumber(t) ?? invarg('invalid table ID\n', t) };
      tableOk = true;
    } else if (matches(w, 'suppress_prefixlength') || w === 'sup_pl') {
      const t = a.next();
      const n = /^\d+$/.test(t) || /^0x[0-9a-f]+$/i.test(t) ? parseU32(t) : undefined;
      if (n === undefined || n > 0x7fffffff) invarg('suppress_prefixlength value is invalid\n', t);
      r = { ...r, suppressPrefixlen: n! };
    } else if (matches(w, 'suppress_ifgroup') || w === 'sup_group') {
      const t = a.next();
      const n = t === 'default' ? 0 : parseU32(t);
      if (n === undefined || n > 0x7fffffff) invarg('Invalid "suppress_ifgroup" value\n', t);
      r = { ...r, suppressIfgroup: n! };
    } else if (w === 'dev' || w === 'iif' || w === 'oif') {
      const t = a.next();
      if (!validIfname(t)) invarg(w === 'oif' ? '"oif" not a valid ifname' : '"iif"/"dev" not a valid ifname', t);
      r = w === 'oif' ? { ...r, oif: t } : { ...r, iif: t };
    } else if (w === 'l3mdev') {
      fail(1, 'knetlab: "ip rule ... l3mdev" is not emulated (no VRF devices)');
    } else if (w === 'uidrange') {
      const t = a.next();
      r = { ...r, uidrange: uidRange(t) ?? invarg('invalid UID range\n', t) };
    } else if (w === 'nat' || matches(w, 'map-to')) {
      const t = a.next();
      if (parsePrefixArg(t) === undefined) fail(1, `Error: an IP address is expected rather than "${t}".`);
      nat = true;
      r = { ...r, action: RTN_NAT };
    } else if (w === 'ipproto') {
      const t = a.next();
      r = { ...r, ipproto: ipprotoNumber(t) ?? invarg('Invalid "ipproto" value\n', t) };
    } else if (w === 'sport' || w === 'dport') {
      const t = a.next();
      const range = portRange(t) ?? invarg(w === 'sport' ? 'invalid port range\n' : 'invalid dport range\n', t);
      r = w === 'sport' ? { ...r, sport: range } : { ...r, dport: range };
    } else {
      let t = w;
      if (t === 'type') t = a.next();
      if (matches(t, 'help')) fail(255, ...RULE_USAGE);
      let action: number;
      if (matches(t, 'goto')) {
        const v = a.next();
        r = { ...r, target: parseU32(v) ?? invarg('invalid target\n', v) };
        hasGoto = true;
        action = FR_ACT_GOTO;
      } else if (matches(t, 'nop')) action = FR_ACT_NOP;
      else action = routeType(t) ?? invarg('Failed to parse rule type', t);
      r = { ...r, action };
      tableOk = true;
    }
  }
  if (add && !tableOk) r = { ...r, table: RT_TABLE_MAIN };
  if (nat) ctx.proc.stderr('Warning: route NAT is deprecated\n');
  return { rule: r, userPref, hasGoto };
}

/** rtnl_rtntype_a2n(): a route type name or a number. */
function routeType(t: string): number | undefined {
  const i = (ROUTE_TYPES as readonly string[]).indexOf(t);
  if (i >= 0) return i;
  const n = parseU32(t);
  return n !== undefined && n <= 255 ? n : undefined;
}

function ruleModify(ctx: Ctx, argv: readonly string[], add: boolean): number {
  if (argv.length === 0) fail(1, `"ip rule ${add ? 'add' : 'del'}" requires arguments.`);
  const m = parseRuleRequest(ctx, argv, add);
  rtnl(() => (add ? newRule(ctx.ns, m) : delRule(ctx.ns, m)));
  return 0;
}

/** filter_nlmsg()'s selector: which rules a listing (or a flush) takes. */
interface RuleFilter {
  not: boolean;
  pref?: number;
  src?: Prefix;
  dst?: Prefix;
  tos?: number;
  fwmark: number;
  fwmask: number;
  iif?: string;
  oif?: string;
  uidrange?: Range;
  ipproto: number;
  sport?: Range;
  dport?: Range;
  table: number;
  /** Flush only: `protocol P` (undefined: any). */
  protocol?: number;
}

function parseRuleFilter(argv: readonly string[]): RuleFilter {
  const f: RuleFilter = { not: false, fwmark: 0, fwmask: 0, ipproto: 0, table: 0 };
  const inet = (t: string, what: string): Prefix => {
    const p = parsePrefixArg(t);
    if (p === undefined) fail(1, `Error: inet prefix is expected rather than "${t}".`);
    void what;
    return p!;
  };
  const a = new Args(argv);
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (matches(w, 'preference') || matches(w, 'order') || matches(w, 'priority')) {
      const t = a.next();
      f.pref = parseU32(t) ?? invarg('preference value is invalid\n', t);
    } else if (w === 'not') f.not = true;
    else if (w === 'tos' || w === 'dsfield') {
      const t = a.next();
      f.tos = dsfield(t) ?? invarg('TOS value is invalid\n', t);
    } else if (w === 'fwmark') {
      const t = a.next();
      const [v, m] = t.split('/', 2) as [string, string | undefined];
      f.fwmark = parseU32(v) ?? invarg('fwmark value is invalid\n', v);
      if (m !== undefined) f.fwmask = parseU32(m) ?? invarg('fwmask value is invalid\n', m);
    } else if (w === 'dev' || w === 'iif' || w === 'oif') {
      const t = a.next();
      if (!validIfname(t)) invarg(w === 'oif' ? '"oif" not a valid ifname' : '"iif"/"dev" not a valid ifname', t);
      if (w === 'oif') f.oif = t;
      else f.iif = t;
    } else if (w === 'l3mdev') fail(1, 'knetlab: "ip rule ... l3mdev" is not emulated (no VRF devices)');
    else if (w === 'uidrange') {
      const t = a.next();
      f.uidrange = uidRange(t) ?? invarg('invalid UID range\n', t);
    } else if (matches(w, 'tun_id')) fail(1, 'knetlab: "ip rule ... tun_id" is not emulated');
    else if (matches(w, 'lookup') || matches(w, 'table')) {
      const t = a.next();
      f.table = tableNumber(t) ?? invarg('table id value is invalid\n', t);
    } else if (matches(w, 'from') || matches(w, 'src')) f.src = inet(a.next(), 'from');
    else if (matches(w, 'protocol')) {
      const t = a.next();
      const n = protoNumber(t);
      if (n === undefined && t !== 'all') invarg('invalid "protocol"\n', t);
      f.protocol = n;
    } else if (w === 'ipproto') {
      const t = a.next();
      f.ipproto = ipprotoNumber(t) ?? invarg('Invalid "ipproto" value\n', t);
    } else if (w === 'sport' || w === 'dport') {
      const t = a.next();
      const range = portRange(t) ?? invarg(w === 'sport' ? 'invalid port range\n' : 'invalid dport range\n', t);
      if (w === 'sport') f.sport = range;
      else f.dport = range;
    } else {
      let t = w;
      if (matches(t, 'dst') || matches(t, 'to')) t = a.next();
      f.dst = inet(t, 'to');
    }
  }
  return f;
}

const within = (f: Prefix, addr: number, len: number): boolean =>
  f.len <= len && (f.len === 0 || ((addr ^ f.addr) & ((0xffffffff << (32 - f.len)) >>> 0)) === 0);

function ruleSelected(r: FibRule, f: RuleFilter): boolean {
  if (f.pref !== undefined && r.pref !== f.pref) return false;
  if (f.not && !r.invert) return false;
  if (f.src && !within(f.src, r.src, r.srcLen)) return false;
  if (f.dst && !within(f.dst, r.dst, r.dstLen)) return false;
  if (f.tos !== undefined && r.tos !== f.tos) return false;
  if (f.fwmark && f.fwmark !== r.mark) return false;
  if (f.fwmask && f.fwmask !== (r.mark || r.markMask ? r.markMask : 0)) return false;
  if (f.iif !== undefined && r.iif !== f.iif) return false;
  if (f.oif !== undefined && r.oif !== f.oif) return false;
  if (f.uidrange && (r.uidrange?.start !== f.uidrange.start || r.uidrange?.end !== f.uidrange.end)) return false;
  if (f.ipproto && r.ipproto !== f.ipproto) return false;
  if (f.sport?.start && (r.sport?.start !== f.sport.start || r.sport?.end !== f.sport.end)) return false;
  if (f.dport?.start && (r.dport?.start !== f.dport.start || r.dport?.end !== f.dport.end)) return false;
  if (f.table > 0 && r.table !== f.table) return false;
  return true;
}

/** print_rule(). */
export function printRule(p: Printer, ns: Netns, r: FibRule, details: boolean): void {
  p.openObject();
  p.any('priority', r.pref, `${r.pref}:\t`);
  if (r.invert) p.any('not', null, 'not ');
  const addr = (key: 'src' | 'dst', a: number, len: number, word: string): void => {
    p.fp(`${word} `);
    p.any(key, formatIpv4(a), formatIpv4(a));
    if (len !== 32) p.any(`${key}len`, len, `/${len}`);
  };
  if (r.srcLen) addr('src', r.src, r.srcLen, 'from');
  else p.any('src', 'all', 'from all');
  if (r.dstLen) addr('dst', r.dst, r.dstLen, ' to');
  if (r.tos) p.any('tos', `0x${r.tos.toString(16).padStart(2, '0')}`, ` tos 0x${r.tos.toString(16).padStart(2, '0')}`);
  if (r.mark || r.markMask) {
    p.any('fwmark', hex(r.mark), ` fwmark ${hex(r.mark)}`);
    if (r.markMask !== 0xffffffff) p.any('fwmask', hex(r.markMask), `/${hex(r.markMask)}`);
  }
  const dev = (key: 'iif' | 'oif', name: string): void => {
    p.fp(` ${key} `);
    p.any(key, name, name);
    if (ns.linkByName(name) === undefined) p.any(`${key}_detached`, null, ' [detached]');
  };
  if (r.iif) dev('iif', r.iif);
  if (r.oif) dev('oif', r.oif);
  if (r.uidrange) {
    p.any('uid_start', r.uidrange.start, ` uidrange ${r.uidrange.start}`);
    p.any('uid_end', r.uidrange.end, `-${r.uidrange.end}`);
  }
  if (r.ipproto) {
    const name = protocolName(r.ipproto) ?? String(r.ipproto);
    p.any('ipproto', name, ` ipproto ${name}`);
  }
  for (const [key, range] of [
    ['sport', r.sport],
    ['dport', r.dport],
  ] as const) {
    if (range === undefined) continue;
    if (range.start === range.end) p.any(key, range.start, ` ${key} ${range.start}`);
    else {
      p.any(`${key}_start`, range.start, ` ${key} ${range.start}`);
      p.any(`${key}_end`, range.end, `-${range.end}`);
    }
  }
  if (r.table) {
    p.any('table', tableName(r.table), ` lookup ${tableName(r.table)}`);
    if (r.suppressPrefixlen !== -1) p.any('suppress_prefixlen', r.suppressPrefixlen, ` suppress_prefixlength ${r.suppressPrefixlen}`);
    if (r.suppressIfgroup !== -1)
      p.any('suppress_ifgroup', groupName(r.suppressIfgroup), ` suppress_ifgroup ${groupName(r.suppressIfgroup)}`);
  }
  if (r.realms) {
    const from = r.realms >>> 16;
    const realm = (n: number): string => (n === 0 ? 'cosmos' : String(n));
    if (from) p.any('flow_from', realm(from), ` realms ${realm(from)}/`);
    else p.fp(' realms ');
    p.any('flow_to', realm(r.realms & 0xffff), realm(r.realms & 0xffff));
  }
  if (r.action === RTN_NAT) p.any('masquerade', null, ' masquerade');
  else if (r.action === FR_ACT_GOTO) {
    p.any('goto', r.target, ` goto ${r.target}`);
    if (!ns.rules.rules().some((x) => x.pref === r.target)) p.any('unresolved', null, ' [unresolved]');
  } else if (r.action === FR_ACT_NOP) p.any('nop', null, ' nop');
  else if (r.action !== FR_ACT_TO_TBL) {
    const name = ROUTE_TYPES[r.action] ?? String(r.action);
    p.any('action', name, ` ${name}`);
  }
  if ((r.protocol && r.protocol !== RTPROT_KERNEL) || details) p.any('protocol', protoName(r.protocol), ` proto ${protoName(r.protocol)}`);
  p.fp('\n');
  p.closeObject();
}

const hex = (n: number): string => (n === 0 ? '0' : `0x${n.toString(16)}`);

function ruleList(ctx: Ctx, argv: readonly string[]): number {
  const f = parseRuleFilter(argv);
  const p = printerFor(ctx.o);
  p.begin();
  for (const r of ctx.ns.rules.rules()) if (ruleSelected(r, f)) printRule(p, ctx.ns, r, ctx.o.details);
  ctx.proc.stdout(p.end());
  return 0;
}

/** flush_rule(): deletes every selected rule but those of priority 0 (the dump carries no FRA_PRIORITY for them). */
function ruleFlush(ctx: Ctx, argv: readonly string[]): number {
  const f = parseRuleFilter(argv);
  for (const r of [...ctx.ns.rules.rules()]) {
    if (!ruleSelected(r, f) || r.pref === 0) continue;
    if (f.protocol !== undefined && r.protocol !== f.protocol) continue;
    rtnl(() => delRule(ctx.ns, { rule: r, userPref: true, hasGoto: r.action === FR_ACT_GOTO }));
  }
  return 0;
}

/** do_iprule(). */
export function ipRule(ctx: Ctx, argv: readonly string[]): number {
  if (ctx.o.family === 'inet6' || ctx.o.family === 'link') fail(1, 'knetlab: IPv6 rules are not emulated');
  if (argv.length === 0) return ruleList(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'list') || matches(cmd, 'lst') || matches(cmd, 'show')) return ruleList(ctx, rest);
  if (matches(cmd, 'save') || matches(cmd, 'restore')) fail(1, `knetlab: "ip rule ${cmd}" is not emulated (a binary netlink dump)`);
  if (matches(cmd, 'add')) return ruleModify(ctx, rest, true);
  if (matches(cmd, 'delete')) return ruleModify(ctx, rest, false);
  if (matches(cmd, 'flush')) return ruleFlush(ctx, rest);
  if (matches(cmd, 'help')) fail(255, ...RULE_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "ip rule help".`);
}
