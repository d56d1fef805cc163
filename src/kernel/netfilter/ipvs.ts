// IP Virtual Server of one network namespace (net/netfilter/ipvs: ip_vs_ctl.c, ip_vs_core.c,
// ip_vs_conn.c, ip_vs_proto_{tcp,udp}.c, ip_vs_est.c), emulated from the kernel's documented
// behaviour because this machine's kernel has no IPVS:
//
// - virtual services by <protocol, VIP, port> or by firewall mark, each with a scheduler
//   (ipvs-sched.ts), optional persistence (a template <client/netmask, 0, VIP, port> pinning
//   the client to a real server for `timeout` seconds, 300 by default), and real servers with
//   weights (0 = quiescent), forwarding method and connection thresholds; new servers go to the
//   head of the list (list_add_rcu), which is the order schedulers walk;
// - the connection table: a new flow is scheduled once, later packets and replies find their
//   connection by tuple; TCP follows the kernel's state table (INPUT / OUTPUT / INPUT-ONLY rows)
//   with its timeouts (ESTABLISHED 900 s, SYN_RECV 60 s, FIN_WAIT 120 s, CLOSE 10 s, ...), UDP
//   lives 300 s; new connections count as inactive until TCP reaches an active state
//   (ActiveConn/InActConn as ipvsadm shows them); entries expire on the kernel's event queue;
// - counters and the 2-second rate estimator behind `ipvsadm --stats` and `--rate`.
//
// Hook placement, for the packet path that calls this module: IPVS sees new flows at LOCAL_IN
// (ip_vs_remote_request4, priority NF_IP_PRI_NAT_SRC - 2: after filter INPUT) and from local
// clients at LOCAL_OUT (ip_vs_local_request4, NF_IP_PRI_NAT_DST + 2); so a VIP must be a local
// address (kube-proxy binds every service IP to the dummy device kube-ipvs0) for traffic to
// reach LOCAL_IN. Replies from masqueraded real servers are caught at FORWARD
// (ip_vs_reply4, NF_IP_PRI_NAT_SRC - 1) or LOCAL_IN when local. A service without an
// available server answers a new flow with ICMP port unreachable (ip_vs_leave).
//
// Split by concern: ipvs-ctl.ts (services, servers, sysctls), ipvs-conn.ts (the connection table,
// persistence templates, expiry on the shared event queue), ipvs-tcp.ts (protocol states and
// timeouts), ipvs-stats.ts (counters and rates), ipvs-sched.ts (schedulers); this module is the
// packet path (ip_vs_core.c) over them and the per-namespace instance.
import type { Scheduler } from '../../sim/index.js';
import type { Netns } from '../netns.js';
import { IpvsConnTable, type IpvsConnection, type IpvsLookup, type IpvsPacket, type IpvsTuple } from './ipvs-conn.js';
import { IpvsControl, type IpvsDest, type IpvsService } from './ipvs-ctl.js';
import { IPPROTO_TCP, IPPROTO_UDP, IpvsTimeouts, TCP_S, tcpActive, tcpNextState, type IpvsTcpDir, type IpvsTcpFlags } from './ipvs-tcp.js';

export { IPVS_SCHEDULERS, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3, type IpvsSchedulerName } from './ipvs-sched.js';
export {
  IPVS_DEFAULT_PERSISTENCE,
  IPVS_VERSION,
  IpvsDest,
  IpvsError,
  IpvsService,
  type IpvsDestOptions,
  type IpvsErrno,
  type IpvsForward,
  type IpvsServiceKey,
  type IpvsServiceOptions,
  type IpvsSysctl,
} from './ipvs-ctl.js';
export { IPVS_CONN_TAB_SIZE, type IpvsConnection, type IpvsLookup, type IpvsPacket, type IpvsTuple } from './ipvs-conn.js';
export { IPPROTO_TCP, IPPROTO_UDP, connStateName, type IpvsConnState, type IpvsTcpFlags } from './ipvs-tcp.js';
export { IpvsStats } from './ipvs-stats.js';

/**
 * What IPVS decides for an incoming packet: forward it on a connection (rewrite the
 * destination for masq), pass it on untouched (not IPVS traffic), drop it, or answer ICMP
 * port unreachable (a virtual service with no server available, ip_vs_leave).
 */
export type IpvsVerdict =
  | { readonly kind: 'forward'; readonly conn: IpvsConnection; readonly dest: IpvsDest; readonly created: boolean }
  | { readonly kind: 'pass' }
  | { readonly kind: 'drop' }
  | { readonly kind: 'unreachable' };

/** Options of the IPVS instance of a namespace. */
export interface IpvsOptions {
  /** ip_vs_conn_rnd and the netns pointer bits the connection and service hashes mix in. */
  readonly random: () => number;
}

/** IPVS in one network namespace (struct netns_ipvs): the packet path over the control plane. */
export class Ipvs extends IpvsControl {
  private readonly protoTimeouts = new IpvsTimeouts();

  constructor(clock: Scheduler, opts: IpvsOptions) {
    const connRnd = opts.random() >>> 0;
    const netnsBits = opts.random() >>> 0;
    super(clock, netnsBits, new IpvsConnTable(clock, connRnd, netnsBits));
  }

  /** The connection timeouts `ipvsadm --timeout` shows and `--set` changes (seconds; 0 keeps). */
  timeouts(): { tcp: number; tcpfin: number; udp: number } {
    return this.protoTimeouts.get();
  }

  setTimeouts(t: { tcp: number; tcpfin: number; udp: number }): void {
    this.protoTimeouts.set(t);
  }

  /**
   * A new flow to a virtual service (ip_vs_in without a connection): picks a real server with
   * the service's scheduler (through a persistence template if the service is persistent),
   * creates the connection, counts it and its first packet, and moves its state. Returns
   * undefined when no service matches, when TCP without SYN must not be scheduled, or when no
   * server is available (the caller then sends ICMP port unreachable if `findService` matched).
   */
  schedule(pkt: IpvsPacket): { dest: IpvsDest; conn: IpvsConnection } | undefined {
    this.expire();
    const svc = this.findService(pkt.protocol, pkt.dst, pkt.dport, pkt.fwmark ?? 0);
    if (!svc) return undefined;
    if (pkt.protocol === IPPROTO_TCP && (pkt.tcp?.rst || !(this.sysctl.sloppy_tcp || pkt.tcp?.syn))) return undefined;
    let conn: IpvsConnection | undefined;
    if (svc.persistent) {
      conn = this.conns.persistentConn(
        svc,
        pkt,
        () => svc.scheduler?.schedule(svc, this.schedPacket(pkt), this.clock.now()),
        this.sysctl.expire_quiescent_template !== 0,
      );
      if (conn) this.connStats(conn, svc);
    } else {
      if (!svc.key.fwmark && pkt.dport !== svc.key.port) return undefined;
      const dest = svc.scheduler?.schedule(svc, this.schedPacket(pkt), this.clock.now());
      if (!dest) return undefined;
      conn = this.conns.newConn(pkt.protocol, pkt.src, pkt.sport, pkt.dst, pkt.dport, dest, dest.port || pkt.dport, false);
      this.connStats(conn, svc);
    }
    if (!conn) return undefined;
    this.inPacket(conn, pkt);
    // One-packet scheduling: a UDP "connection" lives for its first datagram only.
    if (svc.onePacket && pkt.protocol === IPPROTO_UDP) this.conns.unlink(conn);
    return { dest: conn.dest!, conn };
  }

  private schedPacket(pkt: IpvsPacket): { src: number; dst: number; sport: number; protocol: number } {
    return { src: pkt.src, dst: pkt.dst, sport: pkt.sport, protocol: pkt.protocol };
  }

  private connStats(c: IpvsConnection, svc: IpvsService): void {
    c.dest!.stats.countConn();
    svc.stats.countConn();
    this.totalStats.countConn();
  }

  /**
   * The connection of a later packet: 'in' for the client's packets to VIP:port, 'out' for the
   * real server's replies (masq: from the server's address and port; other methods: from the
   * VIP). Templates are never returned.
   */
  lookup(t: IpvsTuple): IpvsLookup | undefined {
    this.expire();
    return this.conns.lookup(t);
  }

  /**
   * The IN hook for a packet that may belong to IPVS (ip_vs_in): an existing connection, or a
   * newly scheduled one. A SYN may reuse the tuple of a TIME_WAIT/CLOSE connection
   * (conn_reuse_mode) and is then scheduled anew; a connection whose server left is dropped
   * (expire_nodest_conn) or its packet is. Accounts the packet on the connection.
   */
  packetIn(pkt: IpvsPacket): IpvsVerdict {
    const hit = this.lookup(pkt);
    let c = hit && hit.dir === 'in' ? hit.conn : undefined;
    const syn = pkt.protocol === IPPROTO_TCP && pkt.tcp?.syn === true;
    if (c && this.sysctl.conn_reuse_mode && syn) {
      let resched = false;
      if (this.sysctl.expire_nodest_conn && c.dest && c.dest.weight === 0) resched = true;
      else if (
        !c.control &&
        (c.stateIndex === TCP_S.TW ||
          c.stateIndex === TCP_S.CL ||
          (this.sysctl.conn_reuse_mode & 2 && c.stateIndex === TCP_S.FW && c.noOutput))
      )
        resched = true;
      if (resched) {
        if (c.nControl === 0) this.conns.drop(c);
        c = undefined;
      }
    }
    if (c && c.dest && !c.dest.available) {
      if (!this.sysctl.expire_nodest_conn) return { kind: 'drop' };
      this.conns.drop(c);
      c = undefined;
    }
    if (c) {
      this.inPacket(c, pkt);
      return { kind: 'forward', conn: c, dest: c.dest!, created: false };
    }
    const svc = this.findService(pkt.protocol, pkt.dst, pkt.dport, pkt.fwmark ?? 0);
    if (!svc) return { kind: 'pass' };
    if (pkt.protocol === IPPROTO_TCP && (pkt.tcp?.rst || !(this.sysctl.sloppy_tcp || pkt.tcp?.syn))) return { kind: 'pass' };
    const s = this.schedule(pkt);
    if (!s) return { kind: 'unreachable' };
    return { kind: 'forward', ...s, created: true };
  }

  /** Accounts a client-to-server packet of a connection (ip_vs_in_stats + state + timer). */
  inPacket(c: IpvsConnection, pkt: { protocol: number; tcp?: IpvsTcpFlags; len?: number }): void {
    this.countIn(c, pkt.len ?? 0);
    this.setState(c, c.noOutput ? 'input-only' : 'input', pkt);
    this.conns.rearm(c);
  }

  /** Accounts a server-to-client packet of a connection (ip_vs_out_stats + state + timer). */
  outPacket(c: IpvsConnection, pkt: { protocol: number; tcp?: IpvsTcpFlags; len?: number }): void {
    const d = c.dest;
    if (d && d.available) {
      d.stats.countOut(pkt.len ?? 0);
      d.svc.stats.countOut(pkt.len ?? 0);
      this.totalStats.countOut(pkt.len ?? 0);
    }
    c.noOutput = false;
    this.setState(c, 'output', pkt);
    this.conns.rearm(c);
  }

  private countIn(c: IpvsConnection, len: number): void {
    const d = c.dest;
    if (d && d.available) {
      d.stats.countIn(len);
      d.svc.stats.countIn(len);
      this.totalStats.countIn(len);
    }
  }

  /** tcp_state_transition() / udp_state_transition(). */
  private setState(c: IpvsConnection, dir: IpvsTcpDir, pkt: { protocol: number; tcp?: IpvsTcpFlags }): void {
    if (c.protocol === IPPROTO_UDP) {
      if (dir === 'output') this.assure(c);
      c.timeout = this.protoTimeouts.udpMs();
      return;
    }
    if (c.protocol !== IPPROTO_TCP) return;
    const next = tcpNextState(c.stateIndex, dir, pkt.tcp ?? {});
    if (next !== c.stateIndex) {
      const d = c.dest;
      if (d) {
        if (!c.inactive && !tcpActive(next)) {
          d.activeConns--;
          d.inactConns++;
          c.inactive = true;
        } else if (c.inactive && tcpActive(next)) {
          d.activeConns++;
          d.inactConns--;
          c.inactive = false;
        }
      }
      if (next === TCP_S.ES) this.assure(c);
    }
    c.stateIndex = next;
    c.timeout = this.protoTimeouts.tcpMs(next);
  }

  /** ip_vs_control_assure_ct(): the persistence template becomes ASSURED. */
  private assure(c: IpvsConnection): void {
    if (c.control && c.control.template) c.control.assured = true;
  }

  /**
   * The connection table as /proc/net/ip_vs_conn lists it: by hash bucket of
   * <protocol, client address, client port> (jhash_3words with a per-boot random), newest first
   * within a bucket. Includes persistence templates.
   */
  connections(): IpvsConnection[] {
    this.expire();
    return this.conns.list();
  }

  /** Seconds until a connection expires, as /proc prints it. */
  remaining(c: IpvsConnection): number {
    return this.conns.remaining(c);
  }
}

// ---- per-namespace accessor -------------------------------------------------------------------

/** The IPVS instance of a network namespace, created on first use (with the randoms drawn when the namespace was made). */
export function ipvsOf(ns: Netns): Ipvs {
  if (ns.ipvs === undefined) {
    const drawn = ns.ipvsRandoms.values();
    ns.ipvs = new Ipvs(ns.kernel.clock, { random: () => drawn.next().value ?? 0 });
  }
  return ns.ipvs;
}
