// Per-namespace housekeeping of kube-controller-manager: the namespace controller empties a
// Terminating namespace and then lets it go; the serviceaccount controller gives every namespace its
// `default` ServiceAccount, the root-ca-cert-publisher its `kube-root-ca.crt` ConfigMap.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import { WorkQueue } from './queue.js';

export class NamespaceController {
  private queue: WorkQueue;

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
    private readonly caCert: string,
  ) {
    this.queue = new WorkQueue(clock, (ns) => this.sync(ns));
    store.watch('namespaces', undefined, {}, (e) => {
      if (e.type !== 'DELETED') this.queue.add(e.object.metadata.name!);
    });
    store.watch('serviceaccounts', undefined, { fieldSelector: 'metadata.name=default' }, (e) => {
      if (e.type === 'DELETED') this.queue.add(e.object.metadata.namespace!);
    });
  }

  private sync(name: string): void {
    const ns = this.store.find('namespaces', undefined, name);
    if (!ns) return;
    if (ns.metadata.deletionTimestamp) return this.empty(ns);
    if (!this.store.find('serviceaccounts', name, 'default'))
      this.store.createOwn({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: name } });
    if (!this.store.find('configmaps', name, 'kube-root-ca.crt')) {
      this.store.createOwn({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'kube-root-ca.crt',
          namespace: name,
          annotations: {
            'kubernetes.io/description':
              'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
          },
        },
        data: { 'ca.crt': this.caCert },
      });
    }
  }

  /** Deletes everything in the namespace; once nothing is left, the namespace goes. */
  private empty(ns: KubeObject): void {
    const name = ns.metadata.name!;
    if ((ns.status as { phase?: string } | undefined)?.phase !== 'Terminating')
      this.store.updateStatus({ ...ns, status: { phase: 'Terminating' } });
    let left = 0;
    for (const r of this.store.resources()) {
      if (!r.namespaced) continue;
      for (const o of this.store.list(r.resource, name).items) {
        left++;
        if (!o.metadata.deletionTimestamp) this.store.delete(r.resource, name, o.metadata.name!);
      }
    }
    const remaining = this.store.resources().some((r) => r.namespaced && this.store.list(r.resource, name).items.length > 0);
    if (!remaining) this.store.finalizeDeletion('namespaces', undefined, name);
    else if (left) this.queue.addAfter(name, 1000);
  }
}
