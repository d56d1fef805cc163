// Equality of two API objects as their JSON encodings would compare (a key holding undefined is
// absent), short-circuiting on shared subtrees: stored objects are frozen, and an update copies
// only what it changes.

type J = Record<string, unknown>;

export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  // key by key without arrays of the keys (a status write compared ~40 objects, two arrays each)
  let na = 0;
  for (const k in a) {
    const v = (a as J)[k];
    if (v === undefined) continue;
    na++;
    if (!jsonEqual(v, (b as J)[k])) return false;
  }
  let nb = 0;
  for (const k in b) if ((b as J)[k] !== undefined) nb++;
  return na === nb;
}
