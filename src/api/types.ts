// The shapes every API client sees: objects as the API server serves them (JSON-shaped, the
// fields named as in the Kubernetes API), resource discovery, watch events.

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  /** RFC 3339 at second precision on the virtual clock, e.g. `2026-01-01T00:00:05Z`. */
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  [k: string]: unknown;
}

/** Any API object, as JSON. Typed views (Pod, Service...) come from kubernetes-models' interfaces. */
export type KubeObject = { apiVersion: string; kind: string; metadata: ObjectMeta; [k: string]: unknown };

/** One entry of discovery, as `kubectl api-resources` lists it. */
export interface ResourceInfo {
  /** '' for the core group. */
  group: string;
  version: string;
  kind: string;
  /** Plural lower-case name: `pods`, `endpointslices`. */
  resource: string;
  singular: string;
  shortNames: string[];
  namespaced: boolean;
  verbs: string[];
  categories?: string[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface WatchEvent {
  type: WatchEventType;
  object: KubeObject;
}

export type DryRun = { dryRun?: boolean };
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface CreateOptions extends DryRun {
  /** Default 'Strict', as kubectl ≥ 1.27 sends it (`--validate=strict`). */
  fieldValidation?: FieldValidation;
}
export type UpdateOptions = CreateOptions;
export type PatchType = 'strategic' | 'merge' | 'json';
export interface PatchOptions extends CreateOptions {
  /**
   * PATCH …/status: only the status changes (the main resource's patch leaves status alone).
   * PATCH pods/…/ephemeralcontainers: only spec.ephemeralContainers changes (`kubectl debug POD`).
   */
  subresource?: 'status' | 'ephemeralcontainers';
}

export interface ListOptions {
  /** `app=web,tier!=db,env in (a,b),!x` — the label selector grammar. */
  labelSelector?: string;
  /** `metadata.name=x,spec.nodeName=n,status.phase!=Running` — supported fields per resource as upstream. */
  fieldSelector?: string;
}
export interface ListResult {
  items: KubeObject[];
  resourceVersion: string;
}

export interface DeleteOptions extends DryRun {
  /** Pods only honour it; 0 deletes at once (`--grace-period=0 --force`). */
  gracePeriodSeconds?: number;
  /** Default: Background for most kinds (what kubectl sends). */
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
}

export interface WatchOptions {
  /** Start after this version; omitted: ADDED for every existing object first, then changes (as `kubectl get -w`). */
  resourceVersion?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}
