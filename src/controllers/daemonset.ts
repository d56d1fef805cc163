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

/** What one generation of a DaemonSet makes pods from, worked out once (not per sync), and which Node objects it fits. */
interface Plan {
  readonly uid: string;
  readonly generation: number | undefined;
  /** The pod template with the controller's labels. */
  readonly template: Obj;
  readonly hash: string;
  readonly tols: Obj[];
  /** Node object (a version of a Node: objects are replaced on change) → whether the daemon pod should run there. */
  readonly fits: WeakMap<KubeObject, boolean>;
}

export class DaemonSetController {
  private queue: OwnerQueue;
  private pods: OwnedPods;
  private nodes = new Map<string, KubeObject>();
  /** The node names in order (a sync walks them sorted), made again when a node comes or goes. */
  private sortedNames: string[] | undefined;
  /** By DaemonSet key. */
  private plans = new Map<string, Plan>();

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    this.queue = new OwnerQueue(store, 'daemonsets', clock, (k) => this.sync(k));
    store.watch('nodes', undefined, {}, (e) => {
      const name = e.object.metadata.name!;
      if (e.type === 'DELETED') {
        this.nodes.delete(name);
        this.sortedNames = undefined;
      } else {
        if (!this.nodes.has(name)) this.sortedNames = undefined;
        this.nodes.set(name, e.object);
      }
      this.queue.addAll();
    });
    this.pods = new OwnedPods(store, (owner) => this.queue.addOwner(owner));
  }

  private plan(key: string, ds: Obj): Plan {
    const known = this.plans.get(key);
    if (known && known.uid === ds.metadata.uid && known.generation === ds.metadata.generation) return known;
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
    const plan: Plan = {
      uid: ds.metadata.uid,
      generation: ds.metadata.generation,
      template,
      hash,
      tols: daemonTolerations(template.spec),
      fits: new WeakMap(),
    };
    this.plans.set(key, plan);
    return plan;
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = this.store.find('daemonsets', ns, name) as Obj | undefined;
    if (!ds) {
      this.plans.delete(key);
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const { template, hash, tols, fits } = this.plan(key, ds);
    const byNode = new Map<string, KubeObject[]>();
    for (const p of this.pods.of(ds.metadata.uid)) {
      if (p.metadata.deletionTimestamp) continue;
      const n = nodeOf(p);
      if (!n) continue;
      const have = byNode.get(n);
      if (have) have.push(p);
      else byNode.set(n, [p]);
    }
    let desired = 0;
    this.sortedNames ??= [...this.nodes.keys()].sort();
    for (const nn of this.sortedNames) {
      const node = this.nodes.get(nn)!;
      let should = fits.get(node);
      if (should === undefined) fits.set(node, (should = matchesNodeAffinity(template.spec, node) && !untoleratedTaint(node, tols)));
      const have = byNode.get(nn);
      if (should) {
        desired++;
        if (!have) {
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
        } else for (let i = 1; i < have.length; i++) this.remove(ds, have[i]!);
      } else if (have) for (const p of have) this.remove(ds, p);
    }
    let scheduled = 0;
    let ready = 0;
    let updated = 0;
    for (const p of this.pods.of(ds.metadata.uid)) {
      const n = p.metadata.deletionTimestamp ? undefined : nodeOf(p);
      if (!n || !this.nodes.has(n)) continue;
      scheduled++;
      if (isPodReady(p)) ready++;
      if (p.metadata.labels?.['controller-revision-hash'] === hash) updated++;
    }
    const status = {
      currentNumberScheduled: scheduled,
      numberMisscheduled: 0,
      desiredNumberScheduled: desired,
      numberReady: ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: updated,
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
