export function checkSchema(validate, data) {
    const seen = new Map();
    const wrap = (v) => {
        if (v === null || typeof v !== 'object')
            return v;
        let info = seen.get(v);
        if (!info)
            seen.set(v, (info = { keys: new Set(), enumerated: false }));
        const rec = info;
        return new Proxy(v, {
            get(t, k, r) {
                if (typeof k === 'string')
                    rec.keys.add(k);
                return wrap(Reflect.get(t, k, r));
            },
            has(t, k) {
                if (typeof k === 'string')
                    rec.keys.add(k);
                return Reflect.has(t, k);
            },
            ownKeys(t) {
                rec.enumerated = true;
                return Reflect.ownKeys(t);
            },
        });
    };
    let errors = [];
    try {
        validate(wrap(data));
    }
    catch (e) {
        const errs = e.errors;
        if (!errs)
            throw e;
        errors = errs;
    }
    const unknown = [];
    const walk = (v, path) => {
        if (v === null || typeof v !== 'object')
            return;
        if (Array.isArray(v)) {
            v.forEach((x, i) => walk(x, `${path}[${i}]`));
            return;
        }
        const info = seen.get(v);
        // Never looked into (a free-form field such as RawExtension, or under a type error): no verdict.
        if (!info || (!info.enumerated && info.keys.size === 0))
            return;
        for (const k of Object.keys(v).sort()) {
            const p = path ? `${path}.${k}` : k;
            if (!info.enumerated && !info.keys.has(k))
                unknown.push(p);
            else
                walk(v[k], p);
        }
    };
    walk(data, '');
    return { unknown, errors };
}
/** `/spec/containers/0/name` → `spec.containers[0].name` (field.Path's String()). */
export function fieldPath(instancePath, extra) {
    let out = '';
    for (const seg of [...instancePath.split('/').slice(1), ...(extra ? [extra] : [])]) {
        const s = seg.replace(/~1/g, '/').replace(/~0/g, '~');
        out += /^\d+$/.test(s) ? `[${s}]` : out ? `.${s}` : s;
    }
    return out;
}
//# sourceMappingURL=schema.js.map