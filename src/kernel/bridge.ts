// A Linux bridge (net/bridge): ports, a learning forwarding database with ageing, flooding,
// hairpin, and delivery up to the bridge device's own stack. STP is off, as kind's and CNI
// bridges run, so a port forwards as soon as it is up.
import { isMulticastMac, type Mac } from '../wire/index.js';
import { KernelError } from './errors.js';
import { Link } from './link.js';
import { netifReceive } from './rx.js';
import type { Skb } from './skb.js';
import { trace } from './trace.js';
import { devXmit } from './xmit.js';
import type { EthernetFrame, Ipv4Packet } from '../wire/index.js';
import { nfHook } from './netfilter.js';
import { routeInput, routeOutput } from './route.js';
import { withData } from './skb.js';

/** BR_DEFAULT_AGEING_TIME: 300 s. */
export const BRIDGE_AGEING_MS = 300_000;

export interface BridgeFdbEntry {
  readonly mac: Mac;
  /** The port the address lives behind; the bridge itself for its own address. */
  readonly port: Link;
  /** A local (own) address: frames to it go up the stack. */
  readonly local: boolean;
  /** Added by the user (`bridge fdb add ... master static`) or local: never ages. */
  readonly static: boolean;
  updated: number;
}

export interface BridgePort {
  readonly dev: Link;
  hairpin: boolean;
  learning: boolean;
  flood: boolean;
}

export class Bridge extends Link {
  readonly kind = 'bridge';
  readonly ports: BridgePort[] = [];
  private readonly fdb = new Map<Mac, BridgeFdbEntry>();
  ageingTime = BRIDGE_AGEING_MS;
  stpState = 0;
  /** Centiseconds, as `ip -d link` prints: forward_delay 1500, hello_time 200, max_age 2000. */
  forwardDelay = 1500;
  helloTime = 200;
  maxAge = 2000;
  priority = 32768;
  vlanFiltering = 0;

  /** Whether a port was ever added: from then on carrier follows the ports (br_port_carrier_check). */
  hadPorts = false;
  /** BROPT_MTU_SET_BY_USER: `ip link set BR mtu N` pins the MTU against the ports' (br_mtu_auto_adjust). */
  mtuSetByUser = false;

  /** A new bridge has carrier; once it has had ports, only while one of them forwards. */
  get carrier(): boolean {
    return this.hadPorts ? this.ports.some((p) => p.dev.operational) : true;
  }

  /** Until its first port a bridge never signalled carrier, so it reads UNKNOWN; then UP or DOWN. */
  protected override get signalsCarrier(): boolean {
    return this.hadPorts;
  }

  portOf(dev: Link): BridgePort | undefined {
    return this.ports.find((p) => p.dev === dev);
  }

  /** br_add_if(): `ip link set DEV master BRIDGE`. */
  addPort(dev: Link): void {
    if (dev === this || dev.kind === 'loopback' || !dev.hasEthernetHeader) throw new KernelError('EINVAL');
    if (dev.master) {
      if (dev.master === this) return;
      throw new KernelError('EBUSY');
    }
    dev.master = this;
    this.hadPorts = true;
    this.ports.push({ dev, hairpin: false, learning: true, flood: true });
    dev.rxHandler = (skb) => this.handleFrame(dev, skb as Skb<EthernetFrame>);
    dev.promiscuity++;
    // The least port address so far is the bridge's own (unless set by the user): only the new port can undercut it.
    if (!this.macSetByUser && (this.ports.length === 1 || dev.mac < this.mac)) this.mac = dev.mac;
    if (!this.mtuSetByUser && (this.ports.length === 1 || dev.mtu < this.mtu)) this.mtu = dev.mtu;
  }

  /** br_del_if(): `ip link set DEV nomaster`, or the port being deleted. */
  removePort(dev: Link): void {
    const i = this.ports.findIndex((p) => p.dev === dev);
    if (i < 0) return;
    this.ports.splice(i, 1);
    dev.master = undefined;
    dev.rxHandler = undefined;
    dev.promiscuity--;
    for (const [mac, e] of this.fdb) if (e.port === dev) this.fdb.delete(mac);
    this.recalculateMac();
    this.adjustMtu();
  }

  /**
   * br_mtu_auto_adjust(): unless the user set the bridge's MTU (ip link set BR mtu N; an MTU given
   * when the bridge was made does not count), it is its smallest port's, 1500 without ports.
   */
  adjustMtu(): void {
    if (this.mtuSetByUser) return;
    let mtu = Infinity;
    for (const p of this.ports) if (p.dev.mtu < mtu) mtu = p.dev.mtu;
    this.mtu = this.ports.length ? mtu : 1500;
  }

  /**
   * br_stp_recalculate_bridge_id(): unless the user set the bridge's address, it takes the
   * numerically lowest port address.
   */
  private recalculateMac(): void {
    if (this.macSetByUser) return;
    // Without ports the bridge id, and so the address, falls back to all zeros.
    // The least address by string order, as sorting the ports' addresses would give: no copy per port added.
    let least: Mac | undefined;
    for (const p of this.ports) if (least === undefined || p.dev.mac < least) least = p.dev.mac;
    this.mac = least ?? '00:00:00:00:00:00';
  }

  /** A port's address changed: the bridge may adopt it. */
  portAddressChanged(): void {
    this.recalculateMac();
  }

  /**
   * The forwarding database as `bridge fdb show` lists it: local entries of ports and the
   * bridge, then learned and static ones; aged entries are gone.
   */
  entries(): BridgeFdbEntry[] {
    const now = this.netns.kernel.clock.now();
    const out: BridgeFdbEntry[] = [];
    for (const p of this.ports) out.push({ mac: p.dev.mac, port: p.dev, local: true, static: true, updated: 0 });
    out.push({ mac: this.mac, port: this, local: true, static: true, updated: 0 });
    for (const e of this.fdb.values()) if (e.static || now - e.updated < this.ageingTime) out.push(e);
    return out;
  }

  /**
   * br_fdb_delete_by_port(): a port that stops forwarding (it or the bridge went down) loses
   * its learned entries; static ones stay.
   */
  forgetLearned(port?: Link): void {
    for (const [mac, e] of this.fdb) if (!e.static && (port === undefined || e.port === port)) this.fdb.delete(mac);
  }

  /**
   * `bridge fdb add MAC dev PORT master [permanent|static|dynamic]`: `permanent` (the default)
   * is a local entry — frames to it go up to the bridge; `static` forwards to the port and never
   * ages; `dynamic` forwards and ages like a learned entry.
   */
  fdbAdd(mac: Mac, port: Link, replace: boolean, state: 'permanent' | 'static' | 'dynamic' = 'permanent'): void {
    if (!this.portOf(port)) throw new KernelError('EINVAL');
    if (this.fdb.has(mac) && !replace) throw new KernelError('EEXIST');
    this.fdb.set(mac, { mac, port, local: state === 'permanent', static: state !== 'dynamic', updated: this.netns.kernel.clock.now() });
  }

  fdbDel(mac: Mac): void {
    if (!this.fdb.delete(mac)) throw new KernelError('ENOENT');
  }

  /** The port that owns `mac` (or the bridge for a local address), if the entry is live. */
  private lookup(mac: Mac): BridgeFdbEntry | undefined {
    if (mac === this.mac) return { mac, port: this, local: true, static: true, updated: 0 };
    for (const p of this.ports) if (p.dev.mac === mac) return { mac, port: p.dev, local: true, static: true, updated: 0 };
    const e = this.fdb.get(mac);
    if (!e) return undefined;
    if (!e.static && this.netns.kernel.clock.now() - e.updated >= this.ageingTime) {
      this.fdb.delete(mac);
      return undefined;
    }
    return e;
  }

  private learn(port: BridgePort, mac: Mac): void {
    if (!port.learning || isMulticastMac(mac) || this.lookup(mac)?.local) return;
    const now = this.netns.kernel.clock.now();
    const e = this.fdb.get(mac);
    if (e?.static) return;
    if (e && e.port === port.dev) e.updated = now;
    else this.fdb.set(mac, { mac, port: port.dev, local: false, static: false, updated: now });
  }

  /** br_handle_frame() → br_handle_frame_finish(): a frame arrived on a port. */
  private handleFrame(dev: Link, skb: Skb<EthernetFrame>): boolean {
    const port = this.portOf(dev)!;
    if (!this.adminUp) return true;
    const f = skb.data;
    this.learn(port, f.src);
    if (isMulticastMac(f.dst)) {
      trace(skb, this.netns, this, 'bridge', () => `${f.dst} is broadcast/multicast: flood and deliver to ${this.name}`);
      this.flood(skb, port);
      this.deliverLocal(skb);
      return true;
    }
    const e = this.lookup(f.dst);
    if (e?.local) {
      const up = this.preroutingLocal(skb, port);
      if (!up) return true;
      trace(skb, this.netns, this, 'bridge', () => `${f.dst} is local: deliver to ${this.name}`);
      this.deliverLocal(up);
    } else if (e) {
      if (e.port === dev && !port.hairpin) {
        trace(skb, this.netns, this, 'drop', () => `${f.dst} is behind the ingress port ${dev.name} (no hairpin)`);
        return true;
      }
      trace(skb, this.netns, this, 'bridge', () => `fdb: ${f.dst} is behind ${e.port.name}`);
      const out = this.netfilter(skb, dev, e.port);
      if (out) devXmit(e.port, out);
    } else {
      trace(skb, this.netns, this, 'bridge', () => `${f.dst} unknown: flood`);
      this.flood(skb, port);
    }
    return true;
  }

  /**
   * br_netfilter: with net.bridge.bridge-nf-call-iptables on, an IPv4 frame the bridge forwards
   * passes PREROUTING, FORWARD and POSTROUTING as if routed (in and out device: the bridge; the
   * ports are what -m physdev sees), so conntrack and NAT see bridged flows too. Coarse: a DNAT
   * on this path rewrites the packet but does not re-route it, and floods skip the hooks.
   */
  private netfilter(skb: Skb<EthernetFrame>, inPort: Link, outPort: Link): Skb<EthernetFrame> | undefined {
    const f = skb.data;
    if (f.payload.kind !== 'ipv4' || this.netns.sysctl.get('net/bridge/bridge-nf-call-iptables') === '0') return skb;
    const phys = { in: inPort, out: outPort };
    let ip: Skb<Ipv4Packet> | undefined = withData(skb, f.payload);
    ip = nfHook(this.netns, 'PREROUTING', ip, this, undefined, { in: inPort });
    if (ip) ip = nfHook(this.netns, 'FORWARD', ip, this, this, phys);
    if (ip) ip = nfHook(this.netns, 'POSTROUTING', ip, undefined, this, phys);
    return ip && withData(ip, Object.assign({}, f, { payload: ip.data }));
  }

  /**
   * br_nf_pre_routing() for a frame to the bridge itself: PREROUTING runs here, with the port as
   * physdev-in. When a DNAT sends the packet to a neighbour behind this same bridge, it is
   * bridged, not routed (br_nf_pre_routing_finish_bridge): its destination MAC becomes the
   * neighbour's, the bridge forwards it — out of the ingress port only in hairpin mode — through
   * FORWARD and POSTROUTING, and its TTL is left alone. Anything else goes up, PREROUTING done.
   * Coarse: a neighbour not yet resolved sends the packet up to be routed instead.
   */
  private preroutingLocal(skb: Skb<EthernetFrame>, port: BridgePort): Skb | undefined {
    const f = skb.data;
    if (f.payload.kind !== 'ipv4' || this.netns.sysctl.get('net/bridge/bridge-nf-call-iptables') === '0') return skb;
    const ip = nfHook(this.netns, 'PREROUTING', withData(skb, f.payload), this, undefined, { in: port.dev });
    if (!ip) return undefined;
    const up: Skb = Object.assign({}, withData(ip, { ...f, payload: ip.data }), { brPrerouted: true });
    if (ip.data.dst === f.payload.dst) return up;
    const nexthop = this.bridgedNexthop(ip.data);
    const lladdr = nexthop === undefined ? undefined : this.netns.neigh.get(this, nexthop)?.lladdr;
    const e = lladdr === undefined ? undefined : this.lookup(lladdr);
    if (!e || e.local) return up;
    trace(ip, this.netns, this, 'bridge', () => `DNAT to ${lladdr} behind this bridge: bridged, fdb: behind ${e.port.name}`);
    if (e.port === port.dev && !port.hairpin) {
      trace(ip, this.netns, this, 'drop', () => `${lladdr} is behind the ingress port ${port.dev.name} (no hairpin)`);
      return undefined;
    }
    const phys = { in: port.dev, out: e.port };
    let out: Skb<Ipv4Packet> | undefined = nfHook(this.netns, 'FORWARD', ip, this, this, phys);
    if (out) out = nfHook(this.netns, 'POSTROUTING', out, undefined, this, phys);
    if (out) devXmit(e.port, withData(out, Object.assign({}, f, { dst: lladdr!, payload: out.data })));
    return undefined;
  }

  /** The next hop of a DNATed packet when its route leaves by this bridge (with or without forwarding on). */
  private bridgedNexthop(p: Ipv4Packet): number | undefined {
    const d = routeInput(this.netns, this, p.src, p.dst);
    if (d.kind === 'forward') return d.resolved.dev === this ? d.resolved.nexthop : undefined;
    if (d.kind !== 'error' || this.netns.sysctl.effective(this.name, 'forwarding') === 1) return undefined;
    // Bridged-and-DNATed traffic does not need ip_forward: the output route decides.
    try {
      const r = routeOutput(this.netns, p.dst);
      return r.dev === this ? r.nexthop : undefined;
    } catch {
      return undefined;
    }
  }

  private deliverLocal(skb: Skb): void {
    // The frame re-enters the stack on the bridge device (br_pass_frame_up → netif_receive_skb).
    netifReceive(this, skb);
  }

  private flood(skb: Skb, from: BridgePort | undefined): void {
    for (const p of this.ports) {
      if (p === from && !p.hairpin) continue;
      if (!p.flood || !p.dev.operational) continue;
      devXmit(p.dev, skb);
    }
  }

  /** br_dev_xmit(): the host sends through the bridge device. */
  transmit(skb: Skb): void {
    const f = skb.data as EthernetFrame;
    if (isMulticastMac(f.dst)) {
      this.flood(skb, undefined);
      return;
    }
    const e = this.lookup(f.dst);
    if (e && !e.local) {
      trace(skb, this.netns, this, 'bridge', () => `fdb: ${f.dst} is behind ${e.port.name}`);
      devXmit(e.port, skb);
    } else if (!e) {
      trace(skb, this.netns, this, 'bridge', () => `${f.dst} unknown: flood`);
      this.flood(skb, undefined);
    }
  }
}
