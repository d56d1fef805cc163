export class PodTerminator {
    store;
    clock;
    hasAgent;
    timers = new Map();
    constructor(store, clock, hasAgent) {
        this.store = store;
        this.clock = clock;
        this.hasAgent = hasAgent;
        store.watch('pods', undefined, {}, (e) => {
            if (e.type === 'DELETED')
                return;
            this.onPod(e.object);
        });
    }
    onPod(p) {
        const node = p.spec.nodeName;
        if (!p.metadata.deletionTimestamp || !node || this.hasAgent(node))
            return;
        const key = `${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`;
        if (this.timers.has(key))
            return;
        this.timers.set(key, true);
        const at = Date.parse(p.metadata.deletionTimestamp);
        const delay = Math.max(0, at - this.store.now());
        this.clock.schedule(delay, () => {
            this.timers.delete(key);
            const cur = this.store.find('pods', p.metadata.namespace, p.metadata.name);
            if (cur && cur.metadata.uid === p.metadata.uid)
                this.store.finalizeDeletion('pods', p.metadata.namespace, p.metadata.name);
        });
    }
}
//# sourceMappingURL=kubeletless.js.map