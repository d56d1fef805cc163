// Names kept sorted as they come and go, as the API lists objects (by code unit, sort()'s order).

/** Where `name` is, or goes, in `names` (sorted by code unit): the first place not before it. */
export function sortedIndex(names: readonly string[], name: string): number {
  let lo = 0;
  let hi = names.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (names[mid]! < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
