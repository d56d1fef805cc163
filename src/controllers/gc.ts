// The garbage collector: an object whose owners (ownerReferences) are all gone is deleted (background
// cascading deletion); an owner deleted with propagationPolicy Foreground keeps its `foregroundDeletion`
// finalizer until its dependents are gone, one deleted with Orphan has its dependents' references to it
// removed and then its `orphan` finalizer lifted.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import { WorkQueue } from './queue.js';

interface Ref {
  resource: string;
  namespace: string | undefined;
  name: string;
}

export class GarbageCollector {
  private alive = new Map<string, Ref>();
  private dependents = new Map<string, Set<string>>();
  private refs = new Map<string, Ref & { owners: string[]; ownerReferences: unknown }>();
  private queue: WorkQueue;

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
  ) {
    this.queue = new WorkQueue(clock, (uid) => this.sync(uid));
    const watched = new Set<string>();
    const watch = (resource: string) => {
      if (watched.has(resource)) return;
      watched.add(resource);
      store.watch(resource, undefined, {}, (e) => this.observe(resource, e.type, e.object));
    };
    for (const r of store.resources()) if (r.resource !== 'events') watch(r.resource);
    store.watch('customresourcedefinitions', undefined, {}, () => {
      for (const r of store.resources()) if (r.resource !== 'events') watch(r.resource);
    });
  }

  private observe(resource: string, type: string, o: KubeObject): void {
    const uid = o.metadata.uid!;
    if (type === 'DELETED') {
      this.alive.delete(uid);
      const mine = this.refs.get(uid);
      for (const owner of mine?.owners ?? []) this.dependents.get(owner)?.delete(uid);
      this.refs.delete(uid);
      for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
      // an owner waiting in foreground deletion may now be free
      for (const owner of mine?.owners ?? []) this.queue.add(owner);
      return;
    }
    const prev = this.refs.get(uid);
    // A status write shares the stored (frozen) ownerReferences: nothing to learn from it.
    if (prev && prev.ownerReferences === o.metadata.ownerReferences && !o.metadata.deletionTimestamp) return;
    const ref = { resource, namespace: o.metadata.namespace, name: o.metadata.name! };
    this.alive.set(uid, ref);
    const owners = (o.metadata.ownerReferences ?? []).map((r) => r.uid);
    for (const p of prev?.owners ?? []) if (!owners.includes(p)) this.dependents.get(p)?.delete(uid);
    for (const p of owners) {
      let s = this.dependents.get(p);
      if (!s) this.dependents.set(p, (s = new Set()));
      s.add(uid);
      if (!this.alive.has(p)) this.queue.add(uid);
    }
    this.refs.set(uid, { ...ref, owners, ownerReferences: o.metadata.ownerReferences });
    if (o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).some((f) => f === 'foregroundDeletion' || f === 'orphan')) this.queue.add(uid);
  }

  private sync(uid: string): void {
    const ref = this.alive.get(uid) ?? this.refs.get(uid);
    if (!ref) return;
    const o = this.store.find(ref.resource, ref.namespace, ref.name);
    if (!o || o.metadata.uid !== uid) return;
    const fin = o.metadata.finalizers ?? [];
    const deps = [...(this.dependents.get(uid) ?? [])];
    if (o.metadata.deletionTimestamp && fin.includes('orphan')) {
      for (const d of deps) {
        const r = this.refs.get(d);
        const dep = r && this.store.find(r.resource, r.namespace, r.name);
        if (dep) this.store.patch(r.resource, r.namespace, r.name, 'merge', { metadata: { ownerReferences: (dep.metadata.ownerReferences ?? []).filter((x) => x.uid !== uid) } });
      }
      this.store.patch(ref.resource, ref.namespace, ref.name, 'merge', { metadata: { finalizers: fin.filter((f) => f !== 'orphan') } });
      return;
    }
    if (o.metadata.deletionTimestamp && fin.includes('foregroundDeletion')) {
      const live = deps.filter((d) => this.alive.has(d));
      if (!live.length) {
        this.store.patch(ref.resource, ref.namespace, ref.name, 'merge', { metadata: { finalizers: fin.filter((f) => f !== 'foregroundDeletion') } });
        return;
      }
      for (const d of live) {
        const r = this.alive.get(d)!;
        const dep = this.store.find(r.resource, r.namespace, r.name);
        if (dep && !dep.metadata.deletionTimestamp) this.store.delete(r.resource, r.namespace, r.name, { propagationPolicy: 'Foreground' });
      }
      return;
    }
    // A dependent: deleted once every owner is gone.
    const owners = o.metadata.ownerReferences ?? [];
    if (owners.length && owners.every((r) => !this.alive.has(r.uid)) && !o.metadata.deletionTimestamp) {
      this.store.delete(ref.resource, ref.namespace, ref.name, { propagationPolicy: 'Background' });
    }
  }
}
