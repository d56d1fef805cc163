// Puts netfilter on a namespace's packet path: its iptables tables, ipsets and IPVS behind the
// hooks of kernel/netfilter.ts, with one connection tracking table.
import type { Netns } from '../netns.js';
import type { ConntrackTable } from './conntrack.js';
import { ipsetOf } from './ipset.js';
import { ipvsOf } from './ipvs.js';
import { NetfilterRuntime } from './runtime.js';
import { iptablesOf } from './tables.js';

/**
 * The namespace's netfilter runtime, attached to its hooks on first use: by a packet once the
 * namespace has iptables or IPVS state (nfHook), or by a caller that wants its conntrack table.
 */
export function netfilterOf(ns: Netns): NetfilterRuntime {
  let rt = ns.netfilter;
  if (!rt) {
    rt = new NetfilterRuntime(ns, {
      ruleset: iptablesOf(ns),
      setMatch: (name, flags, ctx) => {
        const p = ctx.p;
        const l4 = p.payload;
        const ports = l4.kind === 'tcp' || l4.kind === 'udp' ? { sport: l4.srcPort, dport: l4.dstPort } : {};
        const icmp = l4.kind === 'icmp' ? { icmpType: l4.type, icmpCode: l4.code } : {};
        return ipsetOf(ns).match(name, flags, { src: p.src, dst: p.dst, proto: p.protocol, ...ports, ...icmp });
      },
      ipvs: ipvsOf(ns),
    });
    ns.netfilter = rt;
  }
  return rt;
}

/** The namespace's connection tracking table (`conntrack -L`). */
export function conntrackOf(ns: Netns): ConntrackTable {
  return netfilterOf(ns).conntrack;
}
