// `kubectl describe` of the workloads that own pods through a template, as kubectl's
// pkg/describe/describe.go (v0.36) writes them: DescribePodTemplate, describeDeployment, describeJob,
// describeDaemonSet, describeReplicaSet, describeStatefulSet.
import { humanDuration } from './duration.js';
import { annotationsMultiline, describeEvents, labelsMultiline, Out, rfc1123z } from './describe-out.js';
import { describeContainers, describeVolumes, tolerationsMultiline } from './describe-pod.js';
import { clone, formatLabels, formatLabelSelector } from './labels.js';
import type { Obj } from './tables.js';

export function describePodTemplate(o: Out, t: Obj | undefined): void {
  o.w(0, 'Pod Template:\n');
  if (!t) return o.w(1, '<unset>');
  labelsMultiline(o, '  Labels', t.metadata?.labels);
  if (Object.keys(t.metadata?.annotations ?? {}).length) annotationsMultiline(o, '  Annotations', t.metadata.annotations);
  if (t.spec?.serviceAccountName) o.w(1, `Service Account:\t${t.spec.serviceAccountName}\n`);
  if (t.spec?.initContainers?.length) describeContainers(o, 'Init Containers', t.spec.initContainers, undefined, '  ');
  describeContainers(o, 'Containers', t.spec?.containers ?? [], undefined, '  ');
  describeVolumes(o, t.spec?.volumes, '  ');
  if (t.spec?.priorityClassName) o.w(1, `Priority Class Name:\t${t.spec.priorityClassName}\n`);
  labelsMultiline(o, '  Node-Selectors', t.spec?.nodeSelector);
  tolerationsMultiline(o, '  Tolerations', t.spec?.tolerations);
}

export function describeDeployment(d: Obj, rss: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = d.metadata ?? {};
  const spec = d.spec ?? {};
  const st = d.status ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Selector:\t${formatLabelSelector(spec.selector).replace('<none>', '')}\n`);
  o.w(
    0,
    `Replicas:\t${spec.replicas ?? 0} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  );
  o.w(0, `StrategyType:\t${spec.strategy?.type ?? ''}\n`);
  o.w(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`);
  const ru = spec.strategy?.rollingUpdate;
  if (ru) o.w(0, `RollingUpdateStrategy:\t${ru.maxUnavailable ?? ''} max unavailable, ${ru.maxSurge ?? ''} max surge\n`);
  describePodTemplate(o, spec.template);
  if (st.conditions?.length) {
    o.w(0, 'Conditions:\n  Type\tStatus\tReason\n');
    o.w(1, '----\t------\t------\n');
    for (const c of st.conditions) o.w(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  // deploymentutil: the new ReplicaSet has the template of the Deployment (pod-template-hash aside).
  const owned = rss.filter((rs) => (rs.metadata?.ownerReferences ?? []).some((r: Obj) => r.uid === m.uid && r.controller));
  const hash = (rs: Obj) => rs.metadata?.labels?.['pod-template-hash'];
  const sameTemplate = (rs: Obj) => {
    const a = clone(rs.spec?.template ?? {});
    if (a.metadata?.labels) delete a.metadata.labels['pod-template-hash'];
    return JSON.stringify(sortDeep(a)) === JSON.stringify(sortDeep(spec.template ?? {}));
  };
  const newRS = owned
    .filter((rs) => sameTemplate(rs))
    .sort((a, b) => String(a.metadata?.creationTimestamp).localeCompare(String(b.metadata?.creationTimestamp)))[0];
  const oldRSs = owned.filter((rs) => rs !== newRS && ((rs.spec?.replicas ?? 0) > 0 || (rs.status?.replicas ?? 0) > 0));
  void hash;
  if (owned.length > 0) {
    const fmt = (l: Obj[]) =>
      l.map((rs) => `${rs.metadata?.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`).join(', ') || '<none>';
    o.w(0, `OldReplicaSets:\t${fmt(oldRSs)}\n`);
    o.w(0, `NewReplicaSet:\t${fmt(newRS ? [newRS] : [])}\n`);
  }
  describeEvents(o, events);
  return o.done();
}

/** kubectl's describeJob: the spec's knobs, the run's times, the pods it counted, its template. */
export function describeJob(job: Obj, events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = job.metadata ?? {};
  const spec = job.spec ?? {};
  const st = job.status ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `Selector:\t${formatLabelSelector(spec.selector).replace('<none>', '')}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  const ctl = (m.ownerReferences ?? []).find((r: Obj) => r.controller);
  if (ctl) o.w(0, `Controlled By:\t${ctl.kind}/${ctl.name}\n`);
  if (spec.parallelism != null) o.w(0, `Parallelism:\t${spec.parallelism}\n`);
  o.w(0, `Completions:\t${spec.completions ?? '<unset>'}\n`);
  if (spec.completionMode != null) o.w(0, `Completion Mode:\t${spec.completionMode}\n`);
  if (spec.suspend != null) o.w(0, `Suspend:\t${spec.suspend}\n`);
  if (spec.backoffLimit != null) o.w(0, `Backoff Limit:\t${spec.backoffLimit}\n`);
  if (spec.ttlSecondsAfterFinished != null) o.w(0, `TTL Seconds After Finished:\t${spec.ttlSecondsAfterFinished}\n`);
  if (st.startTime) o.w(0, `Start Time:\t${rfc1123z(st.startTime)}\n`);
  if (st.completionTime) o.w(0, `Completed At:\t${rfc1123z(st.completionTime)}\n`);
  if (st.startTime && st.completionTime) o.w(0, `Duration:\t${humanDuration(Date.parse(st.completionTime) - Date.parse(st.startTime))}\n`);
  if (spec.activeDeadlineSeconds != null) o.w(0, `Active Deadline Seconds:\t${spec.activeDeadlineSeconds}s\n`);
  const ready = st.ready == null ? '' : ` (${st.ready} Ready)`;
  o.w(0, `Pods Statuses:\t${st.active ?? 0} Active${ready} / ${st.succeeded ?? 0} Succeeded / ${st.failed ?? 0} Failed\n`);
  if (spec.completionMode === 'Indexed') o.w(0, `Completed Indexes:\t${st.completedIndexes || '<none>'}\n`);
  describePodTemplate(o, spec.template);
  describeEvents(o, events);
  return o.done();
}

/** kubectl's describeDaemonSet; Pods Status counts the pods its selector matches by phase (getPodStatusForController). */
export function describeDaemonSet(ds: Obj, pods: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = ds.metadata ?? {};
  const st = ds.status ?? {};
  const phases = (phase: string) => pods.filter((p) => p.status?.phase === phase).length;
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `Selector:\t${formatLabelSelector(ds.spec?.selector).replace('<none>', '')}\n`);
  o.w(0, `Node-Selector:\t${formatLabels(ds.spec?.template?.spec?.nodeSelector)}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Desired Number of Nodes Scheduled: ${st.desiredNumberScheduled ?? 0}\n`);
  o.w(0, `Current Number of Nodes Scheduled: ${st.currentNumberScheduled ?? 0}\n`);
  o.w(0, `Number of Nodes Scheduled with Up-to-date Pods: ${st.updatedNumberScheduled ?? 0}\n`);
  o.w(0, `Number of Nodes Scheduled with Available Pods: ${st.numberAvailable ?? 0}\n`);
  o.w(0, `Number of Nodes Misscheduled: ${st.numberMisscheduled ?? 0}\n`);
  o.w(
    0,
    `Pods Status:\t${phases('Running')} Running / ${phases('Pending')} Waiting / ${phases('Succeeded')} Succeeded / ${phases('Failed')} Failed\n`,
  );
  describePodTemplate(o, ds.spec?.template);
  describeEvents(o, events);
  return o.done();
}

function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortDeep((v as Obj)[k])]),
    );
  return v;
}

/** getPodStatusForController: the pods the controller owns (by uid) counted by phase. */
function podPhases(owner: Obj, pods: Obj[]): string {
  const mine = pods.filter((p) => (p.metadata?.ownerReferences ?? []).some((r: Obj) => r.controller && r.uid === owner.metadata?.uid));
  const n = (phase: string) => mine.filter((p) => p.status?.phase === phase).length;
  return `${n('Running')} Running / ${n('Pending')} Waiting / ${n('Succeeded')} Succeeded / ${n('Failed')} Failed`;
}

export function describeReplicaSet(rs: Obj, pods: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = rs.metadata ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `Selector:\t${formatLabelSelector(rs.spec?.selector)}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  const ctl = (m.ownerReferences ?? []).find((r: Obj) => r.controller);
  if (ctl) o.w(0, `Controlled By:\t${ctl.kind}/${ctl.name}\n`);
  o.w(0, `Replicas:\t${rs.status?.replicas ?? 0} current / ${rs.spec?.replicas ?? 0} desired\n`);
  o.w(0, `Pods Status:\t${podPhases(rs, pods)}\n`);
  describePodTemplate(o, rs.spec?.template);
  if (rs.status?.conditions?.length) {
    o.w(0, 'Conditions:\n  Type\tStatus\tReason\n');
    o.w(1, '----\t------\t------\n');
    for (const c of rs.status.conditions) o.w(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`);
  }
  describeEvents(o, events);
  return o.done();
}

/** describeVolumeClaimTemplates: each claim's class, labels, annotations, capacity and access modes. */
function volumeClaimTemplates(o: Out, templates: Obj[] | undefined): void {
  if (!templates?.length) return o.w(0, 'Volume Claims:\t<none>\n');
  o.w(0, 'Volume Claims:\n');
  for (const pvc of templates) {
    o.w(1, `Name:\t${pvc.metadata?.name ?? ''}\n`);
    const cls = pvc.metadata?.annotations?.['volume.beta.kubernetes.io/storage-class'] ?? pvc.spec?.storageClassName ?? '';
    o.w(1, `StorageClass:\t${cls}\n`);
    labelsMultiline(o, 'Labels', pvc.metadata?.labels, '  ');
    labelsMultiline(o, 'Annotations', pvc.metadata?.annotations, '  ');
    const storage = pvc.spec?.resources?.requests?.storage;
    o.w(1, `Capacity:\t${storage === undefined ? '<default>' : String(storage)}\n`);
    o.w(1, `Access Modes:\t[${((pvc.spec?.accessModes ?? []) as string[]).join(' ')}]\n`);
  }
}

export function describeStatefulSet(ss: Obj, pods: Obj[], events: Obj[] | undefined, now: number): string {
  const o = new Out(now);
  const m = ss.metadata ?? {};
  const spec = ss.spec ?? {};
  o.w(0, `Name:\t${m.name}\n`);
  o.w(0, `Namespace:\t${m.namespace}\n`);
  o.w(0, `CreationTimestamp:\t${rfc1123z(m.creationTimestamp)}\n`);
  // labels.Selector's String(): empty for a selector that matches everything
  o.w(0, `Selector:\t${formatLabelSelector(spec.selector).replace('<none>', '')}\n`);
  labelsMultiline(o, 'Labels', m.labels);
  annotationsMultiline(o, 'Annotations', m.annotations);
  o.w(0, `Replicas:\t${spec.replicas ?? 0} desired | ${ss.status?.replicas ?? 0} total\n`);
  o.w(0, `Update Strategy:\t${spec.updateStrategy?.type ?? ''}\n`);
  const ru = spec.updateStrategy?.rollingUpdate;
  if (ru?.partition !== undefined) {
    o.w(1, `Partition:\t${ru.partition}\n`);
    if (ru.maxUnavailable !== undefined) o.w(1, `MaxUnavailable:\t${ru.maxUnavailable}\n`);
  }
  o.w(0, `Pods Status:\t${podPhases(ss, pods)}\n`);
  describePodTemplate(o, spec.template);
  volumeClaimTemplates(o, spec.volumeClaimTemplates);
  describeEvents(o, events);
  return o.done();
}
