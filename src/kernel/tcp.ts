// A small TCP (net/ipv4/tcp*.c, reduced): the three-way handshake with Linux's SYN options,
// in-order data, FIN teardown into TIME_WAIT, resets, SYN retransmission, and ICMP errors that
// abort a connection still in SYN_SENT. No congestion control, no loss recovery for data:
// emulated links do not lose data, and a packet netfilter drops stays dropped.
import {
  emitTcpOptions,
  formatIpv4,
  IPPROTO_TCP,
  TCP_ACK,
  TCP_FIN,
  TCP_PSH,
  TCP_RST,
  TCP_SYN,
  type Ipv4,
  type Ipv4Packet,
  type TcpSegment,
} from '../wire/index.js';
import { SmallMap, type TimerHandle } from '../sim/index.js';
import { icmpErrno, KernelError, type Errno } from './errors.js';
import { ipSend, tcpReset } from './ipv4.js';
import type { Netns } from './netns.js';
import { routeOutput } from './route.js';
import type { Skb } from './skb.js';

export type TcpState =
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'ESTABLISHED'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'CLOSING'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'TIME_WAIT'
  | 'CLOSED';

export interface TcpEvents {
  onConnect?(c: TcpConn): void;
  onData?(c: TcpConn, data: Uint8Array): void;
  /** The peer sent FIN: no more data will come. */
  onEnd?(c: TcpConn): void;
  /** The connection failed or was reset (ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ECONNRESET…). */
  onError?(c: TcpConn, errno: Errno | 'ECONNREFUSED' | 'ETIMEDOUT' | 'ECONNRESET'): void;
}

/** tcp_syn_retries = 6: SYNs at 0, 1, 3, 7, 15, 31, 63 s, then give up at 127 s. */
const SYN_RETRIES = 6;
const TIME_WAIT_MS = 60_000;
const MSS = 1460;
/** Data per segment: the MSS less the 12 bytes of the timestamp option every segment carries (Linux's 1448), so a full segment fits a 1500-byte MTU. */
const SEND_MSS = MSS - 12;

export class TcpConn {
  state: TcpState;
  sndNxt: number;
  rcvNxt = 0;
  events: TcpEvents = {};
  private retries = 0;
  private timer: TimerHandle | undefined;
  private readonly tsBase: number;

  constructor(
    readonly stack: TcpStack,
    readonly local: Ipv4,
    readonly lport: number,
    readonly remote: Ipv4,
    readonly rport: number,
    state: TcpState,
  ) {
    this.state = state;
    this.sndNxt = stack.ns.kernel.rng.u32();
    this.tsBase = stack.ns.kernel.rng.u32();
  }

  get key(): string {
    return `${this.local}:${this.lport}-${this.remote}:${this.rport}`;
  }

  /** Sends application data (one segment per SEND_MSS). */
  send(data: Uint8Array): void {
    if (this.state !== 'ESTABLISHED' && this.state !== 'CLOSE_WAIT') throw new KernelError('EINVAL', 'not connected');
    for (let off = 0; off < data.length; off += SEND_MSS) {
      const chunk = data.subarray(off, off + SEND_MSS);
      this.emit(TCP_ACK | TCP_PSH, chunk);
      this.sndNxt = (this.sndNxt + chunk.length) >>> 0;
    }
  }

  /**
   * close(): FIN now (active close), or after the peer's FIN (passive close); a connection still
   * in SYN_SENT just goes, sending nothing more (tcp_close(): SYN_SENT's next state is CLOSE).
   */
  close(): void {
    if (this.state === 'SYN_SENT') return this.finish();
    if (this.state === 'ESTABLISHED' || this.state === 'SYN_RECV') this.state = 'FIN_WAIT1';
    else if (this.state === 'CLOSE_WAIT') this.state = 'LAST_ACK';
    else return;
    this.emit(TCP_FIN | TCP_ACK);
    this.sndNxt = (this.sndNxt + 1) >>> 0;
  }

  /** SYN (client) or SYN/ACK (server), with the options Linux sends. */
  sendSyn(walk?: Skb['walk']): void {
    const ack = this.state === 'SYN_RECV';
    const now = Math.floor(this.stack.ns.kernel.clock.now());
    const options = emitTcpOptions([
      { kind: 'mss', mss: MSS },
      { kind: 'sackOK' },
      { kind: 'ts', val: (this.tsBase + now) >>> 0, ecr: ack ? this.peerTs : 0 },
      { kind: 'nop' },
      { kind: 'wscale', shift: 7 },
    ]);
    this.segment(ack ? TCP_SYN | TCP_ACK : TCP_SYN, ack ? 65160 : 64240, options, new Uint8Array(0), walk);
    if (!ack) this.armSynRetry();
  }

  peerTs = 0;

  emit(flags: number, data: Uint8Array = new Uint8Array(0)): void {
    const now = Math.floor(this.stack.ns.kernel.clock.now());
    const options = emitTcpOptions([{ kind: 'nop' }, { kind: 'nop' }, { kind: 'ts', val: (this.tsBase + now) >>> 0, ecr: this.peerTs }]);
    this.segment(flags, 502, options, data);
  }

  /** `walk`: the walk of a traced segment this one answers (a SYN's SYN/ACK), so `knetlab trace` follows the answer. */
  private segment(flags: number, window: number, options: Uint8Array, data: Uint8Array, walk?: Skb['walk']): void {
    const seg: TcpSegment = {
      kind: 'tcp',
      srcPort: this.lport,
      dstPort: this.rport,
      seq: this.sndNxt,
      ack: flags & TCP_ACK ? this.rcvNxt : 0,
      flags,
      window,
      urgent: 0,
      options,
      payload: data,
    };
    try {
      ipSend(this.stack.ns, { dst: this.remote, src: this.local, protocol: IPPROTO_TCP, df: true, payload: seg }, walk);
    } catch (e) {
      if (e instanceof KernelError) this.fail(e.errno);
      else throw e;
    }
  }

  private armSynRetry(): void {
    const clock = this.stack.ns.kernel.clock;
    if (this.timer) clock.cancel(this.timer);
    this.timer = clock.schedule(1000 * 2 ** this.retries, () => {
      this.timer = undefined;
      if (this.state !== 'SYN_SENT') return;
      if (this.retries >= SYN_RETRIES) return this.fail('ETIMEDOUT');
      this.retries++;
      this.sendSyn();
    });
  }

  fail(errno: Parameters<NonNullable<TcpEvents['onError']>>[1]): void {
    if (this.state === 'CLOSED') return;
    this.finish();
    this.events.onError?.(this, errno);
  }

  /** Leaves the connection table (after TIME_WAIT, a reset or a failure). */
  finish(): void {
    this.state = 'CLOSED';
    if (this.timer) this.stack.ns.kernel.clock.cancel(this.timer);
    this.timer = undefined;
    this.stack.forget(this);
  }

  enterTimeWait(): void {
    this.state = 'TIME_WAIT';
    if (this.timer) this.stack.ns.kernel.clock.cancel(this.timer);
    this.timer = this.stack.ns.kernel.clock.schedule(TIME_WAIT_MS, () => this.finish());
  }

  /** tcp_rcv_state_process(), reduced to what in-order emulated traffic needs. */
  receive(seg: TcpSegment): void {
    const ts = tsVal(seg.options);
    if (ts !== undefined) this.peerTs = ts;
    if (seg.flags & TCP_RST) {
      const wasConnecting = this.state === 'SYN_SENT';
      this.finish();
      this.events.onError?.(this, wasConnecting ? 'ECONNREFUSED' : 'ECONNRESET');
      return;
    }
    switch (this.state) {
      case 'SYN_SENT':
        if ((seg.flags & (TCP_SYN | TCP_ACK)) === (TCP_SYN | TCP_ACK) && seg.ack === (this.sndNxt + 1) >>> 0) {
          if (this.timer) this.stack.ns.kernel.clock.cancel(this.timer);
          this.timer = undefined;
          this.sndNxt = seg.ack;
          this.rcvNxt = (seg.seq + 1) >>> 0;
          this.state = 'ESTABLISHED';
          this.emit(TCP_ACK);
          this.events.onConnect?.(this);
        }
        return;
      case 'SYN_RECV':
        if (seg.flags & TCP_ACK && seg.ack === this.sndNxt) {
          this.state = 'ESTABLISHED';
          this.stack.accepted(this);
        } else return;
        break;
      default:
        break;
    }
    if (seg.payload.length && seg.seq === this.rcvNxt) {
      this.rcvNxt = (this.rcvNxt + seg.payload.length) >>> 0;
      this.emit(TCP_ACK);
      this.events.onData?.(this, seg.payload);
    }
    if (seg.flags & TCP_ACK) {
      if (this.state === 'FIN_WAIT1' && seg.ack === this.sndNxt) this.state = 'FIN_WAIT2';
      else if (this.state === 'CLOSING' && seg.ack === this.sndNxt) return this.enterTimeWait();
      else if (this.state === 'LAST_ACK' && seg.ack === this.sndNxt) return this.finish();
    }
    if (seg.flags & TCP_FIN && (seg.seq + seg.payload.length) >>> 0 === this.rcvNxt) {
      this.rcvNxt = (this.rcvNxt + 1) >>> 0;
      this.emit(TCP_ACK);
      if (this.state === 'ESTABLISHED') {
        this.state = 'CLOSE_WAIT';
        this.events.onEnd?.(this);
      } else if (this.state === 'FIN_WAIT1') {
        this.state = 'CLOSING';
      } else if (this.state === 'FIN_WAIT2') {
        this.enterTimeWait();
        this.events.onEnd?.(this);
      }
    }
  }
}

function tsVal(options: Uint8Array): number | undefined {
  for (let i = 0; i < options.length; ) {
    const kind = options[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    const len = options[i + 1] ?? 0;
    if (kind === 8 && len === 10)
      return ((options[i + 2]! << 24) | (options[i + 3]! << 16) | (options[i + 4]! << 8) | options[i + 5]!) >>> 0;
    if (len < 2) break;
    i += len;
  }
  return undefined;
}

/** Who holds a socket, as /proc/PID/fd shows it (what `ss -p` prints); asked when read, since a program's PID may be given after it bound. */
export interface SocketOwner {
  readonly comm: string;
  readonly pid: number;
  readonly fd: number;
}

/** How a listener was made beyond its address (listen()'s backlog, the socket's family, its holder). */
export interface ListenOptions {
  /** listen()'s backlog (Go passes net.core.somaxconn, the default here; Python's socketserver 5, nginx 511). */
  readonly backlog?: number;
  /**
   * An AF_INET6 socket bound to [::] with IPV6_V6ONLY off, which also takes IPv4 (what Go's
   * net.Listen makes of a wildcard address): the emulated stack is IPv4-only, so it answers as
   * 0.0.0.0 and only ss shows the difference (`*`).
   */
  readonly dualStack?: boolean;
  readonly owner?: () => SocketOwner | undefined;
}

interface Listener {
  readonly addr: Ipv4;
  /** The accept queue's limit (sk_max_ack_backlog): listen()'s backlog capped at net.core.somaxconn. */
  readonly backlog: number;
  readonly dualStack: boolean;
  readonly owner: (() => SocketOwner | undefined) | undefined;
  readonly onAccept: (c: TcpConn) => TcpEvents;
}

/** A listening socket as inet_diag dumps it. */
export interface ListenerRecord {
  readonly port: number;
  readonly addr: Ipv4;
  readonly backlog: number;
  readonly dualStack: boolean;
  readonly owner: SocketOwner | undefined;
}

/** One namespace's TCP endpoints: listeners by port (one per bound address), connections by 4-tuple. */
export class TcpStack {
  /** SmallMaps (sim/small-map.ts): a pod's server listens on a port or two. */
  private readonly listeners = new SmallMap<number, Listener[]>();
  /** Made with the first connection: a pod's server namespace may never see one. */
  private connsByKey: Map<string, TcpConn> | undefined;
  private readonly portUsers = new SmallMap<number, number>();

  private get conns(): Map<string, TcpConn> {
    return (this.connsByKey ??= new Map());
  }

  /** The connection of a 4-tuple key, without making the map. */
  private conn(key: string): TcpConn | undefined {
    return this.connsByKey?.get(key);
  }

  constructor(readonly ns: Netns) {}

  /** tcp_v4_err(): an ICMP error quoting one of our segments (`q`: the quoted IP header and its first bytes). */
  quotedError(q: Uint8Array, type: number, code: number): void {
    const ihl = (q[0]! & 0x0f) * 4;
    if (q.length < ihl + 4) return;
    const word = (o: number) => ((q[o]! << 24) | (q[o + 1]! << 16) | (q[o + 2]! << 8) | q[o + 3]!) >>> 0;
    this.icmpError(word(12), (q[ihl]! << 8) | q[ihl + 1]!, word(16), (q[ihl + 2]! << 8) | q[ihl + 3]!, icmpErrno(type, code));
  }

  /** Has a socket on local port `port` (a listener or a connection): segments to it are this stack's (else a reset). */
  owns(port: number): boolean {
    return this.portUsers.has(port);
  }

  /**
   * bind() + listen() on ADDR:PORT (0: every address). Fails with EADDRINUSE when a listener has
   * the port on the same address, or either of them on the wildcard (inet_csk_bind_conflict: a
   * listening socket is never shared, SO_REUSEADDR or not). `opts` may be a bare backlog.
   */
  listen(port: number, addr: Ipv4, onAccept: (c: TcpConn) => TcpEvents, opts?: number | ListenOptions): void {
    const o: ListenOptions = typeof opts === 'number' ? { backlog: opts } : (opts ?? {});
    const here = this.listeners.get(port);
    if (here?.some((l) => l.addr === 0 || addr === 0 || l.addr === addr)) throw new KernelError('EADDRINUSE');
    const somaxconn = Number(this.ns.sysctl.get('net/core/somaxconn'));
    const l: Listener = {
      addr,
      backlog: Math.min(o.backlog ?? somaxconn, somaxconn),
      dualStack: o.dualStack === true,
      owner: o.owner,
      onAccept,
    };
    // a port's first listener in a list of one (push() onto [] leaves room for 16 more)
    if (here) here.push(l);
    else this.listeners.set(port, [l]);
    this.usePort(port);
  }

  /** Closes the listener on ADDR:PORT (default the wildcard's). */
  unlisten(port: number, addr: Ipv4 = 0): void {
    const here = this.listeners.get(port);
    const i = here?.findIndex((l) => l.addr === addr) ?? -1;
    if (i < 0) return;
    here!.splice(i, 1);
    if (here!.length === 0) this.listeners.delete(port);
    this.releasePort(port);
  }

  /** The listener a SYN to ADDR:PORT reaches: one bound to that very address before the wildcard's (inet_lhash2_lookup's score). */
  private listenerFor(port: number, addr: Ipv4): Listener | undefined {
    const here = this.listeners.get(port);
    if (!here) return undefined;
    return here.find((l) => l.addr === addr) ?? here.find((l) => l.addr === 0);
  }

  /** connect(): picks the route's source and an ephemeral port unless given. */
  connect(to: Ipv4, dport: number, opts: { src?: Ipv4; sport?: number }, events: TcpEvents): TcpConn {
    // ip_route_output_key_hash_rcu(): a connect() to 0.0.0.0 goes to the bound source, else to
    // 127.0.0.1 over lo, and the socket's peer becomes that address (checked on a real kernel)
    const dst = to === 0 ? (opts.src ?? 0x7f000001) : to;
    const src = opts.src ?? routeOutput(this.ns, dst).src;
    const sport = opts.sport ?? this.ephemeralPort(src, dst, dport);
    const c = new TcpConn(this, src, sport, dst, dport, 'SYN_SENT');
    if (this.conns.has(c.key)) throw new KernelError('EADDRINUSE');
    c.events = events;
    this.conns.set(c.key, c);
    this.usePort(sport);
    c.sendSyn();
    return c;
  }

  /** The listening sockets by port (what inet_diag dumps from the listening hash), read-only. */
  listening(): ListenerRecord[] {
    const out: ListenerRecord[] = [];
    for (const [port, here] of this.listeners)
      for (const l of here) out.push({ port, addr: l.addr, backlog: l.backlog, dualStack: l.dualStack, owner: l.owner?.() });
    return out;
  }

  connections(): TcpConn[] {
    return this.connsByKey ? [...this.connsByKey.values()] : [];
  }

  accepted(c: TcpConn): void {
    const l = this.listenerFor(c.lport, c.local);
    if (l) c.events = l.onAccept(c);
  }

  forget(c: TcpConn): void {
    if (this.conn(c.key) === c) {
      this.conns.delete(c.key);
      this.releasePort(c.lport);
    }
  }

  /** An ICMP error quoting one of our segments (tcp_v4_err): a connection still connecting fails. */
  icmpError(local: Ipv4, lport: number, remote: Ipv4, rport: number, errno: Errno | 'ECONNREFUSED'): void {
    const c = this.conn(`${local}:${lport}-${remote}:${rport}`);
    if (c && (c.state === 'SYN_SENT' || c.state === 'SYN_RECV')) c.fail(errno);
  }

  private ephemeralPort(src: Ipv4, dst: Ipv4, dport: number): number {
    const [lo, hi] = this.ns.sysctl.get('net/ipv4/ip_local_port_range').split(/\s+/).map(Number) as [number, number];
    const span = hi - lo + 1;
    const start = this.ns.kernel.rng.int(0, span);
    for (let i = 0; i < span; i++) {
      const port = lo + ((start + i) % span);
      if (!this.conn(`${src}:${port}-${dst}:${dport}`) && !this.listeners.has(port)) return port;
    }
    throw new KernelError('EADDRNOTAVAIL');
  }

  private usePort(port: number): void {
    this.portUsers.set(port, (this.portUsers.get(port) ?? 0) + 1);
  }

  private releasePort(port: number): void {
    const n = (this.portUsers.get(port) ?? 1) - 1;
    if (n > 0) this.portUsers.set(port, n);
    else this.portUsers.delete(port);
  }

  /** tcp_v4_rcv() for a port this stack owns(): established connections first, then a listener for a SYN, else a reset. */
  segmentArrived(skb: Skb<Ipv4Packet>): void {
    const p = skb.data;
    const seg = p.payload as TcpSegment;
    const c = this.conn(`${p.dst}:${seg.dstPort}-${p.src}:${seg.srcPort}`);
    if (c) {
      c.receive(seg);
      return;
    }
    const l = this.listenerFor(seg.dstPort, p.dst);
    if (l && (seg.flags & (TCP_SYN | TCP_ACK | TCP_RST)) === TCP_SYN) {
      const conn = new TcpConn(this, p.dst, seg.dstPort, p.src, seg.srcPort, 'SYN_RECV');
      conn.rcvNxt = (seg.seq + 1) >>> 0;
      const ts = tsVal(seg.options);
      if (ts !== undefined) conn.peerTs = ts;
      this.conns.set(conn.key, conn);
      this.usePort(seg.dstPort);
      conn.sendSyn(skb.walk);
      conn.sndNxt = (conn.sndNxt + 1) >>> 0;
      return;
    }
    if (!(seg.flags & TCP_RST)) tcpReset(this.ns, skb);
  }

  /** For diagnostics: "10.0.0.1:80 ESTABLISHED" lines. */
  describe(): string[] {
    return this.connections().map((c) => `${formatIpv4(c.local)}:${c.lport} ${formatIpv4(c.remote)}:${c.rport} ${c.state}`);
  }
}

/** The TCP endpoints of a namespace (created on first use). */
export function tcpOf(ns: Netns): TcpStack {
  return (ns.tcpStack ??= new TcpStack(ns));
}
