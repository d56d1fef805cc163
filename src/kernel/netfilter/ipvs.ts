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
//   (ActiveConn/InActConn as ipvsadm shows them); entries expire on the injected clock;
// - counters and the 2-second rate estimator behind `ipvsadm --stats` and `--rate`.
//
// Hook placement, for the packet path that calls this module: IPVS sees new flows at LOCAL_IN
// (ip_vs_remote_request4, priority NF_IP_PRI_NAT_SRC - 2: after filter INPUT) and from local
// clients at LOCAL_OUT (ip_vs_local_request4, NF_IP_PRI_NAT_DST + 2); so a VIP must be a local
// address (kube-proxy binds every service IP to the dummy device kube-ipvs0) for traffic to
// reach LOCAL_IN. Replies from masqueraded real servers are caught at FORWARD
// (ip_vs_reply4, NF_IP_PRI_NAT_SRC - 1) or LOCAL_IN when local. A service without an
// available server answers a new flow with ICMP port unreachable (ip_vs_leave).
import type { Clock } from '../../sim/index.js';
import type { Netns } from '../netns.js';
import { be32Word, jhash3words } from './jhash.js';
import {
  IP_VS_SVC_F_SCHED1,
  IP_VS_SVC_F_SCHED2,
  IP_VS_SVC_F_SCHED3,
  IPVS_SCHEDULERS,
  makeScheduler,
  type IpvsSchedulerName,
  type Scheduler,
  type SchedDest,
} from './ipvs-sched.js';

export { IPVS_SCHEDULERS, IP_VS_SVC_F_SCHED1, IP_VS_SVC_F_SCHED2, IP_VS_SVC_F_SCHED3, type IpvsSchedulerName };

export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;

/** IP_VS_VERSION_CODE 1.2.1 and the connection table size (1 << CONFIG_IP_VS_TAB_BITS, 12). */
export const IPVS_VERSION = '1.2.1';
export const IPVS_CONN_TAB_SIZE = 4096;
/** IPVS_SVC_PERSISTENT_TIMEOUT: the persistence `-p` gives without a value, seconds. */
export const IPVS_DEFAULT_PERSISTENCE = 300;

/** IP_VS_CONN_F_MASQ / LOCALNODE / TUNNEL / DROUTE. */
export type IpvsForward = 'masq' | 'local' | 'tunnel' | 'route';

/** Errno-style results of the control interface (what ipvsadm turns into sentences). */
export type IpvsErrno = 'EEXIST' | 'ESRCH' | 'ENOENT' | 'EINVAL' | 'ERANGE';

export class IpvsError extends Error {
  constructor(readonly code: IpvsErrno, detail: string = code) {
    super(`ipvs: ${detail}`);
    this.name = 'IpvsError';
  }
}

/** A virtual service: by protocol, address and port, or by firewall mark (fwmark != 0). */
export interface IpvsServiceKey {
  readonly fwmark: number;
  readonly protocol: number;
  readonly addr: number;
  readonly port: number;
}

export interface IpvsServiceOptions {
  /** A scheduler name (kernel modules ip_vs_<name>); required by the kernel. */
  readonly scheduler: string;
  /** Persistence timeout in seconds; absent = not persistent. */
  readonly persistent?: number;
  /** Persistence granularity mask (host order), default 255.255.255.255. */
  readonly netmask?: number;
  /** One-packet scheduling (UDP). */
  readonly onePacket?: boolean;
  /** IP_VS_SVC_F_SCHED1..3 (sh-fallback/mh-fallback, sh-port/mh-port, flag-3). */
  readonly schedFlags?: number;
}

export interface IpvsDestOptions {
  readonly addr: number;
  readonly port: number;
  /** 0..65535; 0 quiesces the server. Default 1. */
  readonly weight?: number;
  readonly forward: IpvsForward;
  /** Upper/lower connection thresholds (0 = none). */
  readonly uThreshold?: number;
  readonly lThreshold?: number;
}

/** Packet and byte counters with the estimator's rates (struct ip_vs_stats). */
export class IpvsStats {
  conns = 0;
  inpkts = 0;
  outpkts = 0;
  inbytes = 0;
  outbytes = 0;
  // Zero point of `ipvsadm -Z` (kstats0).
  private zero = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  // ip_vs_estimator: scaled averages and last values.
  private est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
  private last = { conns: 0, inpkts: 0, outpkts: 0, inbytes: 0, outbytes: 0 };
  private nextTick: number;

  constructor(private readonly clock: Clock) {
    this.nextTick = clock.now() + ESTIMATOR_PERIOD_MS;
  }

  /** Runs the 2-second estimation ticks that fell due (before counters change or are read). */
  tick(): void {
    const now = this.clock.now();
    let ticks = 0;
    while (this.nextTick <= now) {
      this.nextTick += ESTIMATOR_PERIOD_MS;
      // After a long quiet spell every average has decayed to zero; skip the rest.
      if (++ticks > 256) {
        this.nextTick = now - (now % ESTIMATOR_PERIOD_MS) + ESTIMATOR_PERIOD_MS;
        this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
        this.last = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
        break;
      }
      const step = (avg: number, rate: number): number => avg + Math.floor((rate - avg) / 4);
      this.est.cps = step(this.est.cps, (this.conns - this.last.conns) * 512);
      this.est.inpps = step(this.est.inpps, (this.inpkts - this.last.inpkts) * 512);
      this.est.outpps = step(this.est.outpps, (this.outpkts - this.last.outpkts) * 512);
      this.est.inbps = step(this.est.inbps, (this.inbytes - this.last.inbytes) * 16);
      this.est.outbps = step(this.est.outbps, (this.outbytes - this.last.outbytes) * 16);
      this.last = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
    }
  }

  /** What `ipvsadm --stats` and `--rate` print (ip_vs_copy_stats + ip_vs_read_estimator). */
  snapshot(): { conns: number; inpkts: number; outpkts: number; inbytes: number; outbytes: number; cps: number; inpps: number; outpps: number; inbps: number; outbps: number } {
    this.tick();
    return {
      conns: this.conns - this.zero.conns,
      inpkts: this.inpkts - this.zero.inpkts,
      outpkts: this.outpkts - this.zero.outpkts,
      inbytes: this.inbytes - this.zero.inbytes,
      outbytes: this.outbytes - this.zero.outbytes,
      cps: Math.floor((this.est.cps + 0x1ff) / 1024),
      inpps: Math.floor((this.est.inpps + 0x1ff) / 1024),
      outpps: Math.floor((this.est.outpps + 0x1ff) / 1024),
      inbps: Math.floor((this.est.inbps + 0xf) / 32),
      outbps: Math.floor((this.est.outbps + 0xf) / 32),
    };
  }

  /** ip_vs_zero_stats(): counters restart from now, rates are zeroed. */
  reset(): void {
    this.tick();
    this.zero = { conns: this.conns, inpkts: this.inpkts, outpkts: this.outpkts, inbytes: this.inbytes, outbytes: this.outbytes };
    this.est = { cps: 0, inpps: 0, outpps: 0, inbps: 0, outbps: 0 };
    this.last = { ...this.zero };
  }

  countConn(): void {
    this.tick();
    this.conns++;
  }

  countIn(len: number): void {
    this.tick();
    this.inpkts++;
    this.inbytes += len;
  }

  countOut(len: number): void {
    this.tick();
    this.outpkts++;
    this.outbytes += len;
  }
}

const ESTIMATOR_PERIOD_MS = 2000;

/** A real server of a service (struct ip_vs_dest). */
export class IpvsDest implements SchedDest {
  weight: number;
  lastWeight: number;
  forward: IpvsForward;
  uThreshold: number;
  lThreshold: number;
  activeConns = 0;
  inactConns = 0;
  persistConns = 0;
  overloaded = false;
  available = true;
  readonly stats: IpvsStats;
  /** When it went to the trash (deleted but still referenced), for IP_VS_DEST_TRASH_PERIOD. */
  trashedAt: number | undefined;

  constructor(
    readonly svc: IpvsService,
    readonly addr: number,
    readonly port: number,
    opts: IpvsDestOptions,
    clock: Clock,
  ) {
    this.weight = opts.weight ?? 1;
    this.lastWeight = this.weight;
    this.forward = opts.forward;
    this.uThreshold = opts.uThreshold ?? 0;
    this.lThreshold = opts.lThreshold ?? 0;
    this.stats = new IpvsStats(clock);
  }

  get totalConns(): number {
    return this.activeConns + this.inactConns;
  }
}

/** A virtual service (struct ip_vs_service). */
export class IpvsService {
  scheduler: Scheduler<IpvsDest> | undefined;
  schedName: string;
  persistent: boolean;
  /** Persistence timeout, seconds. */
  timeout: number;
  netmask: number;
  onePacket: boolean;
  schedFlags: number;
  /** Destinations in kernel list order: the most recently added first. */
  dests: IpvsDest[] = [];
  readonly stats: IpvsStats;
  /** Deleted destinations kept while connections still use them (ip_vs_trash_get_dest). */
  readonly trash: IpvsDest[] = [];

  constructor(
    readonly key: IpvsServiceKey,
    opts: IpvsServiceOptions,
    clock: Clock,
  ) {
    this.schedName = opts.scheduler;
    this.persistent = opts.persistent !== undefined;
    this.timeout = opts.persistent ?? 0;
    this.netmask = opts.netmask ?? 0xffffffff;
    this.onePacket = opts.onePacket ?? false;
    this.schedFlags = opts.schedFlags ?? 0;
    this.stats = new IpvsStats(clock);
  }

  /** The destination `addr:port` of this service, if any. */
  dest(addr: number, port: number): IpvsDest | undefined {
    return this.dests.find((d) => d.addr === addr && d.port === port);
  }
}

/** A TCP connection state (IP_VS_TCP_S_*), or UDP's single state, or a template's. */
export type IpvsConnState =
  | 'NONE' | 'ESTABLISHED' | 'SYN_SENT' | 'SYN_RECV' | 'FIN_WAIT' | 'TIME_WAIT' | 'CLOSE' | 'CLOSE_WAIT'
  | 'LAST_ACK' | 'LISTEN' | 'SYNACK' | 'UDP' | 'ASSURED';

/** One entry of the connection table (struct ip_vs_conn); templates have cport 0. */
export interface IpvsConnection {
  readonly protocol: number;
  readonly caddr: number;
  cport: number;
  readonly vaddr: number;
  vport: number;
  readonly daddr: number;
  dport: number;
  readonly template: boolean;
  readonly dest: IpvsDest | undefined;
  readonly forward: IpvsForward;
  /** TCP state index into TCP_STATES (0 = NONE); UDP and templates keep 0. */
  stateIndex: number;
  /** Templates: IP_VS_CTPL_S_ASSURED once a controlled TCP connection was established. */
  assured: boolean;
  /** IP_VS_CONN_F_INACTIVE: counted in the destination's InActConn. */
  inactive: boolean;
  /** IP_VS_CONN_F_NOOUTPUT: no reply seen yet on a non-NAT connection (INPUT-ONLY row). */
  noOutput: boolean;
  /** The template that controls this connection (persistence). */
  control: IpvsConnection | undefined;
  nControl: number;
  /** Current timeout in ms (the state's) and the absolute expiry on the clock. */
  timeout: number;
  expires: number;
  /** Creation order, for the hash chains' newest-first order. */
  readonly seq: number;
  inTable: boolean;
}

/** The TCP state names in kernel index order (IP_VS_TCP_S_*). */
const TCP_STATES: readonly IpvsConnState[] = ['NONE', 'ESTABLISHED', 'SYN_SENT', 'SYN_RECV', 'FIN_WAIT', 'TIME_WAIT', 'CLOSE', 'CLOSE_WAIT', 'LAST_ACK', 'LISTEN', 'SYNACK'];
const S = { NO: 0, ES: 1, SS: 2, SR: 3, FW: 4, TW: 5, CL: 6, CW: 7, LA: 8, LI: 9, SA: 10 } as const;
/** tcp_state_active_table: SYN_SENT, SYN_RECV, ESTABLISHED and SYNACK count as active. */
const TCP_ACTIVE = new Set<number>([S.ES, S.SS, S.SR, S.SA]);

/** tcp_timeouts[] in seconds, by state index. */
const TCP_TIMEOUTS_S = [2, 15 * 60, 2 * 60, 60, 2 * 60, 2 * 60, 10, 60, 30, 2 * 60, 120];
const UDP_TIMEOUT_S = 5 * 60;

/**
 * tcp_states[]: next state for [row][current state], rows INPUT syn/fin/ack/rst, OUTPUT
 * syn/fin/ack/rst, INPUT-ONLY syn/fin/ack/rst (the kernel's table, not the secure_tcp one).
 */
const { NO: sNO, ES: sES, SS: sSS, SR: sSR, FW: sFW, TW: sTW, CL: sCL, CW: sCW, LA: sLA, LI: sLI, SA: sSA } = S;
const TCP_STATE_TABLE: readonly (readonly number[])[] = [
  /* INPUT */
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /* fin */ [sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR],
  /* OUTPUT */
  /* syn */ [sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR],
  /* fin */ [sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES],
  /* rst */ [sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL],
  /* INPUT-ONLY */
  /* syn */ [sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR],
  /* fin */ [sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW],
  /* ack */ [sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES],
  /* rst */ [sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL],
];

/** TCP flags of a packet, as the state machine reads them. */
export interface IpvsTcpFlags {
  readonly syn?: boolean;
  readonly ack?: boolean;
  readonly fin?: boolean;
  readonly rst?: boolean;
}

/** A packet as IPVS sees it (the outer IPv4 header and the transport ports). */
export interface IpvsPacket {
  readonly protocol: number;
  readonly src: number;
  readonly sport: number;
  readonly dst: number;
  readonly dport: number;
  /** skb->mark, for fwmark services. */
  readonly fwmark?: number;
  readonly tcp?: IpvsTcpFlags;
  /** Bytes of the IP packet (skb->len) for the counters. */
  readonly len?: number;
}

/** The tuple a later packet is looked up by. */
export interface IpvsTuple {
  readonly protocol: number;
  readonly src: number;
  readonly sport: number;
  readonly dst: number;
  readonly dport: number;
}

/** A lookup hit: the connection and which way the packet goes. */
export interface IpvsLookup {
  readonly conn: IpvsConnection;
  /** 'in': client to virtual service (rewrite the destination to dest for masq); 'out': the real server's reply (rewrite the source back to VIP:port). */
  readonly dir: 'in' | 'out';
}

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

/** The sysctls under net/ipv4/vs that change behaviour here (kernel defaults). */
export interface IpvsSysctl {
  /** expire_nodest_conn: drop connections whose server was removed (kube-proxy sets 1). */
  expire_nodest_conn: number;
  /** expire_quiescent_template: persistence templates to a weight-0 server stop pinning (kube-proxy sets 1). */
  expire_quiescent_template: number;
  /** conn_reuse_mode: a SYN reusing a TIME_WAIT/CLOSE tuple is scheduled anew (default 1). */
  conn_reuse_mode: number;
  /** sloppy_tcp: schedule TCP on any packet, not only SYN. */
  sloppy_tcp: number;
  /** lblc_expiration / lblcr_expiration, seconds. */
  lblc_expiration: number;
  lblcr_expiration: number;
}

/** IP_VS_DEST_TRASH_PERIOD. */
const DEST_TRASH_PERIOD_MS = 120 * 1000;

function svcKeyString(k: IpvsServiceKey): string {
  return k.fwmark ? `f${k.fwmark}` : `${k.protocol}|${k.addr}|${k.port}`;
}

/** The connection's state name as /proc/net/ip_vs_conn (and ipvsadm -c) prints it. */
export function connStateName(c: IpvsConnection): IpvsConnState {
  if (c.template) return c.assured ? 'ASSURED' : 'NONE';
  if (c.protocol === IPPROTO_UDP) return 'UDP';
  if (c.protocol === IPPROTO_TCP) return TCP_STATES[c.stateIndex] ?? 'NONE';
  return 'NONE';
}

/** Options of the IPVS instance of a namespace. */
export interface IpvsOptions {
  /** ip_vs_conn_rnd and the netns pointer bits the connection and service hashes mix in. */
  readonly random: () => number;
}

/** IPVS in one network namespace (struct netns_ipvs). */
export class Ipvs {
  private readonly services = new Map<string, IpvsService>();
  /** Connections by <protocol, client, virtual> (the IN direction), templates apart. */
  private readonly inConns = new Map<string, IpvsConnection>();
  /** Connections by <protocol, server, client> (the OUT direction of a reply). */
  private readonly outConns = new Map<string, IpvsConnection>();
  private readonly templates = new Map<string, IpvsConnection>();
  private readonly templateKey = new WeakMap<IpvsConnection, string>();
  private readonly expiry: { at: number; conn: IpvsConnection }[] = [];
  private seq = 0;
  private readonly connRnd: number;
  private readonly netnsBits: number;
  /** Totals over all services (ipvs->tot_stats). */
  readonly totalStats: IpvsStats;
  readonly sysctl: IpvsSysctl = {
    expire_nodest_conn: 0,
    expire_quiescent_template: 0,
    conn_reuse_mode: 1,
    sloppy_tcp: 0,
    lblc_expiration: 24 * 60 * 60,
    lblcr_expiration: 24 * 60 * 60,
  };
  private tcpTimeouts = [...TCP_TIMEOUTS_S];
  private udpTimeout = UDP_TIMEOUT_S;
  /** Services in the kernel's hash-table order, for unsorted dumps. */
  private svcOrder: IpvsService[] = [];

  constructor(
    private readonly clock: Clock,
    opts: IpvsOptions,
  ) {
    this.connRnd = opts.random() >>> 0;
    this.netnsBits = opts.random() >>> 0;
    this.totalStats = new IpvsStats(clock);
  }

  // ---- control (ip_vs_ctl.c) ----------------------------------------------------------------

  /** Services in the order the kernel dumps them (service hash table, then fwmark table). */
  /** How many virtual services exist (cheap: the packet path asks on every hook). */
  get serviceCount(): number {
    return this.services.size;
  }

  listServices(): IpvsService[] {
    this.expire();
    return [...this.svcOrder];
  }

  getService(key: IpvsServiceKey): IpvsService | undefined {
    this.expire();
    return this.services.get(svcKeyString(key));
  }

  private must(key: IpvsServiceKey): IpvsService {
    const svc = this.getService(key);
    if (!svc) throw new IpvsError('ESRCH', 'no such service');
    return svc;
  }

  /** ip_vs_svc_hashkey(): the bucket of the kernel's 256-entry service table. */
  private svcBucket(k: IpvsServiceKey): number {
    if (k.fwmark) return (k.fwmark & 0xff) + 0x100;
    const porth = k.port;
    const ahash = (k.addr ^ (this.netnsBits >>> 8)) >>> 0;
    return (k.protocol ^ ahash ^ (porth >>> 8) ^ porth) & 0xff;
  }

  private reorder(): void {
    // hlist_add_head in each bucket: newest first within a bucket.
    const withIndex = [...this.services.values()];
    this.svcOrder = withIndex
      .map((s, i) => ({ s, i, b: this.svcBucket(s.key) }))
      .sort((a, b) => a.b - b.b || b.i - a.i)
      .map((x) => x.s);
  }

  /** Equivalent to: `ipvsadm -A -t|-u|-f KEY -s SCHED [-p [T]] [-M MASK]`. */
  addService(key: IpvsServiceKey, opts: IpvsServiceOptions): IpvsService {
    const k = svcKeyString(key);
    if (this.services.has(k)) throw new IpvsError('EEXIST', 'service exists');
    if (!IPVS_SCHEDULERS.includes(opts.scheduler as IpvsSchedulerName) && opts.scheduler !== 'none') {
      throw new IpvsError('ENOENT', `scheduler ${opts.scheduler} not found`);
    }
    const svc = new IpvsService(key, opts, this.clock);
    svc.scheduler = opts.scheduler === 'none' ? undefined : makeScheduler(opts.scheduler, svc);
    this.configureScheduler(svc);
    this.services.set(k, svc);
    this.reorder();
    return svc;
  }

  /** Equivalent to: `ipvsadm -E ...`: a new scheduler is bound only when the name changes. */
  editService(key: IpvsServiceKey, opts: IpvsServiceOptions): IpvsService {
    if (!IPVS_SCHEDULERS.includes(opts.scheduler as IpvsSchedulerName) && opts.scheduler !== 'none') {
      throw new IpvsError('ENOENT', `scheduler ${opts.scheduler} not found`);
    }
    const svc = this.must(key);
    if (opts.scheduler !== svc.schedName) {
      svc.schedName = opts.scheduler;
      svc.scheduler = opts.scheduler === 'none' ? undefined : makeScheduler(opts.scheduler, svc);
    }
    svc.persistent = opts.persistent !== undefined;
    svc.timeout = opts.persistent ?? 0;
    svc.netmask = opts.netmask ?? 0xffffffff;
    svc.onePacket = opts.onePacket ?? false;
    svc.schedFlags = opts.schedFlags ?? 0;
    this.configureScheduler(svc);
    return svc;
  }

  private configureScheduler(svc: IpvsService): void {
    const s = svc.scheduler as { expiration?: number; name: string } | undefined;
    if (s && 'expiration' in s) s.expiration = (s.name === 'lblcr' ? this.sysctl.lblcr_expiration : this.sysctl.lblc_expiration) * 1000;
  }

  /** Equivalent to: `ipvsadm -D ...`. Its servers go to the trash with their connections. */
  deleteService(key: IpvsServiceKey): void {
    const svc = this.must(key);
    for (const d of svc.dests) this.trashDest(svc, d);
    svc.dests = [];
    this.services.delete(svcKeyString(key));
    this.reorder();
  }

  /** Equivalent to: `ipvsadm -C`. */
  flush(): void {
    for (const svc of [...this.services.values()]) this.deleteService(svc.key);
  }

  /** Equivalent to: `ipvsadm -Z [service]`. */
  zero(key?: IpvsServiceKey): void {
    const zeroSvc = (svc: IpvsService): void => {
      for (const d of svc.dests) d.stats.reset();
      svc.stats.reset();
    };
    if (key) {
      zeroSvc(this.must(key));
      return;
    }
    for (const svc of this.services.values()) zeroSvc(svc);
    this.totalStats.reset();
  }

  /** Equivalent to: `ipvsadm -a KEY -r ADDR:PORT [-m|-g|-i] [-w W]`. */
  addDest(key: IpvsServiceKey, opts: IpvsDestOptions): IpvsDest {
    const svc = this.must(key);
    this.checkDest(opts);
    if (svc.dest(opts.addr, opts.port)) throw new IpvsError('EEXIST', 'destination exists');
    if (isMulticastOrBroadcast(opts.addr)) throw new IpvsError('EINVAL', 'destination not unicast');
    const fromTrash = svc.trash.findIndex((d) => d.addr === opts.addr && d.port === opts.port);
    let dest: IpvsDest;
    if (fromTrash >= 0) {
      dest = svc.trash.splice(fromTrash, 1)[0]!;
      dest.trashedAt = undefined;
      dest.available = true;
    } else {
      dest = new IpvsDest(svc, opts.addr, opts.port, opts, this.clock);
    }
    this.updateDest(dest, opts, true);
    svc.dests.unshift(dest);
    svc.scheduler?.changed?.(svc, 'add', dest, 0);
    return dest;
  }

  /** Equivalent to: `ipvsadm -e KEY -r ADDR:PORT ...`. */
  editDest(key: IpvsServiceKey, opts: IpvsDestOptions): IpvsDest {
    const svc = this.must(key);
    this.checkDest(opts);
    const dest = svc.dest(opts.addr, opts.port);
    if (!dest) throw new IpvsError('ENOENT', 'no such destination');
    this.updateDest(dest, opts, false);
    svc.scheduler?.changed?.(svc, 'upd', dest, svc.dests.indexOf(dest));
    return dest;
  }

  /** Equivalent to: `ipvsadm -d KEY -r ADDR:PORT`. */
  deleteDest(key: IpvsServiceKey, addr: number, port: number): void {
    const svc = this.must(key);
    const dest = svc.dest(addr, port);
    if (!dest) throw new IpvsError('ENOENT', 'no such destination');
    const index = svc.dests.indexOf(dest);
    svc.dests.splice(index, 1);
    this.trashDest(svc, dest);
    svc.scheduler?.changed?.(svc, 'del', dest, index);
  }

  private checkDest(opts: IpvsDestOptions): void {
    if ((opts.weight ?? 1) < 0) throw new IpvsError('ERANGE', 'weight below zero');
    if ((opts.lThreshold ?? 0) > (opts.uThreshold ?? 0)) throw new IpvsError('ERANGE', 'lower threshold above upper');
  }

  /** __ip_vs_update_dest(). */
  private updateDest(dest: IpvsDest, opts: IpvsDestOptions, add: boolean): void {
    const weight = opts.weight ?? 1;
    if (add || weight !== 0) dest.lastWeight = weight;
    dest.weight = weight;
    dest.forward = opts.forward;
    const u = opts.uThreshold ?? 0;
    if (u === 0 || u > dest.uThreshold) dest.overloaded = false;
    dest.uThreshold = u;
    dest.lThreshold = opts.lThreshold ?? 0;
    dest.available = true;
  }

  private trashDest(svc: IpvsService, dest: IpvsDest): void {
    dest.available = false;
    dest.trashedAt = this.clock.now();
    svc.trash.push(dest);
    if (this.sysctl.expire_nodest_conn) {
      for (const c of [...this.inConns.values(), ...this.templates.values()]) if (c.dest === dest && c.nControl === 0) this.drop(c);
    }
  }

  /** The connection timeouts `ipvsadm --timeout` shows and `--set` changes (seconds; 0 keeps). */
  timeouts(): { tcp: number; tcpfin: number; udp: number } {
    return { tcp: this.tcpTimeouts[S.ES]!, tcpfin: this.tcpTimeouts[S.FW]!, udp: this.udpTimeout };
  }

  setTimeouts(t: { tcp: number; tcpfin: number; udp: number }): void {
    if (t.tcp) this.tcpTimeouts[S.ES] = t.tcp;
    if (t.tcpfin) this.tcpTimeouts[S.FW] = t.tcpfin;
    if (t.udp) this.udpTimeout = t.udp;
  }

  // ---- the packet path (ip_vs_core.c) ----------------------------------------------------------

  /** ip_vs_service_find(): fwmark first, then <protocol, VIP, port>, then the port-zero service. */
  findService(protocol: number, vaddr: number, vport: number, fwmark = 0): IpvsService | undefined {
    if (fwmark) {
      const s = this.services.get(`f${fwmark}`);
      if (s) return s;
    }
    return this.services.get(`${protocol}|${vaddr}|${vport}`) ?? this.services.get(`${protocol}|${vaddr}|0`);
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
    if (svc.persistent) conn = this.schedPersist(svc, pkt);
    else {
      if (!svc.key.fwmark && pkt.dport !== svc.key.port) return undefined;
      const dest = svc.scheduler?.schedule(svc, this.schedPacket(pkt), this.clock.now());
      if (!dest) return undefined;
      conn = this.newConn(pkt.protocol, pkt.src, pkt.sport, pkt.dst, pkt.dport, dest, dest.port || pkt.dport, false);
      this.connStats(conn, svc);
    }
    if (!conn) return undefined;
    this.inPacket(conn, pkt);
    // One-packet scheduling: a UDP "connection" lives for its first datagram only.
    if (svc.onePacket && pkt.protocol === IPPROTO_UDP) this.unlink(conn);
    return { dest: conn.dest!, conn };
  }

  private schedPacket(pkt: IpvsPacket): { src: number; dst: number; sport: number; protocol: number } {
    return { src: pkt.src, dst: pkt.dst, sport: pkt.sport, protocol: pkt.protocol };
  }

  /** ip_vs_sched_persist(). */
  private schedPersist(svc: IpvsService, pkt: IpvsPacket): IpvsConnection | undefined {
    const snet = (pkt.src & svc.netmask) >>> 0;
    let protocol = pkt.protocol;
    let vaddr = pkt.dst;
    let vport = 0;
    if (pkt.dport === svc.key.port) {
      if (svc.key.port !== FTPPORT) vport = pkt.dport;
    } else if (svc.key.fwmark) {
      protocol = 0;
      vaddr = svc.key.fwmark;
    }
    const tkey = `${protocol}|${snet}|0|${vaddr}|${vport}`;
    let ct = this.templates.get(tkey);
    if (ct && !this.checkTemplate(ct, tkey)) ct = undefined;
    let dest: IpvsDest;
    if (!ct) {
      const d = svc.scheduler?.schedule(svc, this.schedPacket(pkt), this.clock.now());
      if (!d) return undefined;
      dest = d;
      const dport = pkt.dport === svc.key.port && svc.key.port !== FTPPORT ? dest.port : 0;
      ct = this.newTemplate(protocol, snet, vaddr, vport, dest, dport, tkey);
      ct.timeout = svc.timeout * 1000;
    } else {
      dest = ct.dest!;
    }
    let dport = pkt.dport;
    if (dport === svc.key.port && dest.port) dport = dest.port;
    const cp = this.newConn(pkt.protocol, pkt.src, pkt.sport, pkt.dst, pkt.dport, dest, dport, false);
    cp.control = ct;
    ct.nControl++;
    this.rearm(ct);
    this.connStats(cp, svc);
    return cp;
  }

  /** ip_vs_check_template(): a template to an unavailable (or quiesced, with the sysctl) server is invalidated. */
  private checkTemplate(ct: IpvsConnection, tkey: string): boolean {
    const d = ct.dest;
    if (!d || !d.available || (this.sysctl.expire_quiescent_template && d.weight === 0)) {
      // The template is re-keyed with ports 0xffff so nothing finds it; it expires on its own.
      if (ct.vport !== 0xffff) {
        this.templates.delete(tkey);
        ct.dport = 0xffff;
        ct.vport = 0xffff;
        ct.cport = 0;
        const dead = `dead|${ct.seq}`;
        this.templates.set(dead, ct);
        this.templateKey.set(ct, dead);
      }
      return false;
    }
    return true;
  }

  private newTemplate(protocol: number, caddr: number, vaddr: number, vport: number, dest: IpvsDest, dport: number, tkey: string): IpvsConnection {
    const ct = this.makeConn(protocol, caddr, 0, vaddr, vport, dest, dport, true);
    dest.persistConns++;
    this.templates.set(tkey, ct);
    this.templateKey.set(ct, tkey);
    this.rearm(ct);
    return ct;
  }

  private makeConn(protocol: number, caddr: number, cport: number, vaddr: number, vport: number, dest: IpvsDest, dport: number, template: boolean): IpvsConnection {
    return {
      protocol, caddr, cport, vaddr, vport, daddr: dest.addr, dport, template, dest, forward: dest.forward,
      stateIndex: 0, assured: false, inactive: true, noOutput: dest.forward !== 'masq', control: undefined, nControl: 0,
      timeout: 3000, expires: 0, seq: this.seq++, inTable: true,
    };
  }

  /** ip_vs_conn_new() + ip_vs_bind_dest(): new connections start inactive with a 3 s timer. */
  private newConn(protocol: number, caddr: number, cport: number, vaddr: number, vport: number, dest: IpvsDest, dport: number, template: boolean): IpvsConnection {
    const c = this.makeConn(protocol, caddr, cport, vaddr, vport, dest, dport, template);
    dest.inactConns++;
    if (dest.uThreshold !== 0 && dest.totalConns >= dest.uThreshold) dest.overloaded = true;
    this.inConns.set(inKey(protocol, caddr, cport, vaddr, vport), c);
    this.outConns.set(outKey(c), c);
    this.rearm(c);
    return c;
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
    const inHit = this.inConns.get(inKey(t.protocol, t.src, t.sport, t.dst, t.dport));
    if (inHit) return { conn: inHit, dir: 'in' };
    const outHit = this.outConns.get(`${t.protocol}|${t.src}|${t.sport}|${t.dst}|${t.dport}`);
    if (outHit) return { conn: outHit, dir: 'out' };
    return undefined;
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
      else if (!c.control && (c.stateIndex === S.TW || c.stateIndex === S.CL || (this.sysctl.conn_reuse_mode & 2 && c.stateIndex === S.FW && c.noOutput))) resched = true;
      if (resched) {
        if (c.nControl === 0) this.drop(c);
        c = undefined;
      }
    }
    if (c && c.dest && !c.dest.available) {
      if (!this.sysctl.expire_nodest_conn) return { kind: 'drop' };
      this.drop(c);
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
    this.rearm(c);
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
    this.rearm(c);
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
  private setState(c: IpvsConnection, dir: 'input' | 'output' | 'input-only', pkt: { protocol: number; tcp?: IpvsTcpFlags }): void {
    if (c.protocol === IPPROTO_UDP) {
      if (dir === 'output') this.assure(c);
      c.timeout = this.udpTimeout * 1000;
      return;
    }
    if (c.protocol !== IPPROTO_TCP) return;
    const f = pkt.tcp ?? {};
    const idx = f.rst ? 3 : f.syn ? 0 : f.fin ? 1 : f.ack ? 2 : -1;
    const off = dir === 'input' ? 0 : dir === 'output' ? 4 : 8;
    const next = idx < 0 ? S.CL : TCP_STATE_TABLE[off + idx]![c.stateIndex]!;
    if (next !== c.stateIndex) {
      const d = c.dest;
      if (d) {
        if (!c.inactive && !TCP_ACTIVE.has(next)) {
          d.activeConns--;
          d.inactConns++;
          c.inactive = true;
        } else if (c.inactive && TCP_ACTIVE.has(next)) {
          d.activeConns++;
          d.inactConns--;
          c.inactive = false;
        }
      }
      if (next === S.ES) this.assure(c);
    }
    c.stateIndex = next;
    c.timeout = this.tcpTimeouts[next]! * 1000;
  }

  /** ip_vs_control_assure_ct(): the persistence template becomes ASSURED. */
  private assure(c: IpvsConnection): void {
    if (c.control && c.control.template) c.control.assured = true;
  }

  // ---- expiry (ip_vs_conn_expire) --------------------------------------------------------------

  private rearm(c: IpvsConnection): void {
    c.expires = this.clock.now() + c.timeout;
    heapPush(this.expiry, { at: c.expires, conn: c });
  }

  /** Runs the connection timers that fell due. */
  expire(): void {
    const now = this.clock.now();
    for (;;) {
      const top = this.expiry[0];
      if (!top || top.at > now) break;
      heapPop(this.expiry);
      const c = top.conn;
      if (!c.inTable || c.expires !== top.at) continue;
      if (c.nControl > 0) {
        // "expire_later": a template still controlling connections lives on, 60 s at a time.
        c.timeout = 60_000;
        c.expires = top.at + c.timeout;
        heapPush(this.expiry, { at: c.expires, conn: c });
        continue;
      }
      this.unlink(c);
    }
    this.collectTrash(now);
  }

  /** Removes a connection now (expire_nodest_conn, conn reuse). */
  private drop(c: IpvsConnection): void {
    if (c.nControl > 0) return;
    this.unlink(c);
  }

  private unlink(c: IpvsConnection): void {
    c.inTable = false;
    if (c.template) {
      const k = this.templateKey.get(c);
      if (k !== undefined && this.templates.get(k) === c) this.templates.delete(k);
    } else {
      this.inConns.delete(inKey(c.protocol, c.caddr, c.cport, c.vaddr, c.vport));
      this.outConns.delete(outKey(c));
    }
    if (c.control) {
      c.control.nControl--;
      c.control = undefined;
    }
    const d = c.dest;
    if (!d) return;
    if (c.template) d.persistConns--;
    else if (c.inactive) d.inactConns--;
    else d.activeConns--;
    // ip_vs_unbind_dest(): the overload flag clears below the lower threshold (or 3/4 of the upper).
    if (d.lThreshold !== 0) {
      if (d.totalConns < d.lThreshold) d.overloaded = false;
    } else if (d.uThreshold !== 0) {
      if (d.totalConns * 4 < d.uThreshold * 3) d.overloaded = false;
    } else d.overloaded = false;
  }

  private collectTrash(now: number): void {
    for (const svc of this.services.values()) {
      for (let i = svc.trash.length - 1; i >= 0; i--) {
        const d = svc.trash[i]!;
        if (d.totalConns + d.persistConns === 0 && now - (d.trashedAt ?? now) >= DEST_TRASH_PERIOD_MS) svc.trash.splice(i, 1);
      }
    }
  }

  /**
   * The connection table as /proc/net/ip_vs_conn lists it: by hash bucket of
   * <protocol, client address, client port> (jhash_3words with a per-boot random), newest first
   * within a bucket. Includes persistence templates.
   */
  connections(): IpvsConnection[] {
    this.expire();
    const all = [...this.inConns.values(), ...this.templates.values()];
    const bucket = (c: IpvsConnection): number =>
      ((jhash3words(be32Word(c.caddr), ((c.cport >>> 8) | ((c.cport & 0xff) << 8)) >>> 0, c.protocol, this.connRnd) ^ (this.netnsBits >>> 8)) >>> 0) & (IPVS_CONN_TAB_SIZE - 1);
    return all.map((c) => ({ c, b: bucket(c) })).sort((x, y) => x.b - y.b || y.c.seq - x.c.seq).map((x) => x.c);
  }

  /** Seconds until a connection expires, as /proc prints it. */
  remaining(c: IpvsConnection): number {
    return Math.max(0, Math.floor((c.expires - this.clock.now()) / 1000));
  }
}

const FTPPORT = 21;

function inKey(protocol: number, caddr: number, cport: number, vaddr: number, vport: number): string {
  return `${protocol}|${caddr}|${cport}|${vaddr}|${vport}`;
}

/** ip_vs_conn_out_get(): replies come from the server (masq) or from the VIP (other methods). */
function outKey(c: IpvsConnection): string {
  const [saddr, sport] = c.forward === 'masq' ? [c.daddr, c.dport] : [c.vaddr, c.vport];
  return `${c.protocol}|${saddr}|${sport}|${c.caddr}|${c.cport}`;
}

function isMulticastOrBroadcast(addr: number): boolean {
  return addr >>> 28 === 0xe || addr === 0xffffffff || addr === 0;
}

function heapPush(h: { at: number; conn: IpvsConnection }[], e: { at: number; conn: IpvsConnection }): void {
  h.push(e);
  let i = h.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (h[p]!.at <= h[i]!.at) break;
    [h[p], h[i]] = [h[i]!, h[p]!];
    i = p;
  }
}

function heapPop(h: { at: number; conn: IpvsConnection }[]): void {
  const last = h.pop();
  if (!h.length || !last) return;
  h[0] = last;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < h.length && h[l]!.at < h[m]!.at) m = l;
    if (r < h.length && h[r]!.at < h[m]!.at) m = r;
    if (m === i) break;
    [h[m], h[i]] = [h[i]!, h[m]!];
    i = m;
  }
}

// ---- per-namespace accessor -------------------------------------------------------------------

const instances = new WeakMap<Netns, Ipvs>();

/** The IPVS instance of a network namespace, created on first use (randoms from the world's Rng). */
export function ipvsOf(ns: Netns): Ipvs {
  let v = instances.get(ns);
  if (!v) {
    const rng = ns.kernel.rng;
    v = new Ipvs(ns.kernel.clock, { random: () => rng.u32() });
    instances.set(ns, v);
  }
  return v;
}
