export function trace(skb, ns, dev, stage, detail) {
    if (!skb.walk)
        return;
    skb.walk.record({ t: ns.kernel.clock.now(), netns: ns.label, dev: dev?.name, stage, detail: detail() });
}
//# sourceMappingURL=trace.js.map