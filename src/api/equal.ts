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
  const ka = Object.keys(a).filter((k) => (a as J)[k] !== undefined);
  let nb = 0;
  for (const k of Object.keys(b)) if ((b as J)[k] !== undefined) nb++;
  if (ka.length !== nb) return false;
  for (const k of ka) if (!jsonEqual((a as J)[k], (b as J)[k])) return false;
  return true;
}
