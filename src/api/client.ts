// The one door to the cluster's objects: kubectl, controllers and node agents all go through it
// (no side doors). Synchronous and in-process; a method either returns the stored object as the API
// server would answer, or throws an ApiError carrying the server's status (reason, message, causes).
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

/**
 * `resource` arguments are plural resource names as discovery lists them (`pods`, `deployments`,
 * `endpointslices`, a CRD's plural); kubectl resolves short names and kinds through `resources()`.
 * `namespace` is ignored for cluster-scoped resources; for namespaced ones `undefined` in list/watch
 * means all namespaces, and in get/patch/delete it is an error (BadRequest).
 */
export interface ApiClient {
  /** Discovery: built-in resources, then CRD-served ones, in `kubectl api-resources` order. */
  resources(): readonly ResourceInfo[];
  /** Admission (defaulting, validation, strict field validation), then store. Returns the stored object. */
  create(obj: KubeObject, opts?: CreateOptions): KubeObject;
  get(resource: string, namespace: string | undefined, name: string): KubeObject;
  list(resource: string, namespace?: string, opts?: ListOptions): ListResult;
  /** Replaces spec/metadata; a set metadata.resourceVersion that is not the stored one is a Conflict. Status is kept (status subresource). */
  update(obj: KubeObject, opts?: UpdateOptions): KubeObject;
  /** The status subresource: replaces status only (controllers and node agents). */
  updateStatus(obj: KubeObject, opts?: UpdateOptions): KubeObject;
  /**
   * updateStatus() for a status the caller built fresh and lets go of (a node agent's): taken as it
   * is, no copy (it is frozen once stored). Optional: a client without it is sent updateStatus().
   */
  updateStatusOwn?(obj: KubeObject): KubeObject;
  /** strategic: strategic merge patch (merge keys as upstream for the built-in lists); merge: RFC 7386; json: RFC 6902. */
  patch(resource: string, namespace: string | undefined, name: string, type: PatchType, patch: unknown, opts?: PatchOptions): KubeObject;
  /**
   * Returns the object as it is after the call: with deletionTimestamp set while finalizers or a grace
   * period hold it (a pod is Terminating), or as it was when it is gone at once.
   */
  delete(resource: string, namespace: string | undefined, name: string, opts?: DeleteOptions): KubeObject;
  /** Calls onEvent synchronously for each change after registration; returns the function that stops the watch. */
  watch(resource: string, namespace: string | undefined, opts: WatchOptions, onEvent: (e: WatchEvent) => void): () => void;
  /** The virtual clock in milliseconds, for AGE columns. */
  now(): number;
  /** `kubectl version`'s server half. */
  serverVersion(): ServerVersion;
}
