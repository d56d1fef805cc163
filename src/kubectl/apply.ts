// `kubectl apply -f` (client-side apply: the kubectl.kubernetes.io/last-applied-configuration
// annotation, a three-way merge against the live object; created/configured/unchanged) and
// `kubectl create -f`.

import { ApiError, strategicMerge, type KubeObject, type ResourceInfo } from '../api/index.js';
import { clone } from './labels.js';
import { type KubectlEnv, KubectlError, errorText, namespaceOf, objectRef, usageError, withSource } from './env.js';
import { type FlagSpec, dryRunSuffix, parseFlags } from './flags.js';
import { type Manifest, groupVersion, readManifests } from './manifests.js';
import { deepEqual, threeWayPatch } from './merge.js';
import { sortKeys } from './jsonpath.js';
import { findResource } from './resources.js';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

const FILE_FLAGS: FlagSpec[] = [
  { name: 'filename', short: 'f', kind: 'strings' },
  { name: 'kustomize', short: 'k', kind: 'string' },
  { name: 'recursive', short: 'R', kind: 'bool' },
  { name: 'output', short: 'o', kind: 'string' },
  { name: 'dry-run', kind: 'string' },
  { name: 'validate', kind: 'string' },
  { name: 'server-side', kind: 'bool' },
  { name: 'force-conflicts', kind: 'bool' },
  { name: 'field-manager', kind: 'string' },
  { name: 'save-config', kind: 'bool' },
  { name: 'selector', short: 'l', kind: 'string' },
  { name: 'prune', kind: 'bool' },
];

/** The mapping of a manifest's kind, with kubectl's message when discovery does not know it. */
export function mappingOf(env: KubectlEnv, m: Manifest): ResourceInfo {
  const { group, version } = groupVersion(m.obj.apiVersion);
  const info =
    env.client.resources().find((r) => r.kind === m.obj.kind && r.group === group && r.version === version) ??
    findResource(
      env.client.resources().filter((r) => r.group === group),
      m.obj.kind,
    );
  if (!info || info.kind !== m.obj.kind) {
    throw new KubectlError(
      `resource mapping not found for name: "${m.obj.metadata.name ?? ''}" namespace: "${m.obj.metadata.namespace ?? ''}" from "${m.source}": no matches for kind "${m.obj.kind}" in version "${m.obj.apiVersion}"\nensure CRDs are installed first`,
    );
  }
  return info;
}

/** Sets the object's namespace as the builder does, refusing a conflicting --namespace. */
function placeNamespace(env: KubectlEnv, info: ResourceInfo, obj: KubeObject, nsFlag: unknown, explicit: boolean): void {
  if (!info.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  const ns = namespaceOf(env, nsFlag);
  if (obj.metadata.namespace && explicit && obj.metadata.namespace !== ns) {
    throw new KubectlError(
      `the namespace from the provided object "${obj.metadata.namespace}" does not match the namespace "${ns}". You must pass '--namespace=${obj.metadata.namespace}' to perform this operation.`,
    );
  }
  obj.metadata.namespace ||= ns;
}

/** The annotation's value: the manifest as JSON (sorted keys, annotation itself removed), newline-terminated. */
export function lastAppliedOf(obj: KubeObject): string {
  const copy = clone(obj);
  copy.metadata.annotations = { ...(copy.metadata.annotations ?? {}) };
  delete copy.metadata.annotations[LAST_APPLIED];
  return `${JSON.stringify(sortKeys(copy))}\n`;
}

function withLastApplied(obj: KubeObject): KubeObject {
  const out = clone(obj);
  out.metadata.annotations = { ...(out.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedOf(obj) };
  return out;
}

export async function apply(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, FILE_FLAGS);
  refuseKustomize('apply', p.flags);
  if (p.args.length > 0) throw usageError('apply', `Unexpected args: [${p.args.join(' ')}]`);
  const files = (p.flags.filename as string[] | undefined) ?? [];
  if (files.length === 0) throw new KubectlError('must specify one of -f and -k');
  const manifests = readManifests(env.io, files, p.flags.recursive === true);
  if (manifests.length === 0) throw new KubectlError('no objects passed to apply');
  const dry = p.flags['dry-run'] === 'client' || p.flags['dry-run'] === 'server';
  const suffix = dryRunSuffix(p.flags['dry-run']);
  let failed = false;
  for (const m of manifests) {
    try {
      const info = mappingOf(env, m);
      const obj = clone(m.obj);
      placeNamespace(env, info, obj, p.flags.namespace, p.changed.has('namespace'));
      const name = obj.metadata.name;
      if (!name)
        throw new KubectlError(
          `error when retrieving current configuration of:\nResource: "${info.group ? `${info.group}/${info.version}` : info.version}, Resource=${info.resource}", GroupVersionKind: "${info.group ? `${info.group}/` : ''}${info.version}, Kind=${info.kind}"\nName: "", Namespace: "${obj.metadata.namespace ?? ''}"\nfrom server for: "${m.source}": resource name may not be empty`,
        );
      const ref = objectRef(info, name);
      let live: KubeObject | undefined;
      try {
        live = env.client.get(info.resource, obj.metadata.namespace, name);
      } catch (e) {
        if (!(e instanceof ApiError && e.reason === 'NotFound')) throw e;
      }
      if (!live) {
        try {
          if (p.flags['dry-run'] !== 'client') env.client.create(withLastApplied(obj), { dryRun: dry, fieldValidation: 'Strict' });
        } catch (e) {
          throw withSource('creating', m.source, e);
        }
        env.io.stdout(`${ref} created${suffix}\n`);
        continue;
      }
      const modified = withLastApplied(obj);
      const originalText = live.metadata.annotations?.[LAST_APPLIED];
      const original = originalText ? JSON.parse(originalText) : {};
      const patch = threeWayPatch(original, modified, live);
      if (Object.keys(patch).length === 0) {
        env.io.stdout(`${ref} unchanged${suffix}\n`);
        continue;
      }
      const merged = strategicMerge(live, patch) as KubeObject;
      if (!dry) {
        try {
          const after = env.client.update(merged, { fieldValidation: 'Strict' });
          if (deepEqual(after, live)) {
            env.io.stdout(`${ref} unchanged${suffix}\n`);
            continue;
          }
        } catch (e) {
          throw withSource('patching', m.source, e);
        }
      }
      env.io.stdout(`${ref} configured${suffix}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

/**
 * `-k DIR` builds the manifests with kubectl's built-in kustomize, which knetlab does not emulate:
 * said plainly (a real kubectl knows the flag), not as an unknown flag.
 */
export function refuseKustomize(verb: string, flags: Record<string, unknown>): void {
  if (flags.kustomize !== undefined)
    throw new KubectlError(
      `"kubectl ${verb} -k" (kustomize) is not emulated by knetlab: build the manifests with kustomize and ${verb} them with -f`,
    );
}

/** `kubectl create -f`. */
export async function createFromFiles(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [...FILE_FLAGS, { name: 'edit', kind: 'bool' }]);
  refuseKustomize('create', p.flags);
  const manifests = readManifests(env.io, (p.flags.filename as string[] | undefined) ?? [], p.flags.recursive === true);
  const suffix = dryRunSuffix(p.flags['dry-run']);
  let failed = false;
  for (const m of manifests) {
    try {
      const info = mappingOf(env, m);
      const obj = clone(m.obj);
      placeNamespace(env, info, obj, p.flags.namespace, p.changed.has('namespace'));
      if (p.flags['save-config']) obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED]: lastAppliedOf(obj) };
      let created = obj;
      try {
        if (p.flags['dry-run'] !== 'client') created = env.client.create(obj, { dryRun: Boolean(suffix), fieldValidation: 'Strict' });
      } catch (e) {
        throw withSource('creating', m.source, e);
      }
      env.io.stdout(`${objectRef(info, created.metadata.name ?? '')} created${suffix}\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}

/** `kubectl replace -f` (PUT of the whole object) and `--force` (delete, then create). */
export async function replace(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    ...FILE_FLAGS,
    { name: 'force', kind: 'bool' },
    { name: 'grace-period', kind: 'int' },
    { name: 'cascade', kind: 'string' },
    { name: 'wait', kind: 'bool' },
    { name: 'timeout', kind: 'string' },
  ]);
  refuseKustomize('replace', p.flags);
  const manifests = readManifests(env.io, (p.flags.filename as string[] | undefined) ?? [], p.flags.recursive === true);
  let failed = false;
  for (const m of manifests) {
    try {
      const info = mappingOf(env, m);
      const obj = clone(m.obj);
      placeNamespace(env, info, obj, p.flags.namespace, p.changed.has('namespace'));
      const name = obj.metadata.name ?? '';
      const ref = objectRef(info, name);
      if (p.flags.force) {
        try {
          env.client.delete(info.resource, obj.metadata.namespace, name);
          env.io.stdout(
            `${info.kind.toLowerCase()}${info.group ? `.${info.group}` : ''} "${name}" deleted${info.namespaced ? ` from ${obj.metadata.namespace} namespace` : ''}\n`,
          );
        } catch (e) {
          if (!(e instanceof ApiError && e.reason === 'NotFound')) throw withSource('deleting', m.source, e);
        }
        try {
          env.client.create(obj, { fieldValidation: 'Strict' });
        } catch (e) {
          throw withSource('replacing', m.source, e);
        }
        env.io.stdout(`${ref} replaced\n`);
        continue;
      }
      try {
        const live = env.client.get(info.resource, obj.metadata.namespace, name);
        obj.metadata.resourceVersion ??= live.metadata.resourceVersion;
        env.client.update(obj, { fieldValidation: 'Strict' });
      } catch (e) {
        throw withSource('replacing', m.source, e);
      }
      env.io.stdout(`${ref} replaced\n`);
    } catch (e) {
      failed = true;
      env.io.stderr(errorText(e));
    }
  }
  return failed ? 1 : 0;
}
