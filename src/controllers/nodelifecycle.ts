// The node lifecycle controller's TaintNodesByCondition: a node whose Ready condition is not True
// carries `node.kubernetes.io/not-ready:NoSchedule` (Unknown: `unreachable`), removed once it is
// Ready; so pods are not scheduled onto NotReady nodes unless they tolerate it (DaemonSet pods do).
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import { WorkQueue } from './queue.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NOT_READY = 'node.kubernetes.io/not-ready';
const UNREACHABLE = 'node.kubernetes.io/unreachable';

export function readyCondition(node: KubeObject): Obj | undefined {
  return ((node.status as Obj | undefined)?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
}

export class NodeLifecycle {
  private queue: WorkQueue;
  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
  ) {
    this.queue = new WorkQueue(clock, (n) => this.sync(n));
    store.watch('nodes', undefined, {}, (e) => {
      if (e.type !== 'DELETED') this.queue.add(e.object.metadata.name!);
    });
  }

  private sync(name: string): void {
    const node = this.store.find('nodes', undefined, name);
    if (!node) return;
    const status = readyCondition(node)?.status ?? 'Unknown';
    const want = status === 'True' ? undefined : status === 'False' ? NOT_READY : UNREACHABLE;
    const taints: Obj[] = (node.spec as Obj | undefined)?.taints ?? [];
    const kept = taints.filter((t) => !((t.key === NOT_READY || t.key === UNREACHABLE) && t.effect === 'NoSchedule'));
    const next = want ? [...kept, { key: want, effect: 'NoSchedule' }] : kept;
    const same = JSON.stringify(next.map((t) => [t.key, t.effect])) === JSON.stringify(taints.map((t) => [t.key, t.effect]));
    if (!same) this.store.patch('nodes', undefined, name, 'merge', { spec: { taints: next.length ? next : null } });
  }
}
