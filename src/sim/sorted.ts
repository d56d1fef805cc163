// Names kept sorted as they come and go, as the API lists objects (by code unit, sort()'s order).

/** Where `name` is, or goes, in `items` sorted by their names (by code unit): the first place not before it. */
export function sortedIndex<T>(items: readonly T[], name: string, nameOf: (item: T) => string): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (nameOf(items[mid]!) < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
