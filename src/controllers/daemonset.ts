// The DaemonSet controller: one pod per node that the pod may run on (nodeSelector, node affinity,
// taints against the template's tolerations plus the ones the controller adds), each pinned to its
// node by a matchFields node affinity and scheduled by the default scheduler; surplus pods deleted;
// status counts as `kubectl get ds` prints them.
import { type KubeObject, type ObjectStore, copyJson } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { podTemplateHash } from './hash.js';
import { OwnerQueue, splitKey } from './queue.js';
import { OwnedPods, isPodReady, podFromTemplate } from './replicaset.js';
import { matchesNodeAffinity, untoleratedTaint } from './scheduler.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** util.AddOrUpdateDaemonPodTolerations. */
export function daemonTolerations(spec: Obj): Obj[] {
  const tols: Obj[] = [...(spec.tolerations ?? [])];
  const add = (key: string, effect: string) => {
    if (!tols.some((t) => t.key === key && t.effect === effect)) tols.push({ key, operator: 'Exists', effect });
  };
  add('node.kubernetes.io/not-ready', 'NoExecute');
  add('node.kubernetes.io/unreachable', 'NoExecute');
  add('node.kubernetes.io/disk-pressure', 'NoSchedule');
  add('node.kubernetes.io/memory-pressure', 'NoSchedule');
  add('node.kubernetes.io/pid-pressure', 'NoSchedule');
  add('node.kubernetes.io/unschedulable', 'NoSchedule');
  if (spec.hostNetwork) add('node.kubernetes.io/network-unavailable', 'NoSchedule');
  return tols;
}

export class DaemonSetController {
  private queue: OwnerQueue;
  private pods: OwnedPods;
  private nodes = new Map<string, KubeObject>();

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    this.queue = new OwnerQueue(store, 'daemonsets', clock, (k) => this.sync(k));
    store.watch('nodes', undefined, {}, (e) => {
      if (e.type === 'DELETED') this.nodes.delete(e.object.metadata.name!);
      else this.nodes.set(e.object.metadata.name!, e.object);
      this.queue.addAll();
    });
    this.pods = new OwnedPods(store, (owner) => this.queue.addOwner(owner));
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = this.store.find('daemonsets', ns, name) as Obj | undefined;
    if (!ds || ds.metadata.deletionTimestamp) return;
    const template = copyJson(ds.spec.template);
    const hash = podTemplateHash(template);
    template.metadata = {
      ...(template.metadata ?? {}),
      labels: {
        ...(template.metadata?.labels ?? {}),
        'controller-revision-hash': hash,
        'pod-template-generation': String(ds.metadata.generation ?? 1),
      },
    };
    const tols = daemonTolerations(template.spec);
    const owned = this.pods.of(ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const byNode = new Map<string, KubeObject[]>();
    for (const p of owned) {
      const n = nodeOf(p);
      if (n) byNode.set(n, [...(byNode.get(n) ?? []), p]);
    }
    let desired = 0;
    for (const node of [...this.nodes.values()].sort((a, b) => (a.metadata.name! < b.metadata.name! ? -1 : 1))) {
      const nn = node.metadata.name!;
      const should = matchesNodeAffinity(template.spec, node) && !untoleratedTaint(node, tols);
      const have = byNode.get(nn) ?? [];
      if (should) {
        desired++;
        if (!have.length) {
          const pod = podFromTemplate(ds as KubeObject, template, `${name}-`);
          const spec = pod.spec as Obj;
          spec.tolerations = [...tols];
          spec.affinity = {
            ...(spec.affinity ?? {}),
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [nn] }] }],
              },
            },
          };
          const created = this.store.createOwn(pod);
          this.events.record(
            ds as KubeObject,
            'Normal',
            'SuccessfulCreate',
            `Created pod: ${created.metadata.name}`,
            'daemonset-controller',
          );
        }
        for (const extra of have.slice(1)) this.remove(ds, extra);
      } else for (const p of have) this.remove(ds, p);
    }
    const now = this.pods.of(ds.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const scheduled = now.filter((p) => nodeOf(p) && this.nodes.has(nodeOf(p)!));
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
    const out: Obj = {};
    for (const [k, v] of Object.entries(status))
      if (v !== 0 || ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'].includes(k)) out[k] = v;
    if (JSON.stringify(out) !== JSON.stringify(ds.status ?? {})) this.store.updateStatus({ ...(ds as KubeObject), status: out });
  }

  private remove(ds: Obj, p: KubeObject): void {
    this.store.delete('pods', p.metadata.namespace, p.metadata.name!);
    this.events.record(ds as KubeObject, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'daemonset-controller');
  }
}

/** The node a daemon pod is bound to, or pinned to by its matchFields affinity. */
function nodeOf(p: KubeObject): string | undefined {
  const spec = p.spec as Obj;
  if (spec.nodeName) return spec.nodeName;
  return spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms?.[0]?.matchFields?.[0]?.values?.[0];
}
