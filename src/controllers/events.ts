// Events as controllers record them (client-go's EventRecorder with its correlator): one Event per
// (object, reason, message, source), named `<object>.<hex nanoseconds>`; a repeat bumps `count` and
// `lastTimestamp`, which is what `kubectl get events` and `describe` show.
import type { KubeObject, ObjectStore } from '../api/index.js';

export type EventType = 'Normal' | 'Warning';

/** client-go's EventCorrelator remembers this many recent events (its LRU cache size; here the oldest goes first). */
const CORRELATOR_CACHE = 4096;

export class EventRecorder {
  /** Recent events by (object, reason, message, source): a repeat of one bumps its count. */
  private seen = new Map<string, string>();
  /** The keys of `seen` in a ring, the oldest at `next`, so forgetting one is O(1). */
  private order: string[] = [];
  private next = 0;
  private seq = 0;

  constructor(private readonly store: ObjectStore) {}

  record(obj: KubeObject, type: EventType, reason: string, message: string, component: string, host?: string): void {
    const ns = obj.metadata.namespace || 'default';
    const key = `${obj.metadata.uid}|${reason}|${message}|${component}|${host ?? ''}`;
    const now = this.store.timestamp();
    const existing = this.seen.get(key);
    if (existing) {
      const ev = this.store.find('events', ns, existing);
      if (ev) {
        this.store.patchOwn('events', ns, existing, 'merge', { count: ((ev as { count?: number }).count ?? 1) + 1, lastTimestamp: now });
        return;
      }
    }
    const nanos = BigInt(Math.floor(this.store.now())) * 1_000_000n + BigInt(this.seq++ % 1_000_000);
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    this.seen.set(key, name);
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.seen.delete(oldest);
    this.order[this.next] = key;
    this.next = (this.next + 1) % CORRELATOR_CACHE;
    // written out whole, not with conditional spreads (V8 takes microseconds for those)
    const m = obj.metadata;
    const involvedObject = m.namespace
      ? { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion }
      : { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion };
    this.store.createOwn({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject,
      reason,
      message,
      source: host ? { component, host } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    });
  }
}
