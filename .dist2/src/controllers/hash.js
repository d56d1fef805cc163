// Names the controllers give: `<rs>-<5 random>` pods and the `pod-template-hash` of ReplicaSets.
// Upstream hashes the Go struct's spew dump with FNV-32a (controller.ComputeHash) and writes the
// decimal value through rand.SafeEncodeString; we hash the template's canonical JSON instead, so the
// format and alphabet are upstream's but the value is not (coarse, documented).
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
function fnv32a(text, h = 0x811c9dc5) {
    for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        h ^= c & 0xff;
        h = Math.imul(h, 0x01000193) >>> 0;
        if (c > 0xff) {
            h ^= c >>> 8;
            h = Math.imul(h, 0x01000193) >>> 0;
        }
    }
    return h >>> 0;
}
/** JSON with object keys sorted, so equal templates hash equally. */
export function canonical(v) {
    if (Array.isArray(v))
        return `[${v.map(canonical).join(',')}]`;
    if (v && typeof v === 'object') {
        return `{${Object.keys(v)
            .sort()
            .filter((k) => v[k] !== undefined)
            .map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`)
            .join(',')}}`;
    }
    return JSON.stringify(v);
}
/** rand.SafeEncodeString(fmt.Sprint(ComputeHash(template, collisionCount))). */
export function podTemplateHash(template, collisionCount) {
    let h = fnv32a(canonical(template));
    if (collisionCount)
        h = fnv32a(String(collisionCount), h);
    return [...String(h)].map((d) => ALPHANUMS[d.charCodeAt(0) % ALPHANUMS.length]).join('');
}
//# sourceMappingURL=hash.js.map