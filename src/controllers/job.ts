// The Job controller: runs a Job's pods to completion. It keeps min(parallelism, completions left)
// pods active from the template (`<job>-<5 random>`, owned by the Job), counts each pod that
// ends once (succeeded/failed), recreates a failed pod after the pod-failure back-off (10 s
// doubling per failure, at most 10 min), and finishes the Job as upstream does: SuccessCriteriaMet
// then Complete (CompletionsReached) with completionTime, or FailureTarget then Failed
// (BackoffLimitExceeded: more failed pods than backoffLimit, or under restartPolicy OnFailure as
// many container restarts; DeadlineExceeded: activeDeadlineSeconds), deleting the pods still
// active. Coarse: an Indexed Job runs as a NonIndexed one (no completion indexes); no pod
// finalizers (counts are kept from the pods the controller saw end); no podFailurePolicy,
// successPolicy or ttlSecondsAfterFinished.
import type { KubeObject, ObjectStore } from '../api/index.js';
import type { Scheduler } from '../sim/index.js';
import type { EventRecorder } from './events.js';
import { canonical } from './hash.js';
import { OwnerQueue, splitKey } from './queue.js';
import { isPodReady, OwnedPods, podFromTemplate } from './replicaset.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** pkg/controller/job: DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff. */
const POD_FAILURE_BACKOFF_MS = 10_000;
const MAX_POD_FAILURE_BACKOFF_MS = 600_000;

const COMPLETIONS_REACHED = { reason: 'CompletionsReached', message: 'Reached expected number of succeeded pods' };
const BACKOFF_LIMIT = { reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' };
const DEADLINE = { reason: 'DeadlineExceeded', message: 'Job was active longer than specified deadline' };

const phaseOf = (p: KubeObject): string | undefined => (p.status as Obj | undefined)?.phase;

/** A Job that has a Complete or Failed condition is finished: nothing more is done for it. */
function jobFinished(job: KubeObject): boolean {
  return ((job.status as Obj | undefined)?.conditions ?? []).some(
    (c: Obj) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True',
  );
}

/**
 * pastBackoffLimitOnFailure: under restartPolicy OnFailure the kubelet restarts a failed container
 * in its pod, so the restarts of the pods still Pending or Running (init containers too) are the
 * failures: as many as backoffLimit (any, for a limit of 0) fail the Job.
 */
function restartsExceed(job: KubeObject, pods: readonly KubeObject[], limit: number): boolean {
  if ((job.spec as Obj).template?.spec?.restartPolicy !== 'OnFailure') return false;
  let n = 0;
  for (const p of pods) {
    const s = (p.status as Obj | undefined) ?? {};
    if (s.phase !== 'Running' && s.phase !== 'Pending') continue;
    for (const c of [...(s.initContainerStatuses ?? []), ...(s.containerStatuses ?? [])]) n += c.restartCount ?? 0;
  }
  return limit === 0 ? n > 0 : n >= limit;
}

/** What the controller has counted of one Job (by its uid): the pods seen ending, and when the last failed. */
interface Tally {
  readonly uid: string;
  readonly counted: Set<string>;
  succeeded: number;
  failed: number;
  lastFailureAt: number;
  /** A sync is queued for activeDeadlineSeconds' end. */
  deadlineQueued: boolean;
}

export class JobController {
  private readonly queue: OwnerQueue;
  private readonly pods: OwnedPods;
  /** By the Job's namespace/name; dropped once the Job is gone or finished. */
  private readonly tallies = new Map<string, Tally>();

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Scheduler,
    private readonly events: EventRecorder,
  ) {
    this.queue = new OwnerQueue(store, 'jobs', clock, (k) => this.sync(k));
    this.pods = new OwnedPods(store, 'Job', (owner) => this.queue.addOwner(owner));
  }

  private sync(key: string): void {
    const [ns, name] = splitKey(key);
    const job = this.store.find('jobs', ns, name);
    if (!job || job.metadata.deletionTimestamp || jobFinished(job)) {
      this.tallies.delete(key);
      return;
    }
    const spec = job.spec as Obj;
    const uid = job.metadata.uid!;
    let tally = this.tallies.get(key);
    if (tally?.uid !== uid)
      this.tallies.set(key, (tally = { uid, counted: new Set(), succeeded: 0, failed: 0, lastFailureAt: 0, deadlineQueued: false }));
    const now = this.clock.now();
    const owned = this.pods.of(uid);
    for (const p of owned) {
      const phase = phaseOf(p);
      if ((phase !== 'Succeeded' && phase !== 'Failed') || tally.counted.has(p.metadata.uid!)) continue;
      tally.counted.add(p.metadata.uid!);
      if (phase === 'Succeeded') tally.succeeded++;
      else {
        tally.failed++;
        tally.lastFailureAt = now;
      }
    }
    const active = owned.filter((p) => !p.metadata.deletionTimestamp && phaseOf(p) !== 'Succeeded' && phaseOf(p) !== 'Failed');
    const status = { ...((job.status as Obj | undefined) ?? {}) };
    status.startTime ??= this.store.timestamp();
    const completions: number = spec.completions ?? 1;
    const backoffLimit: number = spec.backoffLimit ?? 6;
    const startedAt = Date.parse(status.startTime);
    const deadline = spec.activeDeadlineSeconds === undefined ? undefined : startedAt + spec.activeDeadlineSeconds * 1000;
    const failure =
      tally.failed > backoffLimit || restartsExceed(job, active, backoffLimit)
        ? BACKOFF_LIMIT
        : deadline !== undefined && this.store.now() >= deadline
          ? DEADLINE
          : undefined;
    let finished: Obj[] | undefined;
    if (failure) {
      // the pods still running are given up: deleted, and counted as failed
      for (const p of active) {
        this.store.delete('pods', p.metadata.namespace, p.metadata.name!);
        this.events.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${p.metadata.name}`, 'job-controller');
        tally.failed++;
      }
      finished = this.conditions(status, ['FailureTarget', 'Failed'], failure);
      this.events.record(job, 'Warning', failure.reason, failure.message, 'job-controller');
    } else if (tally.succeeded >= completions) {
      finished = this.conditions(status, ['SuccessCriteriaMet', 'Complete'], COMPLETIONS_REACHED);
      status.completionTime = this.store.timestamp();
      this.events.record(job, 'Normal', 'Completed', 'Job completed', 'job-controller');
    } else if (!spec.suspend) {
      const want = Math.min(spec.parallelism ?? 1, completions - tally.succeeded) - active.length;
      const wait = tally.failed === 0 ? 0 : tally.lastFailureAt + backoff(tally.failed) - now;
      if (want > 0 && wait > 0) this.queue.addAfter(key, wait);
      else
        for (let i = 0; i < want; i++) {
          const pod = this.store.createOwn(podFromTemplate(job, spec.template, `${name}-`));
          this.events.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name}`, 'job-controller');
          active.push(pod);
        }
      if (deadline !== undefined && !tally.deadlineQueued) {
        tally.deadlineQueued = true;
        this.queue.addAfter(key, Math.max(0, deadline - this.store.now()));
      }
    }
    const running = finished ? [] : active;
    const next: Obj = {
      ...(finished ? { conditions: finished } : status.conditions ? { conditions: status.conditions } : {}),
      startTime: status.startTime,
      ...(status.completionTime ? { completionTime: status.completionTime } : {}),
      // omitempty counts; ready, terminating and uncountedTerminatedPods are pointers, always written
      ...(running.length ? { active: running.length } : {}),
      ...(tally.succeeded ? { succeeded: tally.succeeded } : {}),
      ...(tally.failed ? { failed: tally.failed } : {}),
      terminating: 0,
      uncountedTerminatedPods: {},
      ready: running.filter(isPodReady).length,
    };
    if (canonical(next) !== canonical(job.status ?? {})) this.store.updateStatus({ ...job, status: next });
  }

  /** The Job's conditions with the two a finished Job gets, at this instant. */
  private conditions(status: Obj, types: readonly string[], why: { reason: string; message: string }): Obj[] {
    const now = this.store.timestamp();
    return [
      ...(status.conditions ?? []),
      ...types.map((type) => ({ type, status: 'True', lastProbeTime: now, lastTransitionTime: now, ...why })),
    ];
  }
}

/** getRemainingTimeForFailuresCount: 10 s after the first failure, doubling per failure, at most 10 min. */
function backoff(failures: number): number {
  return Math.min(POD_FAILURE_BACKOFF_MS * 2 ** (failures - 1), MAX_POD_FAILURE_BACKOFF_MS);
}
