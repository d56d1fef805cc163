// What a node's patched kubeadm config (kubeadm-config.ts) hands kubeadm and the kubelet: the
// control-plane components' extraArgs of its ClusterConfiguration (v1beta4 `- name/value` items;
// kubeadm decodes each value as a string), and its nodeRegistration (InitConfiguration on the
// first control plane, JoinConfiguration elsewhere): kubeletExtraArgs' node-labels, provider-id
// and taints.
import type { KindConfig } from './config.js';
import { documentOf, kubeadmDocuments, type KubeadmNode } from './kubeadm-config.js';

type Obj = Record<string, unknown>;

export interface Arg {
  readonly name: string;
  readonly value: string;
}
/** ClusterConfiguration's components, by their field path. */
export type Component = 'apiServer' | 'controllerManager' | 'scheduler' | 'etcd';
export type ComponentArgs = Partial<Record<Component, readonly Arg[]>>;

export const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's fmt of a YAML scalar kubeadm decodes into a string (`true`, `2381`). */
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** A v1beta4 extraArgs list's items (anything else: none). */
function items(v: unknown): Arg[] {
  return Array.isArray(v)
    ? v
        .filter(isObject)
        .flatMap((i) => (typeof i['name'] === 'string' && i['value'] != null ? [{ name: i['name'], value: str(i['value']) }] : []))
    : [];
}

/** The extraArgs of each component a ClusterConfiguration gives any. */
export function componentArgs(cluster: Obj | undefined): ComponentArgs {
  const out: Partial<Record<Component, Arg[]>> = {};
  if (!cluster) return out;
  for (const c of ['apiServer', 'controllerManager', 'scheduler', 'etcd'] as const) {
    const at = c === 'etcd' ? (isObject(cluster['etcd']) ? cluster['etcd']['local'] : undefined) : cluster[c];
    const args = isObject(at) ? items(at['extraArgs']) : [];
    if (args.length) out[c] = args;
  }
  return out;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** What the kubelet registers its Node with, from the nodeRegistration kubeadm reads on this node. */
export interface NodeRegistration {
  /** kubeletExtraArgs' --node-labels, parsed (`k=v,k2=v2`). */
  readonly labels: Record<string, string>;
  /** --provider-id. */
  readonly providerID: string | undefined;
  /** nodeRegistration.taints; undefined: kubeadm's default (the control-plane taint on a control plane). */
  readonly taints: readonly Taint[] | undefined;
}

/** Parses kubelet's --node-labels value (cliflag.ConfigurationMap: `k=v` pairs, comma-separated). */
function parseLabels(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of value.split(',')) {
    if (pair.trim() === '') continue;
    const eq = pair.indexOf('=');
    out[(eq < 0 ? pair : pair.slice(0, eq)).trim()] = eq < 0 ? '' : pair.slice(eq + 1).trim();
  }
  return out;
}

/** The node's registration from its patched config: `init` for the node kubeadm init runs on. */
export function nodeRegistration(config: KindConfig, node: KubeadmNode, init: boolean): NodeRegistration {
  const docs = kubeadmDocuments(config, node);
  const doc = documentOf(docs, init ? 'InitConfiguration' : 'JoinConfiguration');
  const reg = isObject(doc?.['nodeRegistration']) ? doc['nodeRegistration'] : {};
  const args = items(reg['kubeletExtraArgs']);
  const arg = (name: string) => [...args].reverse().find((a) => a.name === name)?.value;
  const taints = Array.isArray(reg['taints'])
    ? reg['taints'].filter(isObject).map((t) => ({
        key: str(t['key'] ?? ''),
        ...(t['value'] != null ? { value: str(t['value']) } : {}),
        effect: str(t['effect'] ?? ''),
      }))
    : undefined;
  return { labels: parseLabels(arg('node-labels') ?? ''), providerID: arg('provider-id'), taints };
}
