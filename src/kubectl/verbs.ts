// The mutating verbs over the ApiClient with kubectl's messages: delete, label, annotate, patch,
// scale, run, expose, create <kind>, rollout status|restart, wait.

import { ApiError, labelValueErrors, type KubeObject, type PatchType, type ResourceInfo } from '../api/index.js';
import { type KubectlEnv, KubectlError, errorText, namespaceOf, objectRef, withSource } from './env.js';
import { dryRunSuffix, parseFlags } from './flags.js';
import { readManifests } from './manifests.js';
import { mappingOf, refuseKustomize } from './apply.js';
import { parseSelection, resolveResource, type Selection } from './resources.js';
import { deepEqual } from './merge.js';

/** Objects named by args (TYPE NAME..., TYPE/NAME), -l, --all or -f: each with its resource. */
export function targets(
  env: KubectlEnv,
  sel: Selection[],
  ns: string,
  opts: { selector?: string; all?: boolean; allNs?: boolean },
): { info: ResourceInfo; obj?: KubeObject; name: string; ns?: string }[] {
  const out: { info: ResourceInfo; obj?: KubeObject; name: string; ns?: string }[] = [];
  for (const { info, names } of sel) {
    const scope = info.namespaced ? ns : undefined;
    if (names.length > 0) {
      for (const name of names) out.push({ info, name, ns: scope });
    } else if (opts.selector !== undefined || opts.all) {
      const list = env.client.list(info.resource, info.namespaced && !opts.allNs ? ns : undefined, { labelSelector: opts.selector });
      for (const obj of list.items) out.push({ info, obj, name: obj.metadata.name!, ns: obj.metadata.namespace });
    } else {
      throw new KubectlError(`resource(s) were provided, but no name was specified`);
    }
  }
  return out;
}

export async function del(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'kustomize', short: 'k', kind: 'string' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'grace-period', kind: 'int' },
    { name: 'force', kind: 'bool' },
    { name: 'now', kind: 'bool' },
    { name: 'wait', kind: 'bool' },
    { name: 'ignore-not-found', kind: 'bool' },
    { name: 'cascade', kind: 'string' },
    { name: 'dry-run', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'recursive', short: 'R', kind: 'bool' },
    { name: 'timeout', kind: 'string' },
  ]);
  refuseKustomize('delete', p.flags);
  const ns = namespaceOf(env, p.flags.namespace);
  const files = (p.flags.filename as string[] | undefined) ?? [];
  let list: { info: ResourceInfo; name: string; ns?: string; source?: string }[];
  if (files.length > 0) {
    list = readManifests(env.io, files, p.flags.recursive === true).map((m) => {
      const info = mappingOf(env, m);
      return { info, name: m.obj.metadata.name ?? '', ns: info.namespaced ? m.obj.metadata.namespace || ns : undefined, source: m.source };
    });
  } else {
    if (p.args.length === 0)
      throw new KubectlError(
        `You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'`,
      );
    const sel = parseSelection(env.client, p.args);
    const hasNames = sel.some((s) => s.names.length > 0);
    if (!hasNames && p.flags.selector === undefined && !p.flags.all)
      throw new KubectlError(`resource(s) were provided, but no name was specified`);
    list = targets(env, sel, ns, {
      selector: p.flags.selector as string | undefined,
      all: p.flags.all === true,
      allNs: p.flags['all-namespaces'] === true,
    });
    if (list.length === 0) {
      env.io.stdout('No resources found\n');
      return 0;
    }
  }
  const grace = p.flags['grace-period'] as number | undefined;
  const force = p.flags.force === true || p.flags.now === true;
  const gracePeriodSeconds = p.flags.now ? 1 : force && grace === undefined ? 0 : grace;
  if (force && gracePeriodSeconds === 0)
    env.io.stderr(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    );
  const suffix = dryRunSuffix(p.flags['dry-run']);
  let failed = false;
  for (const t of list) {
    try {
      try {
        env.client.delete(t.info.resource, t.ns, t.name, {
          ...(gracePeriodSeconds !== undefined ? { gracePeriodSeconds } : {}),
          ...(suffix ? { dryRun: true } : {}),
        });
      } catch (e) {
        if (e instanceof ApiError && e.reason === 'NotFound' && p.flags['ignore-not-found']) continue;
        throw withSource('deleting', t.source, e);
      }
      if (p.flags.output === 'name') {
        env.io.stdout(`${objectRef(t.info, t.name)}\n`);
        continue;
      }
      const verb = gracePeriodSeconds === 0 ? 'force deleted' : 'deleted';
      const where = t.info.namespaced ? ` from ${t.ns} namespace` : '';
      env.io.stdout(`${singularRef(t.info)} "${t.name}" ${verb}${where}${suffix}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

/** delete's `pod "x" deleted`: the kind in lower case with its group (`deployment.apps`). */
function singularRef(info: ResourceInfo): string {
  return (info.group ? `${info.kind}.${info.group}` : info.kind).toLowerCase();
}

/** label and annotate share one shape: TYPE NAME k=v k2- [--overwrite]. */
async function setMeta(env: KubectlEnv, argv: readonly string[], field: 'labels' | 'annotations'): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'overwrite', kind: 'bool' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'all-namespaces', short: 'A', kind: 'bool' },
    { name: 'dry-run', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'list', kind: 'bool' },
    { name: 'resource-version', kind: 'string' },
  ]);
  const verb = field === 'labels' ? 'label' : 'annotate';
  // label.go: arguments with `=` or a trailing `-` are changes, the rest name resources.
  const changes = p.args.filter((a) => a.includes('=') || a.endsWith('-'));
  const resArgs = p.args.filter((a) => !changes.includes(a));
  if (changes.length === 0) throw new KubectlError(`at least one ${field === 'labels' ? 'label' : 'annotation'} update is required`);
  const set: Record<string, string> = {};
  const remove: string[] = [];
  for (const c of changes) {
    if (c.endsWith('-') && !c.includes('=')) remove.push(c.slice(0, -1));
    else {
      const eq = c.indexOf('=');
      const k = c.slice(0, eq);
      const v = c.slice(eq + 1);
      const bad = field === 'labels' ? labelValueErrors(v) : [];
      if (bad.length) throw new KubectlError(`invalid label value: "${c}": ${bad.join(';')}`);
      set[k] = v;
    }
  }
  const ns = namespaceOf(env, p.flags.namespace);
  const sel = parseSelection(env.client, resArgs);
  if (sel.length === 0) throw new KubectlError(`one or more resources must be specified as <resource> <name> or <resource>/<name>`);
  let failed = false;
  for (const t of targets(env, sel, ns, {
    selector: p.flags.selector as string | undefined,
    all: p.flags.all === true,
    allNs: p.flags['all-namespaces'] === true,
  })) {
    try {
      const obj = t.obj ?? env.client.get(t.info.resource, t.ns, t.name);
      const before = { ...(obj.metadata[field] ?? {}) };
      const after = { ...before };
      for (const [k, v] of Object.entries(set)) {
        if (k in before && before[k] !== v && !p.flags.overwrite)
          throw new KubectlError(`'${k}' already has a value (${before[k]}), and --overwrite is false`);
        after[k] = v;
      }
      for (const k of remove) delete after[k];
      const ref = objectRef(t.info, t.name);
      if (deepEqual(before, after)) {
        env.io.stdout(`${ref} not ${verb === 'label' ? 'labeled' : 'annotated'}\n`);
        continue;
      }
      const patch: Record<string, string | null> = { ...set };
      for (const k of remove) patch[k] = null;
      if (!p.flags['dry-run']) env.client.patch(t.info.resource, t.ns, t.name, 'merge', { metadata: { [field]: patch } });
      env.io.stdout(`${ref} ${verb === 'label' ? 'labeled' : 'annotated'}${dryRunSuffix(p.flags['dry-run'])}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

export const label = (env: KubectlEnv, argv: readonly string[]) => setMeta(env, argv, 'labels');
export const annotate = (env: KubectlEnv, argv: readonly string[]) => setMeta(env, argv, 'annotations');

export async function patch(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'patch', short: 'p', kind: 'string' },
    { name: 'patch-file', kind: 'string' },
    { name: 'type', kind: 'string' },
    { name: 'dry-run', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'subresource', kind: 'string' },
  ]);
  const subresource = p.flags.subresource as string | undefined;
  if (subresource !== undefined && !['status', 'scale'].includes(subresource))
    throw new KubectlError(`invalid subresource value: "${subresource}". Must be one of [status scale]`);
  if (subresource === 'scale') throw new KubectlError('knetlab: kubectl patch --subresource scale is not emulated; use kubectl scale');
  const type = (p.flags.type as string | undefined) ?? 'strategic';
  if (!['strategic', 'merge', 'json'].includes(type)) throw new KubectlError(`--type must be one of [json merge strategic], not "${type}"`);
  const text = p.flags.patch as string | undefined;
  if (text === undefined || text === '') throw new KubectlError(`must specify -p to patch`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    try {
      const { parse } = await import('yaml');
      body = parse(text);
    } catch (e) {
      throw new KubectlError(`unable to parse "${text}": yaml: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const ns = namespaceOf(env, p.flags.namespace);
  const sel = parseSelection(env.client, p.args);
  if (sel.length === 0 || sel.every((s) => s.names.length === 0))
    throw new KubectlError(`resource(s) were provided, but no name was specified`);
  let failed = false;
  for (const t of targets(env, sel, ns, {})) {
    try {
      const before = env.client.get(t.info.resource, t.ns, t.name);
      if (
        type === 'strategic' &&
        t.info.group &&
        ![
          'apps',
          'batch',
          'discovery.k8s.io',
          'coordination.k8s.io',
          'networking.k8s.io',
          'policy',
          'autoscaling',
          'rbac.authorization.k8s.io',
        ].includes(t.info.group)
      ) {
        throw new ApiError(
          415,
          'BadRequest',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        );
      }
      const after = env.client.patch(t.info.resource, t.ns, t.name, type as PatchType, body, {
        ...(p.flags['dry-run'] ? { dryRun: true } : {}),
        ...(subresource ? { subresource: 'status' as const } : {}),
      });
      const same = before.metadata.resourceVersion === after.metadata.resourceVersion;
      env.io.stdout(`${objectRef(t.info, t.name)} patched${same ? ' (no change)' : ''}${dryRunSuffix(p.flags['dry-run'])}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

export async function scale(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'replicas', kind: 'int' },
    { name: 'current-replicas', kind: 'int' },
    { name: 'selector', short: 'l', kind: 'string' },
    { name: 'all', kind: 'bool' },
    { name: 'dry-run', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
    { name: 'filename', short: 'f', kind: 'strings' },
    { name: 'resource-version', kind: 'string' },
    { name: 'timeout', kind: 'string' },
  ]);
  if (!p.changed.has('replicas')) throw new KubectlError(`required flag(s) "replicas" not set`);
  const replicas = p.flags.replicas as number;
  if (replicas < 0) throw new KubectlError(`The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0`);
  const ns = namespaceOf(env, p.flags.namespace);
  const sel = parseSelection(env.client, p.args);
  let failed = false;
  for (const t of targets(env, sel, ns, { selector: p.flags.selector as string | undefined, all: p.flags.all === true })) {
    try {
      if (!['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers'].includes(t.info.resource)) {
        throw new ApiError(404, 'NotFound', `the server could not find the requested resource`);
      }
      const cur = p.flags['current-replicas'] as number | undefined;
      if (cur !== undefined) {
        const obj = env.client.get(t.info.resource, t.ns, t.name);
        if ((obj as { spec?: { replicas?: number } }).spec?.replicas !== cur)
          throw new KubectlError(`Expected replicas to be ${cur}, was ${(obj as { spec?: { replicas?: number } }).spec?.replicas}`);
      }
      if (!p.flags['dry-run']) env.client.patch(t.info.resource, t.ns, t.name, 'merge', { spec: { replicas } });
      env.io.stdout(`${objectRef(t.info, t.name)} scaled${dryRunSuffix(p.flags['dry-run'])}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

export { resolveResource };
