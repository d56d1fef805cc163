// The garbage collector: an object whose owners (ownerReferences) are all gone is deleted (background
// cascading deletion); an owner deleted with propagationPolicy Foreground keeps its `foregroundDeletion`
// finalizer until its dependents are gone, one deleted with Orphan has its dependents' references to it
// removed and then its `orphan` finalizer lifted.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import { WorkQueue } from './queue.js';

/** What the collector knows of a live object (its uid is the key). */
interface Known {
  readonly resource: string;
  readonly namespace: string | undefined;
  readonly name: string;
  /** As stored (frozen, shared by writes that keep it): compared by identity. */
  ownerReferences: readonly { uid: string }[] | undefined;
}

const DELETABLE = ['delete', 'list', 'watch'];

export class GarbageCollector {
  /** Every live object by uid (owners are looked up here: absent means gone). */
  private known = new Map<string, Known>();
  private dependents = new Map<string, Set<string>>();
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
    // GetDeletableResources: what discovery says supports delete, list and watch (not ComponentStatus)
    const watchAll = () => {
      for (const r of store.resources()) if (r.resource !== 'events' && DELETABLE.every((v) => r.verbs.includes(v))) watch(r.resource);
    };
    watchAll();
    store.watch('customresourcedefinitions', undefined, {}, watchAll);
  }

  private observe(resource: string, type: string, o: KubeObject): void {
    const uid = o.metadata.uid!;
    const prev = this.known.get(uid);
    if (type === 'DELETED') {
      this.known.delete(uid);
      for (const r of prev?.ownerReferences ?? []) this.dependents.get(r.uid)?.delete(uid);
      for (const dep of this.dependents.get(uid) ?? []) this.queue.add(dep);
      // an owner waiting in foreground deletion may now be free
      for (const r of prev?.ownerReferences ?? []) this.queue.add(r.uid);
      return;
    }
    const refs = o.metadata.ownerReferences;
    // A status write shares the stored (frozen) ownerReferences: nothing to learn from it.
    if (prev && prev.ownerReferences === refs && !o.metadata.deletionTimestamp) return;
    const before = prev?.ownerReferences;
    if (prev) prev.ownerReferences = refs;
    else this.known.set(uid, { resource, namespace: o.metadata.namespace, name: o.metadata.name!, ownerReferences: refs });
    if (before !== refs) for (const r of before ?? []) if (!refs?.some((x) => x.uid === r.uid)) this.dependents.get(r.uid)?.delete(uid);
    for (const r of refs ?? []) {
      let s = this.dependents.get(r.uid);
      if (!s) this.dependents.set(r.uid, (s = new Set()));
      s.add(uid);
      if (!this.known.has(r.uid)) this.queue.add(uid);
    }
    if (o.metadata.deletionTimestamp && (o.metadata.finalizers ?? []).some((f) => f === 'foregroundDeletion' || f === 'orphan'))
      this.queue.add(uid);
  }

  private sync(uid: string): void {
    const ref = this.known.get(uid);
    if (!ref) return;
    const o = this.store.find(ref.resource, ref.namespace, ref.name);
    if (!o || o.metadata.uid !== uid) return;
    const fin = o.metadata.finalizers ?? [];
    const deps = [...(this.dependents.get(uid) ?? [])];
    if (o.metadata.deletionTimestamp && fin.includes('orphan')) {
      for (const d of deps) {
        const r = this.known.get(d);
        const dep = r && this.store.find(r.resource, r.namespace, r.name);
        if (dep)
          this.store.patch(r.resource, r.namespace, r.name, 'merge', {
            metadata: { ownerReferences: (dep.metadata.ownerReferences ?? []).filter((x) => x.uid !== uid) },
          });
      }
      this.store.patch(ref.resource, ref.namespace, ref.name, 'merge', { metadata: { finalizers: fin.filter((f) => f !== 'orphan') } });
      return;
    }
    if (o.metadata.deletionTimestamp && fin.includes('foregroundDeletion')) {
      const live = deps.filter((d) => this.known.has(d));
      if (!live.length) {
        this.store.patch(ref.resource, ref.namespace, ref.name, 'merge', {
          metadata: { finalizers: fin.filter((f) => f !== 'foregroundDeletion') },
        });
        return;
      }
      for (const d of live) {
        const r = this.known.get(d)!;
        const dep = this.store.find(r.resource, r.namespace, r.name);
        if (dep && !dep.metadata.deletionTimestamp) this.store.delete(r.resource, r.namespace, r.name, { propagationPolicy: 'Foreground' });
      }
      return;
    }
    // A dependent: deleted once every owner is gone.
    const owners = o.metadata.ownerReferences ?? [];
    if (owners.length && owners.every((r) => !this.known.has(r.uid)) && !o.metadata.deletionTimestamp) {
      this.store.delete(ref.resource, ref.namespace, ref.name, { propagationPolicy: 'Background' });
    }
  }
}
