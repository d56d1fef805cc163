// A packet's walk: every decision the kernel made about it, in order (kube-proxy's tracePacket,
// gVisor's checker). The same records power tests, `knetlab trace` and the demo's explanation.

export type WalkStage =
  | 'tx' // an application or the kernel emitted the packet
  | 'xmit' // a device transmitted a frame
  | 'rx' // a device received a frame
  | 'bridge' // bridge forwarding decision (fdb hit, flood, deliver up)
  | 'arp' // ARP request/reply handling, proxy ARP
  | 'neigh' // neighbour resolution
  | 'route' // FIB lookup result
  | 'forward' // IP forwarding (TTL, forwarding sysctl)
  | 'local' // local delivery to a protocol or socket
  | 'icmp' // an ICMP message the kernel generated
  | 'encap' // tunnel encapsulation (vxlan, ipip)
  | 'decap' // tunnel decapsulation
  | 'netfilter' // netfilter hook (attached by the netfilter layer)
  | 'drop'; // the packet died here

/** The IPv4 header (and ports) of a packet as the event saw it: after any NAT done before it. */
export interface WalkIp {
  readonly src: string;
  readonly dst: string;
  readonly protocol: number;
  readonly ttl: number;
  readonly sport?: number;
  readonly dport?: number;
}

export interface WalkEvent {
  readonly t: number;
  readonly netns: string;
  readonly dev?: string;
  readonly stage: WalkStage;
  /** One line a network engineer would write in a notebook, e.g. "10.0.0.0/24 dev veth1 scope link". */
  readonly detail: string;
  /** The frame's Ethernet addresses, when the packet was a frame at this point. */
  readonly eth?: { readonly src: string; readonly dst: string };
  /** The packet's IPv4 header (the frame's payload's, for a frame). */
  readonly ip?: WalkIp;
  /** For a VXLAN packet: its VNI and the inner frame (what the FDB lookup was made for). */
  readonly inner?: { readonly vni: number; readonly eth: { readonly src: string; readonly dst: string }; readonly ip?: WalkIp };
}

/** Collects the events of the packets it follows. Forwarding code only calls `record`. */
export class Walk {
  readonly events: WalkEvent[] = [];

  record(ev: WalkEvent): void {
    this.events.push(ev);
  }

  get dropped(): WalkEvent | undefined {
    return this.events.find((e) => e.stage === 'drop');
  }

  /** A readable rendering: one line per event, indented under the namespace it happened in. */
  render(): string {
    const lines: string[] = [];
    let ns = '';
    for (const e of this.events) {
      if (e.netns !== ns) {
        ns = e.netns;
        lines.push(`[${ns}]`);
      }
      const where = e.dev ? ` ${e.dev}` : '';
      lines.push(`  ${e.stage.padEnd(9)}${where}: ${e.detail}`);
    }
    return lines.join('\n');
  }
}
