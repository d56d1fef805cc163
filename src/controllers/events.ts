// Events as controllers record them (client-go's EventRecorder with its correlator): one Event per
// (object, reason, message, source), named `<object>.<hex nanoseconds>`; a repeat bumps `count` and
// `lastTimestamp`, which is what `kubectl get events` and `describe` show.
import { ApiError, type KubeObject, type ObjectStore } from '../api/index.js';

export type EventType = 'Normal' | 'Warning';

/** client-go's EventCorrelator remembers this many recent events (its LRU cache size; here the oldest goes first). */
const CORRELATOR_CACHE = 4096;
/** Messages kept to be shared (the first met: a cluster's repeated ones come early). */
const SHARED_MESSAGES = 1024;

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
   * Recent events by the object's uid, then (reason, message, source) among that object's events: a
   * repeat of one bumps its count. Looked up by the uid (a stored string, hashed once) rather than
   * by a key joined of all five, which cost a new string to hash per event.
   */
  private seen = new Map<string | undefined, ObjectEvents>();
  /** The events of `seen` in a ring, the oldest at `next`, so forgetting one is O(1). */
  private order: Seen[] = [];
  private next = 0;
  private seq = 0;
  /** The last millisecond named, in nanoseconds: Event names share it while the clock stands. */
  private nanosMs = Number.NaN;
  private nanosBase = 0n;
  /**
   * Parts of Events that many share, frozen (the store keeps frozen objects as they are): a source
   * per component and host, the last object's involvedObject (a kubelet records Created and Started
   * of one pod version), and messages met often (`Created container: web` for every nginx pod).
   */
  private readonly sources = new Map<string, Map<string, object>>();
  private lastInvolved: { readonly of: KubeObject['metadata']; readonly kind: string; readonly ref: object } | undefined;
  private readonly messages = new Map<string, string>();

  constructor(private readonly store: ObjectStore) {}

  /**
   * Records the event, or drops it when the API server refuses it (client-go's recordToSink: a
   * StatusError, such as the namespace being terminated under a pod the kubelet still stops, is
   * "Server rejected event … (will not retry!)").
   */
  record(obj: KubeObject, type: EventType, reason: string, message: string, component: string, host?: string): void {
    try {
      this.write(obj, type, reason, message, component, host);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
    }
  }

  private write(obj: KubeObject, type: EventType, reason: string, message: string, component: string, host?: string): void {
    const ns = obj.metadata.namespace || 'default';
    const uid = obj.metadata.uid;
    const src = host ?? '';
    const now = this.store.timestamp();
    const mine = this.seen.get(uid);
    const same = mine === undefined ? undefined : Array.isArray(mine) ? mine : mine.get(message);
    const existing = same?.find((e) => e.reason === reason && e.message === message && e.component === component && e.host === src);
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
    // joined: one flat string, not a tree of concatenations, kept with the Event
    const name = [obj.metadata.name, (this.nanosBase + BigInt(this.seq++ % 1_000_000)).toString(16)].join('.');
    const entry: Seen = { uid, reason, message, component, host: src, name };
    if (existing) same!.splice(same!.indexOf(existing), 1, entry);
    else if (mine === undefined) this.seen.set(uid, [entry]);
    else if (!Array.isArray(mine)) byMessage(mine, entry);
    else if (mine.length < BY_MESSAGE_PAST) mine.push(entry);
    else {
      const m = new Map<string, Seen[]>();
      for (const e of mine) byMessage(m, e);
      byMessage(m, entry);
      this.seen.set(uid, m);
    }
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.forget(oldest);
    this.order[this.next] = entry;
    this.next = (this.next + 1) % CORRELATOR_CACHE;
    this.store.createOwn({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns },
      involvedObject: this.involved(obj),
      reason,
      message: this.shared(message),
      source: this.source(component, host),
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    });
  }

  /** The involvedObject of an Event about `obj` (the same object for the same stored version). */
  private involved(obj: KubeObject): object {
    const m = obj.metadata;
    const last = this.lastInvolved;
    // stored objects are frozen: the same metadata object is the same name, uid and resourceVersion
    if (last && last.of === m && last.kind === obj.kind) return last.ref;
    // written out whole, not with conditional spreads (V8 takes microseconds for those)
    const ref = Object.freeze(
      m.namespace
        ? {
            apiVersion: obj.apiVersion,
            kind: obj.kind,
            name: m.name,
            namespace: m.namespace,
            uid: m.uid,
            resourceVersion: m.resourceVersion,
          }
        : { apiVersion: obj.apiVersion, kind: obj.kind, name: m.name, uid: m.uid, resourceVersion: m.resourceVersion },
    );
    if (Object.isFrozen(m)) this.lastInvolved = { of: m, kind: obj.kind, ref };
    return ref;
  }

  private source(component: string, host: string | undefined): object {
    let byHost = this.sources.get(component);
    if (!byHost) this.sources.set(component, (byHost = new Map()));
    const key = host ?? '';
    let s = byHost.get(key);
    if (!s) byHost.set(key, (s = Object.freeze(host ? { component, host } : { component })));
    return s;
  }

  /** `message` as a string kept once for the messages recorded before (up to SHARED_MESSAGES of them). */
  private shared(message: string): string {
    const known = this.messages.get(message);
    if (known !== undefined) return known;
    if (this.messages.size < SHARED_MESSAGES) this.messages.set(message, message);
    return message;
  }

  /** The ring's oldest event leaves the correlator (unless a newer one of the same key replaced it there). */
  private forget(e: Seen): void {
    const mine = this.seen.get(e.uid);
    if (mine === undefined) return;
    const list = Array.isArray(mine) ? mine : mine.get(e.message);
    const i = list ? list.indexOf(e) : -1;
    if (i < 0) return;
    list!.splice(i, 1);
    if (list!.length) return;
    if (!Array.isArray(mine)) mine.delete(e.message);
    if (Array.isArray(mine) || !mine.size) this.seen.delete(e.uid);
  }
}

/**
 * One object's remembered events: a list while it has few, by message past BY_MESSAGE_PAST (a
 * DaemonSet's `Created pod: …` for every node, thousands, each new event and each one forgotten
 * searched the whole list). Events of one message keep their order either way.
 */
type ObjectEvents = Seen[] | Map<string, Seen[]>;
const BY_MESSAGE_PAST = 16;

function byMessage(m: Map<string, Seen[]>, e: Seen): void {
  const list = m.get(e.message);
  if (list) list.push(e);
  else m.set(e.message, [e]);
}
