// The netfilter attach points of the IPv4 path (NF_INET_* hooks). The stack calls `nfHook` at
// the places Linux calls NF_HOOK; until a namespace has iptables or IPVS state, every hook
// accepts. The netfilter layer (iptables, conntrack, IPVS) plugs in here, on the first packet after.
import type { Ipv4Packet } from '../wire/index.js';
import type { Link } from './link.js';
import type { Netns } from './netns.js';
import type { Skb } from './skb.js';

export type NfHookName = 'PREROUTING' | 'INPUT' | 'FORWARD' | 'OUTPUT' | 'POSTROUTING';

/** For a frame a bridge forwards (br_netfilter): the bridge ports it came in and goes out by. */
export interface Physdev {
  readonly in: Link;
  readonly out?: Link;
}

export interface NetfilterHooks {
  /** Returns the (possibly rewritten) packet to continue with, or undefined when it was dropped or stolen. */
  run(
    hook: NfHookName,
    skb: Skb<Ipv4Packet>,
    inDev: Link | undefined,
    outDev: Link | undefined,
    phys?: Physdev,
  ): Skb<Ipv4Packet> | undefined;
}

export function nfHook(
  ns: Netns,
  hook: NfHookName,
  skb: Skb<Ipv4Packet>,
  inDev: Link | undefined,
  outDev: Link | undefined,
  phys?: Physdev,
): Skb<Ipv4Packet> | undefined {
  // ip_sabotage_in(): a packet the bridge passes up has had its PREROUTING there.
  if (hook === 'PREROUTING' && skb.brPrerouted && !phys) return skb;
  const nf = ns.netfilter ?? (ns.iptables !== undefined || ns.ipvs !== undefined ? ns.kernel.attachNetfilter(ns) : undefined);
  return nf ? nf.run(hook, skb, inDev, outDev, phys) : skb;
}
