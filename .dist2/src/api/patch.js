// The three patch types the API server takes: JSON Patch (RFC 6902), JSON Merge Patch (RFC 7386) and
// strategic merge patch (lists of named things merge by their key; `$patch: delete|replace` directives).
import { badRequest } from './errors.js';
const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
export function applyPatch(doc, type, patch) {
    const base = structuredClone(doc);
    if (type === 'json')
        return jsonPatch(base, patch);
    if (!isObj(patch))
        throw badRequest('json: cannot unmarshal array into Go value of type map[string]interface {}');
    return type === 'merge' ? mergePatch(base, patch) : strategicMerge(base, patch, '');
}
/** RFC 7386: objects merge, null deletes, anything else replaces. */
export function mergePatch(target, patch) {
    if (!isObj(patch))
        return structuredClone(patch);
    const out = isObj(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
        if (v === null)
            delete out[k];
        else
            out[k] = mergePatch(out[k] ?? null, v);
    }
    return out;
}
/** Merge keys of the built-in lists strategic merge patch merges (patchMergeKey in the API types). */
function mergeKey(field, items) {
    switch (field) {
        case 'containers':
        case 'initContainers':
        case 'ephemeralContainers':
        case 'env':
        case 'volumes':
        case 'imagePullSecrets':
            return 'name';
        case 'volumeMounts':
            return 'mountPath';
        case 'volumeDevices':
            return 'devicePath';
        case 'conditions':
            return 'type';
        case 'ports':
            return items.some((i) => isObj(i) && 'containerPort' in i) ? 'containerPort' : 'port';
        case 'hostAliases':
            return 'ip';
        case 'topologySpreadConstraints':
            return 'topologyKey';
        default:
            return undefined;
    }
}
export function strategicMerge(target, patch, field) {
    if (!isObj(patch))
        return structuredClone(patch);
    if (patch.$patch === 'replace') {
        const { $patch: _, ...rest } = patch;
        return rest;
    }
    const out = isObj(target) ? { ...target } : {};
    for (const [k, v] of Object.entries(patch)) {
        if (k.startsWith('$'))
            continue;
        if (v === null)
            delete out[k];
        else if (Array.isArray(v) && Array.isArray(out[k]))
            out[k] = mergeList(out[k], v, k);
        else if (isObj(v))
            out[k] = strategicMerge(out[k] ?? null, v, k);
        else
            out[k] = structuredClone(v);
    }
    void field;
    return out;
}
function mergeList(cur, patch, field) {
    const key = mergeKey(field, [...cur, ...patch]);
    if (!key)
        return structuredClone(patch);
    const out = [...cur];
    for (const item of patch) {
        if (!isObj(item))
            continue;
        const at = out.findIndex((c) => isObj(c) && c[key] === item[key]);
        if (item.$patch === 'delete') {
            if (at >= 0)
                out.splice(at, 1);
        }
        else if (at >= 0)
            out[at] = strategicMerge(out[at], item, field);
        else
            out.push(structuredClone(item));
    }
    return out;
}
function pointer(path) {
    if (path === '')
        return [];
    if (!path.startsWith('/'))
        throw badRequest(`the server rejected our request due to an error in our request`);
    return path
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}
function parentOf(doc, segs, path) {
    let v = doc;
    for (const s of segs.slice(0, -1)) {
        const next = Array.isArray(v) ? v[Number(s)] : isObj(v) ? v[s] : undefined;
        if (next === undefined)
            throw badRequest(`doc is missing path: "${path}": missing value`);
        v = next;
    }
    if (!Array.isArray(v) && !isObj(v))
        throw badRequest(`doc is missing path: "${path}": missing value`);
    return { parent: v, last: segs[segs.length - 1] };
}
function getAt(doc, path) {
    let v = doc;
    for (const s of pointer(path))
        v = Array.isArray(v) ? v[Number(s)] : isObj(v) ? v[s] : undefined;
    if (v === undefined)
        throw badRequest(`doc is missing path: "${path}": missing value`);
    return v;
}
function removeAt(doc, path) {
    const { parent, last } = parentOf(doc, pointer(path), path);
    if (Array.isArray(parent)) {
        const i = Number(last);
        if (!(i >= 0 && i < parent.length))
            throw badRequest(`unable to remove nonexistent key: ${last}: missing value`);
        return parent.splice(i, 1)[0];
    }
    if (!(last in parent))
        throw badRequest(`unable to remove nonexistent key: ${last}: missing value`);
    const v = parent[last];
    delete parent[last];
    return v;
}
function addAt(doc, path, value, replace) {
    const segs = pointer(path);
    if (!segs.length)
        return value;
    const { parent, last } = parentOf(doc, segs, path);
    if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last);
        if (!(i >= 0 && i <= parent.length))
            throw badRequest(`add operation does not apply: doc is missing path: "${path}": missing value`);
        if (replace)
            parent[i] = value;
        else
            parent.splice(i, 0, value);
    }
    else {
        if (replace && !(last in parent))
            throw badRequest(`replace operation does not apply: doc is missing key: ${path}: missing value`);
        parent[last] = value;
    }
    return doc;
}
export function jsonPatch(doc, patch) {
    if (!Array.isArray(patch))
        throw badRequest('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
    for (const op of patch) {
        switch (op.op) {
            case 'add':
                doc = addAt(doc, op.path, structuredClone(op.value ?? null), false);
                break;
            case 'replace':
                doc = addAt(doc, op.path, structuredClone(op.value ?? null), true);
                break;
            case 'remove':
                removeAt(doc, op.path);
                break;
            case 'move':
                doc = addAt(doc, op.path, removeAt(doc, op.from ?? ''), false);
                break;
            case 'copy':
                doc = addAt(doc, op.path, structuredClone(getAt(doc, op.from ?? '')), false);
                break;
            case 'test':
                if (JSON.stringify(getAt(doc, op.path)) !== JSON.stringify(op.value))
                    throw badRequest(`testing value ${op.path} failed: test failed`);
                break;
            default:
                throw badRequest(`Unexpected kind: ${op.op}`);
        }
    }
    return doc;
}
//# sourceMappingURL=patch.js.map