// The default scheduler, in its basics: filters (unschedulable nodes, taints against tolerations,
// nodeSelector and required node affinity, required pod anti-affinity on the hostname) and scores
// (the default topology spreading of a controller's pods over nodes first, then the least loaded node),
// ties broken by the cluster's seeded rng as selectHost's reservoir sampling does. It binds by setting
// spec.nodeName and the PodScheduled condition; a pod that fits nowhere gets the scheduler's
// FailedScheduling message and is retried when nodes change.
import { type KubeObject, type ObjectStore, fromLabelSelector, selectorMatches } from '../api/index.js';
import { sortedIndex, type Rng, type Scheduler as Clock } from '../sim/index.js';
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
  return ((node.spec as Obj | undefined)?.taints ?? []).find(
    (t: Taint) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(tols, t),
  );
}

function nodeSelectorTermMatches(term: Obj, node: KubeObject): boolean {
  const labels = node.metadata.labels ?? {};
  for (const e of term.matchExpressions ?? []) {
    const v = labels[e.key];
    const ok =
      e.operator === 'In'
        ? v !== undefined && e.values.includes(v)
        : e.operator === 'NotIn'
          ? v === undefined || !e.values.includes(v)
          : e.operator === 'Exists'
            ? v !== undefined
            : e.operator === 'DoesNotExist'
              ? v === undefined
              : e.operator === 'Gt'
                ? v !== undefined && Number(v) > Number(e.values[0])
                : e.operator === 'Lt'
                  ? v !== undefined && Number(v) < Number(e.values[0])
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

/**
 * The search positions of the nodes a pod's required node affinity names, when every term names
 * its nodes (matchFields metadata.name In; a term's requirements are ANDed, the terms ORed), as
 * NodeAffinity's PreFilter finds them; undefined when a term leaves any node possible.
 */
function pinnedPositions(spec: Obj, slots: ReadonlyMap<string, NodeSlot>): number[] | undefined {
  const terms: Obj[] | undefined = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return undefined;
  const names = new Set<string>();
  for (const t of terms) {
    let named: string[] | undefined;
    for (const f of t.matchFields ?? [])
      if (f.key === 'metadata.name' && f.operator === 'In') named = named ? named.filter((v) => f.values.includes(v)) : [...f.values];
    if (!named) return undefined;
    for (const v of named) names.add(v);
  }
  const at: number[] = [];
  for (const name of names) {
    const slot = slots.get(name);
    if (slot?.node && slot.at >= 0) at.push(slot.at);
  }
  return at;
}

const ownerUid = (p: KubeObject) => p.metadata.ownerReferences?.find((o) => o.controller)?.uid;

/** What the scheduler's cache holds per node name: the Node (once it exists) and the pods placed on it. */
interface NodeSlot {
  readonly name: string;
  node: KubeObject | undefined;
  /** No taints and schedulable: every pod without node selection fits (the common case, checked once). */
  open: boolean;
  pods: number;
  /** Its position in the search order, -1 when it has none. */
  at: number;
}

const slotName = (s: NodeSlot): string => s.name;

export class DefaultScheduler {
  private queue: WorkQueue;
  private nodes = new Map<string, KubeObject>();
  private slots = new Map<string, NodeSlot>();
  private searches = 0;
  /** Pods per node of each owner (a ReplicaSet's uid): what spreading scores. */
  private ownedOnNode = new Map<string, Map<NodeSlot, number>>();
  private placed = new Map<string, string>();
  private waiting = new Set<string>();
  /**
   * The nodes' slots by name (by code unit, as sort() orders them), kept as they come and go: a
   * sort per node added was N² log N while a cluster came up; a rebuilt search order copies them.
   */
  private readonly sorted: NodeSlot[] = [];
  /** The nodes in search order (by name), rebuilt when one comes or goes. */
  private order: NodeSlot[] | undefined;
  // What a search reads per position of `order`, in flat arrays (a search visits hundreds of nodes per pod).
  private openAt = new Uint8Array(0);
  private podsAt = new Float64Array(0);
  /** The owner's pods at a position, valid when `spreadFor` there is the current search's number. */
  private spreadAt = new Float64Array(0);
  private spreadFor = new Float64Array(0);
  /** The positions of the highest-scoring feasible nodes of the current search. */
  private best = new Int32Array(0);
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
      if (e.type !== 'MODIFIED') this.order = undefined;
      const slot = this.slot(e.object.metadata.name!);
      if (e.type === 'DELETED') {
        if (this.nodes.delete(slot.name)) {
          this.sorted.splice(sortedIndex(this.sorted, slot.name, slotName), 1);
        }
        slot.node = undefined;
      } else {
        if (!this.nodes.has(slot.name)) {
          this.sorted.splice(sortedIndex(this.sorted, slot.name, slotName), 0, slot);
          this.order = undefined;
        }
        this.nodes.set(slot.name, e.object);
        const spec = e.object.spec as Obj | undefined;
        slot.node = e.object;
        slot.open = !spec?.unschedulable && !spec?.taints?.length;
        if (this.order && slot.at >= 0) this.openAt[slot.at] = slot.open ? 1 : 0;
      }
      for (const k of this.waiting) this.queue.add(k);
    });
    store.watch('pods', undefined, {}, (e) => this.onPod(e.type, e.object));
  }

  private slot(name: string): NodeSlot {
    let slot = this.slots.get(name);
    if (!slot) this.slots.set(name, (slot = { name, node: undefined, open: false, pods: 0, at: -1 }));
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
    const slot = this.slot(node);
    slot.pods += d;
    if (this.order && slot.at >= 0) this.podsAt[slot.at] = slot.pods;
    const o = ownerUid(pod);
    if (!o) return;
    let mine = this.ownedOnNode.get(o);
    if (!mine) this.ownedOnNode.set(o, (mine = new Map()));
    const n = (mine.get(slot) ?? 0) + d;
    if (n) mine.set(slot, n);
    else if (mine.delete(slot) && !mine.size) this.ownedOnNode.delete(o);
  }

  private searchOrder(): NodeSlot[] {
    if (this.order) return this.order;
    for (const slot of this.slots.values()) slot.at = -1;
    const order = this.sorted.slice();
    const n = order.length;
    this.openAt = new Uint8Array(n);
    this.podsAt = new Float64Array(n);
    this.spreadAt = new Float64Array(n);
    this.spreadFor = new Float64Array(n);
    this.best = new Int32Array(n);
    order.forEach((slot, i) => {
      slot.at = i;
      this.openAt[i] = slot.open ? 1 : 0;
      this.podsAt[i] = slot.pods;
    });
    return (this.order = order);
  }

  private schedule(key: string): void {
    const [ns, name] = splitKey(key);
    const pod = this.store.find('pods', ns, name);
    if (!pod || (pod.spec as Obj).nodeName || pod.metadata.deletionTimestamp) return;
    const spec = pod.spec as Obj;
    let reasons: Map<string, number> | undefined;
    const fail = (r: string) => (reasons ??= new Map()).set(r, (reasons.get(r) ?? 0) + 1);
    const nodes = this.searchOrder();
    const plain = !spec.nodeSelector && !spec.affinity;
    // Spreading: mark the few nodes that hold the owner's pods, rather than look every feasible node up.
    const owner = ownerUid(pod);
    const search = ++this.searches;
    const { openAt, podsAt, spreadAt, spreadFor, best } = this;
    const mine = owner && this.ownedOnNode.get(owner);
    if (mine)
      mine.forEach((count, slot) => {
        if (slot.at < 0) return;
        spreadFor[slot.at] = search;
        spreadAt[slot.at] = count;
      });
    // numFeasibleNodesToFind: in large clusters only a share of the nodes is searched, starting where
    // the last search stopped (percentageOfNodesToScore's adaptive default, at least 100 nodes).
    // Feasible nodes are scored as they are found; the best (in search order) are kept in `best`.
    const n = nodes.length;
    const want = n < 100 ? n : Math.max(100, Math.floor((n * Math.max(5, 50 - Math.floor(n / 125))) / 100));
    let bests = 0;
    let bestScore = -Infinity;
    let fits = 0;
    let visited = 0;
    const consider = (i: number) => {
      fits++;
      const spread = spreadFor[i] === search ? spreadAt[i]! : 0;
      const score = -spread * 1000 - podsAt[i]!;
      if (score > bestScore) {
        bestScore = score;
        bests = 0;
      }
      if (score === bestScore) best[bests++] = i;
    };
    // A pod pinned to nodes by name (a DaemonSet's: every required node affinity term has a
    // matchFields metadata.name In) fits no other node, so the search below would visit all n
    // nodes for those few (fewer than it wants) and end where it began. The pinned nodes are
    // looked at directly, in search order, which chooses alike; when none fits, the search runs
    // anyway, for the reason of every node.
    const pinned = plain ? undefined : pinnedPositions(spec, this.slots);
    if (pinned && pinned.length < want) {
      const from = this.nextStart;
      pinned.sort((a, b) => (a < from ? a + n : a) - (b < from ? b + n : b));
      for (const i of pinned) if (this.feasible(pod, spec, nodes[i]!.node!, () => undefined)) consider(i);
      if (fits) visited = n;
    }
    if (!fits) {
      for (; visited < n && fits < want; visited++) {
        let i = this.nextStart + visited;
        if (i >= n) i -= n;
        if (!(plain && openAt[i]) && !this.feasible(pod, spec, nodes[i]!.node!, fail)) continue;
        consider(i);
      }
    }
    if (n) this.nextStart = (this.nextStart + visited) % n;
    if (!fits) {
      const n = this.nodes.size;
      const detail = [...(reasons ?? new Map<string, number>()).entries()]
        .map(([r, c]) => `${c} ${r}`)
        .sort()
        .join(', ');
      const message =
        n === 0
          ? 'no nodes available to schedule pods'
          : `0/${n} nodes are available: ${detail}. preemption: 0/${n} nodes are available: ${n} Preemption is not helpful for scheduling.`;
      this.waiting.add(key);
      const cond = ((pod.status as Obj | undefined)?.conditions ?? []).find((c: Obj) => c.type === 'PodScheduled');
      if (cond?.message !== message) {
        this.store.updateStatus({
          ...pod,
          status: {
            ...(pod.status as Obj),
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                lastProbeTime: null,
                lastTransitionTime: this.store.timestamp(),
                reason: 'Unschedulable',
                message,
              },
            ],
          },
        });
        this.events.record(pod, 'Warning', 'FailedScheduling', message, 'default-scheduler');
      }
      return;
    }
    const chosen = nodes[bests === 1 ? best[0]! : best[this.rng.int(0, bests)]!]!;
    this.bind(pod, chosen.name);
  }
  /** The filters, in the scheduler's order; `fail` hears why a node does not fit. */
  private feasible(pod: KubeObject, spec: Obj, node: KubeObject, fail: (reason: string) => void): boolean {
    if (
      (node.spec as Obj | undefined)?.unschedulable &&
      !tolerates(spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
    )
      fail('node(s) were unschedulable');
    else if (!matchesNodeAffinity(spec, node)) fail("node(s) didn't match Pod's node affinity/selector");
    else {
      const t = untoleratedTaint(node, spec.tolerations);
      if (t) fail(`node(s) had untolerated taint {${t.key}: ${t.value ?? ''}}`);
      else if (this.antiAffinityBlocks(pod, node)) fail("node(s) didn't match pod anti-affinity rules");
      else return true;
    }
    return false;
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
      if (
        hostTerms.some(
          (t) =>
            (t.namespaces ?? [pod.metadata.namespace]).includes(other.metadata.namespace) &&
            selectorMatches(fromLabelSelector(t.labelSelector), other.metadata.labels),
        )
      )
        return true;
    }
    return false;
  }

  private bind(pod: KubeObject, node: string): void {
    this.store.bindPod(pod.metadata.namespace!, pod.metadata.name!, node);
    this.events.record(
      pod,
      'Normal',
      'Scheduled',
      // joined: one flat string, not a tree of concatenations, kept with the Event
      ['Successfully assigned ', pod.metadata.namespace, '/', pod.metadata.name, ' to ', node].join(''),
      'default-scheduler',
    );
  }
}
