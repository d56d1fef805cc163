export function withData(skb, data) {
    return { data, walk: skb.walk, mark: skb.mark, nexthop: skb.nexthop, nfct: skb.nfct };
}
//# sourceMappingURL=skb.js.map