// The Deployment controller: one ReplicaSet per pod template (`<deploy>-<pod-template-hash>`, the
// revision annotation counting up), rolled with RollingUpdate's maxSurge/maxUnavailable arithmetic
// (surge rounds up, unavailability down; old ReplicaSets shrink only as far as availability allows)
// or Recreate; status and the Available/Progressing conditions with upstream's reasons and messages.
// A template change (`kubectl rollout restart` stamps an annotation) makes a new ReplicaSet; pods only
// become available when something marks them Ready (a kubelet), so without one a rollout waits, as it would.
import { type KubeObject, type ObjectStore, copyJson, jsonEqual } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { canonical, podTemplateHash } from './hash.js';
import { OwnerQueue, keyOf, splitKey } from './queue.js';
import { clean, ownerRef } from './replicaset.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const HASH = 'pod-template-hash';
export const REVISION = 'deployment.kubernetes.io/revision';
/** deploymentutil's annotationsToSkip: a Deployment's annotations its ReplicaSets do not take (and a rollback keeps). */
export const ANNOTATIONS_TO_SKIP: ReadonlySet<string> = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

/** intstr.GetScaledValueFromIntOrPercent. */
export function scaled(v: number | string | undefined, total: number, roundUp: boolean): number {
  if (v === undefined) return 0;
  if (typeof v === 'number') return v;
  const m = /^(\d+)%$/.exec(v);
  if (!m) return Number(v) || 0;
  const x = (Number(m[1]) * total) / 100;
  return roundUp ? Math.ceil(x) : Math.floor(x);
}

/** deploymentutil.ResolveFenceposts: both zero means one may be unavailable. */
export function fenceposts(d: Obj): { surge: number; unavailable: number } {
  const replicas = d.spec.replicas ?? 1;
  const ru = d.spec.strategy?.rollingUpdate ?? {};
  const surge = scaled(ru.maxSurge, replicas, true);
  let unavailable = scaled(ru.maxUnavailable, replicas, false);
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return { surge, unavailable: Math.min(unavailable, replicas) };
}

/** Keys of stored (frozen, so unchanging) templates: a Deployment compares them on every sync. */
const templateKeys = new WeakMap<object, string>();

/** The template without the hash label, for comparing a ReplicaSet's template with the Deployment's. */
function templateKey(t: Obj | undefined): string {
  if (!t) return canonical({});
  let key = templateKeys.get(t);
  if (key === undefined) {
    const { [HASH]: _, ...labels } = t.metadata?.labels ?? {};
    const metadata = Object.keys(labels).length ? { ...t.metadata, labels } : { ...t.metadata, labels: undefined };
    templateKeys.set(t, (key = canonical({ ...t, metadata })));
  }
  return key;
}

export class DeploymentController {
  private queue: OwnerQueue;
  private rsByOwner = new Map<string, Map<string, KubeObject>>();

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    this.queue = new OwnerQueue(store, 'deployments', clock, (k) => this.sync(k));
    store.watch('replicasets', undefined, {}, (e) => {
      const owner = e.object.metadata.ownerReferences?.find((o) => o.controller && o.kind === 'Deployment')?.uid;
      if (!owner) return;
      let m = this.rsByOwner.get(owner);
      if (!m) this.rsByOwner.set(owner, (m = new Map()));
      if (e.type === 'DELETED') m.delete(keyOf(e.object));
      else m.set(keyOf(e.object), e.object);
      this.queue.addOwner(owner);
    });
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    let d = this.store.find('deployments', ns, name) as Obj | undefined;
    if (!d || d.metadata.deletionTimestamp) return;
    const all = [...(this.rsByOwner.get(d.metadata.uid)?.values() ?? [])] as Obj[];
    const want = templateKey(d.spec.template);
    let newRS = all.find((rs) => templateKey(rs.spec.template) === want);
    const olds = all.filter((rs) => rs !== newRS);
    const maxRevision = Math.max(0, ...all.map((rs) => Number(rs.metadata.annotations?.[REVISION] ?? 0)));
    const replicas: number = d.spec.replicas ?? 1;
    if (d.spec.paused) return this.writeStatus(d, newRS, all);
    if (!newRS) {
      const hash = podTemplateHash(d.spec.template, d.status?.collisionCount);
      const template = copyJson(d.spec.template);
      template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [HASH]: hash } };
      const noOld = olds.every((rs) => (rs.spec.replicas ?? 0) === 0);
      const { surge } = fenceposts(d);
      const initial =
        d.spec.strategy?.type === 'Recreate'
          ? noOld
            ? replicas
            : 0
          : noOld
            ? replicas
            : Math.max(0, Math.min(replicas, replicas + surge - olds.reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0)));
      newRS = this.store.createOwn({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${name}-${hash}`,
          namespace: ns!,
          labels: { ...(d.spec.template.metadata?.labels ?? {}), [HASH]: hash },
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + (d.spec.strategy?.type === 'Recreate' ? 0 : fenceposts(d).surge)),
            [REVISION]: String(maxRevision + 1),
          },
          ownerReferences: [ownerRef(d as KubeObject)],
        },
        spec: {
          replicas: initial,
          selector: { ...d.spec.selector, matchLabels: { ...(d.spec.selector.matchLabels ?? {}), [HASH]: hash } },
          template,
        },
      }) as Obj;
      if (initial > 0)
        this.events.record(
          d as KubeObject,
          'Normal',
          'ScalingReplicaSet',
          `Scaled up replica set ${newRS.metadata.name} from 0 to ${initial}`,
          'deployment-controller',
        );
      all.push(newRS);
    } else if (Number(newRS.metadata.annotations?.[REVISION] ?? 0) < maxRevision) {
      // A rollback to an older template: it becomes the newest revision.
      newRS = this.store.patch('replicasets', ns, newRS.metadata.name, 'merge', {
        metadata: { annotations: { [REVISION]: String(maxRevision + 1) } },
      }) as Obj;
    }
    [d, newRS] = this.revisionAnnotations(d, newRS!);
    if (d.spec.strategy?.type === 'Recreate') this.recreate(d, newRS!, olds);
    else this.rolling(d, newRS!, olds);
    this.cleanup(d, olds);
    this.writeStatus(
      d,
      this.store.find('replicasets', ns, newRS!.metadata.name) as Obj,
      [...(this.rsByOwner.get(d.metadata.uid)?.values() ?? [])] as Obj[],
    );
  }

  /**
   * SetNewReplicaSetAnnotations and SetDeploymentRevision: the Deployment's own annotations (a
   * `kubernetes.io/change-cause`, which `kubectl rollout history` shows) go onto its new ReplicaSet,
   * and the new ReplicaSet's revision onto the Deployment.
   */
  private revisionAnnotations(d: Obj, rs: Obj): [Obj, Obj] {
    const copy: Record<string, string> = {};
    for (const [k, v] of Object.entries((d.metadata.annotations ?? {}) as Record<string, string>))
      if (!ANNOTATIONS_TO_SKIP.has(k) && rs.metadata.annotations?.[k] !== v) copy[k] = v;
    if (Object.keys(copy).length)
      rs = this.store.patch('replicasets', rs.metadata.namespace, rs.metadata.name, 'merge', { metadata: { annotations: copy } }) as Obj;
    const revision = rs.metadata.annotations?.[REVISION];
    if (revision !== undefined && d.metadata.annotations?.[REVISION] !== revision)
      d = this.store.patch('deployments', d.metadata.namespace, d.metadata.name, 'merge', {
        metadata: { annotations: { [REVISION]: revision } },
      }) as Obj;
    return [d, rs];
  }

  private scale(d: Obj, rs: Obj, to: number): void {
    const from = rs.spec.replicas ?? 0;
    if (from === to) return;
    this.store.patch('replicasets', rs.metadata.namespace, rs.metadata.name, 'merge', {
      metadata: {
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas ?? 1),
          'deployment.kubernetes.io/max-replicas': String(
            (d.spec.replicas ?? 1) + (d.spec.strategy?.type === 'Recreate' ? 0 : fenceposts(d).surge),
          ),
        },
      },
      spec: { replicas: to },
    });
    this.events.record(
      d as KubeObject,
      'Normal',
      'ScalingReplicaSet',
      `Scaled ${to > from ? 'up' : 'down'} replica set ${rs.metadata.name} from ${from} to ${to}`,
      'deployment-controller',
    );
  }

  private recreate(d: Obj, newRS: Obj, olds: Obj[]): void {
    const active = olds.filter((rs) => (rs.spec.replicas ?? 0) > 0);
    for (const rs of active) this.scale(d, rs, 0);
    if (olds.every((rs) => (rs.status?.replicas ?? 0) === 0) && !active.length) this.scale(d, newRS, d.spec.replicas ?? 1);
  }

  private rolling(d: Obj, newRS: Obj, olds: Obj[]): void {
    const replicas: number = d.spec.replicas ?? 1;
    const { surge, unavailable } = fenceposts(d);
    const total = () => [newRS, ...olds].reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
    // Scale the new ReplicaSet up as far as the surge allows.
    const newReplicas = newRS.spec.replicas ?? 0;
    if (newReplicas > replicas) this.scale(d, newRS, replicas);
    else if (newReplicas < replicas) {
      const room = replicas + surge - total();
      if (room > 0) this.scale(d, newRS, newReplicas + Math.min(room, replicas - newReplicas));
    }
    newRS = this.store.find('replicasets', newRS.metadata.namespace, newRS.metadata.name) as Obj;
    // Scale old ReplicaSets down as far as availability allows (unhealthy replicas first).
    const minAvailable = replicas - unavailable;
    const newUnavailable = (newRS.spec.replicas ?? 0) - (newRS.status?.availableReplicas ?? 0);
    const allPods = total();
    let budget = allPods - minAvailable - newUnavailable;
    if (budget <= 0) return;
    const byAge = [...olds]
      .filter((rs) => (rs.spec.replicas ?? 0) > 0)
      .sort((a, b) => (a.metadata.creationTimestamp < b.metadata.creationTimestamp ? -1 : 1));
    // the replicas each old ReplicaSet is left with (the objects are the store's, frozen)
    const left = new Map<Obj, number>(byAge.map((rs) => [rs, rs.spec.replicas ?? 0]));
    for (const rs of byAge) {
      if (budget <= 0) break;
      const unhealthy = left.get(rs)! - (rs.status?.availableReplicas ?? 0);
      const down = Math.min(budget, unhealthy);
      if (down > 0) {
        this.scale(d, rs, left.get(rs)! - down);
        left.set(rs, left.get(rs)! - down);
        budget -= down;
      }
    }
    const available = [newRS, ...olds].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
    let canDown = available - minAvailable - newUnavailable;
    for (const rs of byAge) {
      if (canDown <= 0) break;
      const cur = left.get(rs)!;
      const down = Math.min(canDown, cur);
      if (down > 0) {
        this.scale(d, rs, cur - down);
        canDown -= down;
      }
    }
  }

  /** revisionHistoryLimit: the oldest empty ReplicaSets beyond the limit are deleted. */
  private cleanup(d: Obj, olds: Obj[]): void {
    const limit = d.spec.revisionHistoryLimit ?? 10;
    const empty = olds
      .map((rs) => this.store.find('replicasets', rs.metadata.namespace, rs.metadata.name) as Obj | undefined)
      .filter(
        (rs): rs is Obj => !!rs && (rs.spec.replicas ?? 0) === 0 && (rs.status?.replicas ?? 0) === 0 && !rs.metadata.deletionTimestamp,
      )
      .sort((a, b) => Number(a.metadata.annotations?.[REVISION] ?? 0) - Number(b.metadata.annotations?.[REVISION] ?? 0));
    for (const rs of empty.slice(0, Math.max(0, empty.length - limit)))
      this.store.delete('replicasets', rs.metadata.namespace, rs.metadata.name);
  }

  private writeStatus(d: Obj, newRS: Obj | undefined, all: Obj[]): void {
    const live = all.map((rs) => (this.store.find('replicasets', rs.metadata.namespace, rs.metadata.name) as Obj | undefined) ?? rs);
    const sum = (f: (rs: Obj) => number) => live.reduce((n, rs) => n + f(rs), 0);
    const replicas = sum((rs) => rs.status?.replicas ?? 0);
    const available = sum((rs) => rs.status?.availableReplicas ?? 0);
    const ready = sum((rs) => rs.status?.readyReplicas ?? 0);
    const updated = newRS?.status?.replicas ?? 0;
    const desired = d.spec.replicas ?? 1;
    const { unavailable } = fenceposts(d);
    const now = this.store.timestamp();
    const prev: Obj[] = d.status?.conditions ?? [];
    const cond = (type: string, status: string, reason: string, message: string) => {
      const old = prev.find((c) => c.type === type);
      const same = old && old.status === status;
      return {
        type,
        status,
        lastUpdateTime: old && old.reason === reason && old.message === message ? old.lastUpdateTime : now,
        lastTransitionTime: same ? old.lastTransitionTime : now,
        reason,
        message,
      };
    };
    const availableCond =
      available >= desired - unavailable
        ? cond('Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : cond('Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.');
    const rsName = newRS?.metadata.name;
    const complete = newRS && updated === desired && replicas === desired && available === desired;
    const progressing = this.progress(
      d,
      { replicas, updatedReplicas: updated, readyReplicas: ready, availableReplicas: available },
      complete,
      rsName,
      cond,
    );
    const status = {
      observedGeneration: d.metadata.generation,
      replicas,
      updatedReplicas: updated,
      readyReplicas: ready,
      availableReplicas: available,
      unavailableReplicas: Math.max(0, replicas - available),
      conditions: progressing ? [availableCond, progressing] : [availableCond],
      ...(d.status?.collisionCount ? { collisionCount: d.status.collisionCount } : {}),
    };
    const next = { ...clean(status), conditions: status.conditions };
    // compared as their JSON would be, not through a canonical text of each (a sync's largest cost)
    const strip = (s: Obj) => ({
      ...s,
      conditions: (s.conditions ?? []).map((c: Obj) => ({ ...c, lastUpdateTime: 0, lastTransitionTime: 0 })),
    });
    if (!jsonEqual(strip(next), strip(d.status ?? {}))) this.store.updateStatus({ ...(d as KubeObject), status: next });
  }

  /**
   * The Progressing condition as syncRolloutStatus() keeps it: True while the rollout moves (its
   * lastUpdateTime renewed by any progress), NewReplicaSetAvailable once complete, and False with
   * ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds — the deployment is
   * requeued for that instant (requeueStuckDeployment), so the deadline passes without an event.
   */
  private progress(
    d: Obj,
    now: Record<string, number>,
    complete: boolean | undefined,
    rsName: string | undefined,
    cond: (type: string, status: string, reason: string, message: string) => Obj,
  ): Obj | undefined {
    const deadline: number | undefined = d.spec.progressDeadlineSeconds;
    const current: Obj | undefined = d.status?.conditions?.find((c: Obj) => c.type === 'Progressing');
    if (deadline === undefined) return undefined;
    const what = rsName ? `ReplicaSet "${rsName}"` : `Deployment "${d.metadata.name}"`;
    if (current?.reason === 'NewReplicaSetAvailable' && now.replicas === now.updatedReplicas) return current;
    if (complete) return cond('Progressing', 'True', 'NewReplicaSetAvailable', `${what} has successfully progressed.`);
    const old = d.status ?? {};
    const moved =
      now.updatedReplicas! > (old.updatedReplicas ?? 0) ||
      now.replicas! - now.updatedReplicas! < (old.replicas ?? 0) - (old.updatedReplicas ?? 0) ||
      now.readyReplicas! > (old.readyReplicas ?? 0) ||
      now.availableReplicas! > (old.availableReplicas ?? 0);
    if (!current) return cond('Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`);
    if (moved) {
      // Progress renews lastUpdateTime even when the reason stays ReplicaSetUpdated.
      const c = cond('Progressing', 'True', 'ReplicaSetUpdated', `${what} is progressing.`);
      return { ...c, lastUpdateTime: this.store.timestamp() };
    }
    if (current.reason === 'ProgressDeadlineExceeded') return current;
    const left = Date.parse(current.lastUpdateTime) + deadline * 1000 - this.store.now();
    if (left < 0) return cond('Progressing', 'False', 'ProgressDeadlineExceeded', `${what} has timed out progressing.`);
    // A second later, as the controller's enqueueAfter(after + 1s) does (timestamps are whole seconds).
    this.queue.addAfter(keyOf(d as KubeObject), left + 1000);
    return current;
  }
}
