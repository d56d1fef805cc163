// `kubectl explain RESOURCE[.FIELD…] [--recursive] [--api-version=G/V]`: the type's or field's
// description and fields from the API server's OpenAPI v3 document, rendered as kubectl v1.32's
// plaintext template does (explain/render.ts). Built-in kinds are described from schemas.json
// (Kubernetes' own descriptions, via kubernetes-models: scripts/explain-schemas.mjs); a custom
// resource from its CRD's openAPIV3Schema, its metadata as ObjectMeta, as the API server publishes it.
import { apiVersionOf, type ApiClient, type KubeObject, type ResourceInfo } from '../api/index.js';
import { components, componentName, type OpenApiSchema, type SchemaData } from './explain/document.js';
import { renderExplain, type ExplainTarget } from './explain/render.js';
import { type KubectlEnv, KubectlError, RawError } from './env.js';
import { parseFlags } from './flags.js';
import { findResource } from './resources.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REF_PREFIX = '#/components/schemas/';

/** The built-in document, loaded once on the first explain (half a megabyte of JSON nothing else needs). */
let builtin: Promise<{ data: SchemaData; schemas: Record<string, OpenApiSchema> }> | undefined;
function builtinDocument() {
  builtin ??= import('./explain/schemas.json', { with: { type: 'json' } }).then((m) => {
    const data = m.default as unknown as SchemaData;
    return { data, schemas: components(data) };
  });
  return builtin;
}

export async function explain(env: KubectlEnv, argv: readonly string[]): Promise<number> {
  const p = parseFlags(argv, [
    { name: 'recursive', kind: 'bool' },
    { name: 'api-version', kind: 'string' },
    { name: 'output', short: 'o', kind: 'string' },
  ]);
  if (p.args.length === 0)
    throw new KubectlError(
      'You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.',
    );
  if (p.args.length > 1) throw new KubectlError('We accept only this format: explain RESOURCE');
  const output = (p.flags.output as string | undefined) ?? 'plaintext';
  if (output === 'plaintext-openapiv2')
    throw new KubectlError('knetlab: kubectl explain --output=plaintext-openapiv2 is not emulated (plaintext is)');
  if (output !== 'plaintext') throw new KubectlError(`unrecognized format: ${output}`);
  const { resource, fieldPath } = resourceAndPath(env.client.resources(), p.args[0]!);
  const apiVersion = p.flags['api-version'] as string | undefined;
  const target = await targetOf(env.client, resource, apiVersion);
  const r = renderExplain(target, fieldPath, p.flags.recursive === true);
  env.io.stdout(r.stdout);
  if (r.error) throw new RawError(r.error);
  return 0;
}

/**
 * SplitAndParseResourceRequestWithMatchingPrefix: the first dotted word names the resource; when
 * the argument starts with its `resource.group`, the fields follow that, else the first word.
 */
function resourceAndPath(all: readonly ResourceInfo[], arg: string): { resource: ResourceInfo; fieldPath: string[] } {
  const input = arg.endsWith('.') ? arg.slice(0, -1) : arg;
  const parts = input.split('.');
  const candidates = all.filter((r) => findResource([r], parts[0]!));
  // a `resource.group` prefix picks among the resource's groups (deployments.apps.spec)
  for (const r of candidates) {
    const gr = r.group ? `${r.resource}.${r.group}` : r.resource;
    if (input.startsWith(gr)) return { resource: r, fieldPath: input.slice(gr.length).split('.').slice(1) };
  }
  const first = candidates[0];
  if (!first) throw new RawError(`the server doesn't have a resource type "${parts[0]}"`);
  return { resource: first, fieldPath: parts.slice(1) };
}

/** kubectl's error for a group/version/resource no document describes (schema.GroupVersionResource's String()). */
const noSchema = (group: string, version: string, resource: string) =>
  new KubectlError(`GVR (${group}/${version}, Resource=${resource}) not found in OpenAPI schema`);

async function targetOf(client: ApiClient, r: ResourceInfo, apiVersion: string | undefined): Promise<ExplainTarget> {
  const gv = apiVersionOf(r);
  if (apiVersion !== undefined && apiVersion !== gv) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
    throw noSchema(group!, version!, r.resource);
  }
  const { data, schemas } = await builtinDocument();
  const resolve = (ref: string) => schemas[ref.slice(REF_PREFIX.length)];
  const head = { group: r.group, version: r.version, kind: r.kind, resolve };
  const kind = data.kinds.find((k) => k.apiVersion === gv && k.kind === r.kind);
  if (kind) return { ...head, schema: schemas[componentName(data, kind.schema)]! };
  // a custom resource's metadata is published as every kind's: ObjectMeta with its standard description
  const metadata = schemas[componentName(data, data.kinds[0]!.schema)]!.properties!.metadata!;
  const schema = crdSchema(client, r);
  if (!schema) throw noSchema(r.group, r.version, r.resource);
  return { ...head, schema: { ...schema, properties: { ...schema.properties, metadata } } };
}

/** The served version's openAPIV3Schema of the resource's CRD. */
function crdSchema(client: ApiClient, r: ResourceInfo): OpenApiSchema | undefined {
  let crd: KubeObject;
  try {
    crd = client.get('customresourcedefinitions', undefined, `${r.resource}.${r.group}`);
  } catch {
    return undefined;
  }
  const version = ((crd.spec as Obj).versions as Obj[]).find((v) => v.name === r.version);
  return version?.schema?.openAPIV3Schema as OpenApiSchema | undefined;
}
