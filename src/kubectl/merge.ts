// Client-side apply's three-way merge (kubectl apply: CreateThreeWayMergePatch between the
// last-applied configuration, the new manifest and the live object) and the strategic merge that
// applies it: lists of known kinds merge by key (containers by name, container ports by
// containerPort, Service ports by port...), other lists are replaced, null deletes a field. The
// merge itself, and its table of list keys, are the API server's (api/patch.ts).
import { mergeKey } from '../api/index.js';

type J = unknown;
type Map = Record<string, J>;

const isMap = (v: J): v is Map => typeof v === 'object' && v !== null && !Array.isArray(v);

export function deepEqual(a: J, b: J): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  if (isMap(a) && isMap(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && deepEqual(a[k], b[k]));
  }
  return false;
}

/** The patch that takes `current` to `modified`, deleting what `original` had and `modified` dropped. */
export function threeWayPatch(original: J, modified: J, current: J, path: string[] = []): Map {
  const o = isMap(original) ? original : {};
  const m = isMap(modified) ? modified : {};
  const c = isMap(current) ? current : {};
  const patch: Map = {};
  for (const [k, mv] of Object.entries(m)) {
    const cv = c[k];
    if (deepEqual(mv, cv)) continue;
    if (isMap(mv) && isMap(cv)) {
      const sub = threeWayPatch(o[k], mv, cv, [...path, k]);
      if (Object.keys(sub).length > 0) patch[k] = sub;
      continue;
    }
    const key = mergeKey(path, k);
    if (key && Array.isArray(mv) && Array.isArray(cv)) {
      const sub = listPatch(Array.isArray(o[k]) ? (o[k] as J[]) : [], mv, cv, key, [...path, k]);
      if (sub) patch[k] = sub;
      continue;
    }
    patch[k] = mv;
  }
  for (const k of Object.keys(o)) if (!(k in m) && k in c) patch[k] = null;
  return patch;
}

function listPatch(original: J[], modified: J[], current: J[], key: string, path: string[]): J[] | undefined {
  const byKey = (l: J[]) => new globalThis.Map(l.filter(isMap).map((x) => [JSON.stringify(x[key]), x] as const));
  const cur = byKey(current);
  const mod = byKey(modified);
  const out: J[] = [];
  for (const item of modified) {
    if (!isMap(item)) continue;
    const id = JSON.stringify(item[key]);
    const c = cur.get(id);
    if (!c) {
      out.push(item);
      continue;
    }
    const o = original.filter(isMap).find((x) => JSON.stringify(x[key]) === id);
    const sub = threeWayPatch(o, item, c, path);
    if (Object.keys(sub).length > 0) out.push({ ...sub, [key]: item[key] });
  }
  for (const item of original) {
    if (!isMap(item)) continue;
    const id = JSON.stringify(item[key]);
    if (!mod.has(id) && cur.has(id)) out.push({ [key]: item[key], $patch: 'delete' });
  }
  return out.length > 0 ? out : undefined;
}
