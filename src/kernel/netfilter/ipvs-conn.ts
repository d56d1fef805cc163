// The IPVS connection table of a namespace: connections by their IN and OUT tuples, persistence
// templates, the lookup of a later packet, and each entry's expiry timer on the kernel's shared
// event queue (net/netfilter/ipvs/ip_vs_conn.c, ip_vs_sched_persist() of ip_vs_core.c).
import type { Scheduler, TimerHandle } from '../../sim/index.js';
import type { IpvsDest, IpvsForward, IpvsService } from './ipvs-ctl.js';
import { be32Word, jhash3words } from './jhash.js';
import type { IpvsTcpFlags } from './ipvs-tcp.js';

/** The connection table size (1 << CONFIG_IP_VS_TAB_BITS, 12), which /proc's order follows. */
export const IPVS_CONN_TAB_SIZE = 4096;

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

/** The connections and templates of one namespace's IPVS, each expiring on the shared clock. */
export class IpvsConnTable {
  /** Connections by <protocol, client, virtual> (the IN direction), templates apart. */
  private readonly inConns = new Map<string, IpvsConnection>();
  /** Connections by <protocol, server, client> (the OUT direction of a reply). */
  private readonly outConns = new Map<string, IpvsConnection>();
  private readonly templates = new Map<string, IpvsConnection>();
  private readonly templateKey = new WeakMap<IpvsConnection, string>();
  /** Each listed entry's pending expiry event. */
  private readonly timers = new Map<IpvsConnection, TimerHandle>();
  private seq = 0;

  constructor(
    private readonly clock: Scheduler,
    /** ip_vs_conn_rnd and the netns pointer bits the listing order's hash mixes in. */
    private readonly connRnd: number,
    private readonly netnsBits: number,
  ) {}

  /**
   * The connection of a later packet: 'in' for the client's packets to VIP:port, 'out' for the
   * real server's replies (masq: from the server's address and port; other methods: from the
   * VIP). Templates are never returned.
   */
  lookup(t: IpvsTuple): IpvsLookup | undefined {
    const inHit = this.inConns.get(inKey(t.protocol, t.src, t.sport, t.dst, t.dport));
    if (inHit) return { conn: inHit, dir: 'in' };
    const outHit = this.outConns.get(`${t.protocol}|${t.src}|${t.sport}|${t.dst}|${t.dport}`);
    if (outHit) return { conn: outHit, dir: 'out' };
    return undefined;
  }

  /**
   * ip_vs_sched_persist(): the client's template <client/netmask, 0, VIP, port> pins it to a
   * server for the service's persistence timeout; without a valid one, `pick()` chooses (the
   * service's scheduler) and a new template is made. The new connection is under the template.
   */
  persistentConn(
    svc: IpvsService,
    pkt: IpvsPacket,
    pick: () => IpvsDest | undefined,
    expireQuiescent: boolean,
  ): IpvsConnection | undefined {
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
    if (ct && !this.checkTemplate(ct, tkey, expireQuiescent)) ct = undefined;
    let dest: IpvsDest;
    if (!ct) {
      const d = pick();
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
    return cp;
  }

  /** ip_vs_check_template(): a template to an unavailable (or quiesced, with the sysctl) server is invalidated. */
  private checkTemplate(ct: IpvsConnection, tkey: string, expireQuiescent: boolean): boolean {
    const d = ct.dest;
    if (!d || !d.available || (expireQuiescent && d.weight === 0)) {
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

  private newTemplate(
    protocol: number,
    caddr: number,
    vaddr: number,
    vport: number,
    dest: IpvsDest,
    dport: number,
    tkey: string,
  ): IpvsConnection {
    const ct = this.makeConn(protocol, caddr, 0, vaddr, vport, dest, dport, true);
    dest.persistConns++;
    this.templates.set(tkey, ct);
    this.templateKey.set(ct, tkey);
    this.rearm(ct);
    return ct;
  }

  private makeConn(
    protocol: number,
    caddr: number,
    cport: number,
    vaddr: number,
    vport: number,
    dest: IpvsDest,
    dport: number,
    template: boolean,
  ): IpvsConnection {
    return {
      protocol,
      caddr,
      cport,
      vaddr,
      vport,
      daddr: dest.addr,
      dport,
      template,
      dest,
      forward: dest.forward,
      stateIndex: 0,
      assured: false,
      inactive: true,
      noOutput: dest.forward !== 'masq',
      control: undefined,
      nControl: 0,
      timeout: 3000,
      expires: 0,
      seq: this.seq++,
      inTable: true,
    };
  }

  /** ip_vs_conn_new() + ip_vs_bind_dest(): new connections start inactive with a 3 s timer. */
  newConn(
    protocol: number,
    caddr: number,
    cport: number,
    vaddr: number,
    vport: number,
    dest: IpvsDest,
    dport: number,
    template: boolean,
  ): IpvsConnection {
    const c = this.makeConn(protocol, caddr, cport, vaddr, vport, dest, dport, template);
    dest.inactConns++;
    if (dest.uThreshold !== 0 && dest.totalConns >= dest.uThreshold) dest.overloaded = true;
    this.inConns.set(inKey(protocol, caddr, cport, vaddr, vport), c);
    this.outConns.set(outKey(c), c);
    this.rearm(c);
    return c;
  }

  /** (Re)starts a connection's timer for its current timeout (mod_timer in the kernel). */
  rearm(c: IpvsConnection): void {
    c.expires = this.clock.now() + c.timeout;
    if (c.inTable) this.arm(c);
  }

  private arm(c: IpvsConnection): void {
    this.cancel(c);
    this.timers.set(
      c,
      this.clock.schedule(c.timeout, () => this.fire(c)),
    );
  }

  private cancel(c: IpvsConnection): void {
    const t = this.timers.get(c);
    if (t === undefined) return;
    this.clock.cancel(t);
    this.timers.delete(c);
  }

  /** ip_vs_conn_expire(). */
  private fire(c: IpvsConnection): void {
    this.timers.delete(c);
    if (!c.inTable) return;
    if (c.nControl > 0) {
      // "expire_later": a template still controlling connections lives on, 60 s at a time.
      c.timeout = 60_000;
      c.expires = this.clock.now() + c.timeout;
      this.arm(c);
      return;
    }
    this.unlink(c);
  }

  /** Removes a connection now (expire_nodest_conn, conn reuse). */
  drop(c: IpvsConnection): void {
    if (c.nControl > 0) return;
    this.unlink(c);
  }

  /** expire_nodest_conn: drops the entries to a removed server that control nothing. */
  dropUncontrolled(dest: IpvsDest): void {
    for (const c of [...this.inConns.values(), ...this.templates.values()]) if (c.dest === dest && c.nControl === 0) this.drop(c);
  }

  unlink(c: IpvsConnection): void {
    c.inTable = false;
    this.cancel(c);
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

  /**
   * The connection table as /proc/net/ip_vs_conn lists it: by hash bucket of
   * <protocol, client address, client port> (jhash_3words with a per-boot random), newest first
   * within a bucket. Includes persistence templates.
   */
  list(): IpvsConnection[] {
    const all = [...this.inConns.values(), ...this.templates.values()];
    const bucket = (c: IpvsConnection): number =>
      ((jhash3words(be32Word(c.caddr), ((c.cport >>> 8) | ((c.cport & 0xff) << 8)) >>> 0, c.protocol, this.connRnd) ^
        (this.netnsBits >>> 8)) >>>
        0) &
      (IPVS_CONN_TAB_SIZE - 1);
    return all
      .map((c) => ({ c, b: bucket(c) }))
      .sort((x, y) => x.b - y.b || y.c.seq - x.c.seq)
      .map((x) => x.c);
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
