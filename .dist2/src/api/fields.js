// Field selectors (`metadata.name=x,spec.nodeName!=n`): `=`, `==`, `!=` on the fields each resource's
// registry supports (its GetAttrs / field label conversion); any other field is refused as upstream does.
import { badRequest } from './errors.js';
const SUPPORTED = {
    pods: ['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName'],
    events: ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type'],
    secrets: ['type'],
    nodes: ['spec.unschedulable'],
    namespaces: ['status.phase'],
    replicasets: ['status.replicas'],
    services: ['spec.clusterIP', 'spec.type'],
};
function valueOf(o, field) {
    if (field === 'source')
        return String(o.source?.component ?? '');
    if (field === 'status.podIPs')
        return String(o.status?.podIPs?.[0]?.ip ?? '');
    let v = o;
    for (const seg of field.split('.'))
        v = v?.[seg];
    return v === undefined || v === null ? '' : String(v);
}
export function fieldSelectorMatcher(resource, namespaced, text) {
    const allowed = new Set(['metadata.name', ...(namespaced ? ['metadata.namespace'] : []), ...(SUPPORTED[resource] ?? [])]);
    const reqs = text
        .split(',')
        .filter((p) => p.trim())
        .map((part) => {
        const m = /^\s*([^=!\s]+)\s*(==|!=|=)\s*(.*?)\s*$/.exec(part);
        if (!m)
            throw badRequest(`invalid selector: '${text}'; can't understand '${part}'`);
        const [, field, op, value] = m;
        if (!allowed.has(field))
            throw badRequest(`field label not supported: ${field}`);
        return { field, neg: op === '!=', value };
    });
    return (o) => reqs.every((r) => (valueOf(o, r.field) === r.value) !== r.neg);
}
//# sourceMappingURL=fields.js.map