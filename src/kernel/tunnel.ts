// IPv4-in-IPv4 tunnels (net/ipv4/ipip.c, ip_tunnel.c). A tunnel with no fixed remote (tunl0, as
// Calico uses it) is NBMA: the outer destination is the next hop of the route that sent the
// packet into it, e.g. `10.244.2.0/24 via 192.168.10.102 dev tunl0 onlink`.
import { formatIpv4, IPPROTO_IPIP, type Ipv4Packet } from '../wire/index.js';
import { ipLocalOut } from './ipv4.js';
import { Link } from './link.js';
import type { ProtoHandler } from './netns.js';
import { routeOutput } from './route.js';
import { netifReceive } from './rx.js';
import type { Skb } from './skb.js';
import { trace } from './trace.js';

/** Outer header overhead: the MTU of an ipip device is its underlay's minus 20. */
export const IPIP_OVERHEAD = 20;

export class Ipip extends Link {
  readonly kind = 'ipip';
  /** Fixed tunnel endpoints; 0 means "any" (tunl0). */
  local = 0;
  remote = 0;
  ttl = 0;
  pmtudisc = true;
  underlay: Link | undefined;
  override noarp = true;

  get carrier(): boolean {
    return true;
  }

  override get hasEthernetHeader(): boolean {
    return false;
  }

  transmit(skb: Skb): void {
    const inner = skb.data as Ipv4Packet;
    const ns = this.netns;
    const dst = this.remote || skb.nexthop;
    if (!dst) {
      this.stats.txDropped++;
      trace(skb, ns, this, 'drop', () => `${this.name} has no remote and the route gave no gateway`);
      return;
    }
    let resolved;
    try {
      resolved = routeOutput(ns, dst, { src: this.local || undefined });
    } catch (err) {
      this.stats.txDropped++;
      trace(skb, ns, this, 'drop', () => `no route to tunnel endpoint ${formatIpv4(dst)}: ${(err as Error).message}`);
      return;
    }
    const outer: Ipv4Packet = {
      kind: 'ipv4',
      tos: inner.tos,
      id: ns.ipId,
      df: this.pmtudisc && inner.df,
      mf: false,
      fragOffset: 0,
      ttl: this.ttl || inner.ttl,
      protocol: IPPROTO_IPIP,
      src: resolved.src,
      dst,
      options: new Uint8Array(0),
      payload: inner,
    };
    ns.ipId = (ns.ipId + 1) & 0xffff;
    trace(skb, ns, this, 'encap', () => `IPIP ${formatIpv4(resolved.src)} > ${formatIpv4(dst)} via ${resolved.dev.name}`);
    ipLocalOut(ns, { data: outer, walk: skb.walk, mark: skb.mark }, resolved);
  }
}

/** ipip_rcv(), the protocol-4 receiver of every namespace: match one of its tunnels, strip the outer header. */
export const ipipReceive: ProtoHandler = (ns, skb, _dev) => {
  const outer = skb.data;
  if (outer.payload.kind !== 'ipv4') return false;
  const tunnels = ns.links().filter((l): l is Ipip => l instanceof Ipip && l.adminUp);
  const t =
    tunnels.find((l) => l.remote === outer.src && (!l.local || l.local === outer.dst)) ??
    tunnels.find((l) => !l.remote && (!l.local || l.local === outer.dst));
  if (!t) return false;
  trace(skb, ns, t, 'decap', () => `IPIP from ${formatIpv4(outer.src)}`);
  netifReceive(t, { data: outer.payload, walk: skb.walk, mark: skb.mark });
  return true;
};
