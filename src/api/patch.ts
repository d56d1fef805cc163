// The three patch types the API server takes: JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and
// strategic merge patch (lists of named things merge by their key; `$patch: delete|replace` directives).
import { badRequest } from './errors.js';
import type { PatchType } from './types.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObj = (v: unknown): v is Record<string, Json> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The patched document; DOC is not changed (a merge patch shares the subtrees it leaves alone with it). */
export function applyPatch(doc: unknown, type: PatchType, patch: unknown): unknown {
  if (type !== 'json' && !isObj(patch)) throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
  // mergePatch builds new objects along the patch's paths and never changes its target: no copy of the whole object
  if (type === 'merge') return mergePatch(doc as Json, patch as Json);
  const base = structuredClone(doc) as Json;
  return type === 'json' ? jsonPatch(base, patch) : strategicMerge(base, patch);
}

/** RFC 7386: objects merge, null deletes, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const out: Record<string, Json> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k] ?? null, v);
  }
  return out;
}

/**
 * patchMergeKey of the list FIELD found under PATH (the fields above it), as the API types declare it;
 * undefined for a list strategic merge replaces whole. kubectl's three-way patch uses the same table.
 */
export function mergeKey(path: readonly string[], field: string): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'volumeDevices':
      return 'devicePath';
    case 'conditions':
      return 'type';
    case 'ports':
      return path.some((p) => p === 'containers' || p === 'initContainers' || p === 'ephemeralContainers') ? 'containerPort' : 'port';
    case 'hostAliases':
      return 'ip';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    default:
      return undefined;
  }
}

/** Applies a strategic merge patch: known lists merge by their key, `$patch: replace|delete` directives, null deletes. */
export function strategicMerge(target: unknown, patch: unknown, path: readonly string[] = []): unknown {
  if (!isObj(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const out: Record<string, Json> = isObj(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    const key = mergeKey(path, k);
    const cur = out[k];
    if (v === null) delete out[k];
    else if (key && Array.isArray(v) && Array.isArray(cur)) out[k] = mergeList(cur, v, key, [...path, k]);
    else out[k] = (isObj(v) ? strategicMerge(cur, v, [...path, k]) : structuredClone(v)) as Json;
  }
  return out;
}

function mergeList(cur: Json[], patch: Json[], key: string, path: readonly string[]): Json[] {
  const out = [...cur];
  for (const item of patch) {
    if (!isObj(item)) continue;
    const at = out.findIndex((c) => isObj(c) && c[key] === item[key]);
    if (item.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else out.splice(at >= 0 ? at : out.length, at >= 0 ? 1 : 0, strategicMerge(at >= 0 ? out[at] : {}, item, path) as Json);
  }
  return out;
}

// ---- RFC 6902 ----

interface Op {
  op: string;
  path: string;
  from?: string;
  value?: Json;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the server rejected our request due to an error in our request`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, segs: string[], path: string): { parent: Record<string, Json> | Json[]; last: string } {
  let v: Json = doc;
  for (const s of segs.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(v) ? v[Number(s)] : isObj(v) ? v[s] : undefined;
    if (next === undefined) throw badRequest(`doc is missing path: "${path}": missing value`);
    v = next;
  }
  if (!Array.isArray(v) && !isObj(v)) throw badRequest(`doc is missing path: "${path}": missing value`);
  return { parent: v, last: segs[segs.length - 1]! };
}

function getAt(doc: Json, path: string): Json {
  let v: Json | undefined = doc;
  for (const s of pointer(path)) v = Array.isArray(v) ? v[Number(s)] : isObj(v) ? v[s] : undefined;
  if (v === undefined) throw badRequest(`doc is missing path: "${path}": missing value`);
  return v;
}

function removeAt(doc: Json, path: string): Json {
  const { parent, last } = parentOf(doc, pointer(path), path);
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!(i >= 0 && i < parent.length)) throw badRequest(`unable to remove nonexistent key: ${last}: missing value`);
    return parent.splice(i, 1)[0]!;
  }
  if (!(last in parent)) throw badRequest(`unable to remove nonexistent key: ${last}: missing value`);
  const v = parent[last]!;
  delete parent[last];
  return v;
}

function addAt(doc: Json, path: string, value: Json, replace: boolean): Json {
  const segs = pointer(path);
  if (!segs.length) return value;
  const { parent, last } = parentOf(doc, segs, path);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!(i >= 0 && i <= parent.length)) throw badRequest(`add operation does not apply: doc is missing path: "${path}": missing value`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else {
    if (replace && !(last in parent)) throw badRequest(`replace operation does not apply: doc is missing key: ${path}: missing value`);
    parent[last] = value;
  }
  return doc;
}

export function jsonPatch(doc: Json, patch: unknown): Json {
  if (!Array.isArray(patch)) throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  for (const op of patch as Op[]) {
    switch (op.op) {
      case 'add':
        doc = addAt(doc, op.path, structuredClone(op.value ?? null), false);
        break;
      case 'replace':
        doc = addAt(doc, op.path, structuredClone(op.value ?? null), true);
        break;
      case 'remove':
        removeAt(doc, op.path);
        break;
      case 'move':
        doc = addAt(doc, op.path, removeAt(doc, op.from ?? ''), false);
        break;
      case 'copy':
        doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')), false);
        break;
      case 'test':
        if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value))
          throw badRequest(`testing value ${op.path} failed: test failed`);
        break;
      default:
        throw badRequest(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
