// The Kubernetes API: object store, admission and watches, behind the ApiClient interface.
export type { ApiClient } from './client.js';
export type {
  CreateOptions,
  DeleteOptions,
  DryRun,
  FieldValidation,
  KubeObject,
  ListOptions,
  ListResult,
  ObjectMeta,
  OwnerReference,
  PatchOptions,
  PatchType,
  ResourceInfo,
  ServerVersion,
  UpdateOptions,
  WatchEvent,
  WatchEventType,
  WatchOptions,
} from './types.js';
export { ApiError, OBJECT_MODIFIED, alreadyExists, badRequest, conflict, forbidden, invalid, notFound, qualified } from './errors.js';
export type { CauseType, FieldError, StatusCause, StatusDetails, StatusReason } from './errors.js';
export { ObjectStore, SERVER_VERSION, copyJson } from './store.js';
export { jsonEqual } from './equal.js';
export type { AdmissionContext, AdmissionPlugin, Operation, StoreOptions } from './store.js';
export { startApiServer, SYSTEM_NAMESPACES } from './server.js';
export { labelValueErrors, qualifiedNameErrors } from './validation.js';
export type { ApiServer, ApiServerOptions } from './server.js';
export { BandAllocator, ServiceAllocators } from './services.js';
export type { ServiceRanges } from './services.js';
export { formatSelector, fromLabelSelector, matches as selectorMatches, parseSelector } from './labels.js';
export type { LabelSelectorObject, Selector } from './labels.js';
export { defaultPodSpec, qosClass } from './defaults.js';
export { applyPatch, mergeKey, strategicMerge } from './patch.js';
export { apiVersionOf } from './resources.js';
export { trueCondition } from './conditions.js';
