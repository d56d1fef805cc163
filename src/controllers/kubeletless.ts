// Until a node runs an agent (the coming kubelet), nobody would ever finish a scheduled pod's graceful
// deletion: this stand-in ends it when the grace period is over, as a kubelet does once the containers
// stopped. Nodes with an agent attached (Cluster.attachNodeAgent) are left to that agent.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';

export class PodTerminator {
  private timers = new Map<string, boolean>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Scheduler,
    private readonly hasAgent: (node: string) => boolean,
  ) {
    store.watch('pods', undefined, {}, (e) => {
      if (e.type === 'DELETED') return;
      this.onPod(e.object);
    });
  }

  private onPod(p: KubeObject): void {
    const node = (p.spec as { nodeName?: string }).nodeName;
    if (!p.metadata.deletionTimestamp || !node || this.hasAgent(node)) return;
    const key = `${p.metadata.namespace}/${p.metadata.name}/${p.metadata.uid}`;
    if (this.timers.has(key)) return;
    this.timers.set(key, true);
    const at = Date.parse(p.metadata.deletionTimestamp);
    const delay = Math.max(0, at - this.store.now());
    this.clock.schedule(delay, () => {
      this.timers.delete(key);
      const cur = this.store.find('pods', p.metadata.namespace, p.metadata.name!);
      if (cur && cur.metadata.uid === p.metadata.uid) this.store.finalizeDeletion('pods', p.metadata.namespace, p.metadata.name!);
    });
  }
}
