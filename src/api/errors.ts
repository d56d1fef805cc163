// API status errors as apimachinery's pkg/api/errors builds them: HTTP code, reason, the server's
// message, and details (causes for Invalid). kubectl prints `Error from server (<reason>): <message>`,
// or for Invalid with causes `The <details.kind> "<details.name>" is invalid: <field>: <message>`.

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Invalid'
  | 'BadRequest'
  | 'Forbidden'
  | 'MethodNotAllowed'
  | 'Gone'
  | 'InternalError';

/** field.Error's types (apimachinery util/validation/field), as they appear in a cause's `type`. */
export type CauseType =
  | 'FieldValueInvalid'
  | 'FieldValueRequired'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid';

export interface StatusCause {
  type: CauseType;
  /** The error body: `Invalid value: 31001: provided port is already allocated`. */
  message: string;
  /** `spec.ports[0].nodePort` */
  field: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  /** For NotFound/AlreadyExists the resource (`pods`); for Invalid the Kind (`Service`). */
  kind?: string;
  causes?: StatusCause[];
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** `pods`, `deployments.apps` — schema.GroupResource.String(). */
export const qualified = (resource: string, group: string) => (group ? `${resource}.${group}` : resource);

export function notFound(resource: string, group: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource });
}

export function alreadyExists(resource: string, group: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, { name, group, kind: resource });
}

export function conflict(resource: string, group: string, name: string, why: string): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, {
    name,
    group,
    kind: resource,
  });
}

export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

export function forbidden(resource: string, group: string, name: string, why: string): ApiError {
  return new ApiError(403, 'Forbidden', `${qualified(resource, group)} "${name}" is forbidden: ${why}`, { name, group, kind: resource });
}

export function internalError(why: string): ApiError {
  return new ApiError(500, 'InternalError', `Internal error occurred: ${why}`);
}

/** One field.Error. */
export interface FieldError {
  type: CauseType;
  field: string;
  /** The error body without the field: see `fieldErrorBody`. */
  body: string;
}

/**
 * How field.Error renders a value: strings quoted, numbers and booleans bare, string lists and maps as
 * Go's %#v prints them (`[]string{"10.96.0.10"}`, `map[string]string{"app":"web"}`), the rest as JSON.
 */
export function renderValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
  if (typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string')) {
    const keys = Object.keys(v).sort();
    return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify((v as Record<string, string>)[k])}`).join(', ')}}`;
  }
  return JSON.stringify(v);
}

export const invalidValue = (field: string, value: unknown, detail: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  body: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ''}`,
});
export const required = (field: string, detail = ''): FieldError => ({
  type: 'FieldValueRequired',
  field,
  body: `Required value${detail ? `: ${detail}` : ''}`,
});
export const notSupported = (field: string, value: unknown, supported: readonly string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  body: `Unsupported value: ${renderValue(value)}${supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''}`,
});
export const duplicate = (field: string, value: unknown): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  body: `Duplicate value: ${renderValue(value)}`,
});
export const forbiddenField = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  body: `Forbidden: ${detail}`,
});

/**
 * errors.NewInvalid: 422; message `<Kind>[.<group>] "<name>" is invalid: <e>` for one error and
 * `... is invalid: [<e1>, <e2>]` for several (utilerrors aggregate), each `<field>: <body>`.
 */
export function invalid(kind: string, group: string, name: string, errs: readonly FieldError[]): ApiError {
  const each = errs.map((e) => `${e.field}: ${e.body}`);
  const agg = each.length === 1 ? each[0]! : `[${each.join(', ')}]`;
  return new ApiError(422, 'Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${agg}`, {
    name,
    group,
    kind,
    causes: errs.map((e) => ({ type: e.type, message: e.body, field: e.field })),
  });
}
