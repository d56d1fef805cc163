// Records walk events for packets that carry a Walk. The detail is built lazily so untraced
// packets (benchmarks, bulk traffic) pay nothing for it.
import { formatIpv4, type EthernetFrame, type Ipv4Packet } from '../wire/index.js';
import type { Link } from './link.js';
import type { Netns } from './netns.js';
import type { Skb } from './skb.js';
import type { WalkIp, WalkStage } from './walk.js';

export function trace(skb: Skb, ns: Netns, dev: Link | undefined, stage: WalkStage, detail: () => string): void {
  if (!skb.walk) return;
  const d = skb.data as EthernetFrame | Ipv4Packet;
  const eth = d.kind === 'eth' ? { src: d.src, dst: d.dst } : undefined;
  const ip =
    d.kind === 'ipv4'
      ? ipOf(d)
      : d.kind === 'eth' && (d.payload as { kind?: string }).kind === 'ipv4'
        ? ipOf(d.payload as Ipv4Packet)
        : undefined;
  // the frame a VXLAN packet carries, for the FDB entry that sent it there
  let inner: { readonly vni: number; readonly eth: { readonly src: string; readonly dst: string }; readonly ip?: WalkIp } | undefined;
  if (d.kind === 'ipv4' && d.payload.kind === 'udp' && (d.payload.payload as { kind?: string }).kind === 'vxlan') {
    const v = d.payload.payload as { vni: number; payload: EthernetFrame };
    const f = v.payload;
    inner = {
      vni: v.vni,
      eth: { src: f.src, dst: f.dst },
      ...((f.payload as { kind?: string }).kind === 'ipv4' ? { ip: ipOf(f.payload as Ipv4Packet) } : {}),
    };
  }
  skb.walk.record({
    t: ns.kernel.clock.now(),
    netns: ns.label,
    dev: dev?.name,
    stage,
    detail: detail(),
    ...(eth ? { eth } : {}),
    ...(ip ? { ip } : {}),
    ...(inner ? { inner } : {}),
  });
}

function ipOf(p: Ipv4Packet): WalkIp {
  const l4 = p.payload.kind === 'udp' || p.payload.kind === 'tcp' ? p.payload : undefined;
  return {
    src: formatIpv4(p.src),
    dst: formatIpv4(p.dst),
    protocol: p.protocol,
    ttl: p.ttl,
    ...(l4 ? { sport: l4.srcPort, dport: l4.dstPort } : {}),
  };
}
