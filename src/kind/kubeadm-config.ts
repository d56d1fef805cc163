// The kubeadm config kind writes for a node (/kind/kubeadm.conf) and what its patches make of it:
// kind v0.32.0's v1beta4 template for Kubernetes ≥ 1.36 (pkg/cluster/internal/kubeadm/config.go:
// ClusterConfiguration, InitConfiguration, JoinConfiguration, KubeletConfiguration,
// KubeProxyConfiguration unless kubeProxyMode is none), then the cluster's kubeadmConfigPatches and
// kubeadmConfigPatchesJSON6902, then the node's (create/actions/config getKubeadmConfig), each
// round as pkg/internal/patch KubeYAML applies them: every document gets each merge patch that
// matches its kind (and its apiVersion exactly, when the patch names one), then each JSON 6902
// patch matching group/version/kind. A merge patch first goes through kubeadm_merge.go (for a
// v1beta4 document: `extraArgs` and `kubeletExtraArgs` merged by name, an unversioned patch's map
// form turned into items; `certSANs` unioned), then RFC 7386. kubeadm init reads the
// InitConfiguration on the first control plane, kubeadm join the JoinConfiguration elsewhere.
// The node's /kind/kubeadm.conf is these documents as kind writes them (sigs.k8s.io/yaml's
// JSONToYAML: keys sorted, the template's comments and `metadata: name: config` gone). Patches to
// the KubeletConfiguration show there but change nothing else here.
import jsonPatch from 'fast-json-patch';
import { parseAllDocuments, stringify } from 'yaml';
import type { KindConfig, PatchJSON6902 } from './config.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A patch kind could not apply: kind's create fails with this (its message, ours after the colon). */
export class KubeadmPatchError extends Error {}

export interface KubeadmNode {
  readonly name: string;
  readonly role: 'control-plane' | 'worker';
  readonly ip: string;
  /** Its index in the config's nodes (whose patches and labels are its own). */
  readonly index: number;
}

const KUBEADM = 'kubeadm.k8s.io/v1beta4';

/** kind's `k=v,…` string of a map (featureGates, runtimeConfig), sorted by key. */
export const sortedJoin = (m: Record<string, unknown>): string =>
  Object.keys(m)
    .sort()
    .map((k) => `${k}=${m[k]}`)
    .join(',');

/** Whether a config has more than one control plane, by config: every node's template asks (N² node roles read for N nodes). */
const haConfigs = new WeakMap<KindConfig, { readonly nodes: number; readonly ha: boolean }>();

function severalControlPlanes(config: KindConfig): boolean {
  let known = haConfigs.get(config);
  if (known?.nodes !== config.nodes.length) {
    known = { nodes: config.nodes.length, ha: config.nodes.filter((n) => n.role === 'control-plane').length > 1 };
    haConfigs.set(config, known);
  }
  return known.ha;
}

/** kind's ConfigData for one node rendered through the v1beta4 template, as objects. */
function template(config: KindConfig, node: KubeadmNode): Obj[] {
  const gates = sortedJoin(config.featureGates);
  const gateArg = gates ? [{ name: 'feature-gates', value: gates }] : [];
  // GetAPIServerInternalEndpoint: the control plane, or the load balancer in front of several
  const ha = severalControlPlanes(config);
  const endpoint = `${config.name}-${ha ? 'external-load-balancer' : 'control-plane'}:6443`;
  const sortedGates = Object.fromEntries(
    Object.keys(config.featureGates)
      .sort()
      .map((k) => [k, config.featureGates[k]]),
  );
  const registration = () => ({
    criSocket: 'unix:///run/containerd/containerd.sock',
    kubeletExtraArgs: [
      { name: 'node-ip', value: node.ip },
      { name: 'provider-id', value: `kind://docker/${config.name}/${node.name}` },
      // hashMapLabelsToCommaSeparatedLabels (Go map order; here the config's)
      {
        name: 'node-labels',
        value: Object.entries(config.nodes[node.index]?.labels ?? {})
          .map(([k, v]) => `${k}=${v}`)
          .join(','),
      },
    ],
  });
  const localAPIEndpoint = { advertiseAddress: node.ip, bindPort: 6443 };
  const docs: Obj[] = [
    {
      apiVersion: KUBEADM,
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.36.1',
      clusterName: config.name,
      controlPlaneEndpoint: endpoint,
      apiServer: {
        certSANs: ['localhost', config.networking.apiServerAddress],
        extraArgs: [{ name: 'runtime-config', value: sortedJoin(config.runtimeConfig) }, ...gateArg],
      },
      controllerManager: { extraArgs: [...gateArg, { name: 'enable-hostpath-provisioner', value: 'true' }] },
      scheduler: { extraArgs: gateArg.length ? gateArg : null },
      networking: { podSubnet: config.networking.podSubnet, serviceSubnet: config.networking.serviceSubnet },
    },
    {
      apiVersion: KUBEADM,
      kind: 'InitConfiguration',
      bootstrapTokens: [{ token: 'abcdef.0123456789abcdef' }],
      localAPIEndpoint,
      nodeRegistration: registration(),
      // kind skips kubeadm's kube-proxy add-on when kubeProxyMode is none
      ...(config.networking.kubeProxyMode === 'none' ? { skipPhases: ['addon/kube-proxy'] } : {}),
    },
    {
      apiVersion: KUBEADM,
      kind: 'JoinConfiguration',
      ...(node.role === 'control-plane' ? { controlPlane: { localAPIEndpoint } } : {}),
      nodeRegistration: registration(),
      discovery: { bootstrapToken: { apiServerEndpoint: endpoint, token: 'abcdef.0123456789abcdef', unsafeSkipCAVerification: true } },
    },
    {
      apiVersion: 'kubelet.config.k8s.io/v1beta1',
      kind: 'KubeletConfiguration',
      cgroupDriver: 'systemd',
      cgroupRoot: '/kubelet',
      failSwapOn: false,
      imageGCHighThresholdPercent: 100,
      evictionHard: { 'nodefs.available': '0%', 'nodefs.inodesFree': '0%', 'imagefs.available': '0%' },
      ...(gates ? { featureGates: sortedGates } : {}),
    },
  ];
  if (config.networking.kubeProxyMode !== 'none')
    docs.push({
      apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
      kind: 'KubeProxyConfiguration',
      mode: config.networking.kubeProxyMode,
      ...(gates ? { featureGates: sortedGates } : {}),
      iptables: { minSyncPeriod: '1s' },
      // tcpBeLiberal for the nftables proxy (not rootless: knetlab's Docker is rootful)
      conntrack: { maxPerCore: 0, ...(config.networking.kubeProxyMode === 'nftables' ? { tcpBeLiberal: true } : {}) },
    });
  return docs;
}

/** kubeadm_merge.go mergeExtraArgs: the patch's items over the target's, by name (null deletes). */
function mergeExtraArgs(target: Obj, patch: Obj, key: string, patchVersioned: boolean): void {
  const toItems = (m: Obj) => Object.entries(m).map(([name, value]) => ({ name, value }));
  const p = patch[key];
  const items: unknown[] = Array.isArray(p) ? p : !patchVersioned && isObject(p) ? toItems(p) : [];
  const t = target[key];
  const out: Obj[] = Array.isArray(t) ? t.filter(isObject).map((i) => ({ ...i })) : isObject(t) ? toItems(t) : [];
  for (const item of items) {
    if (!isObject(item) || typeof item['name'] !== 'string') continue;
    const value = item['value'] ?? null;
    const at = out.findIndex((i) => i['name'] === item['name']);
    if (at >= 0) {
      if (value === null) out.splice(at, 1);
      else out[at]!['value'] = value;
    } else if (value !== null) out.push({ name: item['name'], value });
  }
  target[key] = out;
}

/** kubeadm_merge.go walkAndMerge: merges the kubeadm list fields into `target` and strips them from `patch`. */
function walkAndMerge(target: Obj, patch: Obj, v1beta4: boolean, patchVersioned: boolean): void {
  for (const [k, pv] of Object.entries(patch)) {
    if (k === 'extraArgs' || k === 'kubeletExtraArgs') {
      if (v1beta4) {
        mergeExtraArgs(target, patch, k, patchVersioned);
        delete patch[k];
      }
    } else if (k === 'certSANs') {
      const t = Array.isArray(target[k]) ? [...(target[k] as unknown[])] : [];
      for (const san of Array.isArray(pv) ? pv : []) if (!t.includes(san)) t.push(san);
      target[k] = t;
      delete patch[k];
    } else if (isObject(pv)) {
      if (!(k in target)) target[k] = {};
      const tv = target[k];
      if (isObject(tv)) walkAndMerge(tv, pv, v1beta4, patchVersioned);
    }
  }
}

/** RFC 7386 JSON merge patch (evanphx/json-patch MergePatch). */
function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch;
  const out: Obj = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

interface MergePatch {
  readonly kind: string;
  readonly apiVersion: string;
  readonly doc: Obj;
}

/** parseMergePatches: every YAML document of every patch string (a patch that is not a YAML map: kind's error). */
function mergePatches(patches: readonly string[]): MergePatch[] {
  return patches.flatMap((text) =>
    parseAllDocuments(text).flatMap((d) => {
      if (!('errors' in d)) return [];
      if (d.errors.length) throw new KubeadmPatchError(`failed to parse patches: ${d.errors[0]!.message}`);
      const doc = d.toJS() as unknown;
      if (doc === null || doc === undefined) return [];
      if (!isObject(doc)) throw new KubeadmPatchError(`failed to parse patches: failed to parse type meta for ${JSON.stringify(text)}`);
      const str = (v: unknown) => (typeof v === 'string' ? v : '');
      return [{ kind: str(doc['kind']), apiVersion: str(doc['apiVersion']), doc }];
    }),
  );
}

/** One KubeYAML round over the documents. */
function kubeYaml(docs: Obj[], patches: readonly string[], patches6902: readonly PatchJSON6902[]): Obj[] {
  const merges = mergePatches(patches);
  return docs.map((start) => {
    let doc = start;
    const kind = doc['kind'];
    const apiVersion = String(doc['apiVersion']);
    for (const p of merges) {
      if (p.kind !== kind || (p.apiVersion !== '' && p.apiVersion !== apiVersion)) continue;
      const target = structuredClone(doc);
      const stripped = structuredClone(p.doc);
      walkAndMerge(target, stripped, apiVersion.endsWith('v1beta4'), p.apiVersion !== '');
      doc = mergePatch(target, stripped) as Obj;
    }
    for (const p of patches6902) {
      const gv = p.group === '' ? p.version : `${p.group}/${p.version}`;
      if (p.kind !== kind || (gv !== '' && gv !== apiVersion)) continue;
      doc = apply6902(doc, p.patch);
    }
    return doc;
  });
}

/** One JSON 6902 patch (its YAML or JSON text) applied to a copy of `doc`. */
function apply6902(doc: Obj, text: string): Obj {
  let ops: unknown;
  try {
    ops = parseAllDocuments(text)[0]?.toJS();
  } catch {
    ops = undefined;
  }
  if (!Array.isArray(ops) || !ops.every(isObject))
    throw new KubeadmPatchError(`failed to parse JSON 6902 patches: not a list of operations: ${JSON.stringify(text)}`);
  try {
    return jsonPatch.applyPatch(structuredClone(doc), ops as unknown as jsonPatch.Operation[], true, true).newDocument as Obj;
  } catch (e) {
    const op = (e as { operation?: { op?: unknown; path?: unknown } }).operation;
    const what = op ? `${String(op.op)} operation at "${String(op.path)}": ` : '';
    throw new KubeadmPatchError(`failed to apply JSON 6902 patch: ${what}${(e as Error).message.split('\n')[0]}`);
  }
}

/** The last documents made for a config, with the node they were made for. */
const lastDocuments = new WeakMap<KindConfig, { readonly node: KubeadmNode; readonly docs: Obj[] }>();

/**
 * The node's kubeadm config documents after the cluster's then the node's patches. A node's setup
 * asks for them several times in a row (its registration, its control-plane arguments, its
 * /kind/kubeadm.conf): the last node's are kept, shared, and must not be changed.
 */
export function kubeadmDocuments(config: KindConfig, node: KubeadmNode): Obj[] {
  const last = lastDocuments.get(config);
  if (last && last.node.name === node.name && last.node.ip === node.ip && last.node.role === node.role && last.node.index === node.index)
    return last.docs;
  const docs = makeDocuments(config, node);
  lastDocuments.set(config, { node: { name: node.name, role: node.role, ip: node.ip, index: node.index }, docs });
  return docs;
}

function makeDocuments(config: KindConfig, node: KubeadmNode): Obj[] {
  const spec = config.nodes[node.index];
  let docs = kubeYaml(template(config, node), config.kubeadmConfigPatches, config.kubeadmConfigPatchesJSON6902);
  if (spec && (spec.kubeadmConfigPatches.length || spec.kubeadmConfigPatchesJSON6902.length))
    docs = kubeYaml(docs, spec.kubeadmConfigPatches, spec.kubeadmConfigPatchesJSON6902);
  return docs;
}

/** A document of a kind (the first), if the config has one. */
export const documentOf = (docs: readonly Obj[], kind: string): Obj | undefined => docs.find((d) => d['kind'] === kind);

/** /kind/kubeadm.conf: the documents as JSONToYAML writes each, joined by `---`. */
export function kubeadmConfYaml(docs: readonly Obj[]): string {
  return docs.map((d) => stringify(d, { sortMapEntries: true, indentSeq: false, lineWidth: 0 })).join('---\n');
}
