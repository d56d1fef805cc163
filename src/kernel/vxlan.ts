// VXLAN devices (drivers/net/vxlan, RFC 7348): an Ethernet segment carried in UDP. The device's
// own FDB maps inner MACs to remote VTEPs; the all-zeros entry lists flood destinations.
import {
  formatIpv4,
  IPPROTO_UDP,
  VXLAN_PORT_LINUX,
  type EthernetFrame,
  type Ipv4,
  type Ipv4Packet,
  type Mac,
  type UdpDatagram,
} from '../wire/index.js';
import { KernelError } from './errors.js';
import { ipLocalOut } from './ipv4.js';
import { Link } from './link.js';
import type { Netns } from './netns.js';
import { routeOutput } from './route.js';
import { netifReceive } from './rx.js';
import type { Skb } from './skb.js';
import { trace } from './trace.js';

export interface VxlanFdbEntry {
  readonly mac: Mac;
  /** Remote VTEP addresses; more than one only for the all-zeros (flood) entry. */
  readonly dsts: Ipv4[];
  /** Added by the user (`permanent`), or learned (reachable, ageing). */
  readonly permanent: boolean;
  updated: number;
}

export const VXLAN_FLAG_I = 0x08;
export const VXLAN_OVERHEAD = 50;

export class Vxlan extends Link {
  readonly kind = 'vxlan';
  vni = 0;
  local: Ipv4 | undefined;
  /** The default remote (`remote`/`group`): the all-zeros FDB entry made with the device. */
  remote: Ipv4 | undefined;
  /** The underlay device (`dev`), used for the MTU and as the default egress. */
  underlay: Link | undefined;
  dstPort = VXLAN_PORT_LINUX;
  /** 0 means "inherit" (the route's hop limit, 64). */
  ttl = 0;
  tos = 0;
  learning = true;
  udpCsum = true;
  /** Source port range; 0..0 means the kernel's ip_local_port_range. */
  srcPortMin = 0;
  srcPortMax = 0;
  ageing = 300;
  readonly fdb = new Map<Mac, VxlanFdbEntry>();

  get carrier(): boolean {
    return true;
  }

  /** vxlan_open(): bind (or share) the UDP port in this namespace. */
  open(): void {
    const ns = this.netns;
    if (!ns.udpHandlers.has(this.dstPort)) {
      const port = this.dstPort;
      ns.udpHandlers.set(port, (skb, udp, dev) => vxlanRcv(ns, port, skb, udp, dev));
    }
  }

  /** vxlan_stop(): release the port when no other vxlan device of the namespace uses it. */
  close(): void {
    const others = this.netns.links().some((l) => l !== this && l instanceof Vxlan && l.adminUp && l.dstPort === this.dstPort);
    if (!others) this.netns.udpHandlers.delete(this.dstPort);
  }

  /** `bridge fdb add|append|replace MAC dev vxlan0 dst IP`. */
  fdbUpdate(mac: Mac, dst: Ipv4, mode: 'add' | 'append' | 'replace'): void {
    const e = this.fdb.get(mac);
    const now = this.netns.kernel.clock.now();
    if (mode === 'add' && e) throw new KernelError('EEXIST');
    if (mode === 'append' && e) {
      if (e.dsts.includes(dst)) throw new KernelError('EEXIST');
      this.fdb.set(mac, Object.assign({}, e, { dsts: [...e.dsts, dst] }));
      return;
    }
    this.fdb.set(mac, { mac, dsts: [dst], permanent: true, updated: now });
  }

  fdbDel(mac: Mac, dst: Ipv4 | undefined): void {
    const e = this.fdb.get(mac);
    if (!e || (dst !== undefined && !e.dsts.includes(dst))) throw new KernelError('ENOENT');
    const rest = dst === undefined ? [] : e.dsts.filter((d) => d !== dst);
    if (rest.length) this.fdb.set(mac, Object.assign({}, e, { dsts: rest }));
    else this.fdb.delete(mac);
  }

  /** vxlan_xmit(): look the inner destination up, fall back to the flood list, encapsulate. */
  transmit(skb: Skb): void {
    const frame = skb.data as EthernetFrame;
    const e = this.fdb.get(frame.dst) ?? this.fdb.get('00:00:00:00:00:00');
    if (!e) {
      this.stats.txDropped++;
      trace(skb, this.netns, this, 'drop', () => `no fdb entry for ${frame.dst} and no default destination`);
      return;
    }
    for (const dst of e.dsts) this.encapsulate(skb as Skb<EthernetFrame>, dst);
  }

  private encapsulate(skb: Skb<EthernetFrame>, dst: Ipv4): void {
    const ns = this.netns;
    let resolved;
    try {
      resolved = routeOutput(ns, dst, { src: this.local });
    } catch (err) {
      this.stats.txDropped++;
      trace(skb, ns, this, 'drop', () => `no route to VTEP ${formatIpv4(dst)}: ${(err as Error).message}`);
      return;
    }
    const udp: UdpDatagram = {
      kind: 'udp',
      srcPort: this.sourcePort(skb.data),
      dstPort: this.dstPort,
      zeroChecksum: !this.udpCsum,
      payload: { kind: 'vxlan', flags: VXLAN_FLAG_I, vni: this.vni, payload: skb.data },
    };
    const outer: Ipv4Packet = {
      kind: 'ipv4',
      tos: this.tos,
      id: ns.ipId,
      df: false,
      mf: false,
      fragOffset: 0,
      ttl: this.ttl || 64,
      protocol: IPPROTO_UDP,
      src: resolved.src,
      dst,
      options: new Uint8Array(0),
      payload: udp,
    };
    ns.ipId = (ns.ipId + 1) & 0xffff;
    const out: Skb<Ipv4Packet> = { data: outer, walk: skb.walk, mark: skb.mark };
    trace(
      out,
      ns,
      this,
      'encap',
      () =>
        `VXLAN vni ${this.vni}: ${formatIpv4(resolved.src)}:${udp.srcPort} > ${formatIpv4(dst)}:${this.dstPort} via ${resolved.dev.name}`,
    );
    ipLocalOut(ns, out, resolved);
  }

  /** udp_flow_src_port(): a hash of the inner flow scaled into the source port range, so one flow keeps one port. */
  private sourcePort(inner: EthernetFrame): number {
    const [lo, hi] = this.srcPortMin || this.srcPortMax ? [this.srcPortMin, this.srcPortMax] : localPortRange(this.netns);
    let h = 0x9e3779b9 ^ this.netns.inode;
    const mix = (v: number) => {
      h = Math.imul(h ^ v, 0x85ebca6b) >>> 0;
      h ^= h >>> 13;
    };
    const p = inner.payload;
    if (p.kind === 'ipv4') {
      mix(p.src);
      mix(p.dst);
      mix(p.protocol);
      const l4 = p.payload;
      if (l4.kind === 'udp' || l4.kind === 'tcp') mix((l4.srcPort << 16) | l4.dstPort);
    } else {
      for (const c of inner.src + inner.dst) mix(c.charCodeAt(0));
    }
    return lo + (h % (hi - lo + 1));
  }
}

function localPortRange(ns: Netns): [number, number] {
  const [lo, hi] = ns.sysctl.get('net/ipv4/ip_local_port_range').split(/\s+/).map(Number);
  return [lo!, hi!];
}

/** vxlan_rcv(): find the device of the VNI, learn the sender's VTEP, and receive the inner frame. */
function vxlanRcv(ns: Netns, port: number, skb: Skb<Ipv4Packet>, udp: UdpDatagram, _dev: Link): void {
  const v = udp.payload;
  if (v.kind !== 'vxlan' || !(v.flags & VXLAN_FLAG_I)) {
    trace(skb, ns, undefined, 'drop', () => `UDP ${port}: not a VXLAN packet with the I flag`);
    return;
  }
  const dev = ns.links().find((l): l is Vxlan => l instanceof Vxlan && l.dstPort === port && l.vni === v.vni && l.adminUp);
  if (!dev) {
    trace(skb, ns, undefined, 'drop', () => `no vxlan device for vni ${v.vni} on port ${port}`);
    return;
  }
  const inner = v.payload;
  if (dev.learning && !dev.fdb.get(inner.src)?.permanent) {
    dev.fdb.set(inner.src, { mac: inner.src, dsts: [skb.data.src], permanent: false, updated: ns.kernel.clock.now() });
  }
  trace(skb, ns, dev, 'decap', () => `VXLAN vni ${v.vni} from ${formatIpv4(skb.data.src)}`);
  netifReceive(dev, { data: inner, walk: skb.walk, mark: 0 });
}
