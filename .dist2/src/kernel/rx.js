// netif_receive_skb(): a device hands a received frame to the stack. The device's rx_handler
// (a bridge port's) sees it first; then the frame is demultiplexed by EtherType.
import { ETHERTYPE_ARP, ETHERTYPE_IPV4, isMulticastMac } from '../wire/index.js';
import { arpRcv } from './arp.js';
import { ipRcv } from './ipv4.js';
import { isFrame } from './link.js';
import { withData } from './skb.js';
import { trace } from './trace.js';
import { describeFrame, frameLength } from './xmit.js';
export function netifReceive(dev, skb) {
    const ns = dev.netns;
    if (!dev.adminUp) {
        dev.stats.rxDropped++;
        return;
    }
    dev.stats.rxPackets++;
    dev.stats.rxBytes += frameLength(skb.data);
    ns.kernel.captures.tap(dev, ns.kernel.clock.now(), 'in', skb.data);
    trace(skb, ns, dev, 'rx', () => describeFrame(skb.data));
    if (dev.rxHandler && dev.rxHandler(skb))
        return;
    deliverUp(dev, skb);
}
/** The protocol layers proper (__netif_receive_skb_core after rx handlers). */
export function deliverUp(dev, skb) {
    const ns = dev.netns;
    const data = skb.data;
    if (!isFrame(data)) {
        ipRcv(ns, dev, skb);
        return;
    }
    // eth_type_trans(): frames for another host (PACKET_OTHERHOST) are not ours to process.
    const toUs = data.dst === dev.mac || dev.kind === 'loopback';
    if (!toUs && !isMulticastMac(data.dst)) {
        trace(skb, ns, dev, 'drop', () => `frame for ${data.dst} is not for ${dev.name} (${dev.mac})`);
        return;
    }
    if (data.etherType === ETHERTYPE_ARP && data.payload.kind === 'arp') {
        arpRcv(ns, dev, skb, toUs);
    }
    else if (data.etherType === ETHERTYPE_IPV4 && data.payload.kind === 'ipv4') {
        ipRcv(ns, dev, withData(skb, data.payload));
    }
}
//# sourceMappingURL=rx.js.map