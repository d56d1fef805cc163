// `kubectl rollout history|undo|pause|resume` of a Deployment, as kubectl v0.36 runs them
// (pkg/cmd/rollout, pkg/polymorphichelpers history.go, rollback.go, objectpauser.go,
// objectresumer.go): a Deployment's revisions are its ReplicaSets' `deployment.kubernetes.io/revision`
// annotations, each with its `kubernetes.io/change-cause`; undo puts a revision's template back.
import type { KubeObject, ResourceInfo } from '../api/index.js';
import { describePodTemplate } from './describe-workloads.js';
import { Out } from './describe-out.js';
import { type KubectlEnv, KubectlError, objectRef } from './env.js';
import { KUBECTL_DESCRIBE, TabWriter } from './tabwriter.js';
import { ANNOTATIONS_TO_SKIP, REVISION } from '../controllers/index.js';
import type { Obj } from './tables.js';

const CHANGE_CAUSE = 'kubernetes.io/change-cause';

/** The ReplicaSets the Deployment controls, by revision (those without a revision left out, as kubectl warns and skips them). */
function revisions(env: KubectlEnv, d: Obj): Map<number, Obj> {
  const out = new Map<number, Obj>();
  for (const rs of env.client.list('replicasets', d.metadata.namespace).items as Obj[]) {
    if (!(rs.metadata?.ownerReferences ?? []).some((r: Obj) => r.uid === d.metadata.uid && r.controller)) continue;
    const v = Number(rs.metadata?.annotations?.[REVISION]);
    if (Number.isInteger(v)) out.set(v, rs);
  }
  return out;
}

function deploymentOnly(info: ResourceInfo, verb: string): void {
  if (info.kind !== 'Deployment')
    throw new KubectlError(`"kubectl rollout ${verb}" of a ${info.kind} is not emulated by knetlab (only a Deployment's)`);
}

/** DeploymentHistoryViewer.ViewHistory, printed after the object's name as the rollout history command prints it. */
export function rolloutHistory(env: KubectlEnv, info: ResourceInfo, ns: string, name: string, revision: number | undefined): void {
  deploymentOnly(info, 'history');
  const byRevision = revisions(env, env.client.get(info.resource, ns, name) as Obj);
  let text: string;
  if (byRevision.size === 0) text = 'No rollout history found.';
  else if (revision !== undefined && revision > 0) {
    const rs = byRevision.get(revision);
    if (!rs) throw new KubectlError('unable to find the specified revision');
    const template = structuredClone(rs.spec?.template ?? {});
    const cause = rs.metadata?.annotations?.[CHANGE_CAUSE];
    if (cause)
      template.metadata = {
        ...(template.metadata ?? {}),
        annotations: { ...(template.metadata?.annotations ?? {}), [CHANGE_CAUSE]: cause },
      };
    // printTemplate: DescribePodTemplate through a PrefixWriter with no tab writer
    const o = new Out(env.client.now(), true);
    describePodTemplate(o, template);
    text = o.done();
  } else {
    const tw = new TabWriter(KUBECTL_DESCRIBE);
    tw.write('REVISION\tCHANGE-CAUSE\n');
    for (const v of [...byRevision.keys()].sort((a, b) => a - b))
      tw.write(`${v}\t${byRevision.get(v)!.metadata?.annotations?.[CHANGE_CAUSE] || '<none>'}\n`);
    text = tw.flush();
  }
  const withRevision = revision !== undefined && revision > 0 ? `with revision #${revision}` : '';
  env.io.stdout(`${objectRef(info, name)} ${withRevision}\n${text}\n`);
}

/** DeploymentRollbacker.Rollback: the revision's template (and its annotations) back on the Deployment. */
export function rolloutUndo(env: KubectlEnv, info: ResourceInfo, ns: string, name: string, toRevision: number): void {
  deploymentOnly(info, 'undo');
  if (toRevision < 0) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  const d = env.client.get(info.resource, ns, name) as Obj;
  if (d.spec?.paused)
    throw new KubectlError("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again");
  const byRevision = revisions(env, d);
  let target: Obj | undefined;
  if (toRevision > 0) {
    target = byRevision.get(toRevision);
    if (!target) throw new KubectlError(`unable to find specified revision ${toRevision} in history`);
  } else {
    const sorted = [...byRevision.keys()].sort((a, b) => b - a);
    if (sorted.length < 2) throw new KubectlError(`no rollout history found for deployment "${name}"`);
    target = byRevision.get(sorted[1]!);
  }
  const template = structuredClone(target!.spec?.template ?? {});
  delete template.metadata?.labels?.['pod-template-hash'];
  if (JSON.stringify(sortKeys(template)) === JSON.stringify(sortKeys(d.spec?.template ?? {}))) {
    env.io.stdout(`${objectRef(info, name)} skipped rollback (current template already matches revision)\n`);
    return;
  }
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries((d.metadata?.annotations ?? {}) as Record<string, string>))
    if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries((target!.metadata?.annotations ?? {}) as Record<string, string>))
    if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  env.client.patch(info.resource, ns, name, 'json', [
    { op: 'replace', path: '/spec/template', value: template },
    { op: 'replace', path: '/metadata/annotations', value: annotations },
  ]);
  env.io.stdout(`${objectRef(info, name)} rolled back\n`);
}

/** objectpauser / objectresumer: spec.paused set or cleared; the other state is the command's error. */
export function rolloutPause(env: KubectlEnv, info: ResourceInfo, ns: string, name: string, pause: boolean): void {
  deploymentOnly(info, pause ? 'pause' : 'resume');
  const d = env.client.get(info.resource, ns, name) as KubeObject & { spec?: { paused?: boolean } };
  if (Boolean(d.spec?.paused) === pause)
    throw new KubectlError(
      `${info.group ? `${info.resource}.${info.group}` : info.resource} "${name}" ${pause ? 'is already paused' : 'is not paused'}`,
    );
  env.client.patch(info.resource, ns, name, 'strategic', { spec: { paused: pause ? true : null } });
  env.io.stdout(`${objectRef(info, name)} ${pause ? 'paused' : 'resumed'}\n`);
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, sortKeys((v as Obj)[k])]),
    );
  return v;
}
