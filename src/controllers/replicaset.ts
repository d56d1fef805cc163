// The ReplicaSet controller: keeps spec.replicas pods of the template (named `<rs>-<5 random>` through
// generateName, owned by the ReplicaSet), deleting surplus pods in the upstream order (unscheduled,
// then pending, then not ready, then the newest), and reports replicas/ready/available in status.
// Pods are counted through their controller ownerReference (adoption of orphans is not emulated).
import { type KubeObject, type ObjectStore, copyJson, jsonEqual } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { OwnerQueue, keyOf, splitKey } from './queue.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const isPodReady = (p: KubeObject) =>
  ((p.status as Obj | undefined)?.conditions ?? []).some((c: Obj) => c.type === 'Ready' && c.status === 'True');

/** Pods owned (as controller) by objects of one kind, indexed by owner uid, kept from a watch. */
export class OwnedPods {
  private byOwner = new Map<string, Map<string, KubeObject>>();
  constructor(store: ObjectStore, kind: string, onChange: (ownerUid: string, pod: KubeObject) => void) {
    store.watch('pods', undefined, {}, (e) => {
      const ref = e.object.metadata.ownerReferences?.find((o) => o.controller);
      if (ref?.kind !== kind) return;
      const owner = ref.uid;
      let m = this.byOwner.get(owner);
      if (!m) this.byOwner.set(owner, (m = new Map()));
      if (e.type === 'DELETED') m.delete(keyOf(e.object));
      else m.set(keyOf(e.object), e.object);
      onChange(owner, e.object);
    });
  }
  of(uid: string | undefined): KubeObject[] {
    return uid ? [...(this.byOwner.get(uid)?.values() ?? [])] : [];
  }
}

/** controller.ActivePods ranking for deletion: earlier in this order goes first. */
function deletionRank(a: KubeObject, b: KubeObject): number {
  const sa = a.spec as Obj;
  const sb = b.spec as Obj;
  if (!sa.nodeName !== !sb.nodeName) return sa.nodeName ? 1 : -1;
  const phase = (p: KubeObject) => ({ Pending: 0, Unknown: 1, Running: 2 })[(p.status as Obj | undefined)?.phase as string] ?? 0;
  if (phase(a) !== phase(b)) return phase(a) - phase(b);
  if (isPodReady(a) !== isPodReady(b)) return isPodReady(a) ? 1 : -1;
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? 1 : -1; // newer first
  return a.metadata.name! < b.metadata.name! ? 1 : -1;
}

export function ownerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name!,
    uid: owner.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** The last owner's ownerReferences for its pods, frozen: a ReplicaSet makes its pods in a row, and they share it. */
let lastOwnerRefs: { readonly uid: string | undefined; readonly name: string | undefined; readonly refs: OwnerRefs } | undefined;

type OwnerRefs = ReturnType<typeof ownerRef>[];

/** [ownerRef(owner)], frozen, the last owner's again when it is the same object. */
function ownerRefs(owner: KubeObject): OwnerRefs {
  const m = owner.metadata;
  const last = lastOwnerRefs;
  if (last && last.uid === m.uid && last.name === m.name && last.refs.length) {
    const r = last.refs[0]!;
    if (r.kind === owner.kind && r.apiVersion === owner.apiVersion) return last.refs;
  }
  // frozen as the store would freeze them (a stored object is handed out frozen)
  const refs = Object.freeze([Object.freeze(ownerRef(owner))]) as OwnerRefs;
  lastOwnerRefs = { uid: m.uid, name: m.name, refs };
  return refs;
}

/**
 * A pod from a workload's template, as controller.GetPodFromTemplate builds it. A stored
 * template is frozen: its labels, annotations and the parts of its spec that admission does not
 * change are shared by the pods (the store keeps frozen parts as they are), not copied per pod;
 * the spec and its containers, which admission adds to, are copied one level down.
 */
export function podFromTemplate(owner: KubeObject, template: Obj, generateName: string): KubeObject {
  const meta = template.metadata ?? {};
  const share = Object.isFrozen(template);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      generateName,
      namespace: owner.metadata.namespace!,
      ...(meta.labels ? { labels: share ? meta.labels : { ...meta.labels } } : {}),
      ...(meta.annotations ? { annotations: share ? meta.annotations : { ...meta.annotations } } : {}),
      ...(meta.finalizers ? { finalizers: [...meta.finalizers] } : {}),
      ownerReferences: share ? ownerRefs(owner) : [ownerRef(owner)],
    },
    spec: share ? specOfFrozen(template.spec) : copyJson(template.spec),
  };
}

/** A frozen (stored, so defaulted) template's pod spec for one pod: itself and its containers copied, the rest shared. */
function specOfFrozen(spec: Obj | undefined): Obj | undefined {
  if (spec === undefined) return undefined;
  const out: Obj = Object.assign({}, spec);
  for (const k of ['initContainers', 'containers'] as const)
    if (Array.isArray(spec[k])) out[k] = spec[k].map((c: Obj) => Object.assign({}, c));
  return out;
}

export class ReplicaSetController {
  private queue: OwnerQueue;
  private pods: OwnedPods;

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    this.queue = new OwnerQueue(store, 'replicasets', clock, (k) => this.sync(k));
    this.pods = new OwnedPods(store, 'ReplicaSet', (owner) => this.queue.addOwner(owner));
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const rs = this.store.find('replicasets', ns, name);
    if (!rs) return;
    const spec = rs.spec as Obj;
    const owned = this.pods.of(rs.metadata.uid);
    const active = owned.filter(
      (p) => !p.metadata.deletionTimestamp && !['Succeeded', 'Failed'].includes((p.status as Obj | undefined)?.phase),
    );
    if (!rs.metadata.deletionTimestamp) {
      const diff = (spec.replicas ?? 1) - active.length;
      if (diff > 0) {
        // one prefix for the pods made here; each message joined flat (a template literal keeps a tree of concatenations)
        const generateName = `${name}-`;
        for (let i = 0; i < diff; i++) {
          const pod = this.store.createOwn(podFromTemplate(rs, spec.template, generateName));
          this.events.record(rs, 'Normal', 'SuccessfulCreate', ['Created pod: ', pod.metadata.name].join(''), 'replicaset-controller');
        }
      } else if (diff < 0) {
        for (const p of [...active].sort(deletionRank).slice(0, -diff)) {
          this.store.delete('pods', p.metadata.namespace, p.metadata.name!);
          this.events.record(rs, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'replicaset-controller');
        }
      }
    }
    const now = this.pods.of(rs.metadata.uid).filter((p) => !p.metadata.deletionTimestamp);
    const ready = now.filter(isPodReady).length;
    const status = {
      replicas: now.length,
      fullyLabeledReplicas: now.length,
      readyReplicas: ready,
      availableReplicas: ready,
      observedGeneration: rs.metadata.generation,
    };
    // `replicas` is always written; the other counts are omitempty.
    const next = { replicas: status.replicas, ...clean({ ...status, replicas: 0 }) };
    if (!jsonEqual(next, rs.status ?? {})) this.store.updateStatus({ ...rs, status: next });
  }
}

/** Go's omitempty: zero counts are not written. */
export function clean<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== 0) out[k] = v;
  return out as Partial<T>;
}
