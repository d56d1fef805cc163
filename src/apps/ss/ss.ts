// ss (iproute2 6.1 misc/ss.c): the TCP and UDP sockets of the namespace it runs in, read from the
// emulated kernel, printed with ss's columns as they come out when stdout is not a terminal (what
// `kubectl exec` and `docker exec` without -t give). The tables, states and families it selects,
// and which columns it drops, follow main()'s filter arithmetic.
//
// What the emulation has no record of is not invented: -p names the process a listener's maker
// said holds it (a node daemon), and nothing for other sockets (as for a socket whose process ss
// cannot see); the stack is IPv4 only, but a Go server's dual-stack listener (AF_INET6 on [::],
// V6ONLY off) is marked so and prints as `*`, an AF_INET6 socket (the connections it accepts print
// as IPv4, where real ss shows them v4-mapped: [::ffff:127.0.0.1]:6443); the kernel has no unix, raw,
// packet or netlink sockets, so those tables are empty.
import { tcpOf, type Netns, type TcpState } from '../../kernel/index.js';
import { formatIpv4, type Ipv4 } from '../../wire/index.js';
import { getoptLong, type LongOption } from '../../transcript/index.js';
import type { Command, Proc } from '../proc.js';
import { COL_NETID, COL_STATE, ColumnBuffer } from './columns.js';
import { FilterError, parseFilter } from './filter.js';
import { serviceName } from './services.js';
import { SS_USAGE } from './usage.js';

// Socket states as ss numbers them (the kernel's TCP_* values).
const SS_ESTABLISHED = 1;
const SS_SYN_SENT = 2;
const SS_SYN_RECV = 3;
const SS_FIN_WAIT1 = 4;
const SS_FIN_WAIT2 = 5;
const SS_TIME_WAIT = 6;
const SS_CLOSE = 7;
const SS_CLOSE_WAIT = 8;
const SS_LAST_ACK = 9;
const SS_LISTEN = 10;
const SS_CLOSING = 11;
const SS_ALL = (1 << 12) - 1;
const SS_CONN = SS_ALL & ~((1 << SS_LISTEN) | (1 << SS_CLOSE) | (1 << SS_TIME_WAIT) | (1 << SS_SYN_RECV));

const STATE_NAME = [
  'UNKNOWN',
  'ESTAB',
  'SYN-SENT',
  'SYN-RECV',
  'FIN-WAIT-1',
  'FIN-WAIT-2',
  'TIME-WAIT',
  'UNCONN',
  'CLOSE-WAIT',
  'LAST-ACK',
  'LISTEN',
  'CLOSING',
];
const STATE_WORD = [
  'UNKNOWN',
  'established',
  'syn-sent',
  'syn-recv',
  'fin-wait-1',
  'fin-wait-2',
  'time-wait',
  'unconnected',
  'close-wait',
  'last-ack',
  'listening',
  'closing',
];

const KERNEL_STATE: Readonly<Record<TcpState, number>> = {
  SYN_SENT: SS_SYN_SENT,
  SYN_RECV: SS_SYN_RECV,
  ESTABLISHED: SS_ESTABLISHED,
  FIN_WAIT1: SS_FIN_WAIT1,
  FIN_WAIT2: SS_FIN_WAIT2,
  CLOSING: SS_CLOSING,
  CLOSE_WAIT: SS_CLOSE_WAIT,
  LAST_ACK: SS_LAST_ACK,
  TIME_WAIT: SS_TIME_WAIT,
  CLOSED: SS_CLOSE,
};

// Socket tables (ss's *_DB) and address families, with the states and families each brings by default.
const TCP_DB = 0;
const MPTCP_DB = 1;
const DCCP_DB = 2;
const UDP_DB = 3;
const RAW_DB = 4;
const UNIX_DG_DB = 5;
const UNIX_ST_DB = 6;
const UNIX_SQ_DB = 7;
const PACKET_DG_DB = 8;
const PACKET_R_DB = 9;
const NETLINK_DB = 10;
const SCTP_DB = 11;
const VSOCK_ST_DB = 12;
const VSOCK_DG_DB = 13;
const TIPC_DB = 14;
const XDP_DB = 15;
const MAX_DB = 16;

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const AF_NETLINK = 16;
const AF_PACKET = 17;
const AF_TIPC = 30;
const AF_VSOCK = 40;
const AF_XDP = 44;
const INET_FAMS = [AF_INET, AF_INET6];
const TIPC_SS_CONN = (1 << SS_ESTABLISHED) | (1 << SS_LISTEN) | (1 << SS_CLOSE);

const DB_DEFAULTS: readonly { states: number; families: readonly number[] }[] = [
  { states: SS_CONN, families: INET_FAMS }, // tcp
  { states: SS_CONN, families: INET_FAMS }, // mptcp
  { states: SS_CONN, families: INET_FAMS }, // dccp
  { states: 1 << SS_ESTABLISHED, families: INET_FAMS }, // udp
  { states: 1 << SS_ESTABLISHED, families: INET_FAMS }, // raw
  { states: 1 << SS_CLOSE, families: [AF_UNIX] }, // unix_dgram
  { states: SS_CONN, families: [AF_UNIX] }, // unix_stream
  { states: SS_CONN, families: [AF_UNIX] }, // unix_seqpacket
  { states: 1 << SS_CLOSE, families: [AF_PACKET] }, // packet_dgram
  { states: 1 << SS_CLOSE, families: [AF_PACKET] }, // packet_raw
  { states: 1 << SS_CLOSE, families: [AF_NETLINK] }, // netlink
  { states: SS_CONN, families: INET_FAMS }, // sctp
  { states: SS_CONN, families: [AF_VSOCK] }, // vsock_stream
  { states: SS_CONN, families: [AF_VSOCK] }, // vsock_dgram
  { states: TIPC_SS_CONN, families: [AF_TIPC] }, // tipc
  { states: 1 << SS_CLOSE, families: [AF_XDP] }, // xdp
];

const dbm = (...dbs: number[]) => dbs.reduce((m, d) => m | (1 << d), 0);
const INET_DBM = dbm(TCP_DB, MPTCP_DB, UDP_DB, DCCP_DB, SCTP_DB, RAW_DB);
const UNIX_DBM = dbm(UNIX_DG_DB, UNIX_ST_DB, UNIX_SQ_DB);
const PACKET_DBM = dbm(PACKET_DG_DB, PACKET_R_DB);
const VSOCK_DBM = dbm(VSOCK_ST_DB, VSOCK_DG_DB);

const AF_DEFAULTS: ReadonlyMap<number, { dbs: number; states: number }> = new Map([
  [AF_INET, { dbs: INET_DBM, states: SS_CONN }],
  [AF_INET6, { dbs: INET_DBM, states: SS_CONN }],
  [AF_UNIX, { dbs: UNIX_DBM, states: SS_CONN }],
  [AF_PACKET, { dbs: PACKET_DBM, states: 1 << SS_CLOSE }],
  [AF_NETLINK, { dbs: 1 << NETLINK_DB, states: 1 << SS_CLOSE }],
  [AF_VSOCK, { dbs: VSOCK_DBM, states: SS_CONN }],
  [AF_TIPC, { dbs: 1 << TIPC_DB, states: TIPC_SS_CONN }],
  [AF_XDP, { dbs: 1 << XDP_DB, states: 1 << SS_CLOSE }],
]);

/** -A's table names (filter_db_parse). */
const QUERIES: Readonly<Record<string, readonly number[]>> = {
  all: [
    UDP_DB,
    DCCP_DB,
    TCP_DB,
    MPTCP_DB,
    RAW_DB,
    UNIX_ST_DB,
    UNIX_DG_DB,
    UNIX_SQ_DB,
    PACKET_R_DB,
    PACKET_DG_DB,
    NETLINK_DB,
    SCTP_DB,
    VSOCK_ST_DB,
    VSOCK_DG_DB,
    XDP_DB,
  ],
  inet: [UDP_DB, DCCP_DB, TCP_DB, MPTCP_DB, SCTP_DB, RAW_DB],
  udp: [UDP_DB],
  dccp: [DCCP_DB],
  tcp: [TCP_DB],
  mptcp: [MPTCP_DB],
  sctp: [SCTP_DB],
  raw: [RAW_DB],
  unix: [UNIX_ST_DB, UNIX_DG_DB, UNIX_SQ_DB],
  unix_stream: [UNIX_ST_DB],
  u_str: [UNIX_ST_DB],
  unix_dgram: [UNIX_DG_DB],
  u_dgr: [UNIX_DG_DB],
  unix_seqpacket: [UNIX_SQ_DB],
  u_seq: [UNIX_SQ_DB],
  packet: [PACKET_R_DB, PACKET_DG_DB],
  packet_raw: [PACKET_R_DB],
  p_raw: [PACKET_R_DB],
  packet_dgram: [PACKET_DG_DB],
  p_dgr: [PACKET_DG_DB],
  netlink: [NETLINK_DB],
  tipc: [TIPC_DB],
  vsock: [VSOCK_ST_DB, VSOCK_DG_DB],
  vsock_stream: [VSOCK_ST_DB],
  v_str: [VSOCK_ST_DB],
  vsock_dgram: [VSOCK_DG_DB],
  v_dgr: [VSOCK_DG_DB],
  xdp: [XDP_DB],
};

const FAMILIES: Readonly<Record<string, number>> = {
  inet: AF_INET,
  inet6: AF_INET6,
  link: AF_PACKET,
  unix: AF_UNIX,
  netlink: AF_NETLINK,
  tipc: AF_TIPC,
  vsock: AF_VSOCK,
  xdp: AF_XDP,
};

const OPTSTRING = 'dhaletuwxnro460spTbEf:mMiA:D:F:vVzZN:KHSO';
const LONGS: readonly LongOption[] = [
  { name: 'numeric', arg: 'none', key: 'n' },
  { name: 'resolve', arg: 'none', key: 'r' },
  { name: 'options', arg: 'none', key: 'o' },
  { name: 'extended', arg: 'none', key: 'e' },
  { name: 'memory', arg: 'none', key: 'm' },
  { name: 'info', arg: 'none', key: 'i' },
  { name: 'processes', arg: 'none', key: 'p' },
  { name: 'threads', arg: 'none', key: 'T' },
  { name: 'bpf', arg: 'none', key: 'b' },
  { name: 'events', arg: 'none', key: 'E' },
  { name: 'dccp', arg: 'none', key: 'd' },
  { name: 'tcp', arg: 'none', key: 't' },
  { name: 'sctp', arg: 'none', key: 'S' },
  { name: 'udp', arg: 'none', key: 'u' },
  { name: 'raw', arg: 'none', key: 'w' },
  { name: 'unix', arg: 'none', key: 'x' },
  { name: 'tipc', arg: 'none', key: 'tipc' },
  { name: 'vsock', arg: 'none', key: 'vsock' },
  { name: 'all', arg: 'none', key: 'a' },
  { name: 'listening', arg: 'none', key: 'l' },
  { name: 'ipv4', arg: 'none', key: '4' },
  { name: 'ipv6', arg: 'none', key: '6' },
  { name: 'packet', arg: 'none', key: '0' },
  { name: 'family', arg: 'required', key: 'f' },
  { name: 'socket', arg: 'required', key: 'A' },
  { name: 'query', arg: 'required', key: 'A' },
  { name: 'summary', arg: 'none', key: 's' },
  { name: 'diag', arg: 'required', key: 'D' },
  { name: 'filter', arg: 'required', key: 'F' },
  { name: 'version', arg: 'none', key: 'V' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'context', arg: 'none', key: 'Z' },
  { name: 'contexts', arg: 'none', key: 'z' },
  { name: 'net', arg: 'required', key: 'N' },
  { name: 'tipcinfo', arg: 'none', key: 'tipcinfo' },
  { name: 'tos', arg: 'none', key: 'tos' },
  { name: 'cgroup', arg: 'none', key: 'cgroup' },
  { name: 'kill', arg: 'none', key: 'K' },
  { name: 'no-header', arg: 'none', key: 'H' },
  { name: 'xdp', arg: 'none', key: 'xdp' },
  { name: 'mptcp', arg: 'none', key: 'M' },
  { name: 'oneline', arg: 'none', key: 'O' },
  { name: 'inet-sockopt', arg: 'none', key: 'inet-sockopt' },
];

/** Options that print what the emulated sockets do not record (timers, memory, TCP internals, inodes...). */
const NOT_EMULATED = new Set([
  'o',
  'e',
  'm',
  'i',
  'T',
  'b',
  'E',
  'Z',
  'z',
  'K',
  'D',
  'F',
  'N',
  'r',
  's',
  'tipcinfo',
  'tos',
  'cgroup',
  'inet-sockopt',
]);

/** One emulated socket, as ss prints it. */
interface Sock {
  readonly proto: 'tcp' | 'udp';
  /** AF_INET6 on [::] taking IPv4 too (V6ONLY off): printed `*`, listed with the IPv6 family. */
  readonly dualStack?: boolean;
  /** The process holding it (-p), when known. */
  readonly owner?: { readonly comm: string; readonly pid: number; readonly fd: number };
  readonly state: number;
  readonly rq: number;
  readonly wq: number;
  readonly local: Ipv4;
  readonly lport: number;
  readonly remote: Ipv4;
  readonly rport: number;
}

/** The selection main() arrives at: tables, states and families. */
interface Selection {
  dbs: number;
  states: number;
  families: Set<number>;
}

class Usage extends Error {
  constructor(readonly text: string) {
    super(text);
  }
}

export const ss: Command = (args, proc) => {
  try {
    return run(args, proc);
  } catch (e) {
    if (e instanceof Usage) {
      proc.stderr(`${e.text}${SS_USAGE}`);
      return 255;
    }
    if (e instanceof FilterError) {
      proc.stderr(e.text);
      return 1;
    }
    throw e;
  }
};

function run(args: readonly string[], proc: Proc): number {
  const parsed = getoptLong('ss', args, OPTSTRING, LONGS);
  if ('error' in parsed) throw new Usage(`${parsed.error}\n`);
  const f: Selection = { dbs: 0, states: 0, families: new Set() };
  let doDefault = true;
  let stateFilter = 0;
  let numeric = false;
  let users = false;
  let header = true;
  let sawQuery = false;
  const dbSet = (db: number) => {
    f.states |= DB_DEFAULTS[db]!.states;
    f.dbs |= 1 << db;
    doDefault = false;
  };
  const afSet = (af: number) => {
    f.states |= AF_DEFAULTS.get(af)!.states;
    f.families.add(af);
    doDefault = false;
  };
  for (const { opt, arg } of parsed.options) {
    if (NOT_EMULATED.has(opt)) {
      proc.stderr(
        `knetlab: ss ${opt.length === 1 ? `-${opt}` : `--${opt}`} is not emulated (the emulated sockets keep no ${opt === 's' ? 'socket statistics' : 'such details'})\n`,
      );
      return 1;
    }
    switch (opt) {
      case 'n':
        numeric = true;
        break;
      case 'p':
        users = true;
        break;
      case 'd':
        dbSet(DCCP_DB);
        break;
      case 't':
        dbSet(TCP_DB);
        break;
      case 'S':
        dbSet(SCTP_DB);
        break;
      case 'u':
        dbSet(UDP_DB);
        break;
      case 'w':
        dbSet(RAW_DB);
        break;
      case 'M':
        dbSet(MPTCP_DB);
        break;
      case 'x':
        afSet(AF_UNIX);
        break;
      case 'vsock':
        afSet(AF_VSOCK);
        break;
      case 'tipc':
        afSet(AF_TIPC);
        break;
      case 'xdp':
        afSet(AF_XDP);
        break;
      case '4':
        afSet(AF_INET);
        break;
      case '6':
        afSet(AF_INET6);
        break;
      case '0':
        afSet(AF_PACKET);
        break;
      case 'a':
        stateFilter = SS_ALL;
        break;
      case 'l':
        stateFilter = (1 << SS_LISTEN) | (1 << SS_CLOSE);
        break;
      case 'f':
        if (arg === 'help') {
          proc.stdout(SS_USAGE);
          return 0;
        }
        if (!Object.hasOwn(FAMILIES, arg!)) throw new Usage(`ss: "${arg}" is invalid family\n`);
        afSet(FAMILIES[arg!]!);
        break;
      case 'A':
        if (!sawQuery) {
          f.dbs = 0;
          stateFilter = stateFilter || SS_CONN;
          sawQuery = true;
          doDefault = false;
        }
        for (const q of arg!.split(',')) {
          const enable = !q.startsWith('!');
          const name = enable ? q : q.slice(1);
          if (!Object.hasOwn(QUERIES, name)) throw new Usage(`ss: "${q}" is illegal socket table id\n`);
          for (const db of QUERIES[name]!) {
            if (enable) dbSet(db);
            else {
              f.dbs &= ~(1 << db);
              doDefault = false;
            }
          }
        }
        break;
      case 'v':
      case 'V':
        proc.stdout('ss utility, iproute2-6.1.0\n');
        return 0;
      case 'H':
        header = false;
        break;
      case 'O':
        break; // every socket already prints on one line
      case 'h':
        proc.stdout(SS_USAGE);
        return 0;
    }
  }

  // The state words, then the filter expression.
  const words = [...parsed.operands];
  let sawStates = false;
  while (words[0] === 'state' || words[0] === 'exclude' || words[0] === 'excl') {
    const which = words.shift()!;
    const name = words.shift();
    if (name === undefined) {
      proc.stderr('Command line is not complete. Try option "help"\n');
      return 255;
    }
    const bits = scanState(name);
    if (bits === undefined) {
      proc.stderr(`ss: wrong state name: ${name}\n`);
      return 255;
    }
    if (which === 'state') {
      if (!sawStates) stateFilter = 0;
      stateFilter |= bits;
    } else {
      if (!sawStates) stateFilter = SS_ALL;
      stateFilter &= ~bits;
    }
    sawStates = true;
  }
  if (doDefault) {
    stateFilter = stateFilter || SS_CONN;
    for (const db of QUERIES.all!) dbSet(db);
  }
  if (stateFilter) f.states = stateFilter;
  mergeDefaults(f);
  if (f.dbs === 0) return notice(proc, 'ss: no socket tables to show with such filter.');
  if (f.families.size === 0) return notice(proc, 'ss: no families to show with such filter.');
  if (f.states === 0) return notice(proc, 'ss: no socket states to show with such filter.');

  const protos = (['tcp', 'udp'] as const).filter((p) => f.dbs & (1 << (p === 'tcp' ? TCP_DB : UDP_DB)));
  const filter = parseFilter(words, protos);

  const disabled = new Set<number>();
  if (!(f.dbs & (f.dbs - 1))) disabled.add(COL_NETID);
  if (!(f.states & (f.states - 1))) disabled.add(COL_STATE);
  const out = new ColumnBuffer(disabled);
  if (header) out.header();
  const inet = f.families.has(AF_INET);
  const inet6 = f.families.has(AF_INET6);
  const [lo, hi] = proc.ns.sysctl.get('net/ipv4/ip_local_port_range').split(/\s+/).map(Number) as [number, number];
  const portText = (port: number, proto: 'tcp' | 'udp') => {
    if (port === 0) return '*';
    if (numeric || (port >= lo && port <= hi)) return String(port);
    return serviceName(port, proto) ?? String(port);
  };
  const show = (socks: readonly Sock[]) => {
    for (const s of socks) {
      if (!(s.dualStack ? inet6 : inet) || !(f.states & (1 << s.state)) || (filter && !filter(s))) continue;
      printSocket(out, s, portText, users);
    }
  };
  if (f.dbs & (1 << UDP_DB)) show(udpSockets(proc.ns));
  if (f.dbs & (1 << TCP_DB)) show(tcpSockets(proc.ns));
  proc.stdout(out.render());
  return 0;
}

/** ss's exit for a selection that leaves nothing to show: a note on stderr, status 0. */
function notice(proc: Proc, text: string): number {
  proc.stderr(`${text}\n`);
  return 0;
}

/** filter_merge_defaults(): tables bring their families, families their tables. */
function mergeDefaults(f: Selection): void {
  for (let db = 0; db < MAX_DB; db++) {
    if (!(f.dbs & (1 << db))) continue;
    const families = DB_DEFAULTS[db]!.families;
    if (!families.some((af) => f.families.has(af))) for (const af of families) f.families.add(af);
  }
  for (const [af, d] of AF_DEFAULTS) if (f.families.has(af) && !(d.dbs & f.dbs)) f.dbs |= d.dbs;
}

/** scan_state(): a state name or one of the groups; undefined for a word it does not know. */
function scanState(word: string): number | undefined {
  const w = word.toLowerCase();
  if (w === 'close' || w === 'closed') return 1 << SS_CLOSE;
  if (w === 'syn-rcv') return 1 << SS_SYN_RECV;
  if (w === 'established') return 1 << SS_ESTABLISHED;
  if (w === 'all') return SS_ALL;
  if (w === 'connected') return SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN));
  if (w === 'synchronized') return SS_ALL & ~((1 << SS_CLOSE) | (1 << SS_LISTEN) | (1 << SS_SYN_SENT));
  if (w === 'bucket') return (1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT);
  if (w === 'big') return SS_ALL & ~((1 << SS_SYN_RECV) | (1 << SS_TIME_WAIT));
  const i = STATE_WORD.indexOf(w);
  return i >= 0 ? 1 << i : undefined;
}

/** sock_state_print() and inet_stats_print(): one socket's fields. */
function printSocket(out: ColumnBuffer, s: Sock, portText: (port: number, proto: 'tcp' | 'udp') => string, users: boolean): void {
  out.set(COL_NETID);
  out.out(s.proto);
  out.set(COL_STATE);
  out.out(STATE_NAME[s.state]!);
  out.next();
  out.out(String(s.rq).padEnd(6));
  out.next();
  out.out(String(s.wq).padEnd(6));
  out.next();
  for (const [addr, port] of [
    [s.local, s.lport],
    [s.remote, s.rport],
  ] as const) {
    // inet_addr_print(): [::] of a socket that is not V6ONLY is `*`
    out.out(`${s.dualStack ? '*' : formatIpv4(addr)}:`);
    out.next();
    out.out(portText(port, s.proto));
    out.next();
  }
  // The field open now is COL_EXT: proc_ctx_print()'s users:(...) from the /proc/PID/fd scan.
  if (users && s.owner) out.out(` users:(("${s.owner.comm}",pid=${s.owner.pid},fd=${s.owner.fd}))`);
}

/** The namespace's bound UDP ports: every UDP socket here is unconnected, bound to 0.0.0.0 or to one address. */
function udpSockets(ns: Netns): Sock[] {
  return [...ns.udpHandlers.keys()]
    .sort((a, b) => a - b)
    .map((port) => ({
      proto: 'udp',
      state: SS_CLOSE,
      rq: 0,
      wq: 0,
      local: ns.udpBoundAddr(port) ?? 0,
      lport: port,
      remote: 0,
      rport: 0,
    }));
}

/** Listeners by port (Send-Q is the accept queue's limit), then the connections; nothing is ever queued, data is delivered as it arrives. */
function tcpSockets(ns: Netns): Sock[] {
  if (ns.tcpStack === undefined) return [];
  const stack = tcpOf(ns);
  const listening: Sock[] = stack
    .listening()
    .sort((a, b) => a.port - b.port || a.addr - b.addr)
    .map((l) => ({
      proto: 'tcp',
      state: SS_LISTEN,
      rq: 0,
      wq: l.backlog,
      local: l.addr,
      lport: l.port,
      remote: 0,
      rport: 0,
      ...(l.dualStack ? { dualStack: true } : {}),
      ...(l.owner ? { owner: l.owner } : {}),
    }));
  const conns: Sock[] = stack.connections().map((c) => ({
    proto: 'tcp',
    state: KERNEL_STATE[c.state],
    rq: 0,
    wq: 0,
    local: c.local,
    lport: c.lport,
    remote: c.remote,
    rport: c.rport,
  }));
  return [...listening, ...conns];
}
