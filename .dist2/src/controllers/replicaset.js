import { canonical } from './hash.js';
import { WorkQueue, keyOf, splitKey } from './queue.js';
export const isPodReady = (p) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
/** Pods owned (as controller) by objects, indexed by owner uid, kept from a watch. */
export class OwnedPods {
    byOwner = new Map();
    constructor(store, onChange) {
        store.watch('pods', undefined, {}, (e) => {
            const owner = e.object.metadata.ownerReferences?.find((o) => o.controller)?.uid;
            if (!owner)
                return;
            let m = this.byOwner.get(owner);
            if (!m)
                this.byOwner.set(owner, (m = new Map()));
            if (e.type === 'DELETED')
                m.delete(keyOf(e.object));
            else
                m.set(keyOf(e.object), e.object);
            onChange(owner, e.object);
        });
    }
    of(uid) {
        return uid ? [...(this.byOwner.get(uid)?.values() ?? [])] : [];
    }
}
/** controller.ActivePods ranking for deletion: earlier in this order goes first. */
function deletionRank(a, b) {
    const sa = a.spec;
    const sb = b.spec;
    if (!sa.nodeName !== !sb.nodeName)
        return sa.nodeName ? 1 : -1;
    const phase = (p) => ({ Pending: 0, Unknown: 1, Running: 2 })[p.status?.phase] ?? 0;
    if (phase(a) !== phase(b))
        return phase(a) - phase(b);
    if (isPodReady(a) !== isPodReady(b))
        return isPodReady(a) ? 1 : -1;
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb)
        return ta < tb ? 1 : -1; // newer first
    return a.metadata.name < b.metadata.name ? 1 : -1;
}
export function ownerRef(owner) {
    return { apiVersion: owner.apiVersion, kind: owner.kind, name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
}
/** A pod from a workload's template, as controller.GetPodFromTemplate builds it. */
export function podFromTemplate(owner, template, generateName) {
    const meta = template.metadata ?? {};
    return {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
            generateName,
            namespace: owner.metadata.namespace,
            ...(meta.labels ? { labels: { ...meta.labels } } : {}),
            ...(meta.annotations ? { annotations: { ...meta.annotations } } : {}),
            ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
            ownerReferences: [ownerRef(owner)],
        },
        spec: structuredClone(template.spec),
    };
}
export class ReplicaSetController {
    store;
    events;
    queue;
    pods;
    byUid = new Map();
    constructor(store, clock, events) {
        this.store = store;
        this.events = events;
        this.queue = new WorkQueue(clock, (k) => this.sync(k));
        store.watch('replicasets', undefined, {}, (e) => {
            if (e.type === 'DELETED')
                this.byUid.delete(e.object.metadata.uid);
            else
                this.byUid.set(e.object.metadata.uid, keyOf(e.object));
            this.queue.add(keyOf(e.object));
        });
        this.pods = new OwnedPods(store, (owner) => {
            const k = this.byUid.get(owner);
            if (k)
                this.queue.add(k);
        });
    }
    sync(key) {
        const [ns, name] = splitKey(key);
        const rs = this.store.find('replicasets', ns, name);
        if (!rs)
            return;
        const spec = rs.spec;
        const owned = this.pods.of(rs.metadata.uid);
        const active = owned.filter((p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes(p.status?.phase));
        if (!rs.metadata.deletionTimestamp) {
            const diff = (spec.replicas ?? 1) - active.length;
            if (diff > 0) {
                for (let i = 0; i < diff; i++) {
                    const pod = this.store.create(podFromTemplate(rs, spec.template, `${name}-`));
                    this.events.record(rs, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'replicaset-controller');
                }
            }
            else if (diff < 0) {
                for (const p of [...active].sort(deletionRank).slice(0, -diff)) {
                    this.store.delete('pods', p.metadata.namespace, p.metadata.name);
                    this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
                }
            }
        }
        const now = this.pods.of(rs.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
        const ready = now.filter(isPodReady).length;
        const status = {
            replicas: now.length,
            fullyLabeledReplicas: now.length,
            readyReplicas: ready,
            availableReplicas: ready,
            observedGeneration: rs.metadata.generation,
        };
        // `replicas` is always written; the other counts are omitempty.
        const next = { replicas: status.replicas, ...clean({ ...status, replicas: 0 }) };
        if (canonical(next) !== canonical(rs.status ?? {}))
            this.store.updateStatus({ ...rs, status: next });
    }
}
/** Go's omitempty: zero counts are not written. */
export function clean(o) {
    const out = {};
    for (const [k, v] of Object.entries(o))
        if (v !== undefined && v !== 0)
            out[k] = v;
    return out;
}
//# sourceMappingURL=replicaset.js.map