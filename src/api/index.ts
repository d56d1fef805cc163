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
