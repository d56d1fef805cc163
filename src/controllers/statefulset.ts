// The StatefulSet controller (pkg/controller/statefulset): pods named `<set>-<ordinal>` with a stable
// hostname (and the governing Service as subdomain, so `web-0.nginx` resolves), made in ordinal order,
// each only once the one before is Running and Ready (OrderedReady; Parallel makes them all at once),
// removed from the highest ordinal down, a failed pod replaced under the same name, and a template
// change rolled out from the highest ordinal down to the partition, one pod at a time
// (RollingUpdate; OnDelete waits for the user). Coarse, and said in the README: no PersistentVolumeClaims
// are made for volumeClaimTemplates (the pod's volume names its claim, `data-web-0`, as upstream's does),
// no ControllerRevisions are stored (the revision is named by a hash of the template, as pod-template-hash
// is), and minReadySeconds and maxUnavailable are not honoured.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { canonical, podTemplateHash } from './hash.js';
import { OwnerQueue, splitKey } from './queue.js';
import { OwnedPods, clean, isPodReady, podFromTemplate } from './replicaset.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REVISION = 'controller-revision-hash';
const COMPONENT = 'statefulset-controller';

const phaseOf = (p: KubeObject): string | undefined => (p.status as Obj | undefined)?.phase;
const isFailed = (p: KubeObject) => phaseOf(p) === 'Failed' || phaseOf(p) === 'Succeeded';
const isHealthy = (p: KubeObject) => phaseOf(p) === 'Running' && isPodReady(p) && !p.metadata.deletionTimestamp;

export class StatefulSetController {
  private queue: OwnerQueue;
  private pods: OwnedPods;

  constructor(
    private readonly store: ObjectStore,
    clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    this.queue = new OwnerQueue(store, 'statefulsets', clock, (k) => this.sync(k));
    this.pods = new OwnedPods(store, 'StatefulSet', (owner) => this.queue.addOwner(owner));
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const set = this.store.find('statefulsets', ns, name);
    if (!set || set.metadata.deletionTimestamp) return;
    const spec = set.spec as Obj;
    const replicas: number = spec.replicas ?? 1;
    const start: number = spec.ordinals?.start ?? 0;
    const parallel = spec.podManagementPolicy === 'Parallel';
    const status = (set.status ?? {}) as Obj;
    const revision = `${name}-${podTemplateHash(spec.template, status.collisionCount ?? 0)}`;
    const byOrdinal = new Map<number, KubeObject>();
    for (const p of this.pods.of(set.metadata.uid)) {
      const ord = ordinalOf(name, p.metadata.name!);
      if (ord !== undefined) byOrdinal.set(ord, p);
    }
    // a pod per ordinal in [start, start + replicas), in order; OrderedReady waits on each
    for (let ord = start; ord < start + replicas; ord++) {
      const pod = byOrdinal.get(ord);
      if (!pod) {
        const made = this.store.createOwn(this.newPod(set, ord, revision));
        byOrdinal.set(ord, made);
        this.podEvent(set, 'create', made);
        if (!parallel) break;
      } else if (isFailed(pod) && !pod.metadata.deletionTimestamp) {
        // a failed pod is deleted, and made again under its name once gone
        this.store.delete('pods', ns, pod.metadata.name!);
        this.podEvent(set, 'delete', pod);
        if (!parallel) break;
      } else if (!parallel && !isHealthy(pod)) break;
    }
    // the ordinals past the end go, the highest first; OrderedReady one at a time, once all are healthy
    const condemned = [...byOrdinal.keys()].filter((o) => o < start || o >= start + replicas).sort((a, b) => b - a);
    const inRange = [...byOrdinal].filter(([o]) => o >= start && o < start + replicas).map(([, p]) => p);
    for (const ord of condemned) {
      const pod = byOrdinal.get(ord)!;
      if (pod.metadata.deletionTimestamp) {
        if (!parallel) break;
        continue;
      }
      if (!parallel && !inRange.every(isHealthy)) break;
      this.store.delete('pods', ns, pod.metadata.name!);
      this.podEvent(set, 'delete', pod);
      if (!parallel) break;
    }
    this.rollOut(set, byOrdinal, revision, start, replicas);
    this.writeStatus(set, revision);
  }

  /** RollingUpdate: once every pod is healthy, the highest ordinal at or past the partition still on an old revision is deleted (and made anew). */
  private rollOut(set: KubeObject, byOrdinal: Map<number, KubeObject>, revision: string, start: number, replicas: number): void {
    const strategy = ((set.spec as Obj).updateStrategy ?? {}) as Obj;
    if (strategy.type === 'OnDelete') return;
    const partition: number = strategy.rollingUpdate?.partition ?? 0;
    const pods = [...byOrdinal].filter(([o]) => o >= start && o < start + replicas);
    if (pods.length < replicas || !pods.every(([, p]) => isHealthy(p))) return;
    const stale = pods
      .filter(([o, p]) => o - start >= partition && p.metadata.labels?.[REVISION] !== revision)
      .sort(([a], [b]) => b - a)[0];
    if (!stale) return;
    this.store.delete('pods', set.metadata.namespace, stale[1].metadata.name!);
    this.podEvent(set, 'delete', stale[1]);
  }

  private writeStatus(set: KubeObject, revision: string): void {
    const old = (set.status ?? {}) as Obj;
    const pods = this.pods.of(set.metadata.uid).filter((p) => ordinalOf(set.metadata.name!, p.metadata.name!) !== undefined);
    const ready = pods.filter(isHealthy).length;
    const updated = pods.filter((p) => p.metadata.labels?.[REVISION] === revision).length;
    const replicas: number = (set.spec as Obj).replicas ?? 1;
    // the current revision becomes the update revision once every pod is on it
    const currentRevision = updated === replicas && pods.length === replicas ? revision : (old.currentRevision ?? revision);
    const current = pods.filter((p) => p.metadata.labels?.[REVISION] === currentRevision).length;
    const next = {
      replicas: pods.length,
      availableReplicas: ready,
      collisionCount: old.collisionCount ?? 0,
      ...clean({ readyReplicas: ready, currentReplicas: current, updatedReplicas: updated, observedGeneration: set.metadata.generation }),
      currentRevision,
      updateRevision: revision,
    };
    if (canonical(next) !== canonical(old)) this.store.updateStatus({ ...set, status: next });
  }

  /** newVersionedStatefulSetPod: the template's pod, named and labelled for its ordinal, its claims' volumes. */
  private newPod(set: KubeObject, ord: number, revision: string): KubeObject {
    const spec = set.spec as Obj;
    const podName = `${set.metadata.name}-${ord}`;
    const base = podFromTemplate(set, spec.template, '');
    const { generateName: _, ...meta } = base.metadata;
    const podSpec = base.spec as Obj;
    const claims = ((spec.volumeClaimTemplates ?? []) as Obj[]).map((t) => ({
      name: t.metadata?.name as string,
      persistentVolumeClaim: { claimName: `${t.metadata?.name}-${podName}` },
    }));
    const volumes = [...((podSpec.volumes ?? []) as Obj[]).filter((v) => !claims.some((c) => c.name === v.name)), ...claims];
    return {
      ...base,
      metadata: {
        ...meta,
        name: podName,
        labels: {
          ...meta.labels,
          [REVISION]: revision,
          'statefulset.kubernetes.io/pod-name': podName,
          'apps.kubernetes.io/pod-index': String(ord),
        },
      },
      spec: {
        ...podSpec,
        hostname: podName,
        ...(spec.serviceName ? { subdomain: spec.serviceName } : {}),
        ...(volumes.length ? { volumes } : {}),
      },
    };
  }

  /** recordPodEvent: `create Pod web-0 in StatefulSet web successful`. */
  private podEvent(set: KubeObject, verb: 'create' | 'delete', pod: KubeObject): void {
    const reason = verb === 'create' ? 'SuccessfulCreate' : 'SuccessfulDelete';
    this.events.record(set, 'Normal', reason, `${verb} Pod ${pod.metadata.name} in StatefulSet ${set.metadata.name} successful`, COMPONENT);
  }
}

/** The ordinal of a pod named `<set>-<n>`, or undefined for another name. */
function ordinalOf(setName: string, podName: string): number | undefined {
  if (!podName.startsWith(`${setName}-`)) return undefined;
  const rest = podName.slice(setName.length + 1);
  return /^(0|[1-9]\d*)$/.test(rest) ? Number(rest) : undefined;
}
