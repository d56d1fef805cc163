import { podTemplateHash } from './hash.js';
import { WorkQueue, keyOf, splitKey } from './queue.js';
import { OwnedPods, isPodReady, podFromTemplate } from './replicaset.js';
import { matchesNodeAffinity, untoleratedTaint } from './scheduler.js';
/** util.AddOrUpdateDaemonPodTolerations. */
export function daemonTolerations(spec) {
    const tols = [...(spec.tolerations ?? [])];
    const add = (key, effect) => {
        if (!tols.some((t) => t.key === key && t.effect === effect))
            tols.push({ key, operator: 'Exists', effect });
    };
    add('node.kubernetes.io/not-ready', 'NoExecute');
    add('node.kubernetes.io/unreachable', 'NoExecute');
    add('node.kubernetes.io/disk-pressure', 'NoSchedule');
    add('node.kubernetes.io/memory-pressure', 'NoSchedule');
    add('node.kubernetes.io/pid-pressure', 'NoSchedule');
    add('node.kubernetes.io/unschedulable', 'NoSchedule');
    if (spec.hostNetwork)
        add('node.kubernetes.io/network-unavailable', 'NoSchedule');
    return tols;
}
export class DaemonSetController {
    store;
    events;
    queue;
    pods;
    byUid = new Map();
    nodes = new Map();
    constructor(store, clock, events) {
        this.store = store;
        this.events = events;
        this.queue = new WorkQueue(clock, (k) => this.sync(k));
        store.watch('daemonsets', undefined, {}, (e) => {
            if (e.type === 'DELETED')
                this.byUid.delete(e.object.metadata.uid);
            else
                this.byUid.set(e.object.metadata.uid, keyOf(e.object));
            this.queue.add(keyOf(e.object));
        });
        store.watch('nodes', undefined, {}, (e) => {
            if (e.type === 'DELETED')
                this.nodes.delete(e.object.metadata.name);
            else
                this.nodes.set(e.object.metadata.name, e.object);
            for (const k of this.byUid.values())
                this.queue.add(k);
        });
        this.pods = new OwnedPods(store, (owner) => {
            const k = this.byUid.get(owner);
            if (k)
                this.queue.add(k);
        });
    }
    sync(key) {
        const [ns, name] = splitKey(key);
        const ds = this.store.find('daemonsets', ns, name);
        if (!ds || ds.metadata.deletionTimestamp)
            return;
        const template = structuredClone(ds.spec.template);
        const hash = podTemplateHash(template);
        template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) } };
        const tols = daemonTolerations(template.spec);
        const owned = this.pods.of(ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
        const byNode = new Map();
        for (const p of owned) {
            const n = nodeOf(p);
            if (n)
                byNode.set(n, [...(byNode.get(n) ?? []), p]);
        }
        let desired = 0;
        for (const node of [...this.nodes.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
            const nn = node.metadata.name;
            const should = matchesNodeAffinity(template.spec, node) && !untoleratedTaint(node, tols);
            const have = byNode.get(nn) ?? [];
            if (should) {
                desired++;
                if (!have.length) {
                    const pod = podFromTemplate(ds, template, `${name}-`);
                    const spec = pod.spec;
                    spec.tolerations = tols;
                    spec.affinity = { ...(spec.affinity ?? {}), nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nn] }] }] } } };
                    const created = this.store.create(pod);
                    this.events.record(ds, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'daemonset-controller');
                }
                for (const extra of have.slice(1))
                    this.remove(ds, extra);
            }
            else
                for (const p of have)
                    this.remove(ds, p);
        }
        const now = this.pods.of(ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
        const scheduled = now.filter((p) => nodeOf(p) && this.nodes.has(nodeOf(p)));
        const ready = scheduled.filter(isPodReady).length;
        const status = {
            currentNumberScheduled: scheduled.length,
            numberMisscheduled: 0,
            desiredNumberScheduled: desired,
            numberReady: ready,
            observedGeneration: ds.metadata.generation,
            updatedNumberScheduled: scheduled.filter((p) => p.metadata.labels?.['controller-revision-hash'] === hash).length,
            numberAvailable: ready,
            numberUnavailable: desired - ready,
        };
        const out = {};
        for (const [k, v] of Object.entries(status))
            if (v !== 0 || ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'].includes(k))
                out[k] = v;
        if (JSON.stringify(out) !== JSON.stringify(ds.status ?? {}))
            this.store.updateStatus({ ...ds, status: out });
    }
    remove(ds, p) {
        this.store.delete('pods', p.metadata.namespace, p.metadata.name);
        this.events.record(ds, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
    }
}
/** The node a daemon pod is bound to, or pinned to by its matchFields affinity. */
function nodeOf(p) {
    const spec = p.spec;
    if (spec.nodeName)
        return spec.nodeName;
    return spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
}
//# sourceMappingURL=daemonset.js.map