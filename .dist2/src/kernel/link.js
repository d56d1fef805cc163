/** Devices without ARP (IFF_NOARP): the neighbour layer hands them packets without an lladdr. */
export class Link {
    netns;
    ifindex;
    name;
    mac;
    /** Linux default MTU for this kind. */
    mtu;
    adminUp = false;
    /** How many times the device has been opened (dev_open); from the first, it has the `noqueue` qdisc. */
    upCount = 0;
    /** Master device (a bridge) this link is enslaved to. */
    master;
    /** Whether the address was set by the user (NET_ADDR_SET), which stops a bridge adopting a port's MAC. */
    macSetByUser = false;
    stats = { rxPackets: 0, rxBytes: 0, rxDropped: 0, txPackets: 0, txBytes: 0, txDropped: 0 };
    txQueueLen = 1000;
    noarp = false;
    promiscuity = 0;
    /** IPv6 addrconf gave the device its fe80::/64 EUI-64 address (display only: knetlab routes IPv4). */
    ipv6LinkLocal = false;
    /** The MAC that address was made from: it stays when the MAC changes later, until the next open. */
    ipv6LinkLocalMac;
    /**
     * Claims received frames before the protocol layers see them, as a bridge port's
     * br_handle_frame does; returns true when it consumed the frame.
     */
    rxHandler;
    constructor(netns, ifindex, name, mac, mtu) {
        this.netns = netns;
        this.ifindex = ifindex;
        this.name = name;
        this.mac = mac;
        this.mtu = mtu;
    }
    /** IFLA_QDISC: `noop` until the device is first opened, then the default `noqueue` for good. */
    get qdisc() {
        return this.upCount > 0 ? 'noqueue' : 'noop';
    }
    /**
     * RFC 2863 operational state as the kernel reports it (IFLA_OPERSTATE): drivers that never
     * signal carrier (lo, dummy, vxlan, tunnels, a bridge without ports) stay UNKNOWN when up.
     */
    get operstate() {
        if (!this.adminUp)
            return 'DOWN';
        return this.signalsCarrier ? (this.carrier ? 'UP' : 'DOWN') : 'UNKNOWN';
    }
    /** Whether the driver reports carrier changes (netif_carrier_on/off), which makes operstate UP/DOWN. */
    get signalsCarrier() {
        return false;
    }
    /** IFF_UP and carrier: the device can move packets. */
    get operational() {
        return this.adminUp && this.carrier;
    }
    /** Whether frames carry an Ethernet header (ARPHRD_ETHER / ARPHRD_LOOPBACK vs ARPHRD_TUNNEL). */
    get hasEthernetHeader() {
        return true;
    }
}
export class Loopback extends Link {
    kind = 'loopback';
    get carrier() {
        return true;
    }
    transmit(skb) {
        this.netns.kernel.deliver(this, skb);
    }
}
export class Dummy extends Link {
    kind = 'dummy';
    /** dummy_setup() sets IFF_NOARP. */
    noarp = true;
    get carrier() {
        return true;
    }
    /** dummy_xmit() counts and frees: whatever is routed into a dummy device vanishes. */
    transmit() { }
}
export class Veth extends Link {
    kind = 'veth';
    peer;
    /** veth has carrier exactly when its peer is administratively up (veth_open/veth_close). */
    get carrier() {
        return this.adminUp && this.peer.adminUp;
    }
    /**
     * An up veth whose peer is down: rfc2863_policy() says LOWERLAYERDOWN when the device's iflink
     * (its peer's ifindex) differs from its own ifindex, DOWN when they are equal, which happens
     * with a peer in another namespace, where ifindexes are counted apart.
     */
    get operstate() {
        if (!this.adminUp)
            return 'DOWN';
        if (this.carrier)
            return 'UP';
        return this.ifindex !== this.peer.ifindex ? 'LOWERLAYERDOWN' : 'DOWN';
    }
    /** veth_xmit(): into another namespace the packet leaves its conntrack and mark behind (skb_scrub_packet). */
    transmit(skb) {
        this.netns.kernel.deliver(this.peer, this.peer.netns === this.netns ? skb : { data: skb.data, walk: skb.walk, mark: 0 });
    }
}
/** Distinguishes an Ethernet frame from a bare IP packet on an Skb. */
export function isFrame(data) {
    return data.kind === 'eth';
}
//# sourceMappingURL=link.js.map