// The default scheduler, in its basics: filters (unschedulable nodes, taints against tolerations,
// nodeSelector and required node affinity, required pod anti-affinity on the hostname) and scores
// (the default topology spreading of a controller's pods over nodes first, then the least loaded node),
// ties broken by the cluster's seeded rng as selectHost's reservoir sampling does. It binds by setting
// spec.nodeName and the PodScheduled condition; a pod that fits nowhere gets the scheduler's
// FailedScheduling message and is retried when nodes change.
import { type KubeObject, type ObjectStore, fromLabelSelector, selectorMatches } from '../api/index.js';
import type { Rng, Scheduler as Clock } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { WorkQueue, keyOf, splitKey } from './queue.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Taint {
  key: string;
  value?: string;
  effect: string;
}
interface Toleration {
  key?: string;
  operator?: string;
  value?: string;
  effect?: string;
}

export function tolerates(tols: readonly Toleration[] | undefined, t: Taint): boolean {
  return (tols ?? []).some((tol) => {
    if (tol.effect && tol.effect !== t.effect) return false;
    if (tol.operator === 'Exists') return !tol.key || tol.key === t.key;
    return tol.key === t.key && (tol.value ?? '') === (t.value ?? '');
  });
}

/** The first taint of the node with a scheduling effect the pod does not tolerate. */
export function untoleratedTaint(node: KubeObject, tols: readonly Toleration[] | undefined): Taint | undefined {
  return ((node.spec as Obj | undefined)?.taints ?? []).find((t: Taint) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t));
}

function nodeSelectorTermMatches(term: Obj, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const e of term.matchExpressions ?? []) {
    const v = labels[e.key];
    const ok =
      e.operator === 'In' ? v !== undefined && e.values.includes(v)
      : e.operator === 'NotIn' ? v === undefined || !e.values.includes(v)
      : e.operator === 'Exists' ? v !== undefined
      : e.operator === 'DoesNotExist' ? v === undefined
      : e.operator === 'Gt' ? v !== undefined && Number(v) > Number(e.values[0])
      : e.operator === 'Lt' ? v !== undefined && Number(v) < Number(e.values[0])
      : false;
    if (!ok) return false;
  }
  for (const f of term.matchFields ?? []) {
    if (f.key !== 'metadata.name') return false;
    const has = f.values.includes(node.metadata.name);
    if ((f.operator === 'In') !== has) return false;
  }
  return true;
}

/** nodeSelector and requiredDuringSchedulingIgnoredDuringExecution node affinity. */
export function matchesNodeAffinity(spec: Obj, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const [k, v] of Object.entries(spec.nodeSelector ?? {})) if (labels[k] !== v) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (terms && !terms.some((t: Obj) => nodeSelectorTermMatches(t, node))) return false;
  return true;
}

const ownerUid = (p: KubeObject) => p.metadata.ownerReferences?.find((o) => o.controller)?.uid;

/** What the scheduler's cache holds per node name: the Node (once it exists) and the pods placed on it. */
interface NodeSlot {
  readonly name: string;
  node: KubeObject | undefined;
  /** No taints and schedulable: every pod without node selection fits (the common case, checked once). */
  open: boolean;
  pods: number;
  /** `spread` counts the current pod's owner's pods here when `spreadFor` is that pod's search. */
  spreadFor: number;
  spread: number;
}

export class DefaultScheduler {
  private queue: WorkQueue;
  private nodes = new Map<string, KubeObject>();
  private slots = new Map<string, NodeSlot>();
  private searches = 0;
  /** Pods per node of each owner (a ReplicaSet's uid): what spreading scores. */
  private ownedOnNode = new Map<string, Map<string, number>>();
  private placed = new Map<string, string>();
  private waiting = new Set<string>();
  private sorted: NodeSlot[] | undefined;
  /** Where the next search for feasible nodes starts (the scheduler's nextStartNodeIndex). */
  private nextStart = 0;

  constructor(
    private readonly store: ObjectStore,
    clock: Clock,
    private readonly rng: Rng,
    private readonly events: EventRecorder,
  ) {
    this.queue = new WorkQueue(clock, (k) => this.schedule(k));
    store.watch('nodes', undefined, {}, (e) => {
      if (e.type !== 'MODIFIED') this.sorted = undefined;
      const slot = this.slot(e.object.metadata.name!);
      if (e.type === 'DELETED') {
        this.nodes.delete(slot.name);
        slot.node = undefined;
      } else {
        this.nodes.set(slot.name, e.object);
        const spec = e.object.spec as Obj | undefined;
        slot.node = e.object;
        slot.open = !spec?.unschedulable && !spec?.taints?.length;
      }
      for (const k of this.waiting) this.queue.add(k);
    });
    store.watch('pods', undefined, {}, (e) => this.onPod(e.type, e.object));
  }

  private slot(name: string): NodeSlot {
    let slot = this.slots.get(name);
    if (!slot) this.slots.set(name, (slot = { name, node: undefined, open: false, pods: 0, spreadFor: 0, spread: 0 }));
    return slot;
  }

  private onPod(type: string, pod: KubeObject): void {
    const key = keyOf(pod);
    const spec = pod.spec as Obj;
    const node = spec.nodeName as string | undefined;
    const was = this.placed.get(key);
    if (was && (type === 'DELETED' || was !== node)) this.count(pod, was, -1);
    if (type === 'DELETED') {
      this.placed.delete(key);
      this.waiting.delete(key);
      return;
    }
    if (node && was !== node) this.count(pod, node, +1);
    if (node) {
      this.placed.set(key, node);
      this.waiting.delete(key);
    } else if (!pod.metadata.deletionTimestamp && (spec.schedulerName ?? 'default-scheduler') === 'default-scheduler') this.queue.add(key);
  }

  private count(pod: KubeObject, node: string, d: number): void {
    this.slot(node).pods += d;
    const o = ownerUid(pod);
    if (!o) return;
    let mine = this.ownedOnNode.get(o);
    if (!mine) this.ownedOnNode.set(o, (mine = new Map()));
    const n = (mine.get(node) ?? 0) + d;
    if (n) mine.set(node, n);
    else if (mine.delete(node) && !mine.size) this.ownedOnNode.delete(o);
  }

  private schedule(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.store.find('pods', ns, name);
    if (!pod || (pod.spec as Obj).nodeName || pod.metadata.deletionTimestamp) return;
    const spec = pod.spec as Obj;
    const reasons = new Map<string, number>();
    const fail = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const fits: NodeSlot[] = [];
    const nodes = (this.sorted ??= [...this.nodes.keys()].sort().map((n) => this.slot(n)));
    const plain = !spec.nodeSelector && !spec.affinity;
    // numFeasibleNodesToFind: in large clusters only a share of the nodes is searched, starting where
    // the last search stopped (percentageOfNodesToScore's adaptive default, at least 100 nodes).
    const n = nodes.length;
    const want = n < 100 ? n : Math.max(100, Math.floor((n * Math.max(5, 50 - Math.floor(n / 125))) / 100));
    let visited = 0;
    for (; visited < n && fits.length < want; visited++) {
      const slot = nodes[(this.nextStart + visited) % n]!;
      const node = slot.node!;
      if (plain && slot.open) fits.push(slot);
      else if ((node.spec as Obj | undefined)?.unschedulable && !tolerates(spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) fail('node(s) were unschedulable');
      else if (!matchesNodeAffinity(spec, node)) fail("node(s) didn't match Pod's node affinity/selector");
      else {
        const t = untoleratedTaint(node, spec.tolerations);
        if (t) fail(`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`);
        else if (this.antiAffinityBlocks(pod, node)) fail("node(s) didn't match pod anti-affinity rules");
        else fits.push(slot);
      }
    }
    if (n) this.nextStart = (this.nextStart + visited) % n;
    if (!fits.length) {
      const n = this.nodes.size;
      const detail = [...reasons.entries()]
        .map(([r, c]) => `${c} ${r}`)
        .sort()
        .join(', ');
      const message = n === 0 ? 'no nodes available to schedule pods' : `0/${n} nodes are available: ${detail}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
      this.waiting.add(key);
      const cond = ((pod.status as Obj | undefined)?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled');
      if (cond?.message !== message) {
        this.store.updateStatus({ ...pod, status: { ...(pod.status as Obj), conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: this.store.timestamp(), reason: 'Unschedulable', message }] } });
        this.events.record(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
      }
      return;
    }
    const owner = ownerUid(pod);
    // Spreading: mark the few nodes that hold the owner's pods, rather than look every feasible node up.
    const search = ++this.searches;
    for (const [name, count] of (owner && this.ownedOnNode.get(owner)) || []) {
      const slot = this.slot(name);
      slot.spreadFor = search;
      slot.spread = count;
    }
    let best: NodeSlot[] = [];
    let bestScore = -Infinity;
    for (const slot of fits) {
      const spread = slot.spreadFor === search ? slot.spread : 0;
      const score = -spread * 1000 - slot.pods;
      if (score > bestScore) {
        bestScore = score;
        best = [slot];
      } else if (score === bestScore) best.push(slot);
    }
    const chosen = best.length === 1 ? best[0]! : best[this.rng.int(0, best.length)]!;
    this.bind(pod, chosen.name);
  }

  private antiAffinityBlocks(pod: KubeObject, node: KubeObject): boolean {
    const terms: Obj[] = (pod.spec as Obj).affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
    const hostTerms = terms.filter((t) => t.topologyKey === 'kubernetes.io/hostname');
    if (!hostTerms.length) return false;
    const nn = node.metadata.name!;
    for (const [key, on] of this.placed) {
      if (on !== nn) continue;
      const [ns, name] = splitKey(key);
      const other = this.store.find('pods', ns, name);
      if (!other) continue;
      if (hostTerms.some((t) => (t.namespaces ?? [pod.metadata.namespace]).includes(other.metadata.namespace) && selectorMatches(fromLabelSelector(t.labelSelector), other.metadata.labels))) return true;
    }
    return false;
  }

  private bind(pod: KubeObject, node: string): void {
    this.store.bindPod(pod.metadata.namespace!, pod.metadata.name!, node);
    this.events.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${pod.metadata.namespace}/${pod.metadata.name} to ${node}`, 'default-scheduler');
  }
}
