/** Per-device capture rings with a bounded length, so a long run cannot exhaust memory. */
export class Captures {
    limit;
    enabled = true;
    rings = new Map();
    constructor(limit = 10_000) {
        this.limit = limit;
    }
    tap(link, t, dir, data) {
        if (!this.enabled)
            return;
        let ring = this.rings.get(link);
        if (!ring) {
            ring = [];
            this.rings.set(link, ring);
        }
        if (ring.length >= this.limit)
            ring.shift();
        ring.push({ t, dir, data });
    }
    /** Everything captured on `link` so far, oldest first. */
    of(link) {
        return this.rings.get(link) ?? [];
    }
    forget(link) {
        this.rings.delete(link);
    }
}
//# sourceMappingURL=capture.js.map