export class EventRecorder {
    store;
    seen = new Map();
    seq = 0;
    constructor(store) {
        this.store = store;
    }
    record(obj, type, reason, message, component, host) {
        const ns = obj.metadata.namespace || 'default';
        const key = `${obj.metadata.uid}|${reason}|${message}|${component}|${host ?? ''}`;
        const now = this.store.timestamp();
        const existing = this.seen.get(key);
        if (existing) {
            const ev = this.store.find('events', ns, existing);
            if (ev) {
                this.store.patch('events', ns, existing, 'merge', { count: (ev.count ?? 1) + 1, lastTimestamp: now });
                return;
            }
        }
        const nanos = BigInt(this.store.now()) * 1000000n + BigInt(this.seq++ % 1_000_000);
        const name = `${obj.metadata.name}.${nanos.toString(16)}`;
        this.seen.set(key, name);
        const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
        void group;
        void version;
        this.store.create({
            apiVersion: 'v1',
            kind: 'Event',
            metadata: { name, namespace: ns },
            involvedObject: { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}), uid: obj.metadata.uid, resourceVersion: obj.metadata.resourceVersion },
            reason,
            message,
            source: { component, ...(host ? { host } : {}) },
            firstTimestamp: now,
            lastTimestamp: now,
            count: 1,
            type,
            eventTime: null,
            reportingComponent: component,
            reportingInstance: host ?? '',
        });
    }
}
//# sourceMappingURL=events.js.map