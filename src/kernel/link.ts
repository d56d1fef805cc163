// Network devices (struct net_device) and the behaviour of each kind on transmit.
// Mirrors drivers/net/{loopback,veth,dummy,vxlan}.c and net/bridge on the paths knetlab uses.
import type { EthernetFrame, Ipv4Packet, Mac } from '../wire/index.js';
import type { Netns } from './netns.js';
import type { Skb } from './skb.js';

/** IPv6 needs a link MTU of at least 1280 (RFC 8200); addrconf leaves smaller devices alone. */
const IPV6_MIN_MTU = 1280;

export type LinkKind = 'loopback' | 'veth' | 'bridge' | 'vxlan' | 'ipip' | 'dummy' | 'tun';

export interface LinkStats {
  rxPackets: number;
  rxBytes: number;
  rxDropped: number;
  txPackets: number;
  txBytes: number;
  txDropped: number;
}

/** Devices without ARP (IFF_NOARP): the neighbour layer hands them packets without an lladdr. */
export abstract class Link {
  abstract readonly kind: LinkKind;
  private mtuValue = 0;
  adminUp = false;
  /** How many times the device has been opened (dev_open); from the first, it has the `noqueue` qdisc. */
  upCount = 0;
  /** Master device (a bridge) this link is enslaved to. */
  master: Link | undefined;
  /** Whether the address was set by the user (NET_ADDR_SET), which stops a bridge adopting a port's MAC. */
  macSetByUser = false;
  readonly stats: LinkStats = { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 };
  txQueueLen = 1000;
  /** IFLA_IFALIAS (`ip link set DEV alias TEXT`); '' when unset. */
  ifalias = '';
  noarp = false;
  promiscuity = 0;
  /** IFF_PROMISC set by the user (`ip link set DEV promisc on`: dev->gflags), which is what the flags show. */
  userPromisc = false;
  /** IPv6 addrconf gave the device its fe80::/64 EUI-64 address (display only: knetlab routes IPv4). */
  ipv6LinkLocal = false;
  /** The MAC that address was made from: it stays when the MAC changes later, until the next open. */
  ipv6LinkLocalMac: Mac | undefined;
  /**
   * Whether the device was up with carrier at its last state change in its namespace (false when
   * it joins one): what makes the next change a NETDEV_CHANGE for the routes (Netns.carrierChanged).
   */
  lowerUpSeen = false;
  /** IF_READY: addrconf found the link ready (up with carrier) during this open. */
  ipv6Ready = false;
  /**
   * IPv6's all-nodes group (ff02::1, 33:33:00:00:00:01) is in dev->mc: ipv6_add_dev() joins it
   * when IPv6 attaches to the device (up or not), a close after the link was ready drops it
   * (ipv6_mc_down), and the link's next readiness joins it again (ipv6_mc_up).
   */
  ipv6AllNodes = false;
  /** That group was joined during the current open, so it follows the open's own groups in dev->mc. */
  ipv6AllNodesAfterOpen = false;
  /**
   * Claims received frames before the protocol layers see them, as a bridge port's
   * br_handle_frame does; returns true when it consumed the frame.
   */
  rxHandler: ((skb: Skb) => boolean) | undefined;

  constructor(
    public netns: Netns,
    public ifindex: number,
    public name: string,
    public mac: Mac,
    mtu: number,
  ) {
    this.mtu = mtu;
  }

  /** The device's MTU (the kind's Linux default until set). */
  get mtu(): number {
    return this.mtuValue;
  }

  /**
   * addrconf (NETDEV_CHANGEMTU): below IPV6_MIN_MTU IPv6 leaves the device with its groups;
   * back at 1280 or more, ipv6_add_dev() attaches it again and joins all-nodes.
   */
  set mtu(mtu: number) {
    const had = this.mtuValue >= IPV6_MIN_MTU;
    this.mtuValue = mtu;
    if (had === mtu >= IPV6_MIN_MTU) return;
    this.ipv6AllNodes = !had;
    this.ipv6AllNodesAfterOpen = !had && this.adminUp;
    this.ipv6Ready = false;
  }

  /** IFF_LOWER_UP: the device has carrier. */
  abstract get carrier(): boolean;

  /** IFLA_QDISC: `noop` until the device is first opened, then the default `noqueue` for good. */
  get qdisc(): 'noop' | 'noqueue' | 'pfifo_fast' {
    return this.upCount > 0 ? 'noqueue' : 'noop';
  }

  /**
   * RFC 2863 operational state as the kernel reports it (IFLA_OPERSTATE): drivers that never
   * signal carrier (lo, dummy, vxlan, tunnels, a bridge without ports) stay UNKNOWN when up.
   */
  get operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    if (!this.adminUp) return 'DOWN';
    return this.signalsCarrier ? (this.carrier ? 'UP' : 'DOWN') : 'UNKNOWN';
  }

  /** Whether the driver reports carrier changes (netif_carrier_on/off), which makes operstate UP/DOWN. */
  protected get signalsCarrier(): boolean {
    return false;
  }

  /** IFF_UP and carrier: the device can move packets. */
  get operational(): boolean {
    return this.adminUp && this.carrier;
  }

  /** Whether frames carry an Ethernet header (ARPHRD_ETHER / ARPHRD_LOOPBACK vs ARPHRD_TUNNEL). */
  get hasEthernetHeader(): boolean {
    return true;
  }

  /**
   * Transmits one frame (dev_queue_xmit). The device owns what happens next: a veth hands it to
   * its peer, a bridge forwards it, a vxlan encapsulates it. Called only on operational devices.
   */
  abstract transmit(skb: Skb): void;
}

export class Loopback extends Link {
  readonly kind = 'loopback';
  get carrier(): boolean {
    return true;
  }
  transmit(skb: Skb): void {
    this.netns.kernel.deliver(this, skb);
  }
}

export class Dummy extends Link {
  readonly kind = 'dummy';
  /** dummy_setup() sets IFF_NOARP. */
  override noarp = true;
  get carrier(): boolean {
    return true;
  }
  /** dummy_xmit() counts and frees: whatever is routed into a dummy device vanishes. */
  transmit(): void {}
}

export class Veth extends Link {
  readonly kind = 'veth';
  peer!: Veth;
  /** veth has carrier exactly when its peer is administratively up (veth_open/veth_close). */
  get carrier(): boolean {
    return this.adminUp && this.peer.adminUp;
  }
  /** What linkwatch last made of this device without carrier (see noteState); undefined: not yet run. */
  private downState: 'DOWN' | 'LOWERLAYERDOWN' | undefined;
  private hadCarrier = false;
  /**
   * An up veth without carrier (its peer is down) shows what default_operstate() said at the
   * device's last linkwatch event: it looks the iflink (the peer's ifindex) up in the device's OWN
   * namespace, and says DOWN when that is its own index or no device there has it, else DOWN when
   * that device has carrier and LOWERLAYERDOWN when not. With the peer in another namespace that
   * device is whatever has the number here. Only creation and carrier losses are events here:
   * `ip link set DEV up` with the peer down changes no carrier, so the state stays as it was.
   */
  override get operstate(): 'UP' | 'DOWN' | 'UNKNOWN' | 'LOWERLAYERDOWN' {
    if (!this.adminUp) return 'DOWN';
    if (this.carrier) return 'UP';
    return this.downState ?? this.probeDownState();
  }
  private probeDownState(): 'DOWN' | 'LOWERLAYERDOWN' {
    if (this.peer.ifindex === this.ifindex) return 'DOWN';
    const other = this.netns.linkByIndex(this.peer.ifindex);
    return other === undefined || other.carrier ? 'DOWN' : 'LOWERLAYERDOWN';
  }
  /**
   * Linkwatch (rfc2863_policy) for this device: after `event` (creation, a move to another
   * namespace: netif_carrier_off fires one) or when its carrier went off since the last call.
   */
  noteState(event = false): void {
    const c = this.carrier;
    if (event || (this.hadCarrier && !c)) this.downState = this.probeDownState();
    this.hadCarrier = c;
  }

  /**
   * veth_xmit(): the packet leaves its conntrack behind, and its mark too into another namespace
   * (skb_scrub_packet resets nfct always, the mark only when crossing namespaces).
   */
  transmit(skb: Skb): void {
    this.netns.kernel.deliver(this.peer, { data: skb.data, walk: skb.walk, mark: this.peer.netns === this.netns ? skb.mark : 0 });
  }
}

/** Distinguishes an Ethernet frame from a bare IP packet on an Skb. */
export function isFrame(data: EthernetFrame | Ipv4Packet): data is EthernetFrame {
  return data.kind === 'eth';
}
