// conntrack (conntrack-tools 1.4.7): list, delete, flush, count and create the namespace's
// tracked connections, with the filters kube-proxy uses (-p, --orig-dst, --dst-nat, --src-nat,
// reply tuples, marks, states), in the tool's own line format.
import { formatIpv4, parseIpv4 } from '../../wire/index.js';
import { conntrackOf, protoName, type Conn, type Tuple } from '../../kernel/index.js';
import type { Proc } from '../proc.js';

const PREFIX = 'conntrack v1.4.7 (conntrack-tools)';

function tupleText(t: Tuple): string {
  const ends = `src=${formatIpv4(t.src)} dst=${formatIpv4(t.dst)}`;
  if (t.proto === 6 || t.proto === 17) return `${ends} sport=${t.sport} dport=${t.dport}`;
  if (t.proto === 1) return `${ends} type=${t.dport >> 8} code=${t.dport & 0xff} id=${t.sport}`;
  return ends;
}

/** One line of `conntrack -L`, e.g. `tcp      6 119 TIME_WAIT src=… [ASSURED] mark=0 use=1`. */
export function conntrackLine(c: Conn, secondsLeft: number, extended: boolean): string {
  const proto = protoName(c.original.proto);
  let s = `${extended ? 'ipv4     2 ' : ''}${proto.padEnd(8)} ${c.original.proto} ${secondsLeft} `;
  if (c.tcpState) s += `${c.tcpState} `;
  s += tupleText(c.original) + ' ';
  if (!c.seenReply) s += '[UNREPLIED] ';
  s += tupleText(c.reply) + ' ';
  if (c.assured) s += '[ASSURED] ';
  return `${s}mark=${c.mark} use=1`;
}

interface Filter {
  proto?: number;
  src?: number;
  dst?: number;
  sport?: number;
  dport?: number;
  replySrc?: number;
  replyDst?: number;
  replySport?: number;
  replyDport?: number;
  mark?: { value: number; mask: number };
  tcpState?: string;
  status?: readonly string[];
  /** --src-nat/--dst-nat/--any-nat, with the NATed address when one is given. */
  nat?: { kind: 'src' | 'dst' | 'any'; addr?: number };
  timeout?: number;
  icmpType?: number;
  icmpCode?: number;
  icmpId?: number;
}

const PROTOS: Record<string, number> = { tcp: 6, udp: 17, icmp: 1 };
const TCP_STATES = ['SYN_SENT', 'SYN_RECV', 'ESTABLISHED', 'FIN_WAIT', 'CLOSE_WAIT', 'LAST_ACK', 'TIME_WAIT', 'CLOSE'];
const STATUS_BITS = ['ASSURED', 'SEEN_REPLY', 'UNSET', 'FIXED_TIMEOUT', 'EXPECTED', 'OFFLOAD', 'HW_OFFLOAD'];
const TRY = "Try `conntrack -h' or 'conntrack --help' for more information.\n";

/** inet_aton(): one to four parts, the last filling the rest (`1.2.3` is 1.2.0.3). */
function inetAton(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((p) => !/^\d+$/.test(p))) return undefined;
  const n = parts.map(Number);
  const last = n.pop()!;
  if (n.some((x) => x > 255) || last >= 2 ** (8 * (4 - n.length))) return undefined;
  return (n.reduce((a, x, i) => a + x * 2 ** (24 - 8 * i), 0) + last) >>> 0;
}

/** A number as strtoul(…, 0) reads it: decimal, 0x hex or 0 octal. */
function ulong(text: string): number | undefined {
  if (!/^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9]\d*)$/.test(text)) return undefined;
  const v = text.startsWith('0x') || text.startsWith('0X') ? parseInt(text, 16) : text.length > 1 && text.startsWith('0') ? parseInt(text, 8) : Number(text);
  return v <= 0xffffffff ? v : undefined;
}

/** Whether a connection's tuples show a NAT of that side (the reply does not mirror the original). */
function natted(c: Conn, side: 'src' | 'dst'): boolean {
  const o = c.original;
  const r = c.reply;
  if (o.proto === 1) return side === 'src' ? o.src !== r.dst : o.dst !== r.src;
  return side === 'src' ? o.src !== r.dst || o.sport !== r.dport : o.dst !== r.src || o.dport !== r.sport;
}

function matches(c: Conn, f: Filter): boolean {
  const o = c.original;
  const r = c.reply;
  if (f.proto !== undefined && o.proto !== f.proto) return false;
  if (f.src !== undefined && o.src !== f.src) return false;
  if (f.dst !== undefined && o.dst !== f.dst) return false;
  if (f.sport !== undefined && o.sport !== f.sport) return false;
  if (f.dport !== undefined && o.dport !== f.dport) return false;
  if (f.replySrc !== undefined && r.src !== f.replySrc) return false;
  if (f.replyDst !== undefined && r.dst !== f.replyDst) return false;
  if (f.replySport !== undefined && r.sport !== f.replySport) return false;
  if (f.replyDport !== undefined && r.dport !== f.replyDport) return false;
  if (f.mark && ((c.mark & f.mark.mask) >>> 0) !== f.mark.value) return false;
  if (f.tcpState !== undefined && c.tcpState !== f.tcpState) return false;
  if (f.status?.includes('ASSURED') && !c.assured) return false;
  if (f.status?.includes('SEEN_REPLY') && !c.seenReply) return false;
  // conntrack-tools 1.4.7 filters by NAT only when given an address (recorded: without one,
  // --src-nat/--dst-nat/--any-nat list every entry).
  const n = f.nat;
  if (n?.addr !== undefined) {
    const src = natted(c, 'src') && r.dst === n.addr;
    const dst = natted(c, 'dst') && r.src === n.addr;
    if (n.kind === 'src' ? !src : n.kind === 'dst' ? !dst : !src && !dst) return false;
  }
  return true;
}

export function conntrack(args: readonly string[], proc: Proc): number {
  let command: 'list' | 'delete' | 'flush' | 'count' | 'create' | undefined;
  let extended = false;
  const f: Filter = {};
  const fail = (msg: string, status = 2): number => {
    proc.stderr(`${PREFIX}: ${msg}\n${status === 2 ? TRY : ''}`);
    return status;
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = (): string => args[++i] ?? '';
    const addr = (): number | undefined => {
      const v = value();
      const ip = parseIpv4(v);
      if (ip === undefined) proc.stderr(`${PREFIX}: Bad parameter \`${v}'\n`);
      return ip;
    };
    // Options a protocol brings (--state, the reply ports) exist only after `-p tcp|udp`.
    const protoOption = (): boolean => f.proto === 6 || f.proto === 17 || (f.proto === 1 && a.startsWith('--icmp'));
    switch (a) {
      case '-L': case '--dump': command = 'list'; break;
      case '-D': case '--delete': command = 'delete'; break;
      case '-F': case '--flush': command = 'flush'; break;
      case '-C': case '--count': command = 'count'; break;
      case '-I': case '--create': command = 'create'; break;
      case '-n': case '-z': break;
      case '-o': extended = value().split(',').includes('extended'); break;
      case '-p': case '--proto': {
        const v = value();
        const p = PROTOS[v] ?? Number(v);
        if (!Number.isInteger(p)) {
          proc.stderr(`${PREFIX}: unknown protocol \`${v}'\n`);
          return 2;
        }
        f.proto = p;
        break;
      }
      case '-s': case '--src': case '--orig-src': case '-d': case '--dst': case '--orig-dst':
      case '-r': case '--reply-src': case '-q': case '--reply-dst': {
        const ip = addr();
        if (ip === undefined) return 2;
        if (a === '-s' || a === '--src' || a === '--orig-src') f.src = ip;
        else if (a === '-d' || a === '--dst' || a === '--orig-dst') f.dst = ip;
        else if (a === '-r' || a === '--reply-src') f.replySrc = ip;
        else f.replyDst = ip;
        break;
      }
      case '--src-nat': case '--dst-nat': case '--any-nat': {
        // The address is optional: only a next word that reads as one is taken.
        const next = args[i + 1];
        const ip = next !== undefined && !next.startsWith('-') ? inetAton(next) : undefined;
        if (ip !== undefined) i++;
        f.nat = { kind: a === '--src-nat' ? 'src' : a === '--dst-nat' ? 'dst' : 'any', ...(ip !== undefined ? { addr: ip } : {}) };
        break;
      }
      case '--sport': case '--orig-port-src': f.sport = Number(value()); break;
      case '--dport': case '--orig-port-dst': f.dport = Number(value()); break;
      case '--reply-port-src': case '--reply-port-dst': case '--state': case '--icmp-type': case '--icmp-code': case '--icmp-id': {
        if (!protoOption()) return fail(`unknown option \`${a}'`);
        const v = value();
        if (a === '--state') {
          if (f.proto !== 6 || !TCP_STATES.includes(v)) return fail(`unknown state \`${v}'`);
          f.tcpState = v;
          break;
        }
        const n = ulong(v);
        if (n === undefined || n > 65535) return fail(`Bad parameter \`${v}'`);
        if (a === '--reply-port-src') f.replySport = n;
        else if (a === '--reply-port-dst') f.replyDport = n;
        else if (a === '--icmp-type') f.icmpType = n;
        else if (a === '--icmp-code') f.icmpCode = n;
        else f.icmpId = n;
        break;
      }
      case '-m': case '--mark': {
        const v = value();
        const [val, mask] = v.split('/');
        const n = ulong(val ?? '');
        const m = mask === undefined ? 0xffffffff : ulong(mask);
        if (n === undefined || m === undefined) return fail(`Bad parameter \`${v}'`);
        f.mark = { value: (n & m) >>> 0, mask: m };
        break;
      }
      case '-u': case '--status': {
        const v = value().split(',');
        const bad = v.find((x) => !STATUS_BITS.includes(x));
        if (bad !== undefined) return fail(`unknown status \`${bad}'`);
        f.status = v;
        break;
      }
      case '-t': case '--timeout': {
        const v = value();
        const n = ulong(v);
        if (n === undefined) return fail(`Bad parameter \`${v}'`);
        f.timeout = n;
        break;
      }
      default:
        return fail(`unknown option \`${a}'`);
    }
  }
  const table = conntrackOf(proc.ns);
  if (command === undefined) return fail('no command specified');
  if (command === 'flush') {
    table.flush();
    proc.stderr(`${PREFIX}: connection tracking table has been emptied.\n`);
    return 0;
  }
  if (command === 'create') return create(f, proc);
  const hits = table.list().filter((c) => matches(c, f));
  if (command === 'count') {
    proc.stdout(`${table.list().length}\n`);
    return 0;
  }
  let out = '';
  for (const c of hits) {
    out += `${conntrackLine(c, table.secondsLeft(c), extended)}\n`;
    if (command === 'delete') table.remove(c);
  }
  proc.stdout(out);
  proc.stderr(`${PREFIX}: ${hits.length} flow entries have been ${command === 'delete' ? 'deleted' : 'shown'}.\n`);
  return command === 'delete' && hits.length === 0 ? 1 : 0;
}

/** `conntrack -I`: a connection made by hand, checked in conntrack-tools' order. */
function create(f: Filter, proc: Proc): number {
  const fail = (msg: string, status = 2): number => {
    proc.stderr(`${PREFIX}: ${msg}\n${status === 2 ? TRY : ''}`);
    return status;
  };
  if (f.timeout === undefined) return fail("You need to supply the `--timeout' option for this command");
  if (f.proto === 6 && f.tcpState === undefined) return fail("You need to supply the `--state' option for this command");
  if (f.proto === 1 && f.icmpType === undefined) return fail("You need to supply the `--icmp-type' option for this command");
  if (f.src === undefined || f.dst === undefined) return fail("you have to specify `--src' and `--dst'");
  const proto = f.proto ?? 0;
  const tuple: Tuple = proto === 1
    ? { proto, src: f.src, dst: f.dst, sport: f.icmpId ?? 0, dport: ((f.icmpType ?? 0) << 8) | (f.icmpCode ?? 0) }
    : { proto, src: f.src, dst: f.dst, sport: f.sport ?? 0, dport: f.dport ?? 0 };
  const table = conntrackOf(proc.ns);
  const conn = table.create(tuple);
  if (!table.confirm(conn)) return fail('Operation failed: Such conntrack exists, try -U to update', 1);
  if (f.tcpState !== undefined) conn.tcpState = f.tcpState as Conn['tcpState'];
  if (f.status?.includes('ASSURED')) conn.assured = true;
  if (f.mark) conn.mark = f.mark.value;
  conn.expires = proc.ns.kernel.clock.now() + f.timeout * 1000;
  proc.stderr(`${PREFIX}: 1 flow entries have been created.\n`);
  return 0;
}
