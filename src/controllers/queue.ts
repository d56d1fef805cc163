// A controller's work queue on the virtual clock: keys collect while the API changes and are
// reconciled in one zero-delay event, in the order they first arrived (deterministic), as client-go's
// workqueue coalesces a key that is queued twice.
import type { ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';

export class WorkQueue {
  private pending = new Set<string>();
  private armed = false;

  constructor(
    private readonly sched: Scheduler,
    private readonly handle: (key: string) => void,
  ) {}

  add(key: string): void {
    this.pending.add(key);
    if (this.armed) return;
    this.armed = true;
    this.sched.schedule(0, () => this.drain());
  }

  /** Reconciles `key` again after `ms` of virtual time (a requeue after, e.g. a grace period). */
  addAfter(key: string, ms: number): void {
    this.sched.schedule(ms, () => this.add(key));
  }

  private drain(): void {
    this.armed = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const k of keys) this.handle(k);
  }
}

/**
 * The work queue of one resource's objects, fed by a watch on it. It knows each object's uid, so a
 * change to something the object owns (a ReplicaSet's pods, a Deployment's ReplicaSets) requeues it.
 */
export class OwnerQueue extends WorkQueue {
  private readonly keyByUid = new Map<string, string>();

  constructor(store: ObjectStore, resource: string, sched: Scheduler, handle: (key: string) => void) {
    super(sched, handle);
    store.watch(resource, undefined, {}, (e) => {
      const uid = e.object.metadata.uid!;
      if (e.type === 'DELETED') this.keyByUid.delete(uid);
      else this.keyByUid.set(uid, keyOf(e.object));
      this.add(keyOf(e.object));
    });
  }

  /** Requeues the object with this uid, if it is one of ours. */
  addOwner(uid: string): void {
    const key = this.keyByUid.get(uid);
    if (key) this.add(key);
  }

  addAll(): void {
    for (const key of this.keyByUid.values()) this.add(key);
  }
}

export const keyOf = (o: { metadata: { namespace?: string; name?: string } }) =>
  o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!;
export const splitKey = (key: string): [string | undefined, string] => {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
};
