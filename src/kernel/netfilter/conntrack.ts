// Connection tracking (net/netfilter/nf_conntrack_core.c, nf_conntrack_proto_{tcp,udp,icmp}.c):
// tuples, a hash of both directions, the TCP state machine and the default timeouts, and the
// NAT bindings that rewrite a connection's later packets both ways (nf_nat_core.c).
import type { Ipv4, Ipv4Packet } from '../../wire/index.js';
import {
  IPPROTO_ICMP,
  IPPROTO_TCP,
  IPPROTO_UDP,
  TCP_ACK,
  TCP_FIN,
  TCP_RST,
  TCP_SYN,
  ICMP_ECHO_REQUEST,
  ICMP_ECHO_REPLY,
} from '../../wire/index.js';
import type { Clock } from '../../sim/index.js';

/** A connection's identity in one direction. For ICMP echo, `sport` is the id and `dport` the type/code. */
export interface Tuple {
  readonly proto: number;
  readonly src: Ipv4;
  readonly dst: Ipv4;
  readonly sport: number;
  readonly dport: number;
}

export type TcpCtState = 'SYN_SENT' | 'SYN_RECV' | 'ESTABLISHED' | 'FIN_WAIT' | 'CLOSE_WAIT' | 'LAST_ACK' | 'TIME_WAIT' | 'CLOSE';

/** Default timeouts in seconds (Documentation/networking/nf_conntrack-sysctl.rst). */
export const CT_TIMEOUTS = {
  tcp: {
    SYN_SENT: 120,
    SYN_RECV: 60,
    ESTABLISHED: 432000,
    FIN_WAIT: 120,
    CLOSE_WAIT: 60,
    LAST_ACK: 30,
    TIME_WAIT: 120,
    CLOSE: 10,
  } as Record<TcpCtState, number>,
  udp: 30,
  udpStream: 120,
  icmp: 30,
  generic: 600,
};

export type CtDir = 'original' | 'reply';
/** What iptables' conntrack match sees (ctinfo); UNTRACKED after CT --notrack. */
export type CtInfo = 'NEW' | 'ESTABLISHED' | 'RELATED' | 'INVALID' | 'UNTRACKED';

export interface Conn {
  readonly id: number;
  readonly original: Tuple;
  /** The tuple replies carry; NAT bindings rewrite it (nf_nat_setup_info). */
  reply: Tuple;
  tcpState: TcpCtState | undefined;
  seenReply: boolean;
  assured: boolean;
  confirmed: boolean;
  srcNat: boolean;
  dstNat: boolean;
  /** Set once the nat table has been consulted for this connection (the binding may be a null one). */
  natDone: { src: boolean; dst: boolean };
  mark: number;
  /** Virtual ms at which the entry expires. */
  expires: number;
}

/**
 * A tuple's key in the table: its fields as seven 16-bit code units. Not decimal text: turning
 * tens of thousands of distinct addresses into strings fills V8's number-to-string cache, an
 * old object, with new strings, so every young collection keeps the latest ones alive and
 * promotes them (at 10,000 services that made scavenges ten times slower).
 */
export function tupleKey(t: Tuple): string {
  return String.fromCharCode(t.proto, t.src >>> 16, t.src & 0xffff, t.dst >>> 16, t.dst & 0xffff, t.sport, t.dport);
}

export function invert(t: Tuple): Tuple {
  if (t.proto === IPPROTO_ICMP)
    return {
      proto: t.proto,
      src: t.dst,
      dst: t.src,
      sport: t.sport,
      dport: t.dport === ICMP_ECHO_REQUEST << 8 ? ICMP_ECHO_REPLY << 8 : ICMP_ECHO_REQUEST << 8,
    };
  return { proto: t.proto, src: t.dst, dst: t.src, sport: t.dport, dport: t.sport };
}

/** The tuple of a packet, or undefined for what conntrack does not track here (ICMP errors are RELATED, handled apart). */
export function tupleOf(p: Ipv4Packet): Tuple | undefined {
  const l4 = p.payload;
  switch (l4.kind) {
    case 'tcp':
    case 'udp':
      return { proto: p.protocol, src: p.src, dst: p.dst, sport: l4.srcPort, dport: l4.dstPort };
    case 'icmp':
      if (l4.type !== ICMP_ECHO_REQUEST && l4.type !== ICMP_ECHO_REPLY) return undefined;
      return { proto: IPPROTO_ICMP, src: p.src, dst: p.dst, sport: l4.rest >>> 16, dport: (l4.type << 8) | l4.code };
    default:
      return { proto: p.protocol, src: p.src, dst: p.dst, sport: 0, dport: 0 };
  }
}

export class ConntrackTable {
  private readonly byTuple = new Map<string, { conn: Conn; dir: CtDir }>();
  private readonly conns = new Map<number, Conn>();
  private nextId = 1;

  constructor(private readonly clock: Clock) {}

  /** Finds the confirmed connection a tuple belongs to, and in which direction; expired entries vanish. */
  find(t: Tuple): { conn: Conn; dir: CtDir } | undefined {
    const hit = this.byTuple.get(tupleKey(t));
    if (!hit) return undefined;
    if (hit.conn.expires <= this.clock.now()) {
      this.remove(hit.conn);
      return undefined;
    }
    return hit;
  }

  /** A new, unconfirmed connection for a packet's tuple (init_conntrack). */
  create(t: Tuple): Conn {
    return {
      id: this.nextId++,
      original: t,
      reply: invert(t),
      tcpState: undefined,
      seenReply: false,
      assured: false,
      confirmed: false,
      srcNat: false,
      dstNat: false,
      natDone: { src: false, dst: false },
      mark: 0,
      expires: Infinity,
    };
  }

  /**
   * __nf_conntrack_confirm(): the connection enters the table under both tuples. Fails (the
   * packet is dropped) when another connection already owns either tuple.
   */
  confirm(conn: Conn): boolean {
    const o = tupleKey(conn.original);
    const r = tupleKey(conn.reply);
    if (this.byTuple.has(o) || this.byTuple.has(r)) return false;
    this.byTuple.set(o, { conn, dir: 'original' });
    this.byTuple.set(r, { conn, dir: 'reply' });
    this.conns.set(conn.id, conn);
    conn.confirmed = true;
    return true;
  }

  /** Whether a reply tuple is already in use by another connection (for NAT port selection). */
  tupleTaken(t: Tuple): boolean {
    return this.find(t) !== undefined;
  }

  remove(conn: Conn): void {
    this.byTuple.delete(tupleKey(conn.original));
    this.byTuple.delete(tupleKey(conn.reply));
    this.conns.delete(conn.id);
  }

  /** Live connections in creation order. */
  list(): Conn[] {
    const now = this.clock.now();
    for (const c of [...this.conns.values()]) if (c.expires <= now) this.remove(c);
    return [...this.conns.values()];
  }

  /** Seconds left before `conn` expires, as conntrack -L prints them. */
  secondsLeft(conn: Conn): number {
    return Math.max(0, Math.floor((conn.expires - this.clock.now()) / 1000));
  }

  /**
   * Updates state and timeout for a packet of `conn` travelling in `dir` (the l4 protocol's
   * packet() callback). Returns false for a packet the TCP tracker finds invalid.
   */
  update(conn: Conn, dir: CtDir, p: Ipv4Packet): boolean {
    const now = this.clock.now();
    const l4 = p.payload;
    // "If only reply is a RST, we can consider ourselves not to have an established
    // connection": the entry is deleted at once (tcp_packet()).
    if (l4.kind === 'tcp' && l4.flags & TCP_RST && !conn.seenReply) {
      this.remove(conn);
      conn.expires = now;
      return true;
    }
    if (dir === 'reply' && !conn.seenReply) conn.seenReply = true;
    if (l4.kind === 'tcp') {
      const next = tcpTransition(conn.tcpState, dir, l4.flags);
      if (next === undefined) return false;
      conn.tcpState = next;
      if (next === 'ESTABLISHED' && conn.seenReply) conn.assured = true;
      conn.expires = now + CT_TIMEOUTS.tcp[next] * 1000;
      return true;
    }
    if (l4.kind === 'udp') {
      if (conn.seenReply && dir === 'original' && !conn.assured) conn.assured = true;
      conn.expires = now + (conn.assured ? CT_TIMEOUTS.udpStream : CT_TIMEOUTS.udp) * 1000;
      return true;
    }
    conn.expires = now + (p.protocol === IPPROTO_ICMP ? CT_TIMEOUTS.icmp : CT_TIMEOUTS.generic) * 1000;
    return true;
  }

  /** conntrack -F. */
  flush(): number {
    const n = this.conns.size;
    this.byTuple.clear();
    this.conns.clear();
    return n;
  }
}

/**
 * A compact form of nf_conntrack_proto_tcp.c's state table: SYN opens, SYN/ACK answers, the
 * final ACK establishes, FINs close, RST ends. Sequence-window checks are not emulated.
 */
function tcpTransition(state: TcpCtState | undefined, dir: CtDir, flags: number): TcpCtState | undefined {
  const syn = (flags & TCP_SYN) !== 0;
  const ack = (flags & TCP_ACK) !== 0;
  if (flags & TCP_RST) return 'CLOSE';
  if (state === undefined) return syn && !ack ? 'SYN_SENT' : undefined;
  if (syn && !ack) return state === 'SYN_SENT' || state === 'TIME_WAIT' || state === 'CLOSE' ? 'SYN_SENT' : state;
  if (syn && ack) return dir === 'reply' && (state === 'SYN_SENT' || state === 'SYN_RECV') ? 'SYN_RECV' : state;
  if (flags & TCP_FIN) {
    if (state === 'ESTABLISHED' || state === 'SYN_RECV') return 'FIN_WAIT';
    if (state === 'FIN_WAIT' || state === 'CLOSE_WAIT') return 'LAST_ACK';
    return state;
  }
  if (ack) {
    if (state === 'SYN_RECV') return 'ESTABLISHED';
    if (state === 'FIN_WAIT') return 'CLOSE_WAIT';
    if (state === 'LAST_ACK') return 'TIME_WAIT';
  }
  return state;
}

/** Protocol names and numbers as conntrack-tools prints them. */
export function protoName(proto: number): string {
  return proto === IPPROTO_TCP ? 'tcp' : proto === IPPROTO_UDP ? 'udp' : proto === IPPROTO_ICMP ? 'icmp' : 'unknown';
}

/**
 * The stand-in an untracked packet carries (CT --notrack): no tuple anyone can find, never
 * confirmed or NATed; whoever looks for a connection must check `info` first.
 */
export const UNTRACKED_CONN: Conn = Object.freeze({
  id: 0,
  original: { proto: 0, src: 0, dst: 0, sport: 0, dport: 0 },
  reply: { proto: 0, src: 0, dst: 0, sport: 0, dport: 0 },
  tcpState: undefined,
  seenReply: false,
  assured: false,
  confirmed: true,
  srcNat: false,
  dstNat: false,
  natDone: Object.freeze({ src: true, dst: true }),
  mark: 0,
  expires: Infinity,
}) as Conn;
