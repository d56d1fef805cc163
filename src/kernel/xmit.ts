// dev_queue_xmit(): the one door out of the stack to a device. Capture taps and counters live
// here so that forwarding code never knows it is watched.
import type { EthernetFrame, Ipv4Packet } from '../wire/index.js';
import type { Link } from './link.js';
import type { Skb } from './skb.js';
import { trace } from './trace.js';

export function devXmit(dev: Link, skb: Skb): void {
  if (!dev.operational) {
    dev.stats.txDropped++;
    trace(skb, dev.netns, dev, 'drop', () => `${dev.name} is ${dev.adminUp ? 'without carrier' : 'down'}`);
    return;
  }
  dev.stats.txPackets++;
  dev.stats.txBytes += counted(dev, skb.data);
  dev.netns.kernel.captures.tap(dev, dev.netns.kernel.clock.now(), 'out', skb.data);
  trace(skb, dev.netns, dev, 'xmit', () => describeFrame(skb.data));
  dev.transmit(skb);
}

/**
 * The bytes a device's counters add for a frame: its length on the wire, but loopback's, which
 * counts the packet after eth_type_trans() took the Ethernet header off (loopback_xmit).
 */
export function counted(dev: Link, data: EthernetFrame | Ipv4Packet): number {
  const n = frameLength(data);
  return dev.kind === 'loopback' && data.kind === 'eth' ? n - 14 : n;
}

/** Bytes on the wire (without FCS), for counters; computed from the representation. */
export function frameLength(data: EthernetFrame | Ipv4Packet): number {
  if (data.kind === 'eth') {
    const p = data.payload;
    return 14 + (p.kind === 'arp' ? 28 : p.kind === 'ipv4' ? ipLength(p) : (p.length ?? p.bytes.length));
  }
  return ipLength(data);
}

export function ipLength(p: Ipv4Packet): number {
  const pl = p.payload;
  let n: number;
  switch (pl.kind) {
    case 'icmp':
      n = 8 + pl.data.length;
      break;
    case 'tcp':
      n = 20 + pl.options.length + pl.payload.length;
      break;
    case 'udp':
      n = 8 + (pl.payload.kind === 'vxlan' ? 8 + frameLength(pl.payload.payload) : pl.payload.bytes.length);
      break;
    case 'ipv4':
      n = ipLength(pl);
      break;
    case 'raw':
      n = pl.bytes.length;
      break;
  }
  return 20 + p.options.length + n;
}

/** A short description for walks: "ARP who-has 10.0.0.1 tell 10.0.0.2", "ICMP echo request 10.0.0.2 > 10.0.0.1". */
export function describeFrame(data: EthernetFrame | Ipv4Packet): string {
  if (data.kind === 'eth') {
    const p = data.payload;
    if (p.kind === 'arp') {
      const ip = (v: number) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
      return p.op === 1
        ? `ARP who-has ${ip(p.targetIp)} tell ${ip(p.senderIp)} (${data.src} > ${data.dst})`
        : `ARP reply ${ip(p.senderIp)} is-at ${p.senderMac} (${data.src} > ${data.dst})`;
    }
    if (p.kind === 'ipv4') return `${describeIp(p)} (${data.src} > ${data.dst})`;
    return `ethertype 0x${data.etherType.toString(16).padStart(4, '0')} (${data.src} > ${data.dst})`;
  }
  return describeIp(data);
}

export function describeIp(p: Ipv4Packet): string {
  const ip = (v: number) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  const pl = p.payload;
  const ends = `${ip(p.src)} > ${ip(p.dst)}`;
  switch (pl.kind) {
    case 'icmp': {
      const names: Record<number, string> = { 0: 'echo reply', 8: 'echo request', 3: 'destination unreachable', 11: 'time exceeded' };
      return `ICMP ${names[pl.type] ?? `type ${pl.type}`} ${ends} ttl ${p.ttl}`;
    }
    case 'udp':
      return pl.payload.kind === 'vxlan'
        ? `UDP ${ip(p.src)}:${pl.srcPort} > ${ip(p.dst)}:${pl.dstPort} VXLAN vni ${pl.payload.vni} [${describeFrame(pl.payload.payload)}]`
        : `UDP ${ip(p.src)}:${pl.srcPort} > ${ip(p.dst)}:${pl.dstPort} ttl ${p.ttl}`;
    case 'tcp':
      return `TCP ${ip(p.src)}:${pl.srcPort} > ${ip(p.dst)}:${pl.dstPort} ttl ${p.ttl}`;
    case 'ipv4':
      return `IPIP ${ends} [${describeIp(pl)}]`;
    case 'raw':
      return `IP proto ${p.protocol} ${ends}`;
  }
}
