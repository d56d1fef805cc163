// kube-controller-manager's node lifecycle controller:
// - TaintNodesByCondition: a node whose Ready condition is not True carries
//   `node.kubernetes.io/not-ready:NoSchedule` (Unknown: `unreachable`), removed once it is Ready, so
//   pods are not scheduled onto it unless they tolerate it (DaemonSet pods do).
// - The health monitor (monitorNodeHealth, every --node-monitor-period): a node whose kubelet has not
//   renewed its Lease in kube-node-lease for --node-monitor-grace-period gets its conditions set to
//   Unknown ("Kubelet stopped posting node status."), a NodeNotReady event, and its pods' Ready
//   condition set to False (MarkPodsNotReady), which takes them out of their Services' endpoints.
//   Nodes that never had a Lease (made by hand, with no kubelet in the lab) are not judged.
// - Taint-based eviction: a node not Ready carries the NoExecute taint of its state (not-ready for
//   False, unreachable for Unknown) while its zone is not fully disrupted; the taint eviction
//   controller (taint-eviction.ts) deletes the pods that do not tolerate it. All of a kind cluster's
//   nodes are in one zone (they carry no zone label).
// - A cordoned node (spec.unschedulable, kubectl cordon) carries `node.kubernetes.io/unschedulable:NoSchedule`.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { WorkQueue } from './queue.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const NOT_READY = 'node.kubernetes.io/not-ready';
const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';

/** --node-monitor-period. */
const MONITOR_PERIOD_MS = 5_000;
/** --node-monitor-grace-period: 50 s since Kubernetes 1.32 (kubernetes#126287; 40 s before). */
export const NODE_MONITOR_GRACE_MS = 50_000;
/** The share of not-Ready nodes (with more than two) from which a zone is partially disrupted: --unhealthy-zone-threshold. */
const UNHEALTHY_ZONE_THRESHOLD = 0.55;
/** The conditions the controller turns Unknown besides Ready (the kubelet's own). */
const KUBELET_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function readyCondition(node: KubeObject): Obj | undefined {
  return ((node.status as Obj | undefined)?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
}

function readyStatus(node: KubeObject): string {
  return readyCondition(node)?.status ?? 'Unknown';
}

type ZoneState = 'Normal' | 'PartialDisruption' | 'FullDisruption';

export class NodeLifecycle {
  private readonly queue: WorkQueue;
  /** When each node's Lease was last seen renewed (the controller's probe timestamp). */
  private readonly probed = new Map<string, number>();
  private readonly renewTimes = new Map<string, string>();
  private monitoring = false;
  /** Each node's Ready status as last seen, and how many are True: the zone's state without a list per sync. */
  private readonly readiness = new Map<string, string>();
  private readyCount = 0;
  private zone: ZoneState = 'Normal';

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Scheduler,
    private readonly events?: EventRecorder,
  ) {
    this.queue = new WorkQueue(clock, (n) => this.sync(n));
    store.watch('nodes', undefined, {}, (e) => {
      const name = e.object.metadata.name!;
      this.observe(name, e.type === 'DELETED' ? undefined : readyStatus(e.object));
      if (e.type !== 'DELETED') this.queue.add(name);
      else this.forget(name);
    });
    store.watch('leases', 'kube-node-lease', {}, (e) => {
      const name = e.object.metadata.name!;
      if (e.type === 'DELETED') return this.forget(name);
      const renew = String((e.object.spec as Obj | undefined)?.renewTime ?? '');
      if (this.renewTimes.get(name) === renew) return;
      this.renewTimes.set(name, renew);
      this.probed.set(name, clock.now());
      this.startMonitor();
    });
  }

  /** Counts the node's readiness; a zone whose state changes has every node's NoExecute taint reconsidered. */
  private observe(name: string, status: string | undefined): void {
    const was = this.readiness.get(name);
    if (was === 'True') this.readyCount--;
    if (status === 'True') this.readyCount++;
    if (status === undefined) this.readiness.delete(name);
    else this.readiness.set(name, status);
    const zone = this.zoneState();
    if (zone === this.zone) return;
    this.zone = zone;
    for (const n of this.readiness.keys()) this.queue.add(n);
  }

  private forget(name: string): void {
    this.probed.delete(name);
    this.renewTimes.delete(name);
  }

  private startMonitor(): void {
    if (this.monitoring) return;
    this.monitoring = true;
    const tick = () => {
      this.monitorNodeHealth();
      this.clock.schedule(MONITOR_PERIOD_MS, tick);
    };
    this.clock.schedule(MONITOR_PERIOD_MS, tick);
  }

  /** Nodes whose Lease is older than the grace period turn Unknown. */
  private monitorNodeHealth(): void {
    const now = this.clock.now();
    for (const [name, at] of this.probed) {
      if (now - at <= NODE_MONITOR_GRACE_MS) continue;
      const node = this.store.find('nodes', undefined, name);
      if (node && readyStatus(node) !== 'Unknown') this.markUnknown(node);
    }
  }

  private markUnknown(node: KubeObject): void {
    const name = node.metadata.name!;
    const was = readyStatus(node);
    const now = this.store.timestamp();
    const conditions = ((node.status as Obj).conditions as Obj[]).map((c) =>
      KUBELET_CONDITIONS.includes(c.type) && c.status !== 'Unknown'
        ? { ...c, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastTransitionTime: now }
        : c,
    );
    const updated = this.store.updateStatus({ ...node, status: { ...(node.status as Obj), conditions } });
    if (was !== 'True') return;
    this.events?.record(updated, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`, 'node-controller');
    this.markPodsNotReady(name);
  }

  /** MarkPodsNotReady: each pod on the node gets Ready False and a NodeNotReady event. */
  private markPodsNotReady(node: string): void {
    const now = this.store.timestamp();
    for (const pod of this.store.list('pods').items) {
      if ((pod.spec as Obj).nodeName !== node) continue;
      const status = pod.status as Obj;
      const conditions = (status.conditions ?? []) as Obj[];
      if (!conditions.some((c) => c.type === 'Ready' && c.status !== 'False')) continue;
      const next = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      const updated = this.store.updateStatus({ ...pod, status: { ...status, conditions: next } });
      this.events?.record(updated, 'Warning', 'NodeNotReady', 'Node is not ready', 'node-controller');
    }
  }

  /** ComputeZoneState over every node (one zone). */
  private zoneState(): ZoneState {
    const ready = this.readyCount;
    const notReady = this.readiness.size - ready;
    if (ready === 0 && notReady > 0) return 'FullDisruption';
    if (notReady > 2 && notReady / (ready + notReady) >= UNHEALTHY_ZONE_THRESHOLD) return 'PartialDisruption';
    return 'Normal';
  }

  private sync(name: string): void {
    const node = this.store.find('nodes', undefined, name);
    if (!node) return;
    const status = readyStatus(node);
    const taints: Obj[] = (node.spec as Obj | undefined)?.taints ?? [];
    const ours = (t: Obj) => t.key === NOT_READY || t.key === UNREACHABLE || t.key === UNSCHEDULABLE;
    const has = (key: string, effect: string) => taints.find((t) => t.key === key && t.effect === effect);
    const want = status === 'True' ? undefined : status === 'False' ? NOT_READY : UNREACHABLE;
    // NoSchedule follows the condition; NoExecute is added only in a zone that is not disrupted (a
    // partially disrupted small cluster evicts at rate 0), and goes once the node is Ready or the
    // whole zone is down (where evicting would empty the cluster).
    const zone = this.zone;
    const noExecute =
      !want || zone === 'FullDisruption'
        ? undefined
        : (has(want, 'NoExecute') ??
          (zone === 'Normal' ? { key: want, effect: 'NoExecute', timeAdded: this.store.timestamp() } : undefined));
    const next = [
      ...taints.filter((t) => !ours(t)),
      ...(want ? [has(want, 'NoSchedule') ?? { key: want, effect: 'NoSchedule' }] : []),
      // a cordoned node (kubectl cordon: spec.unschedulable) is tainted so, as TaintNodesByCondition does
      ...((node.spec as Obj | undefined)?.unschedulable
        ? [has(UNSCHEDULABLE, 'NoSchedule') ?? { key: UNSCHEDULABLE, effect: 'NoSchedule' }]
        : []),
      ...(noExecute ? [noExecute] : []),
    ];
    const key = (ts: Obj[]) => JSON.stringify(ts.map((t) => [t.key, t.effect]));
    if (key(next) !== key(taints)) this.store.patchOwn('nodes', undefined, name, 'merge', { spec: { taints: next.length ? next : null } });
  }
}
