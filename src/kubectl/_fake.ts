// An in-memory ApiClient for kubectl's own tests: discovery of the built-in kinds, objects kept
// as given (no admission, no controllers), the API server's NotFound/AlreadyExists, a resourceVersion
// counter and watches. The real store (api/) is tested on its own; this only feeds the verbs.

import {
  type ApiClient,
  type KubeObject,
  type PatchType,
  type ResourceInfo,
  type WatchEvent,
  alreadyExists,
  applyPatch,
  notFound,
} from '../api/index.js';
import { clone } from './labels.js';

const r = (
  group: string,
  version: string,
  kind: string,
  resource: string,
  shortNames: string[],
  namespaced: boolean,
  categories?: string[],
): ResourceInfo => ({
  group,
  version,
  kind,
  resource,
  singular: kind.toLowerCase(),
  shortNames,
  namespaced,
  verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
  ...(categories ? { categories } : {}),
});

export const BUILTIN: ResourceInfo[] = [
  r('', 'v1', 'ConfigMap', 'configmaps', ['cm'], true),
  r('', 'v1', 'Endpoints', 'endpoints', ['ep'], true),
  r('', 'v1', 'Event', 'events', ['ev'], true),
  r('', 'v1', 'Namespace', 'namespaces', ['ns'], false),
  r('', 'v1', 'Node', 'nodes', ['no'], false),
  r('', 'v1', 'Pod', 'pods', ['po'], true, ['all']),
  r('', 'v1', 'Secret', 'secrets', [], true),
  r('', 'v1', 'ServiceAccount', 'serviceaccounts', ['sa'], true),
  r('', 'v1', 'Service', 'services', ['svc'], true, ['all']),
  r('apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', ['crd', 'crds'], false),
  r('apps', 'v1', 'DaemonSet', 'daemonsets', ['ds'], true, ['all']),
  r('apps', 'v1', 'Deployment', 'deployments', ['deploy'], true, ['all']),
  r('apps', 'v1', 'ReplicaSet', 'replicasets', ['rs'], true, ['all']),
  r('batch', 'v1', 'Job', 'jobs', [], true, ['all']),
  r('coordination.k8s.io', 'v1', 'Lease', 'leases', [], true),
  r('discovery.k8s.io', 'v1', 'EndpointSlice', 'endpointslices', [], true),
  r('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', ['netpol'], true),
];

export class FakeApi implements ApiClient {
  private readonly objects = new Map<string, KubeObject>();
  private rv = 1;
  private watchers: { resource: string; ns?: string; fn: (e: WatchEvent) => void }[] = [];
  constructor(
    public time: number,
    private readonly extra: ResourceInfo[] = [],
  ) {}

  resources(): readonly ResourceInfo[] {
    return [...BUILTIN, ...this.extra];
  }
  private info(resource: string): ResourceInfo {
    return this.resources().find((x) => x.resource === resource)!;
  }
  private infoOfKind(obj: KubeObject): ResourceInfo {
    const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0]! : '';
    return this.resources().find((x) => x.kind === obj.kind && x.group === group)!;
  }
  private key(resource: string, ns: string | undefined, name: string) {
    return `${resource}/${this.info(resource).namespaced ? (ns ?? '') : ''}/${name}`;
  }
  private notify(resource: string, type: WatchEvent['type'], obj: KubeObject) {
    for (const w of this.watchers)
      if (w.resource === resource && (!w.ns || w.ns === obj.metadata.namespace)) w.fn({ type, object: clone(obj) });
  }
  create(obj: KubeObject): KubeObject {
    const info = this.infoOfKind(obj);
    const o = clone(obj);
    if (info.namespaced) o.metadata.namespace ??= 'default';
    const k = this.key(info.resource, o.metadata.namespace, o.metadata.name!);
    if (this.objects.has(k)) throw alreadyExists(info.resource, info.group, o.metadata.name!);
    o.metadata.uid ??= `uid-${this.rv}`;
    o.metadata.resourceVersion = String(++this.rv);
    o.metadata.creationTimestamp ??= new Date(this.time).toISOString().replace('.000Z', 'Z');
    this.objects.set(k, o);
    this.notify(info.resource, 'ADDED', o);
    return clone(o);
  }
  get(resource: string, ns: string | undefined, name: string): KubeObject {
    const o = this.objects.get(this.key(resource, ns, name));
    if (!o) throw notFound(resource, this.info(resource).group, name);
    return clone(o);
  }
  list(resource: string, ns?: string, opts?: { labelSelector?: string; fieldSelector?: string }) {
    const items = [...this.objects.entries()]
      .filter(([k, o]) => k.startsWith(`${resource}/`) && (!ns || !this.info(resource).namespaced || o.metadata.namespace === ns))
      .map(([, o]) => clone(o))
      .filter((o) => matchLabels(o, opts?.labelSelector) && matchFields(o, opts?.fieldSelector))
      .sort((a, b) => `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`));
    return { items, resourceVersion: String(this.rv) };
  }
  update(obj: KubeObject): KubeObject {
    const info = this.infoOfKind(obj);
    const k = this.key(info.resource, obj.metadata.namespace, obj.metadata.name!);
    if (!this.objects.has(k)) throw notFound(info.resource, info.group, obj.metadata.name!);
    const o = clone(obj);
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.set(k, o);
    this.notify(info.resource, 'MODIFIED', o);
    return clone(o);
  }
  updateStatus(obj: KubeObject): KubeObject {
    return this.update(obj);
  }
  patch(resource: string, ns: string | undefined, name: string, type: PatchType, patch: unknown): KubeObject {
    const cur = this.get(resource, ns, name);
    return this.update(applyPatch(cur, type, patch) as KubeObject);
  }
  delete(resource: string, ns: string | undefined, name: string): KubeObject {
    const o = this.get(resource, ns, name);
    this.objects.delete(this.key(resource, ns, name));
    this.notify(resource, 'DELETED', o);
    return o;
  }
  watch(resource: string, ns: string | undefined, _opts: unknown, fn: (e: WatchEvent) => void): () => void {
    const w = { resource, ns, fn };
    this.watchers.push(w);
    return () => {
      this.watchers = this.watchers.filter((x) => x !== w);
    };
  }
  now(): number {
    return this.time;
  }
  serverVersion() {
    return {
      major: '1',
      minor: '36',
      gitVersion: 'v1.36.1',
      gitCommit: '',
      gitTreeState: 'clean',
      buildDate: '',
      goVersion: 'go1.25.0',
      compiler: 'gc',
      platform: 'linux/amd64',
    };
  }
}

function matchLabels(o: KubeObject, sel?: string): boolean {
  if (!sel) return true;
  return sel.split(',').every((req) => {
    const [k, v] = req.split('=');
    return o.metadata.labels?.[k!] === v;
  });
}
function matchFields(o: KubeObject, sel?: string): boolean {
  if (!sel) return true;
  return sel.split(',').every((req) => {
    const [k, v] = req.split('=');
    return k === 'metadata.name' ? o.metadata.name === v : true;
  });
}
