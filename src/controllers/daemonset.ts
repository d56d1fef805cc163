// The DaemonSet controller: one pod per node that the pod may run on (nodeSelector, node affinity,
// taints against the template's tolerations plus the ones the controller adds), each pinned to its
// node by a matchFields node affinity and scheduled by the default scheduler; surplus pods deleted;
// status counts as `kubectl get ds` prints them.
import { type KubeObject, type ObjectStore, copyJson } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { podTemplateHash } from './hash.js';
import { OwnerQueue, keyOf, splitKey } from './queue.js';
import { isPodReady, podFromTemplate } from './replicaset.js';
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
  readonly generation: number | undefined;
  /** The pod template with the controller's labels. */
  readonly template: Obj;
  readonly hash: string;
  readonly tols: Obj[];
  /** Node object (a version of a Node: objects are replaced on change) → whether the daemon pod should run there. */
  readonly fits: WeakMap<KubeObject, boolean>;
}

/** What a node adds to a DaemonSet's status. */
interface NodeCounts {
  readonly should: boolean;
  readonly scheduled: number;
  readonly ready: number;
  readonly updated: number;
}

/**
 * One DaemonSet as the controller last reconciled it: each existing node's counts and their sums, and
 * the nodes whose Node or daemon pods changed since (undefined: all of them). A sync visits only
 * those: every other node's state is what the last visit left, so walking it again did nothing.
 */
interface DsState {
  readonly key: string;
  plan: Plan | undefined;
  dirty: Set<string> | undefined;
  readonly nodes: Map<string, NodeCounts>;
  desired: number;
  scheduled: number;
  ready: number;
  updated: number;
}

export class DaemonSetController {
  private queue: OwnerQueue;
  private nodes = new Map<string, KubeObject>();
  /** The node names in order (a sync walks them sorted), made again when a node comes or goes. */
  private sortedNames: string[] | undefined;
  /** By DaemonSet uid. */
  private states = new Map<string, DsState>();
  /** Each owner's pods not being deleted, by the node they run on or are pinned to, in the order they were first seen there. */
  private podsOn = new Map<string, Map<string, Map<string, KubeObject>>>();
  /** Where each such pod was counted: its owner and node. */
  private podPlace = new Map<string, { readonly owner: string; readonly node: string }>();

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
      for (const st of this.states.values()) st.dirty?.add(name);
      this.queue.addAll();
    });
    store.watch('pods', undefined, {}, (e) => {
      // only pods a DaemonSet controls (resolveControllerRef: another kind's pods are not its business)
      const ref = e.object.metadata.ownerReferences?.find((o) => o.controller);
      if (ref?.kind !== 'DaemonSet') return;
      const owner = ref.uid;
      this.placePod(owner, keyOf(e.object), e.type === 'DELETED' ? undefined : e.object);
      this.queue.addOwner(owner);
    });
  }

  /** Keeps the pod index: `pod` undefined when it is gone; a pod being deleted no longer counts. */
  private placePod(owner: string, key: string, pod: KubeObject | undefined): void {
    const was = this.podPlace.get(key);
    const node = pod && !pod.metadata.deletionTimestamp ? nodeOf(pod) : undefined;
    if (was && (was.node !== node || was.owner !== owner)) {
      this.podsOn.get(was.owner)?.get(was.node)?.delete(key);
      this.podPlace.delete(key);
      this.states.get(was.owner)?.dirty?.add(was.node);
    }
    if (node === undefined) return;
    let byNode = this.podsOn.get(owner);
    if (!byNode) this.podsOn.set(owner, (byNode = new Map()));
    let here = byNode.get(node);
    if (!here) byNode.set(node, (here = new Map()));
    here.set(key, pod!);
    this.podPlace.set(key, { owner, node });
    this.states.get(owner)?.dirty?.add(node);
  }

  private plan(ds: Obj, known: Plan | undefined): Plan {
    if (known && known.generation === ds.metadata.generation) return known;
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
    return { generation: ds.metadata.generation, template, hash, tols: daemonTolerations(template.spec), fits: new WeakMap() };
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const ds = this.store.find('daemonsets', ns, name) as Obj | undefined;
    for (const [uid, st] of this.states) if (st.key === key && uid !== ds?.metadata.uid) this.states.delete(uid);
    if (!ds || ds.metadata.deletionTimestamp) return;
    const uid = ds.metadata.uid as string;
    let st = this.states.get(uid);
    if (!st) {
      st = { key, plan: undefined, dirty: undefined, nodes: new Map(), desired: 0, scheduled: 0, ready: 0, updated: 0 };
      this.states.set(uid, st);
    }
    const plan = this.plan(ds, st.plan);
    if (plan !== st.plan) {
      st.plan = plan;
      st.dirty = undefined;
    }
    // every node when the template changed (or at first), else the ones that changed, in name order either way
    const visit = st.dirty === undefined ? (this.sortedNames ??= [...this.nodes.keys()].sort()) : [...st.dirty].sort();
    if (st.dirty === undefined) {
      st.nodes.clear();
      st.desired = st.scheduled = st.ready = st.updated = 0;
      st.dirty = new Set();
    }
    for (const nn of visit) {
      this.visit(ds, name, uid, st, plan, nn);
      st.dirty.delete(nn);
    }
    const status = {
      currentNumberScheduled: st.scheduled,
      numberMisscheduled: 0,
      desiredNumberScheduled: st.desired,
      numberReady: st.ready,
      observedGeneration: ds.metadata.generation,
      updatedNumberScheduled: st.updated,
      numberAvailable: st.ready,
      numberUnavailable: st.desired - st.ready,
    };
    const out: Obj = {};
    for (const [k, v] of Object.entries(status))
      if (v !== 0 || ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'].includes(k)) out[k] = v;
    if (JSON.stringify(out) !== JSON.stringify(ds.status ?? {})) this.store.updateStatus({ ...(ds as KubeObject), status: out });
  }

  /** One node: its daemon pod made when missing, extra or unwanted ones deleted, then what it adds to the status. */
  private visit(ds: Obj, name: string, uid: string, st: DsState, plan: Plan, nn: string): void {
    const old = st.nodes.get(nn);
    if (old) {
      st.nodes.delete(nn);
      st.desired -= old.should ? 1 : 0;
      st.scheduled -= old.scheduled;
      st.ready -= old.ready;
      st.updated -= old.updated;
    }
    const node = this.nodes.get(nn);
    if (!node) return; // pods pinned to a node that is gone are left alone and not counted
    const { template, tols, fits } = plan;
    let should = fits.get(node);
    if (should === undefined) fits.set(node, (should = matchesNodeAffinity(template.spec, node) && !untoleratedTaint(node, tols)));
    const have = [...(this.podsOn.get(uid)?.get(nn)?.values() ?? [])];
    if (should) {
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
        this.events.record(ds as KubeObject, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`, 'daemonset-controller');
      } else for (let i = 1; i < have.length; i++) this.remove(ds, have[i]!);
    } else for (const p of have) this.remove(ds, p);
    let scheduled = 0;
    let ready = 0;
    let updated = 0;
    for (const p of this.podsOn.get(uid)?.get(nn)?.values() ?? []) {
      scheduled++;
      if (isPodReady(p)) ready++;
      if (p.metadata.labels?.['controller-revision-hash'] === plan.hash) updated++;
    }
    st.nodes.set(nn, { should, scheduled, ready, updated });
    st.desired += should ? 1 : 0;
    st.scheduled += scheduled;
    st.ready += ready;
    st.updated += updated;
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
