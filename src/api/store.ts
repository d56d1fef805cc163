// The API server's object store (one per cluster): per-object metadata (uid, resourceVersion from one
// counter, generation, creationTimestamp), admission (schema + strict fields, defaulting, validation,
// allocations), graceful deletion and finalizers, watches. Stored objects are deep-frozen and handed out
// as they are: clone before changing one.
import { trueCondition } from './conditions.js';
import type { Clock, Rng } from '../sim/index.js';
import type { ApiClient } from './client.js';
import { Crds, isSchemaExtension } from './crds.js';
import {
  ApiError,
  type FieldError,
  OBJECT_MODIFIED,
  alreadyExists,
  badRequest,
  conflict,
  forbidden,
  invalid,
  notFound,
  required,
} from './errors.js';
import { fieldSelectorMatcher, indexedRequirement, fieldValue } from './fields.js';
import { jsonEqual } from './equal.js';
import { matches, parseSelector } from './labels.js';
import { admitEphemeralContainers } from './ephemeral.js';
import { applyPatch } from './patch.js';
import { type BuiltinResource, BUILTIN } from './resources.js';
import { checkSchema, fieldPath } from './schema.js';
import type {
  CreateOptions,
  DeleteOptions,
  KubeObject,
  ListOptions,
  ListResult,
  PatchOptions,
  PatchType,
  ResourceInfo,
  ServerVersion,
  UpdateOptions,
  WatchEvent,
  WatchOptions,
} from './types.js';

export type Operation = 'CREATE' | 'UPDATE';

/** What admission plugins see besides the object. */
export interface AdmissionContext {
  readonly store: ObjectStore;
  readonly resource: ResourceInfo;
  readonly dryRun: boolean;
}

/** A step of admission for one resource, in the API server's order: defaults, validation, allocation. */
export interface AdmissionPlugin {
  resource: string;
  /** Mutates obj (defaulting, mutating admission). */
  admit?(op: Operation, obj: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): void;
  validate?(op: Operation, obj: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): FieldError[];
  /** Takes what the object needs (service IPs, node ports); returns the undo, run when the request fails later or is a dry run. */
  allocate?(op: Operation, obj: KubeObject, old: KubeObject | undefined, ctx: AdmissionContext): (() => void) | void;
  /** The object left the store: release what admit took. */
  removed?(obj: KubeObject): void;
}

export interface StoreOptions {
  clock: Clock;
  rng: Rng;
  /** Wall-clock milliseconds at virtual time 0 (timestamps and now()). */
  epochMs?: number;
  version?: ServerVersion;
  plugins?: AdmissionPlugin[];
}

/** Kubernetes v1.36.1, the version kind v0.32.0's default node image runs. */
export const SERVER_VERSION: ServerVersion = {
  major: '1',
  minor: '36',
  gitVersion: 'v1.36.1',
  gitCommit: '',
  gitTreeState: 'clean',
  buildDate: '',
  goVersion: '',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** Metadata the server sets on create, whatever the request said. */
const SYSTEM_SET_ON_CREATE = ['uid', 'resourceVersion', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'] as const;

/** Resources whose objects carry metadata.generation (their strategies set it). */
const GENERATION = new Set([
  'pods',
  'deployments',
  'replicasets',
  'daemonsets',
  'statefulsets',
  'jobs',
  'cronjobs',
  'customresourcedefinitions',
  'networkpolicies',
  'ingresses',
  'ingressclasses',
  'poddisruptionbudgets',
  'priorityclasses',
]);

const EVENT_LOG = 10_000;
/** apimachinery util/rand's alphabet (no vowels, no confusable digits). */
const RAND_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

interface Table {
  info: ResourceInfo & { validate?: BuiltinResource['validate']; status: boolean };
  objects: Map<string, KubeObject>;
  /** Pods only: the keys of the pods bound to each node (spec.nodeName; '' for unbound), for a kubelet's list. */
  byNode?: Map<string, Set<string>>;
  /** A resource the server computes on each read instead of keeping (ComponentStatus): served to get and list only. */
  compute?: () => KubeObject[];
}

/** Stores `obj` under `key`, keeping the pods' node index. Every write to a table goes through here or dropObject. */
function storeObject(t: Table, key: string, obj: KubeObject): void {
  if (t.info.resource === 'pods') reindexNode(t, key, t.objects.get(key), obj);
  t.objects.set(key, obj);
}

function dropObject(t: Table, key: string): void {
  if (t.info.resource === 'pods') reindexNode(t, key, t.objects.get(key), undefined);
  t.objects.delete(key);
}

function reindexNode(t: Table, key: string, before: KubeObject | undefined, after: KubeObject | undefined): void {
  const from = before && fieldValue(before, 'spec.nodeName');
  const to = after && fieldValue(after, 'spec.nodeName');
  if (from === to) return;
  const index = (t.byNode ??= new Map());
  if (from !== undefined) index.get(from)?.delete(key);
  if (to !== undefined) {
    let keys = index.get(to);
    if (!keys) index.set(to, (keys = new Set()));
    keys.add(key);
  }
}
interface Watcher {
  /** Registration order: watchers are told of an event in this order, indexed or not. */
  seq: number;
  ns: string | undefined;
  match: (o: KubeObject) => boolean;
  fn: (e: WatchEvent) => void;
}

export class ObjectStore implements ApiClient {
  readonly clock: Clock;
  readonly rng: Rng;
  private readonly epochMs: number;
  private readonly version: ServerVersion;
  private rv = 1;
  private tables = new Map<string, Table>();
  private byName = new Map<string, Table>();
  /** tableForObject's answers by apiVersion then kind (every write asks), forgotten when a table comes or goes. */
  private byKind = new Map<string | undefined, Map<string, Table>>();
  private plugins = new Map<string, AdmissionPlugin[]>();
  private watchers = new Map<Table, WatcherSet>();
  /** Watchers whose field selector is one equality on an indexed field, by table, field and value (fields.ts). */
  private indexedWatchers = new Map<Table, Map<string, Map<string, WatcherSet>>>();
  private watcherSeq = 0;
  private log: { rv: number; table: Table; event: WatchEvent }[] = [];
  readonly crds: Crds;

  constructor(opts: StoreOptions) {
    this.clock = opts.clock;
    this.rng = opts.rng;
    this.epochMs = opts.epochMs ?? Date.UTC(2026, 0, 1);
    this.version = opts.version ?? SERVER_VERSION;
    for (const b of BUILTIN) this.addTable(b);
    for (const p of opts.plugins ?? []) this.use(p);
    this.crds = new Crds(this);
  }

  use(p: AdmissionPlugin): void {
    const list = this.plugins.get(p.resource) ?? [];
    list.push(p);
    this.plugins.set(p.resource, list);
  }

  /** Serves a resource (CRDs call this). */
  addTable(info: Table['info']): void {
    const key = `${info.group}/${info.resource}`;
    // A CRD written again (a label, a new version) keeps its table: watchers and the watch log
    // hold the table itself, and must go on seeing the resource's events.
    const old = this.tables.get(key);
    const t: Table = old ?? { info, objects: new Map() };
    t.info = info;
    this.byKind.clear();
    this.tables.set(key, t);
    this.byName.set(info.resource, t);
    if (info.group) this.byName.set(`${info.resource}.${info.group}`, t);
  }

  removeTable(group: string, resource: string): void {
    const t = this.tables.get(`${group}/${resource}`);
    if (!t) return;
    this.tables.delete(`${group}/${resource}`);
    this.byKind.clear();
    if (this.byName.get(resource) === t) this.byName.delete(resource);
    this.byName.delete(`${resource}.${group}`);
  }

  resources(): readonly ResourceInfo[] {
    return [...this.tables.values()].map((t) => {
      const { validate: _v, status: _s, ...info } = t.info as Table['info'] & Record<string, unknown>;
      return info as ResourceInfo;
    });
  }

  now(): number {
    return this.epochMs + this.clock.now();
  }

  serverVersion(): ServerVersion {
    return this.version;
  }

  /** RFC 3339 at second precision, as metav1.Time marshals. */
  timestamp(offsetMs = 0): string {
    const second = Math.floor((this.now() + offsetMs) / 1000);
    if (second !== this.stampSecond) {
      this.stampSecond = second;
      this.stamp = new Date(second * 1000).toISOString().replace('.000Z', 'Z');
    }
    return this.stamp;
  }
  private stampSecond = NaN;
  private stamp = '';

  /** apimachinery rand.String(n). */
  randomSuffix(n = 5): string {
    let s = '';
    for (let i = 0; i < n; i++) s += RAND_ALPHABET[this.rng.int(0, RAND_ALPHABET.length)];
    return s;
  }

  private uid(): string {
    // A v4 UUID from 16 rng bytes, written into one reused code buffer: the string comes out flat
    // (not slices of a concatenation, which keep their whole parent alive per object), no garbage.
    const c = UID_CODES;
    let j = 0;
    for (let i = 0; i < 16; i++) {
      let x = this.rng.u32() & 0xff;
      if (i === 6) x = (x & 0x0f) | 0x40;
      else if (i === 8) x = (x & 0x3f) | 0x80;
      if (i === 4 || i === 6 || i === 8 || i === 10) c[j++] = 0x2d;
      c[j++] = HEX_CODES[x >> 4]!;
      c[j++] = HEX_CODES[x & 15]!;
    }
    return String.fromCharCode.apply(null, c as unknown as number[]);
  }

  /** The current resourceVersion of the whole store. */
  get resourceVersion(): string {
    return String(this.rv);
  }

  // ---- lookups ----

  private table(resource: string): Table {
    const t = this.byName.get(resource);
    if (!t) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
    return t;
  }

  /** The table of `resource` to read, a computed one made afresh. */
  private readTable(resource: string): Table {
    const t = this.table(resource);
    if (t.compute) t.objects = new Map(t.compute().map((o) => [this.key(t, o.metadata.namespace, o.metadata.name!), freeze(o)]));
    return t;
  }

  /** The table of `resource` to write or watch: a computed one is refused, as its REST storage has no such verb. */
  private writeTable(t: Table): Table {
    if (t.compute) throw new ApiError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});
    return t;
  }

  /**
   * Serves `resource` (a built-in whose discovery lists only get and list) from `compute`, called on
   * each read, as kube-apiserver's ComponentStatus storage probes the components on each request.
   */
  serveComputed(resource: string, compute: () => KubeObject[]): void {
    this.table(resource).compute = compute;
  }

  private tableForObject(obj: KubeObject): Table {
    let kinds = this.byKind.get(obj.apiVersion);
    const known = kinds?.get(obj.kind);
    if (known) return this.writeTable(known);
    const t = this.findTableForObject(obj);
    if (!kinds) this.byKind.set(obj.apiVersion, (kinds = new Map()));
    kinds.set(obj.kind, t);
    return this.writeTable(t);
  }

  private findTableForObject(obj: KubeObject): Table {
    const [group, version] = obj.apiVersion?.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    for (const t of this.tables.values()) {
      if (
        t.info.group === group &&
        t.info.kind === obj.kind &&
        (t.info.version === version || (t.info as { versions?: string[] }).versions?.includes(version!))
      )
        return t;
    }
    throw badRequest(`no matches for kind "${obj.kind}" in version "${obj.apiVersion}"`);
  }

  private key(t: Table, ns: string | undefined, name: string): string {
    return t.info.namespaced ? `${ns ?? ''}/${name}` : name;
  }

  private needNamespace(t: Table, ns: string | undefined): string | undefined {
    if (!t.info.namespaced) return undefined;
    if (!ns) throw badRequest('an empty namespace may not be set when a resource name is provided');
    return ns;
  }

  // ---- reads ----

  get(resource: string, namespace: string | undefined, name: string): KubeObject {
    const t = this.readTable(resource);
    const ns = this.needNamespace(t, namespace);
    const o = t.objects.get(this.key(t, ns, name));
    // ComponentStatus's REST storage names its resource in the singular (NewNotFound(Resource("componentstatus")))
    if (!o) throw notFound(t.compute ? t.info.singular : t.info.resource, t.info.group, name);
    return o;
  }

  /** get() that answers undefined instead of NotFound. */
  find(resource: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const t = this.readTable(resource);
    return t.objects.get(this.key(t, t.info.namespaced ? namespace : undefined, name));
  }

  list(resource: string, namespace?: string, opts: ListOptions = {}): ListResult {
    const t = this.readTable(resource);
    const match = this.matcher(t, opts.labelSelector, opts.fieldSelector);
    const ns = t.info.namespaced ? namespace : undefined;
    // each item's sort key made once, not twice per comparison
    const keyed: { key: string; o: KubeObject }[] = [];
    // one node's pods (a kubelet's list) come from the node index, and one named object (a
    // kube-proxy's own Node) from the objects by key, not a walk of every pod or node
    const req = indexedRequirement(opts.fieldSelector);
    let candidates: Iterable<KubeObject>;
    if (req?.field === 'metadata.name' && (!t.info.namespaced || ns !== undefined)) {
      const named = t.objects.get(this.key(t, ns, req.value));
      candidates = named === undefined ? [] : [named];
    } else if (t.byNode && req?.field === 'spec.nodeName') candidates = [...(t.byNode.get(req.value) ?? [])].map((k) => t.objects.get(k)!);
    else candidates = t.objects.values();
    for (const o of candidates)
      if ((ns === undefined || o.metadata.namespace === ns) && match(o))
        keyed.push({ key: this.key(t, o.metadata.namespace, o.metadata.name!), o });
    if (!t.compute) keyed.sort((a, b) => cmpKey(a.key, b.key)); // a computed list keeps its own order
    return { items: keyed.map((k) => k.o), resourceVersion: String(this.rv) };
  }

  private matcher(t: Table, labelSelector?: string, fieldSelector?: string): (o: KubeObject) => boolean {
    const ls = labelSelector ? parseSelector(labelSelector) : undefined;
    const fs = fieldSelector ? fieldSelectorMatcher(t.info.resource, t.info.namespaced, fieldSelector) : undefined;
    return (o) => (!ls || matches(ls, o.metadata.labels)) && (!fs || fs(o));
  }

  // ---- writes ----

  create(input: KubeObject, opts: CreateOptions = {}): KubeObject {
    return this.createFrom(input, opts, false);
  }

  /**
   * create() for objects the control plane's own controllers build (pods from a template, events,
   * ReplicaSets, EndpointSlices): well-formed by construction, so the schema decoding is skipped;
   * defaulting, validation and allocation run as for any client. The store takes INPUT as it is (no
   * copy; it is frozen once stored): build it fresh, sharing nothing the caller changes afterwards.
   */
  createOwn(input: KubeObject): KubeObject {
    return this.createFrom(input, {}, true);
  }

  private createFrom(input: KubeObject, opts: CreateOptions, own: boolean): KubeObject {
    const t = this.tableForObject(input);
    const obj = own ? input : this.decode(t, input, opts);
    const m = obj.metadata;
    if (t.info.namespaced) m.namespace = m.namespace || 'default';
    else delete m.namespace;
    // joined: one flat string rather than a concatenation of the prefix and the suffix
    if (!m.name && m.generateName) m.name = [m.generateName, this.randomSuffix()].join('');
    if (!m.name) throw invalid(t.info.kind, t.info.group, '', [required('metadata.name', 'name or generateName is required')]);
    if (t.info.namespaced && t.info.resource !== 'namespaces') this.checkNamespace(t, m.namespace!, m.name);
    const key = this.key(t, m.namespace, m.name);
    // deleted only when there (a delete looks the name up even when it is not)
    for (const k of SYSTEM_SET_ON_CREATE) if (k in m) delete m[k];
    m.creationTimestamp = this.timestamp();
    if (GENERATION.has(t.info.resource) || !BUILTIN.includes(t.info as BuiltinResource)) m.generation = 1;
    else delete m.generation;
    m.uid = this.uid();
    const undo = this.admit(t, 'CREATE', obj, undefined, !!opts.dryRun);
    try {
      if (t.objects.has(key)) throw alreadyExists(t.info.resource, t.info.group, m.name);
    } catch (e) {
      for (const u of undo) u();
      throw e;
    }
    if (opts.dryRun) {
      for (const u of undo) u();
      return freeze(obj);
    }
    return this.write(t, key, obj, 'ADDED');
  }

  update(input: KubeObject, opts: UpdateOptions = {}): KubeObject {
    return this.updateFrom(input, opts, false);
  }

  /** update(); `own`: an object of the control plane's own making, copied but not decoded again. */
  private updateFrom(input: KubeObject, opts: UpdateOptions, own: boolean): KubeObject {
    const t = this.tableForObject(input);
    const obj = own ? copyJson(input) : this.decode(t, input, opts);
    const m = obj.metadata;
    const ns = t.info.namespaced ? m.namespace || 'default' : undefined;
    const name = m.name ?? '';
    const key = this.key(t, ns, name);
    const old = t.objects.get(key);
    if (!old) throw notFound(t.info.resource, t.info.group, name);
    if (m.resourceVersion && m.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(t.info.resource, t.info.group, name, OBJECT_MODIFIED);
    this.keepSystemMeta(obj, old);
    if (t.info.namespaced) m.namespace = ns;
    if (t.info.status) (obj as Record<string, unknown>).status = old.status;
    if (m.generation !== undefined && specChanged(obj, old)) m.generation = (old.metadata.generation ?? 0) + 1;
    const undo = this.admit(t, 'UPDATE', obj, old, !!opts.dryRun);
    if (opts.dryRun) {
      for (const u of undo) u();
      return freeze(obj);
    }
    return this.finishOrWrite(t, key, obj);
  }

  updateStatus(input: KubeObject, opts: UpdateOptions = {}): KubeObject {
    return this.updateStatusFrom(input, opts, false);
  }

  /** updateStatus() taking INPUT's status as it is (see ApiClient.updateStatusOwn): built fresh, sharing nothing the caller changes afterwards. */
  updateStatusOwn(input: KubeObject): KubeObject {
    return this.updateStatusFrom(input, {}, true);
  }

  private updateStatusFrom(input: KubeObject, opts: UpdateOptions, own: boolean): KubeObject {
    const t = this.tableForObject(input);
    const ns = t.info.namespaced ? input.metadata.namespace || 'default' : undefined;
    const name = input.metadata.name ?? '';
    const key = this.key(t, ns, name);
    const old = t.objects.get(key);
    if (!old) throw notFound(t.info.resource, t.info.group, name);
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== old.metadata.resourceVersion)
      throw conflict(t.info.resource, t.info.group, name, OBJECT_MODIFIED);
    // Stored objects are frozen, so the new version shares every subtree but the status it replaces.
    // Object.assign, not a spread followed by fields: V8 (Node 20) takes microseconds for those.
    const obj = Object.assign({}, old, {
      metadata: { ...old.metadata },
      status: own ? input.status : copyJson(input.status),
    }) as KubeObject;
    if (opts.dryRun) return freeze(obj);
    return this.write(t, key, obj, 'MODIFIED');
  }

  /**
   * The pods/binding subresource (what the scheduler posts): sets spec.nodeName and the PodScheduled
   * condition in one write; a pod already bound answers Conflict as the registry does.
   */
  bindPod(namespace: string, name: string, node: string): KubeObject {
    const t = this.table('pods');
    const key = this.key(t, namespace, name);
    const cur = t.objects.get(key);
    if (!cur) throw notFound('pods', '', name);
    const spec = cur.spec as { nodeName?: string };
    if (spec.nodeName) throw conflict('pods/binding', '', name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
    if (cur.metadata.deletionTimestamp)
      throw conflict('pods/binding', '', name, `pod ${name} is being deleted, cannot be assigned to a host`);
    const status = (cur.status ?? {}) as { conditions?: unknown[] };
    const obj = Object.assign({}, cur, {
      metadata: { ...cur.metadata },
      spec: Object.assign({}, cur.spec, { nodeName: node }),
      status: Object.assign({}, status, {
        conditions: [
          ...(status.conditions ?? []).filter((c) => (c as { type?: string }).type !== 'PodScheduled'),
          trueCondition('PodScheduled', this.timestamp()),
        ],
      }),
    }) as KubeObject;
    return this.write(t, key, obj, 'MODIFIED', true); // spec.nodeName was unset: a change
  }

  patch(
    resource: string,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: PatchOptions = {},
  ): KubeObject {
    return this.patchFrom(resource, namespace, name, type, patch, opts, false);
  }

  /**
   * patch() for the control plane's own controllers (node IPAM's podCIDR, the node lifecycle
   * controller's taints, the event recorder's count): well-formed by construction, so the patched
   * object is not decoded against the schema again (as createOwn); admission runs as for any client.
   */
  patchOwn(resource: string, namespace: string | undefined, name: string, type: PatchType, patch: unknown): KubeObject {
    return this.patchFrom(resource, namespace, name, type, patch, {}, true);
  }

  private patchFrom(
    resource: string,
    namespace: string | undefined,
    name: string,
    type: PatchType,
    patch: unknown,
    opts: PatchOptions,
    own: boolean,
  ): KubeObject {
    const t = this.table(resource);
    const cur = this.get(resource, namespace, name);
    let next: KubeObject;
    try {
      next = applyPatch(cur, type, patch) as KubeObject;
    } catch (e) {
      if ((e as ApiError).reason) throw e;
      throw badRequest((e as Error).message);
    }
    next.metadata = Object.assign({}, next.metadata, { resourceVersion: cur.metadata.resourceVersion });
    if (opts.subresource === 'ephemeralcontainers') {
      if (t.info.resource !== 'pods') throw notFound(t.info.resource, t.info.group, name);
      const admitted = admitEphemeralContainers(cur, (next.spec as { ephemeralContainers?: unknown } | undefined)?.ephemeralContainers);
      if ('errors' in admitted) throw invalid(t.info.kind, t.info.group, name, admitted.errors);
      const obj = { ...cur, metadata: { ...cur.metadata }, spec: { ...(cur.spec as object), ephemeralContainers: admitted.containers } };
      if (opts.dryRun) return freeze(obj as KubeObject);
      return this.write(t, this.key(t, cur.metadata.namespace, name), obj as KubeObject, 'MODIFIED');
    }
    if (opts.subresource === 'status') {
      if (!t.info.status) throw notFound(t.info.resource, t.info.group, name);
      return this.updateStatus(Object.assign({}, cur, { status: (next as Record<string, unknown>).status }) as KubeObject, opts);
    }
    if (t.info.status && JSON.stringify(next.status) !== JSON.stringify(cur.status)) {
      // A patch on the main resource does not touch status (the status subresource owns it).
      (next as Record<string, unknown>).status = cur.status;
    }
    return this.updateFrom(next, opts, own);
  }

  delete(resource: string, namespace: string | undefined, name: string, opts: DeleteOptions = {}): KubeObject {
    const t = this.writeTable(this.table(resource));
    const ns = this.needNamespace(t, namespace);
    const key = this.key(t, ns, name);
    const cur = t.objects.get(key);
    if (!cur) throw notFound(t.info.resource, t.info.group, name);
    const obj = Object.assign({}, cur, { metadata: { ...cur.metadata } }) as KubeObject;
    const m = obj.metadata;
    const finalizers = [...(m.finalizers ?? [])];
    const policy = opts.propagationPolicy;
    if (policy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (policy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const grace = this.gracePeriod(t, obj, opts);
    if (opts.dryRun) return cur;
    if (m.deletionTimestamp) {
      // Already terminating: a shorter grace period may hurry it (kubectl delete --grace-period=0 --force).
      if (grace === 0 && finalizers.length === 0) return this.remove(t, key);
      return cur;
    }
    if (grace === 0 && finalizers.length === 0) return this.remove(t, key);
    m.deletionTimestamp = this.timestamp(grace * 1000);
    m.deletionGracePeriodSeconds = grace;
    if (finalizers.length) m.finalizers = finalizers;
    if (m.generation !== undefined) m.generation += 1;
    return this.write(t, key, obj, 'MODIFIED');
  }

  /**
   * Graceful deletion as the registry decides it: pods get their grace period (the request's, else
   * spec.terminationGracePeriodSeconds) unless they never reached a node or already finished;
   * namespaces wait for their content (the namespace controller); everything else goes at once.
   */
  private gracePeriod(t: Table, obj: KubeObject, opts: DeleteOptions): number {
    if (t.info.resource === 'namespaces') return 1;
    if (t.info.resource !== 'pods') return 0;
    const spec = obj.spec as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = (obj.status as { phase?: string } | undefined)?.phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const g = opts.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
    return Math.max(0, g);
  }

  /** Removes a terminating object whose finalizers are all gone, or writes it. */
  private finishOrWrite(t: Table, key: string, obj: KubeObject): KubeObject {
    const m = obj.metadata;
    if (m.deletionTimestamp && !(m.finalizers ?? []).length && t.info.resource !== 'pods' && t.info.resource !== 'namespaces') {
      storeObject(t, key, freeze(obj));
      return this.remove(t, key);
    }
    return this.write(t, key, obj, 'MODIFIED');
  }

  /** Ends a pod's or namespace's graceful deletion (the kubelet's and the namespace controller's last word). */
  finalizeDeletion(resource: string, namespace: string | undefined, name: string): void {
    const t = this.table(resource);
    const key = this.key(t, t.info.namespaced ? namespace : undefined, name);
    const o = t.objects.get(key);
    if (o && o.metadata.deletionTimestamp && !(o.metadata.finalizers ?? []).length) this.remove(t, key);
  }

  private remove(t: Table, key: string): KubeObject {
    const o = t.objects.get(key)!;
    dropObject(t, key);
    this.rv++;
    const gone = freeze(Object.assign({}, o, { metadata: Object.assign({}, o.metadata, { resourceVersion: String(this.rv) }) }));
    for (const p of this.plugins.get(t.info.resource) ?? []) p.removed?.(gone);
    this.notify(t, { type: 'DELETED', object: gone });
    return gone;
  }

  /** Stores a new version; `changed`: the caller knows it differs from the stored one (no comparison). */
  private write(t: Table, key: string, obj: KubeObject, type: 'ADDED' | 'MODIFIED', changed = false): KubeObject {
    if (type === 'MODIFIED' && !changed) {
      // GuaranteedUpdate: an update that changes nothing is not written: no new resourceVersion, no watch event.
      const old = t.objects.get(key);
      const rv = old?.metadata.resourceVersion;
      if (old && jsonEqual(Object.assign({}, obj, { metadata: Object.assign({}, obj.metadata, { resourceVersion: rv }) }), old)) return old;
    }
    this.rv++;
    obj.metadata.resourceVersion = String(this.rv);
    const stored = freeze(obj);
    storeObject(t, key, stored);
    this.notify(t, { type, object: stored });
    return stored;
  }

  private keepSystemMeta(obj: KubeObject, old: KubeObject): void {
    const m = obj.metadata;
    const o = old.metadata;
    m.uid = o.uid;
    m.creationTimestamp = o.creationTimestamp;
    m.generation = o.generation;
    if (o.deletionTimestamp) {
      m.deletionTimestamp = o.deletionTimestamp;
      m.deletionGracePeriodSeconds = o.deletionGracePeriodSeconds;
    } else {
      delete m.deletionTimestamp;
      delete m.deletionGracePeriodSeconds;
    }
    if (m.generateName === undefined && o.generateName !== undefined) m.generateName = o.generateName;
    for (const k of Object.keys(m)) if (m[k] === undefined) delete m[k];
  }

  private checkNamespace(t: Table, ns: string, name: string): void {
    const nsObj = this.byName.get('namespaces')!.objects.get(ns);
    if (!nsObj) throw notFound('namespaces', '', ns);
    if (nsObj.metadata.deletionTimestamp)
      throw forbidden(
        t.info.resource,
        t.info.group,
        name,
        `unable to create new content in namespace ${ns} because it is being terminated`,
      );
  }

  /**
   * Decoding with the schema: unknown fields (Strict: BadRequest with the strict decoder's message; Warn
   * and Ignore: dropped, as the decoder prunes them) and type errors. Returns a private deep copy.
   */
  private decode(t: Table, input: KubeObject, opts: CreateOptions): KubeObject {
    const obj = copyJson(input);
    obj.metadata = obj.metadata ?? {};
    if (!t.info.validate) this.crds.applyDefaults(t.info, obj);
    const head = `${t.info.kind} in version "${t.info.version}" cannot be handled as a ${t.info.kind}`;
    const result = t.info.validate ? checkSchema(t.info.validate, obj) : this.crds.check(t.info, obj);
    if (t.info.resource === 'customresourcedefinitions') result.unknown = result.unknown.filter((p) => !isSchemaExtension(p));
    // Go's decoder takes null for any field (it leaves the zero value), so null is never a type error.
    const typeErrors = result.errors.filter((e) => e.keyword === 'type' && valueAt(obj, e.instancePath) !== null);
    if (typeErrors.length) {
      const e = typeErrors[0]!;
      throw badRequest(
        `${head}: json: cannot unmarshal ${jsonType(valueAt(obj, e.instancePath))} into Go struct field ${fieldPath(e.instancePath)} of type ${String(e.params.type)}`,
      );
    }
    if (result.unknown.length && (opts.fieldValidation ?? 'Strict') === 'Strict') {
      throw badRequest(`${head}: strict decoding error: ${result.unknown.map((u) => `unknown field "${u}"`).join(', ')}`);
    }
    for (const path of result.unknown) dropPath(obj, path);
    if (result.fieldErrors?.length) throw invalid(t.info.kind, t.info.group, obj.metadata.name ?? '', result.fieldErrors);
    const req = result.errors.filter(
      (e) =>
        e.keyword === 'required' ||
        e.keyword === 'enum' ||
        e.keyword === 'format' ||
        e.keyword === 'pattern' ||
        e.keyword === 'minimum' ||
        e.keyword === 'maximum',
    );
    if (req.length) {
      throw invalid(
        t.info.kind,
        t.info.group,
        obj.metadata.name ?? '',
        req.map((e) =>
          e.keyword === 'required'
            ? required(fieldPath(e.instancePath, String(e.params.missingProperty)))
            : {
                type: 'FieldValueInvalid' as const,
                field: fieldPath(e.instancePath),
                body: `Invalid value: ${JSON.stringify(valueAt(obj, e.instancePath))}: ${e.message ?? ''}`,
              },
        ),
      );
    }
    return obj;
  }

  private admit(t: Table, op: Operation, obj: KubeObject, old: KubeObject | undefined, dryRun: boolean): (() => void)[] {
    const ctx: AdmissionContext = { store: this, resource: t.info, dryRun };
    const plugins = this.plugins.get(t.info.resource) ?? [];
    const undo: (() => void)[] = [];
    for (const p of plugins) p.admit?.(op, obj, old, ctx);
    const errs: FieldError[] = [];
    for (const p of plugins) if (p.validate) errs.push(...p.validate(op, obj, old, ctx));
    if (errs.length) throw invalid(t.info.kind, t.info.group, obj.metadata.name ?? '', errs);
    try {
      for (const p of plugins) {
        const u = p.allocate?.(op, obj, old, ctx);
        if (u) undo.push(u);
      }
    } catch (e) {
      for (const u of undo) u();
      throw e;
    }
    return undo;
  }

  // ---- watches ----

  watch(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): () => void {
    const t = this.writeTable(this.table(resource));
    const ns = t.info.namespaced ? namespace : undefined;
    const w: Watcher = { seq: this.watcherSeq++, ns, match: this.matcher(t, opts.labelSelector, opts.fieldSelector), fn: onEvent };
    const inScope = (o: KubeObject) => (ns === undefined || o.metadata.namespace === ns) && w.match(o);
    if (opts.resourceVersion === undefined || opts.resourceVersion === '' || opts.resourceVersion === '0') {
      // the list takes the selectors (a kubelet's own pods come from the node index, not every pod)
      for (const o of this.list(resource, ns, { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector }).items)
        onEvent({ type: 'ADDED', object: o });
    } else {
      const from = Number(opts.resourceVersion);
      if (this.log.length && this.log[0]!.rv > from + 1 && from < this.rv) {
        throw Object.assign(badRequest(`too old resource version: ${from} (${this.log[0]!.rv - 1})`), { status: 410, reason: 'Gone' });
      }
      for (const l of this.log) if (l.rv > from && l.table === t && inScope(l.event.object)) onEvent(l.event);
    }
    // A watcher of one node's pods (or one named object) is kept under that value, so an event
    // reaches it without asking every kubelet's watcher about every pod.
    const req = indexedRequirement(opts.fieldSelector);
    let set: WatcherSet | undefined;
    if (req) {
      let fields = this.indexedWatchers.get(t);
      if (!fields) this.indexedWatchers.set(t, (fields = new Map()));
      let values = fields.get(req.field);
      if (!values) fields.set(req.field, (values = new Map()));
      set = values.get(req.value);
      if (!set) values.set(req.value, (set = new WatcherSet()));
    } else {
      set = this.watchers.get(t);
      if (!set) this.watchers.set(t, (set = new WatcherSet()));
    }
    set.add(w);
    return () => set!.delete(w);
  }

  /**
   * Tells the watchers of `t` of `event`. A write a watcher makes while being told waits until the
   * event being told has reached every watcher, so each watcher sees the events in resourceVersion
   * order, as an API server's watch delivers them (told at once, a later watcher heard the change
   * before the event that caused it, and an informer would then take the older one for the news).
   */
  private notify(t: Table, event: WatchEvent): void {
    this.log.push({ rv: this.rv, table: t, event });
    if (this.log.length > EVENT_LOG * 2) this.log = this.log.slice(-EVENT_LOG);
    if (this.telling) {
      this.waiting.push(t, event);
      return;
    }
    this.telling = true;
    try {
      this.tellAll(t, event);
      for (let i = 0; i < this.waiting.length; i += 2) this.tellAll(this.waiting[i] as Table, this.waiting[i + 1] as WatchEvent);
    } finally {
      this.telling = false;
      this.waiting.length = 0;
    }
  }

  /** Whether notify() is telling watchers now; then `waiting` holds the events written meanwhile (table, event pairs). */
  private telling = false;
  private readonly waiting: (Table | WatchEvent)[] = [];

  private tellAll(t: Table, event: WatchEvent): void {
    const o = event.object;
    const plain = this.watchers.get(t);
    // the indexed watchers of this object's values (usually none or one), merged in registration order with the rest
    let mine: Watcher[] | undefined;
    const fields = this.indexedWatchers.get(t);
    if (fields) {
      for (const [field, values] of fields) {
        const set = values.get(fieldValue(o, field));
        if (set?.size) for (const w of set.list()) (mine ??= []).push(w);
      }
    }
    // snapshots (a watcher's handler may add or remove watchers), merged by registration order as they are told
    const all: readonly Watcher[] = plain ? plain.list() : NO_WATCHERS;
    if (mine && mine.length > 1) mine.sort((a, b) => a.seq - b.seq);
    let i = 0;
    for (const w of all) {
      if (mine) while (i < mine.length && mine[i]!.seq < w.seq) tell(mine[i++]!, event);
      tell(w, event);
    }
    if (mine) while (i < mine.length) tell(mine[i++]!, event);
  }

  /** The stored objects of a resource in no particular order, without copying (controllers, benches). */
  *objects(resource: string): IterableIterator<KubeObject> {
    yield* this.table(resource).objects.values();
  }

  infoFor(resource: string): ResourceInfo {
    return this.table(resource).info;
  }
}

const NO_WATCHERS: readonly Watcher[] = [];

/** Hands `event` to `w` when its object is in the watcher's namespace and selection. */
function tell(w: Watcher, event: WatchEvent): void {
  const o = event.object;
  if ((w.ns === undefined || o.metadata.namespace === w.ns) && w.match(o)) w.fn(event);
}

/**
 * Watchers in registration order, with a snapshot list kept until the next change: an event goes
 * to the list as it was when the event came (a handler may add or remove watchers) without a
 * copy of every watcher per event.
 */
class WatcherSet {
  private readonly set = new Set<Watcher>();
  private snapshot: readonly Watcher[] | undefined;

  get size(): number {
    return this.set.size;
  }

  add(w: Watcher): void {
    this.set.add(w);
    this.snapshot = undefined;
  }

  delete(w: Watcher): void {
    if (this.set.delete(w)) this.snapshot = undefined;
  }

  list(): readonly Watcher[] {
    return (this.snapshot ??= [...this.set]);
  }
}

const HEX_CODES = [...'0123456789abcdef'].map((c) => c.charCodeAt(0));
const UID_CODES = new Uint16Array(36);

/** A deep copy of JSON data (what objects are), several times cheaper than structuredClone. */
export function copyJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(copyJson) as T;
  const out: Record<string, unknown> = {};
  for (const k in v) out[k] = copyJson((v as Record<string, unknown>)[k]);
  return out as T;
}

/**
 * Deep-freezes JSON data, stopping at what is frozen already (shared subtrees). Children go first:
 * walking an object before it is frozen measured about 45 % cheaper than walking it after (Node 20).
 */
function freeze<T>(o: T): T {
  if (o === null || typeof o !== 'object' || Object.isFrozen(o)) return o;
  freezeInside(o);
  return o;
}

function freezeInside(o: object): void {
  if (Array.isArray(o)) {
    for (const v of o) if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) freezeInside(v);
  } else {
    for (const k in o) {
      const v = (o as Record<string, unknown>)[k];
      if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) freezeInside(v);
    }
  }
  Object.freeze(o);
}

/** etcd key order: namespace, then name. */
const cmpKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Did anything but metadata and status change (generation counts spec changes)? */
function specChanged(a: KubeObject, b: KubeObject): boolean {
  const strip = ({ metadata: _m, status: _s, ...rest }: KubeObject) => rest;
  return JSON.stringify(strip(a)) !== JSON.stringify(strip(b));
}

function valueAt(obj: unknown, instancePath: string): unknown {
  let v = obj;
  for (const seg of instancePath.split('/').slice(1))
    v = (v as Record<string, unknown> | undefined)?.[seg.replace(/~1/g, '/').replace(/~0/g, '~')];
  return v;
}

/** Go's json names for a value's type, as its decoder errors say them. */
function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** Removes the field at a `spec.containers[0].foo` path (pruning an unknown field). */
function dropPath(obj: unknown, path: string): void {
  const segs = path.split(/\.|\[(\d+)\]/).filter((s) => s !== undefined && s !== '');
  let v = obj as Record<string, unknown>;
  for (const s of segs.slice(0, -1)) v = v?.[s] as Record<string, unknown>;
  if (v) delete v[segs[segs.length - 1]!];
}
