// netif_receive_skb(): a device hands a received frame to the stack. The device's rx_handler
// (a bridge port's) sees it first; then the frame is demultiplexed by EtherType.
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, isMulticastMac, type EthernetFrame, type Ipv4Packet } from '../wire/index.js';
import { arpRcv } from './arp.js';
import { ipRcv } from './ipv4.js';
import { isFrame, type Link } from './link.js';
import type { Skb } from './skb.js';
import { withData } from './skb.js';
import { trace } from './trace.js';
import { counted, describeFrame } from './xmit.js';

export function netifReceive(dev: Link, skb: Skb): void {
  const ns = dev.netns;
  if (!dev.adminUp) {
    dev.stats.rxDropped++;
    return;
  }
  dev.stats.rxPackets++;
  dev.stats.rxBytes += counted(dev, skb.data);
  ns.kernel.captures.tap(dev, ns.kernel.clock.now(), 'in', skb.data);
  trace(skb, ns, dev, 'rx', () => describeFrame(skb.data));
  if (dev.rxHandler && dev.rxHandler(skb)) return;
  deliverUp(dev, skb);
}

/** The protocol layers proper (__netif_receive_skb_core after rx handlers). */
export function deliverUp(dev: Link, skb: Skb): void {
  const ns = dev.netns;
  const data = skb.data;
  if (!isFrame(data)) {
    ipRcv(ns, dev, skb as Skb<Ipv4Packet>);
    return;
  }
  // eth_type_trans(): frames for another host (PACKET_OTHERHOST) are not ours to process.
  const toUs = data.dst === dev.mac || dev.kind === 'loopback';
  if (!toUs && !isMulticastMac(data.dst)) {
    trace(skb, ns, dev, 'drop', () => `frame for ${data.dst} is not for ${dev.name} (${dev.mac})`);
    return;
  }
  if (data.etherType === ETHERTYPE_ARP && data.payload.kind === 'arp') {
    arpRcv(ns, dev, skb as Skb<EthernetFrame>, toUs);
  } else if (data.etherType === ETHERTYPE_IPV4 && data.payload.kind === 'ipv4') {
    ipRcv(ns, dev, withData(skb, data.payload));
  }
}
