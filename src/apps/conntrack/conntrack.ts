// conntrack (conntrack-tools 1.4.7): list, get, delete, update, flush, count and create the
// namespace's tracked connections, with the filters kube-proxy uses (-p, --orig-dst, --dst-nat,
// --src-nat, reply tuples, marks, states, status bits), in the tool's own line format. The command
// line is read as the tool reads it (args.ts); the expectation table is always empty here.
import { formatIpv4 } from '../../wire/index.js';
import { conntrackOf, protoName, type Conn, type TcpCtState, type Tuple } from '../../kernel/index.js';
import type { Proc } from '../proc.js';
import { parseConntrackArgs, SEEN_REPLY, type AddrFilter, type ConntrackArgs, type NatFilter } from './args.js';
import { PROTO_HELP, USAGE } from './usage.js';

const PREFIX = 'conntrack v1.4.7 (conntrack-tools)';

function tupleText(t: Tuple): string {
  const ends = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)}`;
  if (t.proto === 6 || t.proto === 17) return `${ends} sport=${t.sport} dport=${t.dport}`;
  if (t.proto === 1) return `${ends} type=${t.dport >> 8} code=${t.dport & 0xff} id=${t.sport}`;
  return ends;
}

/** One line of `conntrack -L` (`use` is 2 when read by -G or -U, which hold a reference), e.g. `tcp      6 119 TIME_WAIT src=… [ASSURED] mark=0 use=1`. */
export function conntrackLine(c: Conn, secondsLeft: number, extended: boolean, use = 1): string {
  const proto = protoName(c.original.proto);
  let s = `${extended ? 'ipv4     2 ' : ''}${proto.padEnd(8)} ${c.original.proto} ${secondsLeft} `;
  if (c.tcpState) s += `${c.tcpState} `;
  s += tupleText(c.original) + ' ';
  if (!c.seenReply) s += '[UNREPLIED] ';
  s += tupleText(c.reply) + ' ';
  if (c.assured) s += '[ASSURED] ';
  return `${s}mark=${c.mark} use=${use}`;
}

const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";
const TCP_STATES: readonly string[] = ['SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE'];
const ASSURED = 1 << 2;
const CONFIRMED = 1 << 3;

/** The status bits (IPS_*) of an emulated connection. */
function statusOf(c: Conn): number {
  return (c.seenReply ? SEEN_REPLY : 0) | (c.assured ? ASSURED : 0) | (c.confirmed ? CONFIRMED : 0);
}

function addrMatches(f: AddrFilter | undefined, ip: number): boolean {
  if (f === undefined) return true;
  return 'v4' in f && (ip & f.mask) >>> 0 === (f.v4 & f.mask) >>> 0;
}

/** Whether a connection's tuples show a NAT of that side (the reply does not mirror the original). */
function natted(c: Conn, side: 'src' | 'dst'): { addr: boolean; port: boolean } {
  const o = c.original;
  const r = c.reply;
  const ports = o.proto !== 1;
  if (side === 'src') return { addr: o.src !== r.dst, port: ports && o.sport !== r.dport };
  return { addr: o.dst !== r.src, port: ports && o.dport !== r.sport };
}

/** filter_nat(): the side must be NATed, to the address (and port) when one is given. */
function natSideMatches(c: Conn, side: 'src' | 'dst', f: NatFilter): boolean {
  if (f.v6) return false;
  const n = natted(c, side);
  if (f.addr === undefined && f.port === undefined) return n.addr || n.port;
  let hit = false;
  if (f.addr !== undefined) hit = n.addr && (side === 'src' ? c.reply.dst : c.reply.src) === f.addr;
  if (f.port !== undefined) {
    const portHit = n.port && (side === 'src' ? c.reply.dport : c.reply.sport) === f.port;
    hit = f.addr !== undefined ? hit && portHit : portHit;
  }
  return hit;
}

function natMatches(c: Conn, a: ConntrackArgs): boolean {
  const { src, dst } = a.nat;
  if (a.options.has('any-nat')) return natSideMatches(c, 'src', src!) || natSideMatches(c, 'dst', dst!);
  return (src === undefined || natSideMatches(c, 'src', src)) && (dst === undefined || natSideMatches(c, 'dst', dst));
}

/** The original and reply tuple filters (addresses, protocol, the protocol's ports and ids). */
function tupleMatches(c: Conn, a: ConntrackArgs): boolean {
  const o = c.original;
  const r = c.reply;
  if (a.family === 'ipv6') return false;
  if (a.proto !== undefined && o.proto !== a.proto) return false;
  if (!addrMatches(a.src, o.src) || !addrMatches(a.dst, o.dst) || !addrMatches(a.replySrc, r.src) || !addrMatches(a.replyDst, r.dst))
    return false;
  const l4 = a.l4;
  const is = (key: string, v: number) => !l4.has(key) || l4.get(key) === v;
  if (o.proto === 1) return is('icmp-type', o.dport >> 8) && is('icmp-code', o.dport & 0xff) && is('icmp-id', o.sport);
  return is('sport', o.sport) && is('dport', o.dport) && is('reply-port-src', r.sport) && is('reply-port-dst', r.dport);
}

/** The filters of -L and -D: tuples, NAT, mark, status, TCP state, zone and secmark (both 0 here). */
function matches(c: Conn, a: ConntrackArgs): boolean {
  if (!tupleMatches(c, a) || !natMatches(c, a)) return false;
  if (a.mark && (c.mark & a.mark.mask) >>> 0 !== a.mark.value) return false;
  if (a.status && (statusOf(c) & a.status.mask) !== a.status.value) return false;
  if (a.l4.has('state') && c.tcpState !== a.l4.get('state')) return false;
  if (a.zone !== undefined && a.zone !== 0) return false;
  if (a.secmark !== undefined && a.secmark !== 0) return false;
  return true;
}

/** Options that make -L a filtered dump (CT_COMPARISON), which -z refuses. */
const COMPARISON = [
  'protonum',
  'src',
  'dst',
  'reply-src',
  'reply-dst',
  'mark',
  'secmark',
  'status',
  'id',
  'zone',
  'label',
  'orig-zone',
  'reply-zone',
] as const;
/** Output formats printed here; the others are refused rather than printed wrong. */
const OUTPUTS = new Set(['extended', 'userspace', 'labels']);

export function conntrack(args: readonly string[], proc: Proc): number {
  const fail = (msg: string, status = 2): number => {
    proc.stderr(`${PREFIX}: ${msg}\n${status === 2 ? TRY : ''}`);
    return status;
  };
  if ((args[0] === '-R' || args[0] === '--load-file') && args.length > 1) {
    proc.stderr('knetlab: conntrack --load-file is not emulated\n');
    return 1;
  }
  const a = parseConntrackArgs(args);
  if ('error' in a) {
    if (a.before) proc.stderr(a.before);
    return fail(a.error, a.tryHelp ? 2 : 1);
  }
  for (const w of a.warnings) proc.stderr(w);
  const unsupported = [...a.output].find((o) => !OUTPUTS.has(o));
  if (unsupported !== undefined) {
    proc.stderr(`knetlab: conntrack -o ${unsupported} is not emulated\n`);
    return 1;
  }
  const extended = a.output.has('extended');
  const table = conntrackOf(proc.ns);
  const stats = (n: number, what: string, zeroFails: boolean): number => {
    proc.stderr(`${PREFIX}: ${n} ${what}.\n`);
    return zeroFails && n === 0 ? 1 : 0;
  };
  switch (a.command) {
    case undefined:
    case 'help':
      proc.stdout(USAGE + (a.command === 'help' && a.proto !== undefined ? PROTO_HELP(a.proto) : ''));
      return 0;
    case 'version':
      proc.stdout(`${PREFIX}\n`);
      return 0;
    case 'flush':
      table.flush();
      proc.stderr(`${PREFIX}: connection tracking table has been emptied.\n`);
      return 0;
    case 'exp-flush':
      proc.stderr(`${PREFIX}: expectation table has been emptied.\n`);
      return 0;
    case 'count':
      proc.stdout(`${table.list().length}\n`);
      return 0;
    case 'exp-count':
      proc.stdout('0\n');
      return 0;
    case 'exp-list':
      return stats(0, 'expectations have been shown', false);
    case 'list': {
      if (a.table !== 'conntrack') return stats(0, 'flow entries have been shown', false);
      if (a.options.has('zero') && COMPARISON.some((o) => a.options.has(o))) return fail("Can't use -z with filtering parameters");
      // The kernel refuses a status filter with an empty mask (`-u UNSET`) with EINVAL.
      if (a.status?.mask === 0) return fail('Operation failed: invalid parameters', 1);
      let out = '';
      let n = 0;
      for (const c of table.list().filter((c) => matches(c, a))) {
        out += `${conntrackLine(c, table.secondsLeft(c), extended)}\n`;
        n++;
      }
      proc.stdout(out);
      return stats(n, 'flow entries have been shown', false);
    }
    case 'delete': {
      let out = '';
      let n = 0;
      for (const c of table.list().filter((c) => matches(c, a))) {
        out += `${conntrackLine(c, table.secondsLeft(c), extended)}\n`;
        table.remove(c);
        n++;
      }
      proc.stdout(out);
      return stats(n, 'flow entries have been deleted', true);
    }
    case 'get': {
      const c = table.list().find((c) => exactTuple(c, a));
      if (c === undefined) return fail("Operation failed: such conntrack doesn't exist", 1);
      proc.stdout(`${conntrackLine(c, table.secondsLeft(c), extended, 2)}\n`);
      return stats(1, 'flow entries have been shown', true);
    }
    case 'update':
      return update(a, proc, extended);
    case 'create':
    case 'add':
      return create(a, proc);
    default:
      proc.stderr(`knetlab: conntrack ${a.command} is not emulated\n`);
      return 1;
  }
}

/** -G: the entry whose original (or, when given, reply) tuple is exactly the one named. */
function exactTuple(c: Conn, a: ConntrackArgs): boolean {
  const orig = a.src !== undefined;
  const t = orig ? c.original : c.reply;
  const want = orig ? ([a.src, a.dst, 'sport', 'dport'] as const) : ([a.replySrc, a.replyDst, 'reply-port-src', 'reply-port-dst'] as const);
  if (a.family === 'ipv6' || t.proto !== a.proto) return false;
  if (!addrMatches(want[0], t.src) || !addrMatches(want[1], t.dst)) return false;
  if (t.proto === 1)
    return (
      a.l4.get('icmp-type') === t.dport >> 8 &&
      a.l4.get('icmp-code') === (t.dport & 0xff) &&
      (!a.l4.has('icmp-id') || a.l4.get('icmp-id') === t.sport)
    );
  if (t.proto !== 6 && t.proto !== 17) return true;
  const ports = orig ? [c.original.sport, c.original.dport] : [c.reply.sport, c.reply.dport];
  return a.l4.get(want[2]) === ports[0] && a.l4.get(want[3]) === ports[1];
}

/** -U: sets the mark ((mark & ~mask) ^ value) and status bits of the entries whose tuples and NAT
 * match; entries it would not change are neither written nor counted (mnl_nfct_update_cb). */
function update(a: ConntrackArgs, proc: Proc, extended: boolean): number {
  const table = conntrackOf(proc.ns);
  let out = '';
  let n = 0;
  for (const c of table.list().filter((c) => tupleMatches(c, a) && natMatches(c, a))) {
    const mark = a.mark ? ((c.mark & ~a.mark.mask) ^ a.mark.value) >>> 0 : c.mark;
    const assured = c.assured || ((a.status?.value ?? 0) & ASSURED) !== 0;
    if (mark === c.mark && assured === c.assured) continue;
    // Without an address or -f the request goes out as AF_UNSPEC, which the kernel does not support.
    if (a.family === undefined) {
      proc.stderr('Operation failed: Operation not supported\n');
      proc.stderr(`${PREFIX}: Operation failed: Operation not supported\n`);
      return 1;
    }
    c.mark = mark;
    c.assured = assured;
    out += `${conntrackLine(c, table.secondsLeft(c), extended, 2)}\n`;
    n++;
  }
  proc.stdout(out);
  proc.stderr(`${PREFIX}: ${n} flow entries have been updated.\n`);
  return n === 0 ? 1 : 0;
}

/** -I and -A: a connection made by hand from the original tuple, the reply one, or both. */
function create(a: ConntrackArgs, proc: Proc): number {
  const state = a.l4.get('state');
  const proto = a.proto ?? 0;
  const unsupported =
    a.family === 'ipv6'
      ? 'IPv6'
      : ![1, 6, 17].includes(proto)
        ? `-p ${proto}`
        : state !== undefined && !TCP_STATES.includes(state as string)
          ? `--state ${state}`
          : undefined;
  if (unsupported !== undefined) {
    proc.stderr(`knetlab: conntrack ${a.command === 'add' ? '-A' : '-I'} with ${unsupported} is not emulated\n`);
    return 1;
  }
  const orig = a.src !== undefined && a.dst !== undefined;
  const [s, d] = orig ? [a.src, a.dst] : [a.replySrc, a.replyDst];
  const ip = (f: AddrFilter | undefined) => (f && 'v4' in f ? f.v4 : 0);
  const num = (key: string) => (a.l4.get(key) as number | undefined) ?? 0;
  const tuple: Tuple =
    proto === 1
      ? { proto, src: ip(s), dst: ip(d), sport: num('icmp-id'), dport: (num('icmp-type') << 8) | num('icmp-code') }
      : orig
        ? { proto, src: ip(s), dst: ip(d), sport: num('sport'), dport: num('dport') }
        : { proto, src: ip(s), dst: ip(d), sport: num('reply-port-src'), dport: num('reply-port-dst') };
  const table = conntrackOf(proc.ns);
  // With only the reply tuple, the original is its mirror (NFCT_SOPT_SETUP_ORIGINAL).
  const conn = table.create(orig ? tuple : { ...tuple, src: tuple.dst, dst: tuple.src, sport: tuple.dport, dport: tuple.sport });
  // Both tuples given (-r/-q): the reply is taken as written, as a NATed connection's would be.
  if (orig && proto !== 1 && a.replySrc !== undefined && a.replyDst !== undefined) {
    conn.reply = { proto, src: ip(a.replySrc), dst: ip(a.replyDst), sport: num('reply-port-src'), dport: num('reply-port-dst') };
  }
  if (!table.confirm(conn)) {
    if (a.command === 'add') {
      proc.stderr(`${PREFIX}: 0 flow entries have been added.\n`);
      return 0;
    }
    proc.stderr(`${PREFIX}: Operation failed: Such conntrack exists, try -U to update\n`);
    return 1;
  }
  if (state !== undefined) conn.tcpState = state as TcpCtState;
  if (((a.status?.value ?? 0) & ASSURED) !== 0) conn.assured = true;
  if (a.mark) conn.mark = a.mark.value;
  conn.expires = proc.ns.kernel.clock.now() + (a.timeout ?? 0) * 1000;
  proc.stderr(`${PREFIX}: 1 flow entries have been ${a.command === 'add' ? 'added' : 'created'}.\n`);
  return 0;
}
