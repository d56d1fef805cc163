// A controller's work queue on the virtual clock: keys collect while the API changes and are
// reconciled in one zero-delay event, in the order they first arrived (deterministic), as client-go's
// workqueue coalesces a key that is queued twice.
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

export const keyOf = (o: { metadata: { namespace?: string; name?: string } }) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name!);
export const splitKey = (key: string): [string | undefined, string] => {
  const i = key.indexOf('/');
  return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
};
