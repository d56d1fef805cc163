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

export class DefaultScheduler {
  private queue: WorkQueue;
  private nodes = new Map<string, KubeObject>();
  private podsOnNode = new Map<string, number>();
  private ownedOnNode = new Map<string, number>();
  private placed = new Map<string, string>();
  private waiting = new Set<string>();
  private sortedNames: string[] | undefined;
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
      if (e.type !== 'MODIFIED') this.sortedNames = undefined;
      if (e.type === 'DELETED') this.nodes.delete(e.object.metadata.name!);
      else this.nodes.set(e.object.metadata.name!, e.object);
      for (const k of this.waiting) this.queue.add(k);
    });
    store.watch('pods', undefined, {}, (e) => this.onPod(e.type, e.object));
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
    this.podsOnNode.set(node, (this.podsOnNode.get(node) ?? 0) + d);
    const o = ownerUid(pod);
    if (o) this.ownedOnNode.set(`${o}|${node}`, (this.ownedOnNode.get(`${o}|${node}`) ?? 0) + d);
  }

  private schedule(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.store.find('pods', ns, name);
    if (!pod || (pod.spec as Obj).nodeName || pod.metadata.deletionTimestamp) return;
    const spec = pod.spec as Obj;
    const reasons = new Map<string, number>();
    const fail = (r: string) => reasons.set(r, (reasons.get(r) ?? 0) + 1);
    const fits: KubeObject[] = [];
    const names = (this.sortedNames ??= [...this.nodes.keys()].sort());
    // numFeasibleNodesToFind: in large clusters only a share of the nodes is searched, starting where
    // the last search stopped (percentageOfNodesToScore's adaptive default, at least 100 nodes).
    const n = names.length;
    const want = n < 100 ? n : Math.max(100, Math.floor((n * Math.max(5, 50 - Math.floor(n / 125))) / 100));
    let visited = 0;
    for (; visited < n && fits.length < want; visited++) {
      const node = this.nodes.get(names[(this.nextStart + visited) % n]!)!;
      if ((node.spec as Obj | undefined)?.unschedulable && !tolerates(spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })) fail('node(s) were unschedulable');
      else if (!matchesNodeAffinity(spec, node)) fail("node(s) didn't match Pod's node affinity/selector");
      else {
        const t = untoleratedTaint(node, spec.tolerations);
        if (t) fail(`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`);
        else if (this.antiAffinityBlocks(pod, node)) fail("node(s) didn't match pod anti-affinity rules");
        else fits.push(node);
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
    let best: KubeObject[] = [];
    let bestScore = -Infinity;
    for (const node of fits) {
      const nn = node.metadata.name!;
      const spread = owner ? (this.ownedOnNode.get(`${owner}|${nn}`) ?? 0) : 0;
      const score = -spread * 1000 - (this.podsOnNode.get(nn) ?? 0);
      if (score > bestScore) {
        bestScore = score;
        best = [node];
      } else if (score === bestScore) best.push(node);
    }
    const chosen = best.length === 1 ? best[0]! : best[this.rng.int(0, best.length)]!;
    this.bind(pod, chosen.metadata.name!);
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
