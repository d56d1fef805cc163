// API status errors as apimachinery's pkg/api/errors builds them: HTTP code, reason, the server's
// message, and details (causes for Invalid). kubectl prints `Error from server (<reason>): <message>`,
// or for Invalid with causes `The <details.kind> "<details.name>" is invalid: <field>: <message>`.
export class ApiError extends Error {
    status;
    reason;
    details;
    constructor(status, reason, message, details) {
        super(message);
        this.status = status;
        this.reason = reason;
        this.details = details;
        this.name = 'ApiError';
    }
}
/** `pods`, `deployments.apps` — schema.GroupResource.String(). */
export const qualified = (resource, group) => (group ? `${resource}.${group}` : resource);
export function notFound(resource, group, name) {
    return new ApiError(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, { name, group, kind: resource });
}
export function alreadyExists(resource, group, name) {
    return new ApiError(409, 'AlreadyExists', `${qualified(resource, group)} "${name}" already exists`, { name, group, kind: resource });
}
export function conflict(resource, group, name, why) {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(resource, group)} "${name}": ${why}`, { name, group, kind: resource });
}
export const OBJECT_MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';
export function badRequest(message) {
    return new ApiError(400, 'BadRequest', message);
}
export function forbidden(resource, group, name, why) {
    return new ApiError(403, 'Forbidden', `${qualified(resource, group)} "${name}" is forbidden: ${why}`, { name, group, kind: resource });
}
export function internalError(why) {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${why}`);
}
/**
 * How field.Error renders a value: strings quoted, numbers and booleans bare, string lists and maps as
 * Go's %#v prints them (`[]string{"10.96.0.10"}`, `map[string]string{"app":"web"}`), the rest as JSON.
 */
export function renderValue(v) {
    if (typeof v === 'string')
        return JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean')
        return String(v);
    if (v === null || v === undefined)
        return 'null';
    if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
        return `[]string{${v.map((x) => JSON.stringify(x)).join(', ')}}`;
    if (typeof v === 'object' && Object.values(v).every((x) => typeof x === 'string')) {
        const keys = Object.keys(v).sort();
        return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(v[k])}`).join(', ')}}`;
    }
    return JSON.stringify(v);
}
export const invalidValue = (field, value, detail) => ({
    type: 'FieldValueInvalid',
    field,
    body: `Invalid value: ${renderValue(value)}${detail ? `: ${detail}` : ''}`,
});
export const required = (field, detail = '') => ({
    type: 'FieldValueRequired',
    field,
    body: `Required value${detail ? `: ${detail}` : ''}`,
});
export const notSupported = (field, value, supported) => ({
    type: 'FieldValueNotSupported',
    field,
    body: `Unsupported value: ${renderValue(value)}${supported.length ? `: supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}` : ''}`,
});
export const duplicate = (field, value) => ({
    type: 'FieldValueDuplicate',
    field,
    body: `Duplicate value: ${renderValue(value)}`,
});
export const forbiddenField = (field, detail) => ({
    type: 'FieldValueForbidden',
    field,
    body: `Forbidden: ${detail}`,
});
/**
 * errors.NewInvalid: 422; message `<Kind>[.<group>] "<name>" is invalid: <e>` for one error and
 * `... is invalid: [<e1>, <e2>]` for several (utilerrors aggregate), each `<field>: <body>`.
 */
export function invalid(kind, group, name, errs) {
    const each = errs.map((e) => `${e.field}: ${e.body}`);
    const agg = each.length === 1 ? each[0] : `[${each.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${group ? `${kind}.${group}` : kind} "${name}" is invalid: ${agg}`, {
        name,
        group,
        kind,
        causes: errs.map((e) => ({ type: e.type, message: e.body, field: e.field })),
    });
}
//# sourceMappingURL=errors.js.map