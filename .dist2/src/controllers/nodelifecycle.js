import { WorkQueue } from './queue.js';
const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';
export function readyCondition(node) {
    return (node.status?.conditions ?? []).find((c) => c.type === 'Ready');
}
export class NodeLifecycle {
    store;
    queue;
    constructor(store, clock) {
        this.store = store;
        this.queue = new WorkQueue(clock, (n) => this.sync(n));
        store.watch('nodes', undefined, {}, (e) => {
            if (e.type !== 'DELETED')
                this.queue.add(e.object.metadata.name);
        });
    }
    sync(name) {
        const node = this.store.find('nodes', undefined, name);
        if (!node)
            return;
        const status = readyCondition(node)?.status ?? 'Unknown';
        const want = status === 'True' ? undefined : status === 'False' ? NOT_READY : UNREACHABLE;
        const taints = node.spec?.taints ?? [];
        const kept = taints.filter((t) => !((t.key === NOT_READY || t.key === UNREACHABLE) && t.effect === 'NoSchedule'));
        const next = want ? [...kept, { key: want, effect: 'NoSchedule' }] : kept;
        const same = JSON.stringify(next.map((t) => [t.key, t.effect])) === JSON.stringify(taints.map((t) => [t.key, t.effect]));
        if (!same)
            this.store.patch('nodes', undefined, name, 'merge', { spec: { taints: next.length ? next : null } });
    }
}
//# sourceMappingURL=nodelifecycle.js.map