// The OpenAPI v3 schemas `kubectl explain` reads, built from schemas.json (see
// scripts/explain-schemas.mjs) in the shape the API server serves them under /openapi/v3: a
// field that is another type is `allOf: [{$ref}]` beside its own description, an alias to one
// primitive (Time) is that primitive, IntOrString and Quantity have no single type (`oneOf`).

/** An OpenAPI v3 schema, as far as kubectl's explain template reads one. */
export interface OpenApiSchema {
  type?: string;
  description?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema | boolean;
  allOf?: OpenApiSchema[];
  oneOf?: OpenApiSchema[];
  enum?: unknown[];
  $ref?: string;
}

/** schemas.json's type of a field. */
export type FieldType = string | { enum: string[] } | { ref: string } | { items: FieldType } | { map: FieldType };

interface TypeEntry {
  name: string;
  description?: string;
  type?: string;
  properties?: Record<string, { description?: string; type: FieldType }>;
  required?: string[];
}

export interface SchemaData {
  readonly source: string;
  readonly kinds: readonly { apiVersion: string; kind: string; schema: string }[];
  readonly schemas: Readonly<Record<string, TypeEntry>>;
}

/** The name a type has in components.schemas: its short name last, as typeGuess prints it. */
export const componentName = (data: SchemaData, key: string): string => `${key}.${data.schemas[key]!.name}`;

const refTo = (data: SchemaData, key: string): OpenApiSchema => ({ $ref: `#/components/schemas/${componentName(data, key)}` });

function field(data: SchemaData, t: FieldType, description?: string): OpenApiSchema {
  const d = description === undefined ? {} : { description };
  if (typeof t === 'string') return { type: t, ...d };
  if ('enum' in t) return { type: 'string', enum: t.enum, ...d };
  if ('ref' in t) return { allOf: [refTo(data, t.ref)], ...d };
  if ('items' in t) return { type: 'array', items: field(data, t.items), ...d };
  return { type: 'object', additionalProperties: field(data, t.map), ...d };
}

/** components.schemas of the document, every type of schemas.json in it. */
export function components(data: SchemaData): Record<string, OpenApiSchema> {
  const out: Record<string, OpenApiSchema> = {};
  for (const [key, s] of Object.entries(data.schemas)) {
    const d = s.description === undefined ? {} : { description: s.description };
    if (!s.properties) {
      out[componentName(data, key)] = s.type ? { type: s.type, ...d } : { oneOf: [{ type: 'integer' }, { type: 'string' }], ...d };
      continue;
    }
    const properties = Object.fromEntries(Object.entries(s.properties).map(([k, p]) => [k, field(data, p.type, p.description)]));
    out[componentName(data, key)] = { type: 'object', ...d, properties, ...(s.required ? { required: s.required } : {}) };
  }
  return out;
}
