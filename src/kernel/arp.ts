// ARP (net/ipv4/arp.c): answering requests for local addresses and, with proxy_arp, for
// routed ones; learning from what arrives; and the neighbour table's solicit/transmit hooks.
import {
  formatIpv4,
  inPrefix,
  ARP_REPLY,
  ARP_REQUEST,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  MAC_BROADCAST,
  MAC_ZERO,
  type ArpPacket,
  type EthernetFrame,
  type Ipv4,
  type Ipv4Packet,
  type Mac,
} from '../wire/index.js';
import { RT_SCOPE_HOST, RT_SCOPE_LINK } from './fib.js';
import { ICMP_HOST_UNREACH, icmpSend } from './ipv4.js';
import { ICMP_DEST_UNREACH } from '../wire/index.js';
import type { Link } from './link.js';
import type { NeighOps, Neighbour } from './neigh.js';
import type { Netns } from './netns.js';
import { fibLookup, selectSource } from './route.js';
import type { Skb } from './skb.js';
import { withData } from './skb.js';
import { trace } from './trace.js';
import { devXmit } from './xmit.js';

/**
 * The neighbour table's hooks for IPv4 over Ethernet (arp_hh_ops), one set for every namespace:
 * an entry's namespace is its device's (a device leaving a namespace takes its entries with it).
 */
export const ARP_NEIGH_OPS: NeighOps = {
  solicit: (n, unicastTo, skb) => arpSolicit(n.dev.netns, n, unicastTo, skb as Skb<Ipv4Packet> | undefined),
  transmit: (n, skb) => {
    const ip = skb.data as Ipv4Packet;
    devXmit(n.dev, withData(skb, { kind: 'eth', dst: n.lladdr ?? MAC_ZERO, src: n.dev.mac, etherType: ETHERTYPE_IPV4, payload: ip }));
  },
  unreachable: (n, skb) => {
    trace(skb, n.dev.netns, n.dev, 'drop', () => `neighbour ${formatIpv4(n.ip)} FAILED: no ARP reply`);
    icmpSend(n.dev.netns, skb as Skb<Ipv4Packet>, ICMP_DEST_UNREACH, ICMP_HOST_UNREACH);
  },
};

/**
 * arp_solicit(): which source address to put in the request is arp_announce's business —
 * 0 uses the waiting packet's source if it is local, 1 only if it is on the target's subnet,
 * 2 always the device's best address for the target.
 */
function arpSolicit(ns: Netns, n: Neighbour, unicastTo: Mac | undefined, skb: Skb<Ipv4Packet> | undefined): void {
  const dev = n.dev;
  const announce = ns.sysctl.effective(dev.name, 'arp_announce');
  let saddr = 0;
  const pktSrc = skb?.data.src;
  if (pktSrc !== undefined && announce < 2 && ns.isLocalAddress(pktSrc)) {
    if (announce === 0 || ns.addrsOf(dev).some((a) => inPrefix(n.ip, a.local, a.prefixLen) && inPrefix(pktSrc, a.local, a.prefixLen)))
      saddr = pktSrc;
  }
  if (!saddr) saddr = selectSource(ns, dev, n.ip, RT_SCOPE_LINK);
  const arp: ArpPacket = { kind: 'arp', op: ARP_REQUEST, senderMac: dev.mac, senderIp: saddr, targetMac: MAC_ZERO, targetIp: n.ip };
  const out: Skb<EthernetFrame> = {
    data: { kind: 'eth', dst: unicastTo ?? MAC_BROADCAST, src: dev.mac, etherType: ETHERTYPE_ARP, payload: arp },
    walk: skb?.walk,
    mark: 0,
  };
  trace(out, ns, dev, 'arp', () => `who-has ${formatIpv4(n.ip)} tell ${formatIpv4(saddr)}${unicastTo ? ' (unicast probe)' : ''}`);
  devXmit(dev, out);
}

/** arp_ignore: whether to stay silent about `tip` asked on `dev` by `sip`. */
function arpIgnored(ns: Netns, dev: Link, sip: Ipv4, tip: Ipv4): boolean {
  const mode = ns.sysctl.effective(dev.name, 'arp_ignore');
  const onDev = ns.addrsOf(dev);
  switch (mode) {
    case 0:
      return false;
    case 1:
      return !onDev.some((a) => a.local === tip);
    case 2:
      return !onDev.some((a) => a.local === tip && inPrefix(sip, a.local, a.prefixLen));
    case 3:
      return !onDev.concat(ns.allAddrs().filter((a) => a.dev !== dev)).some((a) => a.local === tip && a.scope !== RT_SCOPE_HOST);
    case 8:
      return true;
    default:
      return !(mode > 3 && mode < 8);
  }
}

/** arp_process(): handle one received ARP packet on `dev`. */
export function arpRcv(ns: Netns, dev: Link, skb: Skb<EthernetFrame>, toUs: boolean): void {
  const frame = skb.data;
  const arp = frame.payload;
  if (arp.kind !== 'arp' || dev.noarp) return;
  const { senderIp: sip, targetIp: tip, senderMac: sha } = arp;
  if (sip >>> 28 === 0xe || tip >>> 24 === 127) return;

  if (arp.op === ARP_REQUEST && sip !== 0) {
    const r = fibLookup(ns, { dst: tip, src: sip, iif: dev });
    if (r?.type === 'local') {
      if (arpIgnored(ns, dev, sip, tip)) {
        trace(skb, ns, dev, 'arp', () => `request for local ${formatIpv4(tip)} ignored (arp_ignore)`);
      } else {
        ns.neigh.update(dev, sip, sha, 'STALE', { create: true });
        arpReply(ns, dev, skb, tip, dev.mac);
        return;
      }
    } else if (
      r?.type === 'unicast' &&
      r.dev !== dev &&
      ns.sysctl.effective(dev.name, 'forwarding') === 1 &&
      ns.sysctl.effective(dev.name, 'proxy_arp') === 1
    ) {
      // arp_fwd_proxy(): we route to the target through another device, so we answer for it.
      ns.neigh.update(dev, sip, sha, 'STALE', { create: true });
      trace(skb, ns, dev, 'arp', () => `proxy_arp: ${formatIpv4(tip)} is routed via ${r.dev?.name}`);
      arpReply(ns, dev, skb, tip, dev.mac);
      return;
    }
  }
  // Learn from whatever else arrives about an address we already track (no create: arp_accept=0).
  const state = arp.op === ARP_REPLY && toUs ? 'REACHABLE' : 'STALE';
  if (ns.neigh.get(dev, sip)) trace(skb, ns, dev, 'arp', () => `${formatIpv4(sip)} is-at ${sha}: update neighbour (${state})`);
  ns.neigh.update(dev, sip, sha, state);
}

function arpReply(ns: Netns, dev: Link, req: Skb<EthernetFrame>, tip: Ipv4, mac: Mac): void {
  const arp = req.data.payload as ArpPacket;
  const reply: ArpPacket = { kind: 'arp', op: ARP_REPLY, senderMac: mac, senderIp: tip, targetMac: arp.senderMac, targetIp: arp.senderIp };
  const out = withData(req, { kind: 'eth', dst: arp.senderMac, src: dev.mac, etherType: ETHERTYPE_ARP, payload: reply } as EthernetFrame);
  trace(out, ns, dev, 'arp', () => `reply ${formatIpv4(tip)} is-at ${mac}`);
  devXmit(dev, out);
}
