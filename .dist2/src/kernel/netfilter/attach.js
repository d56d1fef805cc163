import { ipsetOf } from './ipset.js';
import { ipvsOf } from './ipvs.js';
import { NetfilterRuntime } from './runtime.js';
import { iptablesOf } from './tables.js';
const runtimes = new WeakMap();
/** The namespace's netfilter runtime, attached to its hooks on first use. */
export function netfilterOf(ns) {
    let rt = runtimes.get(ns);
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
        runtimes.set(ns, rt);
        ns.netfilter = rt;
    }
    return rt;
}
/** The namespace's connection tracking table (`conntrack -L`). */
export function conntrackOf(ns) {
    return netfilterOf(ns).conntrack;
}
//# sourceMappingURL=attach.js.map