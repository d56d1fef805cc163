// `ip neigh add|change|replace|del|get|show|flush` (iproute2 ipneigh.c) over the kernel's
// neighbour table.
import { delNeigh, newNeigh, type Link, type Neighbour, type NudState } from '../../kernel/index.js';
import type { Ipv4 } from '../../wire/index.js';
import { Args, addrArg, duparg, duparg2, fail, invarg, macArg, matches, parsePrefixArg, type Prefix } from './args.js';
import { printerFor, type Ctx } from './ctx.js';
import { kernelFail, rtnl } from './errors.js';
import { inetRecord, ipv6Neighbours, printNeigh } from './neigh-show.js';

const NEIGH_USAGE = [
  'Usage: ip neigh { add | del | change | replace }',
  '                { ADDR [ lladdr LLADDR ] [ nud STATE ] proxy ADDR }',
  '                [ dev DEV ] [ router ] [ extern_learn ] [ protocol PROTO ]',
  '',
  '       ip neigh { show | flush } [ proxy ] [ to PREFIX ] [ dev DEV ] [ nud STATE ]',
  '                                 [ vrf NAME ] [ nomaster ]',
  '       ip neigh get { ADDR | proxy ADDR } dev DEV',
  '',
  'STATE := { delay | failed | incomplete | noarp | none |',
  '           permanent | probe | reachable | stale }',
];

/** NUD_* bits, in print_neigh_state's order. */
const NUD_BITS: readonly [NudState, number][] = [
  ['INCOMPLETE', 0x01],
  ['REACHABLE', 0x02],
  ['STALE', 0x04],
  ['DELAY', 0x08],
  ['PROBE', 0x10],
  ['FAILED', 0x20],
  ['NOARP', 0x40],
  ['PERMANENT', 0x80],
];

const nudBit = (s: NudState): number => NUD_BITS.find(([n]) => n === s)?.[1] ?? 0;

/** nud_state_a2n(): permanent, reachable and failed by any prefix, the other names exactly (lower
 * case), or a number naming one state bit. */
function nudState(text: string): NudState | undefined {
  if (matches(text, 'permanent')) return 'PERMANENT';
  if (matches(text, 'reachable')) return 'REACHABLE';
  const exact = ['noarp', 'none', 'stale', 'incomplete', 'delay', 'probe'].find((n) => n === text);
  if (exact !== undefined) return exact.toUpperCase() as NudState;
  if (matches(text, 'failed')) return 'FAILED';
  if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(text)) return undefined;
  const n = Number(
    text.startsWith('0x') || text.startsWith('0X') ? parseInt(text, 16) : /^0[0-7]+$/.test(text) ? parseInt(text, 8) : Number(text),
  );
  if (n >= 0x100 || (n & (n - 1)) !== 0) return undefined;
  return n === 0 ? 'NONE' : NUD_BITS.find(([, bit]) => bit === n)?.[0];
}

interface NeighRequest {
  dst?: Ipv4;
  lladdr?: string;
  state: NudState;
  dev?: string;
}

function parseNeighRequest(argv: readonly string[]): NeighRequest {
  const r: NeighRequest = { state: 'PERMANENT' };
  const a = new Args(argv);
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (matches(w, 'lladdr')) {
      const t = a.next();
      if (r.lladdr !== undefined) duparg('lladdr', t);
      r.lladdr = t;
    } else if (w === 'nud') {
      const t = a.next();
      const s = nudState(t);
      if (s === undefined) invarg('nud state is bad', t);
      r.state = s!;
    } else if (matches(w, 'proxy')) fail(1, 'knetlab: proxy neighbour entries are not emulated');
    else if (w === 'router' || matches(w, 'extern_learn')) continue;
    else if (w === 'dev') r.dev = a.next();
    else if (matches(w, 'protocol')) a.next();
    else {
      let t = w;
      if (t === 'to') t = a.next();
      if (matches(t, 'help')) fail(255, ...NEIGH_USAGE);
      if (r.dst !== undefined) duparg2('to', t);
      if (t.includes(':')) fail(1, `knetlab: IPv6 neighbours are not emulated ("${t}")`);
      r.dst = addrArg(t);
    }
  }
  return r;
}

function neighModify(ctx: Ctx, argv: readonly string[], mode: 'add' | 'change' | 'replace' | 'del'): number {
  const r = parseNeighRequest(argv);
  if (r.dev === undefined || r.dst === undefined) fail(255, 'Device and destination are required arguments.');
  const lladdr = r.lladdr !== undefined && r.lladdr !== 'null' ? macArg(r.lladdr) : undefined;
  const dev = ctx.ns.linkByName(r.dev!) ?? fail(1, `Cannot find device "${r.dev}"`);
  if (mode === 'del') rtnl(() => delNeigh(ctx.ns, dev, r.dst!));
  else rtnl(() => newNeigh(ctx.ns, { dev, dst: r.dst!, lladdr, state: r.state }, { create: mode !== 'change', excl: mode === 'add' }));
  return 0;
}

interface NeighFilter {
  dev?: Link;
  /** Bit set of NUD states to show; 0x100 stands for NUD_NONE. */
  state: number;
  prefix?: Prefix;
}

/** ipneigh.c: show lists every state but NOARP (0x40) unless `nud` says otherwise; flush spares PERMANENT and NOARP. */
const SHOW_STATES = 0xff & ~0x40;
const FLUSH_STATES = ~(0x80 | 0x40);

function parseNeighFilter(ctx: Ctx, argv: readonly string[], flush: boolean): NeighFilter {
  const f: NeighFilter = { state: flush ? FLUSH_STATES : SHOW_STATES };
  const a = new Args(argv);
  let stateGiven = false;
  let devName: string | undefined;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'dev') devName = a.next();
    else if (w === 'master' || w === 'vrf') {
      a.next();
      fail(1, `knetlab: "ip neigh ${w}" is not emulated`);
    } else if (w === 'unused' || w === 'nomaster') continue;
    else if (w === 'nud') {
      const t = a.next();
      if (!stateGiven) (stateGiven = true), (f.state = 0);
      let bits: number;
      const s = nudState(t);
      if (s === undefined) {
        if (t !== 'all') invarg('nud state is bad', t);
        bits = ~0;
        if (flush) bits &= ~0x40;
      } else bits = nudBit(s);
      if (bits === 0) bits = 0x100;
      f.state |= bits;
    } else if (w === 'proxy') fail(1, 'knetlab: proxy neighbour entries are not emulated');
    else if (matches(w, 'protocol')) a.next();
    else {
      let t = w;
      if (t === 'to') t = a.next();
      if (matches(t, 'help')) fail(255, ...NEIGH_USAGE);
      if (t.includes(':')) fail(1, `knetlab: IPv6 neighbours are not emulated ("${t}")`);
      f.prefix = parsePrefixArg(t) ?? fail(255, `Error: argument "${t}" is wrong: to value is invalid`, '');
    }
  }
  if (devName !== undefined) f.dev = ctx.ns.linkByName(devName) ?? fail(1, `Cannot find device "${devName}"`);
  return f;
}

function neighMatches(n: Neighbour, f: NeighFilter): boolean {
  if (f.dev && n.dev !== f.dev) return false;
  const bit = nudBit(n.state);
  if (bit === 0 ? !(f.state & 0x100) : !(f.state & bit)) return false;
  if (f.prefix && f.prefix.len > 0) {
    const mask = f.prefix.len === 32 ? 0xffffffff : (0xffffffff << (32 - f.prefix.len)) >>> 0;
    if (((n.ip ^ f.prefix.addr) & mask) >>> 0 !== 0) return false;
  }
  return true;
}

/** Whether a plain `ip -4 neigh show` (no filter) lists the IPv4 entry. */
export function listedByShow(n: Neighbour): boolean {
  return neighMatches(n, { state: SHOW_STATES });
}

function neighShow(ctx: Ctx, argv: readonly string[]): number {
  const f = parseNeighFilter(ctx, argv, false);
  const p = printerFor(ctx.o);
  p.begin();
  const mode = { showDev: !f.dev, stats: ctx.o.stats > 0 };
  // The dump walks arp_tbl, then nd_tbl.
  if (ctx.o.family !== 'inet6' && ctx.o.family !== 'link') {
    for (const n of ctx.ns.neigh.list()) if (neighMatches(n, f)) printNeigh(p, inetRecord(ctx.ns, n), mode);
  }
  if (ctx.o.family !== 'inet' && ctx.o.family !== 'link' && !f.prefix && f.state & 0x40) {
    for (const r of ipv6Neighbours(ctx.ns)) if (!f.dev || r.dev === f.dev) printNeigh(p, r, mode);
  }
  ctx.proc.stdout(p.end());
  return 0;
}

function neighFlush(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) fail(1, 'Flush requires arguments.');
  const f = parseNeighFilter(ctx, argv, true);
  ctx.ns.neigh.flushWhere((n) => neighMatches(n, f));
  return 0;
}

function neighGet(ctx: Ctx, argv: readonly string[]): number {
  const a = new Args(argv);
  let dst: Ipv4 | undefined;
  let devName: string | undefined;
  for (; a.more; a.shift()) {
    const w = a.cur;
    if (w === 'dev') devName = a.next();
    else if (matches(w, 'proxy')) fail(1, 'knetlab: proxy neighbour entries are not emulated');
    else {
      let t = w;
      if (t === 'to') t = a.next();
      if (matches(t, 'help')) fail(255, ...NEIGH_USAGE);
      if (dst !== undefined) duparg2('to', t);
      dst = addrArg(t);
    }
  }
  if (devName === undefined || dst === undefined) fail(1, 'Device and address are required arguments.');
  const dev = ctx.ns.linkByName(devName!) ?? fail(1, `Cannot find device "${devName}"`);
  const n = ctx.ns.neigh.get(dev, dst!) ?? kernelFail('ENOENT', 'Neighbour entry not found');
  // ipneigh_get() prints without opening a JSON document: `-j` is ignored.
  const p = printerFor({ ...ctx.o, json: false });
  printNeigh(p, inetRecord(ctx.ns, n), { showDev: true, stats: ctx.o.stats > 0 });
  ctx.proc.stdout(p.end());
  return 0;
}

/** do_ipneigh(). */
export function ipNeigh(ctx: Ctx, argv: readonly string[]): number {
  if (argv.length === 0) return neighShow(ctx, []);
  const [cmd, ...rest] = argv as [string, ...string[]];
  if (matches(cmd, 'add')) return neighModify(ctx, rest, 'add');
  if (matches(cmd, 'change') || cmd === 'chg') return neighModify(ctx, rest, 'change');
  if (matches(cmd, 'replace')) return neighModify(ctx, rest, 'replace');
  if (matches(cmd, 'delete')) return neighModify(ctx, rest, 'del');
  if (matches(cmd, 'get')) return neighGet(ctx, rest);
  if (matches(cmd, 'show') || matches(cmd, 'lst') || matches(cmd, 'list')) return neighShow(ctx, rest);
  if (matches(cmd, 'flush')) return neighFlush(ctx, rest);
  if (matches(cmd, 'help')) fail(255, ...NEIGH_USAGE);
  return fail(255, `Command "${cmd}" is unknown, try "ip neigh help".`);
}
