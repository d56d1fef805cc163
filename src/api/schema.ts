// Schema checks at admission, on kubernetes-models' compiled OpenAPI validators:
// - strict field validation: a field the schema does not define is reported as the API server's
//   strict decoder does (`unknown field "spec.containers[0].imagePullPolicyy"`, paths in sorted key
//   order, as kubectl's YAML→JSON conversion sorts keys). The validators do not reject unknown
//   fields themselves; we learn the defined ones by watching which properties the validator reads
//   (it reads every defined property of every object it descends into, and enumerates maps).
// - type errors, in the decoder's words where we can (`cannot unmarshal string into ... of type int32`
//   needs Go struct names we do not have: coarse, documented in README).
import type { FieldError } from './errors.js';
import type { Validator } from './resources.js';

interface Seen {
  keys: Set<string>;
  enumerated: boolean;
}

export interface SchemaResult {
  unknown: string[];
  /** Errors as `{ path, keyword, message, params }` from the validator (ajv). */
  errors: AjvError[];
  /** Already in the API server's words (custom resources' OpenAPI v3 validation). */
  fieldErrors?: FieldError[];
}
export interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

export function checkSchema(validate: Validator, data: unknown): SchemaResult {
  const seen = new Map<object, Seen>();
  const wrap = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    let info = seen.get(v);
    if (!info) seen.set(v, (info = { keys: new Set(), enumerated: false }));
    const rec = info;
    return new Proxy(v, {
      get(t, k, r) {
        if (typeof k === 'string') rec.keys.add(k);
        return wrap(Reflect.get(t, k, r));
      },
      has(t, k) {
        if (typeof k === 'string') rec.keys.add(k);
        return Reflect.has(t, k);
      },
      ownKeys(t) {
        rec.enumerated = true;
        return Reflect.ownKeys(t);
      },
    });
  };
  let errors: AjvError[] = [];
  try {
    validate(wrap(data));
  } catch (e) {
    const errs = (e as { errors?: AjvError[] }).errors;
    if (!errs) throw e;
    errors = errs;
  }
  errors = errors.filter((e) => !decodedByGo(data, e));
  const unknown: string[] = [];
  const walk = (v: unknown, path: string) => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    const info = seen.get(v);
    // Never looked into (a free-form field such as RawExtension, or under a type error): no verdict.
    if (!info || (!info.enumerated && info.keys.size === 0)) return;
    const unread = unreadFields(info.keys);
    for (const k of Object.keys(v).sort()) {
      const p = path ? `${path}.${k}` : k;
      if (!info.enumerated && !info.keys.has(k) && !unread?.has(k)) unknown.push(p);
      else walk((v as Record<string, unknown>)[k], p);
    }
  };
  walk(data, '');
  return { unknown, errors };
}

/**
 * Fields the OpenAPI schema lists as required that the API server's Go decoder does not require (the
 * schema's `required` is documentation for built-in kinds; only their Go validation refuses): a
 * missing one decodes to its Go zero value, which validation.ts judges in the server's words.
 * - NetworkPolicySpec.podSelector, a struct: `{}`, all the namespace's pods (stored as `podSelector: {}`);
 * - ServicePort.port, an int32: 0, refused as `Invalid value: 0: must be between 1 and 65535, inclusive`;
 * - the apps workloads' spec.selector, a pointer: nil, refused as `Required value` (a Deployment's,
 *   ReplicaSet's, StatefulSet's) or as a template whose labels it does not match (a DaemonSet's).
 */
const GO_ZERO: readonly { at: RegExp; field: string; zero?: () => unknown }[] = [
  { at: /^\/spec$/, field: 'podSelector', zero: () => ({}) },
  { at: /^\/spec\/ports\/\d+$/, field: 'port', zero: () => 0 },
  { at: /^\/spec$/, field: 'selector' },
];

/** A `required` error GO_ZERO forgives: the field is set to its zero value (if any) and the error dropped. */
function decodedByGo(data: unknown, e: AjvError): boolean {
  if (e.keyword !== 'required') return false;
  const rule = GO_ZERO.find((r) => r.field === e.params.missingProperty && r.at.test(e.instancePath));
  if (!rule) return false;
  const parent = e.instancePath
    .split('/')
    .slice(1)
    .reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data) as Record<string, unknown> | undefined;
  if (rule.zero && parent && typeof parent === 'object') parent[rule.field] = rule.zero();
  return true;
}

/**
 * Fields a type declares that its compiled validator never reads: kubernetes-models leaves out of
 * its validators the fields named like JSON Schema annotations (`description`, `x-kubernetes-*`), so
 * they would read as unknown, and every real CRD (descriptions throughout its schema, printer
 * columns) and a PriorityClass with a description would be refused. The type is told by a field
 * only it declares, which its validator does read.
 */
const SCHEMA_PROPS_UNREAD = new Set([
  'description',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-validations',
]);
const DESCRIPTION = new Set(['description']);

function unreadFields(read: ReadonlySet<string>): ReadonlySet<string> | undefined {
  if (read.has('additionalProperties') && read.has('allOf')) return SCHEMA_PROPS_UNREAD; // JSONSchemaProps
  if (read.has('jsonPath')) return DESCRIPTION; // CustomResourceColumnDefinition
  if (read.has('globalDefault')) return DESCRIPTION; // PriorityClass
  if (read.size === 1 && read.has('url')) return DESCRIPTION; // ExternalDocumentation
  return undefined;
}

/** `/spec/containers/0/name` → `spec.containers[0].name` (field.Path's String()). */
export function fieldPath(instancePath: string, extra?: string): string {
  let out = '';
  for (const seg of [...instancePath.split('/').slice(1), ...(extra ? [extra] : [])]) {
    const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
  }
  return out;
}
