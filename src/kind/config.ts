// kind's `Cluster` config (kind.x-k8s.io/v1alpha4): decoded strictly as kind does (gopkg.in/yaml.v3
// with KnownFields, so an unknown field fails with yaml.v3's own `line N: field x not found in type
// v1alpha4.T`), defaulted (v1alpha4 SetDefaultsCluster) and validated with kind's messages.
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import { parsePrefix } from '../wire/index.js';

export interface PortMapping {
  containerPort: number;
  hostPort: number;
  listenAddress: string;
  protocol: 'TCP' | 'UDP' | 'SCTP';
}
/** v1alpha4.PatchJSON6902: an RFC 6902 patch (YAML or JSON) for the kubeadm documents of this group, version and kind. */
export interface PatchJSON6902 {
  group: string;
  version: string;
  kind: string;
  patch: string;
}
export interface KindNode {
  role: 'control-plane' | 'worker';
  image: string;
  labels: Record<string, string>;
  extraPortMappings: PortMapping[];
  extraMounts: unknown[];
  kubeadmConfigPatches: string[];
  kubeadmConfigPatchesJSON6902: PatchJSON6902[];
}
export interface KindConfig {
  name: string;
  nodes: KindNode[];
  networking: {
    ipFamily: 'ipv4' | 'ipv6' | 'dual';
    apiServerAddress: string;
    apiServerPort: number;
    podSubnet: string;
    serviceSubnet: string;
    disableDefaultCNI: boolean;
    kubeProxyMode: 'iptables' | 'ipvs' | 'nftables' | 'none';
    dnsSearch?: string[];
  };
  featureGates: Record<string, boolean>;
  runtimeConfig: Record<string, string>;
  kubeadmConfigPatches: string[];
  kubeadmConfigPatchesJSON6902: PatchJSON6902[];
  containerdConfigPatches: string[];
}

/** kind v0.32.0's default node image (Kubernetes v1.36.1); kind pins it by digest too, which we do not know in full. */
export const DEFAULT_IMAGE = 'kindest/node:v1.36.1';
export const DEFAULT_NAME = 'kind';
export const KUBERNETES_VERSION = 'v1.36.1';

export class KindConfigError extends Error {}

/** The Go types kind decodes into, with their field names, for yaml.v3's known-fields check. */
type Shape = { type: string; fields: Record<string, Shape | 'scalar' | 'map' | 'list' | 'any'>; items?: Shape };
const PORT: Shape = {
  type: 'v1alpha4.PortMapping',
  fields: { containerPort: 'scalar', hostPort: 'scalar', listenAddress: 'scalar', protocol: 'scalar' },
};
const MOUNT: Shape = {
  type: 'v1alpha4.Mount',
  fields: { containerPath: 'scalar', hostPath: 'scalar', readOnly: 'scalar', selinuxRelabel: 'scalar', propagation: 'scalar' },
};
const PATCH6902: Shape = {
  type: 'v1alpha4.PatchJSON6902',
  fields: { group: 'scalar', version: 'scalar', kind: 'scalar', patch: 'scalar' },
};
const NODE: Shape = {
  type: 'v1alpha4.Node',
  fields: {
    role: 'scalar',
    image: 'scalar',
    labels: 'map',
    extraMounts: { type: '', fields: {}, items: MOUNT },
    extraPortMappings: { type: '', fields: {}, items: PORT },
    kubeadmConfigPatches: 'list',
    kubeadmConfigPatchesJSON6902: { type: '', fields: {}, items: PATCH6902 },
  },
};
const NETWORKING: Shape = {
  type: 'v1alpha4.Networking',
  fields: {
    ipFamily: 'scalar',
    apiServerPort: 'scalar',
    apiServerAddress: 'scalar',
    podSubnet: 'scalar',
    serviceSubnet: 'scalar',
    disableDefaultCNI: 'scalar',
    kubeProxyMode: 'scalar',
    dnsSearch: 'list',
  },
};
const CLUSTER: Shape = {
  type: 'v1alpha4.Cluster',
  fields: {
    kind: 'scalar',
    apiVersion: 'scalar',
    name: 'scalar',
    nodes: { type: '', fields: {}, items: NODE },
    networking: NETWORKING,
    featureGates: 'map',
    runtimeConfig: 'map',
    kubeadmConfigPatches: 'list',
    kubeadmConfigPatchesJSON6902: { type: '', fields: {}, items: PATCH6902 },
    containerdConfigPatches: 'list',
    containerdConfigPatchesJSON6902: 'list',
  },
};

function unknownFields(node: YamlNode | null | undefined, shape: Shape, lines: LineCounter, out: string[]): void {
  if (shape.items) {
    if (isSeq(node)) for (const item of node.items) unknownFields(item as YamlNode, shape.items, lines, out);
    return;
  }
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
    const sub = shape.fields[key];
    if (!sub) {
      const pos = isScalar(pair.key) && pair.key.range ? lines.linePos(pair.key.range[0]).line : 0;
      out.push(`line ${pos}: field ${key} not found in type ${shape.type}`);
    } else if (typeof sub === 'object') unknownFields(pair.value as YamlNode, sub, lines, out);
  }
}

/** encoding.Parse: apiVersion/kind dispatch, strict decode, defaults. */
export function parseKindConfig(text: string): KindConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) throw new KindConfigError(`could not determine kind / apiVersion for config: ${doc.errors[0]!.message}`);
  const raw = (doc.toJS() ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const apiVersion = raw.apiVersion ?? '';
  if (apiVersion !== 'kind.x-k8s.io/v1alpha4') throw new KindConfigError(`unknown apiVersion: ${apiVersion}`);
  // kind passes the two the other way round in this message (encoding.Parse).
  if (raw.kind !== 'Cluster') throw new KindConfigError(`unknown kind ${apiVersion} for apiVersion: ${raw.kind ?? ''}`);
  const unknown: string[] = [];
  unknownFields(doc.contents as YamlNode, CLUSTER, lines, unknown);
  if (unknown.length) throw new KindConfigError(`unable to decode config: yaml: unmarshal errors:\n  ${unknown.join('\n  ')}`);
  return defaults(raw);
}

/** A PatchJSON6902 list as decoded (Go strings: a missing field is empty). */
function patches6902(raw: unknown): PatchJSON6902[] {
  const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  return (Array.isArray(raw) ? raw : []).map((p: Record<string, unknown>) => ({
    group: str(p?.['group']),
    version: str(p?.['version']),
    kind: str(p?.['kind']),
    patch: str(p?.['patch']),
  }));
}

/** v1alpha4 SetDefaultsCluster, then the internal defaults. */
export function defaults(raw: Record<string, any> = {}): KindConfig {
  // eslint-disable-line @typescript-eslint/no-explicit-any
  const net = raw.networking ?? {};
  const ipFamily = net.ipFamily || 'ipv4';
  const nodes: any[] = raw.nodes?.length ? raw.nodes : [{ role: 'control-plane' }]; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    name: raw.name || DEFAULT_NAME,
    nodes: nodes.map((n) => ({
      role: n.role || 'control-plane',
      image: n.image || DEFAULT_IMAGE,
      labels: { ...(n.labels ?? {}) },
      extraPortMappings: (n.extraPortMappings ?? []).map((p: any) => ({
        containerPort: p.containerPort ?? 0,
        hostPort: p.hostPort ?? 0,
        listenAddress: p.listenAddress || (ipFamily === 'ipv6' ? '::' : '0.0.0.0'),
        protocol: String(p.protocol || 'TCP').toUpperCase(),
      })), // eslint-disable-line @typescript-eslint/no-explicit-any
      extraMounts: n.extraMounts ?? [],
      kubeadmConfigPatches: n.kubeadmConfigPatches ?? [],
      kubeadmConfigPatchesJSON6902: patches6902(n.kubeadmConfigPatchesJSON6902),
    })),
    networking: {
      ipFamily,
      apiServerAddress: net.apiServerAddress || (ipFamily === 'ipv6' ? '::1' : '127.0.0.1'),
      apiServerPort: net.apiServerPort ?? 0,
      podSubnet:
        net.podSubnet ||
        (ipFamily === 'ipv6' ? 'fd00:10:244::/56' : ipFamily === 'dual' ? '10.244.0.0/16,fd00:10:244::/56' : '10.244.0.0/16'),
      serviceSubnet:
        net.serviceSubnet ||
        (ipFamily === 'ipv6' ? 'fd00:10:96::/112' : ipFamily === 'dual' ? '10.96.0.0/16,fd00:10:96::/112' : '10.96.0.0/16'),
      disableDefaultCNI: !!net.disableDefaultCNI,
      kubeProxyMode: net.kubeProxyMode || 'iptables',
      ...(net.dnsSearch ? { dnsSearch: net.dnsSearch } : {}),
    },
    featureGates: raw.featureGates ?? {},
    runtimeConfig: raw.runtimeConfig ?? {},
    kubeadmConfigPatches: raw.kubeadmConfigPatches ?? [],
    kubeadmConfigPatchesJSON6902: patches6902(raw.kubeadmConfigPatchesJSON6902),
    containerdConfigPatches: raw.containerdConfigPatches ?? [],
  };
}

/** config.Cluster.Validate: kind's messages; several are reported together. */
export function validateKindConfig(c: KindConfig): string[] {
  const errs: string[] = [];
  if (!/^[a-z0-9.-]+$/.test(c.name)) errs.push(`'${c.name}' is not a valid cluster name, cluster names must match \`^[a-z0-9.-]+$\``);
  const n = c.networking;
  if (!['ipv4', 'ipv6', 'dual'].includes(n.ipFamily)) errs.push(`invalid ipFamily: ${n.ipFamily}`);
  if (!['iptables', 'ipvs', 'nftables', 'none'].includes(n.kubeProxyMode)) errs.push(`invalid kubeProxyMode: ${n.kubeProxyMode}`);
  if (n.apiServerPort < -1 || n.apiServerPort > 65535) errs.push(`invalid apiServerPort: ${n.apiServerPort}`);
  for (const [field, label] of [
    ['podSubnet', 'pod'],
    ['serviceSubnet', 'service'],
  ] as const) {
    for (const cidr of n[field].split(',')) {
      if (n.ipFamily !== 'ipv4' && cidr.includes(':')) continue;
      if (!parsePrefix(cidr.trim()) || !cidr.includes('/')) errs.push(`invalid ${label} subnet ${cidr}`);
    }
  }
  if (!c.nodes.some((x) => x.role === 'control-plane')) errs.push('must have at least one control-plane node');
  for (const node of c.nodes) {
    if (node.role !== 'control-plane' && node.role !== 'worker') errs.push(`"${node.role}" is not a valid node role`);
    for (const p of node.extraPortMappings) {
      for (const port of [p.containerPort, p.hostPort])
        if (!(Number.isInteger(port) && port >= -1 && port <= 65535)) errs.push(`invalid port number: ${port}`);
      if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(`invalid protocol: ${p.protocol}`);
    }
  }
  return errs;
}
