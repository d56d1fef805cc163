// A value derived from an immutable object, cached on the object itself under a private symbol.
// The property is not enumerable, so a copy made with `{ ...obj, changed }` does not inherit a
// cache that no longer fits it. (WeakMaps would do the same, but with hundreds of thousands of
// keys they make every garbage collection pay for them.)
export function cached(obj, key, compute) {
    const holder = obj;
    const hit = holder[key];
    if (hit !== undefined)
        return hit;
    const value = compute(obj);
    Object.defineProperty(obj, key, { value, enumerable: false, writable: false, configurable: false });
    return value;
}
//# sourceMappingURL=cache.js.map