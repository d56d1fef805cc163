// The IPVS control plane of a namespace: virtual services (by <protocol, VIP, port> or firewall
// mark) with their scheduler and persistence, their real servers and the servers' trash, the
// sysctls, as ipvsadm sets them (net/netfilter/ipvs/ip_vs_ctl.c).
import type { Clock } from '../../sim/index.js';
import type { IpvsConnTable } from './ipvs-conn.js';
import { IPVS_SCHEDULERS, makeScheduler, type IpvsSchedulerName, type Scheduler, type SchedDest } from './ipvs-sched.js';
import { IpvsStats } from './ipvs-stats.js';

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
  constructor(
    readonly code: IpvsErrno,
    detail: string = code,
  ) {
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

/** Services, servers and sysctls of one namespace's IPVS; the packet path (Ipvs) builds on it. */
export class IpvsControl {
  private readonly services = new Map<string, IpvsService>();
  /** Services in the kernel's hash-table order, for unsorted dumps. */
  private svcOrder: IpvsService[] = [];
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

  constructor(
    protected readonly clock: Clock,
    /** The netns pointer bits the service hash mixes in. */
    private readonly netnsBits: number,
    /** The connection table, whose connections a removed server's may be dropped from. */
    protected readonly conns: IpvsConnTable,
  ) {
    this.totalStats = new IpvsStats(clock);
  }

  /** The work that waits for a read: servers in the trash long enough with no connections go. */
  expire(): void {
    this.collectTrash(this.clock.now());
  }

  /** How many virtual services exist (cheap: the packet path asks on every hook). */
  get serviceCount(): number {
    return this.services.size;
  }

  /** Services in the order the kernel dumps them (service hash table, then fwmark table). */
  listServices(): IpvsService[] {
    this.expire();
    return [...this.svcOrder];
  }

  getService(key: IpvsServiceKey): IpvsService | undefined {
    this.expire();
    return this.services.get(svcKeyString(key));
  }

  protected must(key: IpvsServiceKey): IpvsService {
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
    if (this.sysctl.expire_nodest_conn) this.conns.dropUncontrolled(dest);
  }

  /** ip_vs_service_find(): fwmark first, then <protocol, VIP, port>, then the port-zero service. */
  findService(protocol: number, vaddr: number, vport: number, fwmark = 0): IpvsService | undefined {
    if (fwmark) {
      const s = this.services.get(`f${fwmark}`);
      if (s) return s;
    }
    return this.services.get(`${protocol}|${vaddr}|${vport}`) ?? this.services.get(`${protocol}|${vaddr}|0`);
  }

  protected collectTrash(now: number): void {
    for (const svc of this.services.values()) {
      for (let i = svc.trash.length - 1; i >= 0; i--) {
        const d = svc.trash[i]!;
        if (d.totalConns + d.persistConns === 0 && now - (d.trashedAt ?? now) >= DEST_TRASH_PERIOD_MS) svc.trash.splice(i, 1);
      }
    }
  }
}

function isMulticastOrBroadcast(addr: number): boolean {
  return addr >>> 28 === 0xe || addr === 0xffffffff || addr === 0;
}
