// The taint eviction controller (kube-controller-manager's taint-eviction-controller): a pod on a
// node with NoExecute taints it does not tolerate is deleted at once; one that tolerates them all
// for a while (the 300 s not-ready/unreachable tolerations the API server adds to every pod) is
// deleted when the shortest of those tolerations runs out, unless the taints go first. Before
// deleting it marks the pod with a DisruptionTarget condition, as upstream does.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { tolerates } from './scheduler.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const COMPONENT = 'taint-eviction-controller';

function noExecuteTaints(node: KubeObject | undefined): Obj[] {
  return ((node?.spec as Obj | undefined)?.taints ?? []).filter((t: Obj) => t.effect === 'NoExecute');
}

/** How long the pod may stay: 0 when a taint is not tolerated, Infinity when all are, forever. */
function tolerationTime(pod: KubeObject, taints: readonly Obj[]): number {
  const tols: Obj[] = (pod.spec as Obj).tolerations ?? [];
  let min = Infinity;
  for (const taint of taints) {
    const used = tols.filter((tol) => tolerates([tol], taint as never));
    if (!used.length) return 0;
    for (const tol of used) if (typeof tol.tolerationSeconds === 'number') min = Math.min(min, Math.max(0, tol.tolerationSeconds) * 1000);
  }
  return min;
}

export class TaintEviction {
  /** Pods (ns/name) with a deletion scheduled: when it was scheduled for, and a token that cancels it. */
  private readonly scheduled = new Map<string, { at: number; token: object }>();
  /** Nodes whose NoExecute taints are known, as a key, so a node update that leaves them alone costs nothing. */
  private readonly taintKeys = new Map<string, string>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    store.watch('nodes', undefined, {}, (e) => {
      const name = e.object.metadata.name!;
      // '' for a node without NoExecute taints (not '[]'): its pods' writes then schedule nothing
      const taints = e.type === 'DELETED' ? [] : noExecuteTaints(e.object);
      const key = taints.length ? JSON.stringify(taints.map((t) => [t.key, t.value, t.effect])) : '';
      if ((this.taintKeys.get(name) ?? '') === key) return;
      if (key) this.taintKeys.set(name, key);
      else this.taintKeys.delete(name);
      clock.schedule(0, () => this.syncNode(name));
    });
    store.watch('pods', undefined, {}, (e) => {
      const node = (e.object.spec as Obj | undefined)?.nodeName;
      if (e.type === 'DELETED' || !node || !this.taintKeys.has(node)) return;
      clock.schedule(0, () => this.syncPod(e.object.metadata.namespace!, e.object.metadata.name!));
    });
  }

  private syncNode(node: string): void {
    // the node's pods only (sorting every pod of the cluster on each node's taint change was quadratic)
    for (const pod of this.store.list('pods', undefined, { fieldSelector: `spec.nodeName=${node}` }).items)
      this.syncPod(pod.metadata.namespace!, pod.metadata.name!);
  }

  private syncPod(ns: string, name: string): void {
    const key = `${ns}/${name}`;
    const pod = this.store.find('pods', ns, name);
    const nodeName = (pod?.spec as Obj | undefined)?.nodeName as string | undefined;
    const taints = nodeName ? noExecuteTaints(this.store.find('nodes', undefined, nodeName)) : [];
    const pending = this.scheduled.get(key);
    if (!pod || pod.metadata.deletionTimestamp || !taints.length) {
      if (pending) {
        this.scheduled.delete(key);
        if (pod && !pod.metadata.deletionTimestamp)
          this.events.record(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`, COMPONENT);
      }
      return;
    }
    const wait = tolerationTime(pod, taints);
    if (wait === Infinity) {
      this.scheduled.delete(key);
      return;
    }
    const at = this.clock.now() + wait;
    if (pending && pending.at <= at) return;
    const token = {};
    this.scheduled.set(key, { at, token });
    this.clock.schedule(wait, () => {
      if (this.scheduled.get(key)?.token !== token) return;
      this.scheduled.delete(key);
      this.evict(ns, name);
    });
  }

  private evict(ns: string, name: string): void {
    const pod = this.store.find('pods', ns, name);
    if (!pod || pod.metadata.deletionTimestamp) return;
    this.events.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`, COMPONENT);
    const status = pod.status as Obj;
    const now = this.store.timestamp();
    const target = {
      type: 'DisruptionTarget',
      status: 'True',
      lastProbeTime: null,
      lastTransitionTime: now,
      reason: 'DeletionByTaintManager',
      message: 'Taint manager: deleting due to NoExecute taint',
    };
    const conditions = [...((status.conditions ?? []) as Obj[]).filter((c) => c.type !== 'DisruptionTarget'), target];
    this.store.updateStatus({ ...pod, status: { ...status, conditions } });
    this.store.delete('pods', ns, name);
  }
}
