// kind's kubeadmConfigPatches of kind ClusterConfiguration: the control-plane components' extraArgs
// they leave in the kubeadm config kind writes for a node (kind v0.32.0 pkg/internal/patch:
// resource.go matches a patch by kind, and by apiVersion when it names one; kubeadm_merge.go, for
// a v1beta4 target (Kubernetes ≥ 1.36): an unversioned patch's map-form `extraArgs` is turned
// into `- name/value` items; each item replaces the value of the same name, is appended when new,
// or deletes it when its value is null). The cluster's patches apply first, then the node's.
import { parseAllDocuments } from 'yaml';

export interface Arg {
  readonly name: string;
  readonly value: string;
}
/** ClusterConfiguration's components, by their field path. */
export type Component = 'apiServer' | 'controllerManager' | 'scheduler' | 'etcd';
export type ComponentArgs = Partial<Record<Component, readonly Arg[]>>;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The YAML documents of `patches` (each a `|` string) of this kind and API group; a patch that is not YAML is left out. */
export function patchDocuments(patches: readonly string[], kind: string, group: string, version: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const text of patches) {
    for (const d of parseAllDocuments(text)) {
      if (!('errors' in d) || d.errors.length) continue;
      const patch = d.toJS() as unknown;
      if (!isObject(patch) || patch['kind'] !== kind) continue;
      const apiVersion = typeof patch['apiVersion'] === 'string' ? patch['apiVersion'] : '';
      if (apiVersion !== '') {
        const [g, v] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
        if (g !== group || (v !== '' && v !== version)) continue;
      }
      out.push(patch);
    }
  }
  return out;
}

/** Go's fmt of a YAML scalar kubeadm decodes into a string (`true`, `2381`). */
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** mergeExtraArgs: the patch's items over `target`'s. */
function mergeArgs(target: readonly Arg[], patch: unknown, versioned: boolean): Arg[] {
  const items: [string, unknown][] = Array.isArray(patch)
    ? patch.filter(isObject).flatMap((i) => (typeof i['name'] === 'string' ? [[i['name'], i['value']] as [string, unknown]] : []))
    : isObject(patch) && !versioned
      ? Object.entries(patch)
      : [];
  const out = [...target];
  for (const [name, value] of items) {
    const at = out.findIndex((a) => a.name === name);
    if (value === null || value === undefined) {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = { name, value: str(value) };
    else out.push({ name, value: str(value) });
  }
  return out;
}

/** The extraArgs the ClusterConfiguration patches give each component (only those a patch names). */
export function clusterConfigurationArgs(patches: readonly string[]): ComponentArgs {
  const out: Partial<Record<Component, Arg[]>> = {};
  for (const doc of patchDocuments(patches, 'ClusterConfiguration', 'kubeadm.k8s.io', 'v1beta4')) {
    const versioned = typeof doc['apiVersion'] === 'string' && doc['apiVersion'] !== '';
    const at = (c: Component): unknown => {
      const v = c === 'etcd' ? (isObject(doc['etcd']) ? doc['etcd']['local'] : undefined) : doc[c];
      return isObject(v) && 'extraArgs' in v ? v['extraArgs'] : undefined;
    };
    for (const c of ['apiServer', 'controllerManager', 'scheduler', 'etcd'] as const) {
      const p = at(c);
      if (p !== undefined) out[c] = mergeArgs(out[c] ?? [], p, versioned);
    }
  }
  return out;
}
