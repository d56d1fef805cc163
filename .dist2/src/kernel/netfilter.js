export function nfHook(ns, hook, skb, inDev, outDev, phys) {
    return ns.netfilter ? ns.netfilter.run(hook, skb, inDev, outDev, phys) : skb;
}
//# sourceMappingURL=netfilter.js.map