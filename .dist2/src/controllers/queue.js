export class WorkQueue {
    sched;
    handle;
    pending = new Set();
    armed = false;
    constructor(sched, handle) {
        this.sched = sched;
        this.handle = handle;
    }
    add(key) {
        this.pending.add(key);
        if (this.armed)
            return;
        this.armed = true;
        this.sched.schedule(0, () => this.drain());
    }
    /** Reconciles `key` again after `ms` of virtual time (a requeue after, e.g. a grace period). */
    addAfter(key, ms) {
        this.sched.schedule(ms, () => this.add(key));
    }
    drain() {
        this.armed = false;
        const keys = [...this.pending];
        this.pending.clear();
        for (const k of keys)
            this.handle(k);
    }
}
export const keyOf = (o) => (o.metadata.namespace ? `${o.metadata.namespace}/${o.metadata.name}` : o.metadata.name);
export const splitKey = (key) => {
    const i = key.indexOf('/');
    return i < 0 ? [undefined, key] : [key.slice(0, i), key.slice(i + 1)];
};
//# sourceMappingURL=queue.js.map