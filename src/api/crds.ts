// CustomResourceDefinitions: a created CRD serves its resource (discovery, CRUD, watch) at once;
// custom resources are checked against the served version's OpenAPI v3 schema, with the
// apiextensions-apiserver's messages (`spec.x in body must be of type integer: "string"`) and unknown
// fields reported by the strict decoder (pruned otherwise), honouring x-kubernetes-preserve-unknown-fields.
import { type FieldError, invalidValue, notSupported, required } from './errors.js';
import type { SchemaResult } from './schema.js';
import type { ObjectStore } from './store.js';
import type { KubeObject, ResourceInfo } from './types.js';

export interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  nullable?: boolean;
  default?: unknown;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
}

interface CrdVersion {
  name: string;
  served: boolean;
  storage: boolean;
  schema?: { openAPIV3Schema?: Schema };
}
interface CrdSpec {
  group: string;
  names: { plural: string; singular?: string; kind: string; shortNames?: string[]; categories?: string[]; listKind?: string };
  scope: 'Namespaced' | 'Cluster';
  versions: CrdVersion[];
}

/**
 * JSONSchemaProps' vendor extensions (apiextensions/v1 types_jsonschema.go). kubernetes-models'
 * schema leaves them out, so the strict decoder would call them unknown in every CRD that uses
 * them (Calico's and MetalLB's do).
 */
const SCHEMA_EXTENSIONS = new Set([
  'x-kubernetes-preserve-unknown-fields',
  'x-kubernetes-embedded-resource',
  'x-kubernetes-int-or-string',
  'x-kubernetes-list-map-keys',
  'x-kubernetes-list-type',
  'x-kubernetes-map-type',
  'x-kubernetes-validations',
]);

/** Whether a path the strict decoder found in a CRD is one of those extensions inside a version's schema. */
export function isSchemaExtension(path: string): boolean {
  return SCHEMA_EXTENSIONS.has(path.slice(path.lastIndexOf('.') + 1)) && /^spec\.versions\[\d+\]\.schema\.openAPIV3Schema\./.test(path);
}

const VERBS = ['delete', 'deletecollection', 'get', 'list', 'patch', 'create', 'update', 'watch'];

export class Crds {
  private schemas = new Map<string, Map<string, Schema | undefined>>();

  constructor(private readonly store: ObjectStore) {
    store.use({
      resource: 'customresourcedefinitions',
      admit: (op, obj) => {
        if (op === 'CREATE') this.defaultStatus(obj);
      },
    });
    store.watch('customresourcedefinitions', undefined, { resourceVersion: store.resourceVersion }, (e) => {
      const spec = e.object.spec as CrdSpec;
      if (e.type === 'DELETED') {
        store.removeTable(spec.group, spec.names.plural);
        this.schemas.delete(`${spec.group}/${spec.names.plural}`);
      } else this.serve(spec);
    });
  }

  private defaultStatus(obj: KubeObject): void {
    const spec = obj.spec as CrdSpec;
    const names = spec.names;
    names.singular ??= names.kind.toLowerCase();
    names.listKind ??= `${names.kind}List`;
    (obj as Record<string, unknown>).status = {
      acceptedNames: { ...names },
      conditions: [
        { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' },
        { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' },
      ],
      storedVersions: spec.versions.filter((v) => v.storage).map((v) => v.name),
    };
  }

  private serve(spec: CrdSpec): void {
    const served = spec.versions.filter((v) => v.served);
    const preferred = served.find((v) => v.storage) ?? served[0];
    if (!preferred) return;
    const info: ResourceInfo & { status: boolean; versions: string[] } = {
      group: spec.group,
      version: preferred.name,
      versions: served.map((v) => v.name),
      kind: spec.names.kind,
      resource: spec.names.plural,
      singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
      shortNames: spec.names.shortNames ?? [],
      namespaced: spec.scope !== 'Cluster',
      verbs: VERBS,
      status: false,
      ...(spec.names.categories ? { categories: spec.names.categories } : {}),
    };
    this.schemas.set(`${spec.group}/${spec.names.plural}`, new Map(served.map((v) => [v.name, v.schema?.openAPIV3Schema])));
    this.store.addTable(info);
  }

  /**
   * Sets the served version's schema defaults in `obj` (structural defaulting, as the
   * apiextensions-apiserver does on every request it decodes): a property absent from an object
   * that is there takes its default, then every value is defaulted by its own schema.
   */
  applyDefaults(info: ResourceInfo, obj: KubeObject): void {
    const version = obj.apiVersion.split('/')[1] ?? '';
    const schema = this.schemas.get(`${info.group}/${info.resource}`)?.get(version);
    if (!schema?.properties) return;
    const o = obj as unknown as Record<string, unknown>;
    for (const [k, sub] of Object.entries(schema.properties))
      if (k !== 'apiVersion' && k !== 'kind' && k !== 'metadata') defaulted(o, k, sub);
  }

  check(info: ResourceInfo, obj: KubeObject): SchemaResult {
    const version = obj.apiVersion.split('/')[1] ?? '';
    const schema = this.schemas.get(`${info.group}/${info.resource}`)?.get(version);
    const unknown: string[] = [];
    const fieldErrors: FieldError[] = [];
    if (schema) {
      const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
      const props = { ...(schema.properties ?? {}) };
      delete props.apiVersion;
      delete props.kind;
      delete props.metadata;
      walk(rest, { ...schema, properties: props }, '', unknown, fieldErrors);
    }
    return { unknown, errors: [], fieldErrors };
  }
}

/** structuraldefaulting.Default for the property `k` of `parent`. */
function defaulted(parent: Record<string, unknown>, k: string, s: Schema): void {
  if (s.default !== undefined && (parent[k] === undefined || (parent[k] === null && !s.nullable))) parent[k] = structuredClone(s.default);
  const v = parent[k];
  if (Array.isArray(v)) {
    if (s.items) for (let i = 0; i < v.length; i++) defaulted(v as unknown as Record<string, unknown>, String(i), s.items);
  } else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const [key, sub] of Object.entries(s.properties ?? {})) defaulted(o, key, sub);
    if (typeof s.additionalProperties === 'object')
      for (const key of Object.keys(o)) if (!s.properties?.[key]) defaulted(o, key, s.additionalProperties);
  }
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function walk(v: unknown, s: Schema, path: string, unknown: string[], errs: FieldError[]): void {
  const at = path || '<root>';
  if (v === null && s.nullable) return;
  const t = typeOf(v);
  if (s['x-kubernetes-int-or-string']) {
    if (t !== 'integer' && t !== 'string') errs.push(invalidValue(at, t, `${at} in body must be of type int-or-string: "${t}"`));
    return;
  }
  if (s.type && s.type !== t && !(s.type === 'number' && t === 'integer')) {
    errs.push(invalidValue(at, t, `${at} in body must be of type ${s.type}: "${t}"`));
    return;
  }
  if (s.enum && !s.enum.includes(v)) errs.push(notSupported(at, v, s.enum.map(String)));
  if (t === 'string') {
    const str = v as string;
    if (s.pattern && !new RegExp(s.pattern).test(str)) errs.push(invalidValue(at, str, `${at} in body should match '${s.pattern}'`));
    if (s.maxLength !== undefined && str.length > s.maxLength)
      errs.push({ type: 'FieldValueTooLong', field: at, body: `Too long: may not be more than ${s.maxLength} bytes` });
    if (s.minLength !== undefined && str.length < s.minLength)
      errs.push(invalidValue(at, str, `${at} in body should be at least ${s.minLength} chars long`));
  }
  if (t === 'integer' || t === 'number') {
    const n = v as number;
    if (s.minimum !== undefined && n < s.minimum)
      errs.push(invalidValue(at, n, `${at} in body should be greater than or equal to ${s.minimum}`));
    if (s.maximum !== undefined && n > s.maximum)
      errs.push(invalidValue(at, n, `${at} in body should be less than or equal to ${s.maximum}`));
  }
  if (t === 'array') {
    const a = v as unknown[];
    if (s.minItems !== undefined && a.length < s.minItems)
      errs.push(invalidValue(at, a.length, `${at} in body should have at least ${s.minItems} items`));
    if (s.maxItems !== undefined && a.length > s.maxItems)
      errs.push({ type: 'FieldValueTooMany', field: at, body: `Too many: ${a.length}: must have at most ${s.maxItems} items` });
    if (s.items) a.forEach((x, i) => walk(x, s.items!, `${path}[${i}]`, unknown, errs));
  }
  if (t === 'object') {
    const o = v as Record<string, unknown>;
    for (const r of s.required ?? []) if (o[r] === undefined) errs.push(required(path ? `${path}.${r}` : r));
    if (s['x-kubernetes-embedded-resource']) return;
    for (const k of Object.keys(o).sort()) {
      const p = path ? `${path}.${k}` : k;
      const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
      if (sub) walk(o[k], sub, p, unknown, errs);
      else if (!s['x-kubernetes-preserve-unknown-fields'] && s.additionalProperties !== true) unknown.push(p);
    }
  }
}
