// Events as controllers record them (client-go's EventRecorder with its correlator): one Event per
// (object, reason, message, source), named `<object>.<hex nanoseconds>`; a repeat bumps `count` and
// `lastTimestamp`, which is what `kubectl get events` and `describe` show.
import type { KubeObject, ObjectStore } from '../api/index.js';

export type EventType = 'Normal' | 'Warning';

/** client-go's EventCorrelator remembers this many recent events (its LRU cache size; here the oldest goes first). */
const CORRELATOR_CACHE = 4096;

/** One event the correlator remembers: what makes a repeat of it, and the Event's name. */
interface Seen {
  readonly uid: string | undefined;
  readonly reason: string;
  readonly message: string;
  readonly component: string;
  readonly host: string;
  readonly name: string;
}

export class EventRecorder {
  /**
   * Recent events by the object's uid, then (reason, message, source) among that object's few: a
   * repeat of one bumps its count. Looked up by the uid (a stored string, hashed once) rather than
   * by a key joined of all five, which cost a new string to hash per event.
   */
  private seen = new Map<string | undefined, Seen[]>();
  /** The events of `seen` in a ring, the oldest at `next`, so forgetting one is O(1). */
  private order: Seen[] = [];
  private next = 0;
  private seq = 0;
  /** The last millisecond named, in nanoseconds: Event names share it while the clock stands. */
  private nanosMs = Number.NaN;
  private nanosBase = 0n;

  constructor(private readonly store: ObjectStore) {}

  record(obj: KubeObject, type: EventType, reason: string, message: string, component: string, host?: string): void {
    const ns = obj.metadata.namespace || 'default';
    const uid = obj.metadata.uid;
    const src = host ?? '';
    const now = this.store.timestamp();
    const mine = this.seen.get(uid);
    const existing = mine?.find((e) => e.reason === reason && e.message === message && e.component === component && e.host === src);
    if (existing) {
      const ev = this.store.find('events', ns, existing.name);
      if (ev) {
        this.store.patchOwn('events', ns, existing.name, 'merge', {
          count: ((ev as { count?: number }).count ?? 1) + 1,
          lastTimestamp: now,
        });
        return;
      }
    }
    const ms = Math.floor(this.store.now());
    if (ms !== this.nanosMs) {
      this.nanosMs = ms;
      this.nanosBase = BigInt(ms) * 1_000_000n;
    }
    const name = `${obj.metadata.name}.${(this.nanosBase + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    const entry: Seen = { uid, reason, message, component, host: src, name };
    if (existing) mine!.splice(mine!.indexOf(existing), 1, entry);
    else if (mine) mine.push(entry);
    else this.seen.set(uid, [entry]);
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.forget(oldest);
    this.order[this.next] = entry;
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

  /** The ring's oldest event leaves the correlator (unless a newer one of the same key replaced it there). */
  private forget(e: Seen): void {
    const list = this.seen.get(e.uid);
    const i = list ? list.indexOf(e) : -1;
    if (i < 0) return;
    list!.splice(i, 1);
    if (!list!.length) this.seen.delete(e.uid);
  }
}
