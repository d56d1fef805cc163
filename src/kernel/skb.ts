// The kernel's packet buffer: a representation plus the metadata Linux keeps beside it in
// struct sk_buff (mark, the walk that follows it). Representations are immutable, so an Skb is
// cheap to copy when a rewrite (TTL, NAT, encapsulation) makes a new one.
import type { EthernetFrame, Ipv4, Ipv4Packet } from '../wire/index.js';
import type { Walk } from './walk.js';
import type { Conn, CtDir, CtInfo } from './netfilter/conntrack.js';

export interface Skb<T extends EthernetFrame | Ipv4Packet = EthernetFrame | Ipv4Packet> {
  readonly data: T;
  /** The walk that records this packet's path, or undefined when nobody is tracing. */
  readonly walk: Walk | undefined;
  /** skb->mark, for netfilter MARK and policy routing. */
  readonly mark: number;
  /** The next hop the route chose (skb_dst's rt_gw4), for devices that need it (an NBMA ipip tunnel). */
  readonly nexthop?: Ipv4;
  /** skb->_nfct: the tracked connection, the packet's direction in it, and what it is to it. */
  readonly nfct?: { readonly conn: Conn; readonly dir: CtDir; readonly info: CtInfo };
  /**
   * br_netfilter already ran PREROUTING on the bridge for this packet, so the IPv4 stack does
   * not run it again when the bridge passes it up (ip_sabotage_in).
   */
  readonly brPrerouted?: boolean;
}

export function withData<T extends EthernetFrame | Ipv4Packet>(skb: Skb, data: T): Skb<T> {
  return { data, walk: skb.walk, mark: skb.mark, nexthop: skb.nexthop, nfct: skb.nfct, brPrerouted: skb.brPrerouted };
}
